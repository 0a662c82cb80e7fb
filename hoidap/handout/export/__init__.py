"""Handout exports: Markdown, DOCX, the HTML preview."""
