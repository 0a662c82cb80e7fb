"""Trainer handouts: every passage on a topic or a section, a drafted summary, exports.

A trainer preparing a session on a plan needs three things, each traceable to
the text: the key targets (figures, percentages, deadlines), who does what
("Sở Thông tin và Truyền thông chủ trì, phối hợp với …"), and review questions
whose answers are in the cited passages. Everything is extractive: an item's
``text`` is a sentence copied verbatim from a passage and carries that
passage's citation, so the trainer can check each line against the source.

The pipeline, one module each: :mod:`.gather` (which passages) →
:mod:`.relevance` (is it about the topic) → :mod:`.units` (paragraphs, sentences) →
:mod:`.targets` + :mod:`.figures`, :mod:`.duties` (who leads, who supports) → :mod:`.questions` →
:mod:`.build` (the :class:`Handout`) → :mod:`.export` (Markdown, DOCX, HTML).
Pure functions over :class:`~hoidap.retrieve.Hit` lists (no gradio): the web
app's trainer tab, the CLI and the tests call the same code.
"""
from hoidap.handout.build import build_handout
from hoidap.handout.export.common import file_stem, title_of
from hoidap.handout.export.docx import to_docx
from hoidap.handout.export.markdown import to_markdown
from hoidap.handout.export.slides import to_pptx
from hoidap.handout.duties import responsibility_of, table_row
from hoidap.handout.figures import target_figures
from hoidap.handout.gather import GATHER_K, gather, outline_choices, section_passages
from hoidap.handout.model import Handout, HandoutItem, PassageGroup, Source
from hoidap.handout.questions import MAX_QUESTIONS, draft_questions
from hoidap.handout.relevance import Relevance, TopicMention, topic_relevance
from hoidap.handout.units import sentences_of

__all__ = [
    "GATHER_K",
    "MAX_QUESTIONS",
    "Handout",
    "HandoutItem",
    "PassageGroup",
    "Relevance",
    "Source",
    "TopicMention",
    "build_handout",
    "draft_questions",
    "file_stem",
    "gather",
    "outline_choices",
    "responsibility_of",
    "section_passages",
    "sentences_of",
    "table_row",
    "target_figures",
    "title_of",
    "to_docx",
    "to_markdown",
    "to_pptx",
    "topic_relevance",
]
