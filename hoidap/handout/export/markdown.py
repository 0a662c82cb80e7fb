"""The handout as Markdown (every item followed by its citation; document text escaped)."""
from __future__ import annotations

import re

from hoidap.handout.export.common import bullet_free, clean_xml, group_heading, intro, title_of
from hoidap.handout.model import Handout

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|])")


def _md(text: str) -> str:
    """Markdown-safe text: markup characters escaped, raw HTML neutralised."""
    text = clean_xml(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_quote(text: str) -> str:
    return "\n".join("> " + _md(line) if line.strip() else ">" for line in text.splitlines())


def to_markdown(handout: Handout) -> str:
    """The handout as Markdown; every item followed by its citation."""
    lines = [f"# {_md(title_of(handout))}", "", f"_{_md(intro(handout))}_", ""]
    lines += ["## 1. Mục tiêu, chỉ tiêu chính", ""]
    if handout.targets:
        for t in handout.targets:
            lines.append(f"- {_md(bullet_free(t.text))}  ")
            lines.append(f"  *Nguồn: {_md(t.reference)}*")
    else:
        lines.append("_Không có chỉ tiêu định lượng trong các đoạn đã chọn._")
    lines += ["", "## 2. Phân công trách nhiệm", ""]
    if handout.responsibilities:
        for r in handout.responsibilities:
            partners = f"; phối hợp với: {_md(r.partners)}" if r.partners else ""
            lines.append(f"- **{_md(r.agency)}** ({_md(r.role)}{partners}): {_md(bullet_free(r.text))}  ")
            lines.append(f"  *Nguồn: {_md(r.reference)}*")
    else:
        lines.append("_Không có nội dung phân công trong các đoạn đã chọn._")
    lines += ["", "## 3. Câu hỏi ôn tập", ""]
    if handout.questions:
        for i, q in enumerate(handout.questions, 1):
            lines.append(f"{i}. {_md(q.text)}  ")
            lines.append(f"   Đáp án: **{_md(q.answer)}** — *Nguồn: {_md(q.reference)}*")
    else:
        lines.append("_Chưa soạn được câu hỏi từ các đoạn đã chọn._")
    lines += ["", "## 4. Trích đoạn văn bản", ""]
    current_doc = None
    for g in handout.groups:
        if g.doc_id != current_doc:
            current_doc = g.doc_id
            head = group_heading(g)
            lines += [f"### {_md(head)}", ""]
        lines += [f"#### {_md(g.section or 'Phần mở đầu')}", ""]
        for it in g.items:
            lines.append(_md_quote(it.text))
            lines.append(">")
            lines.append(f"> *Nguồn: {_md(it.reference)}*")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
