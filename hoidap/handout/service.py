"""The one code path from a request to a handout file, shared by the trainer tab and ``hoidap handout``.

``make_handout`` gathers the passages, keeps those relevant to the topic, drafts
the handout with the configured agency (``HOIDAP_AGENCY``) and refuses, with a
Vietnamese message, when nothing relevant was found, so no empty file is written.
``write_handout`` exports it in a chosen format; ``handout_json`` is the CLI's
``--json`` contract.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Sequence

from hoidap.handout.build import build_handout
from hoidap.handout.export.common import file_stem
from hoidap.handout.export.docx import to_docx
from hoidap.handout.export.markdown import to_markdown
from hoidap.handout.export.slides import to_pptx
from hoidap.handout.gather import GATHER_K, gather
from hoidap.handout.model import Handout, HandoutItem
from hoidap.handout.relevance import Relevance, topic_relevance
from indexer.errors import HoidapError


class NoRelevantPassages(HoidapError):
    """No indexed passage is about the topic (or the chosen section is empty)."""

    def __init__(self, topic: str) -> None:
        what = f"chủ đề “{topic}”" if topic else "mục đã chọn"
        super().__init__(
            f"no relevant passages for {topic!r}",
            f"Không tìm thấy đoạn văn bản nào liên quan đến {what} trong các tài liệu đã lập chỉ mục; "
            "chưa soạn tài liệu tập huấn. Hãy thử một chủ đề khác hoặc chọn tài liệu, mục cụ thể.",
        )


def _write_markdown(handout: Handout, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_markdown(handout), encoding="utf-8")
    return path


WRITERS: dict[str, Callable[[Handout, Path], Path]] = {"docx": to_docx, "md": _write_markdown, "pptx": to_pptx}


def _everything(hit: Any) -> bool:
    return True


def default_relevance(engine: Any, topic: str) -> Relevance:
    """The relevance predicate handouts use: the stand-in until ``hoidap.judge`` plugs in here."""
    return topic_relevance(topic)


def section_title(engine: Any, doc_id: str, path: Sequence[str]) -> str:
    """"Mục II, khoản 1, Kế hoạch số 888/KH-UBND": the title of a handout on a section."""
    from indexer.citation import section_heading

    doc = engine.searcher.contents().documents.get(doc_id)
    return section_heading(doc.meta if doc else None, doc_id, tuple(path))


def make_handout(
    engine: Any,
    topic: str = "",
    doc_id: str = "",
    section: Sequence[str] = (),
    k: int = GATHER_K,
    relevant: Relevance | None = None,
) -> Handout:
    """Gather, judge relevance, draft. Raises :class:`NoRelevantPassages` when nothing is relevant."""
    topic = " ".join((topic or "").split())
    if relevant is None:  # without a topic, the chosen document or section is taken whole
        relevant = default_relevance(engine, topic) if topic else _everything
    hits = gather(engine, topic, doc_id, tuple(section), k=k, relevant=relevant)
    title = topic or section_title(engine, doc_id, section)
    handout = build_handout(title, hits, relevant=relevant, agency=engine.settings.agency)
    if not handout.groups:
        raise NoRelevantPassages(topic)
    return handout


def write_handout(handout: Handout, fmt: str, path: Path | None = None, folder: Path | None = None) -> Path:
    """Export to ``path`` (default: ``folder``/<ascii stem>.<fmt>)."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown handout format {fmt!r}")
    if path is None:
        path = Path(folder or ".") / f"{file_stem(handout.topic)}.{fmt}"
    return WRITERS[fmt](handout, Path(path))


def _item_json(it: HandoutItem) -> dict[str, Any]:
    out: dict[str, Any] = {"key": it.key, "text": it.text, "reference": it.reference, "passage_id": it.passage_id}
    extra = {
        "target": ("subject", "amount", "deadline", "deadline_note", "also"),
        "responsibility": ("agency", "role", "partners", "task", "also"),
        "question": ("qtype", "options", "answer", "evidence"),
    }.get(it.kind, ())
    out.update({name: getattr(it, name) for name in extra})
    return out


def handout_json(handout: Handout, path: Path | None = None) -> dict[str, Any]:
    """The CLI's ``--json`` output: every item with its citation and passage id."""
    return {
        "topic": handout.topic,
        "file": str(path) if path else None,
        "documents": [{"doc_id": s.doc_id, "citation": s.citation} for s in handout.sources],
        "targets": [_item_json(t) for t in handout.targets],
        "responsibilities": [_item_json(r) for r in handout.responsibilities],
        "questions": [_item_json(q) for q in handout.questions],
        "passages": [_item_json(p) for p in handout.passages()],
    }


def resolve_section(engine: Any, doc_id: str, spec: str) -> tuple[str, ...]:
    """A section typed on the command line ("Mục III", "III > 1", "III. TỔ CHỨC THỰC HIỆN") -> its heading path."""
    from hoidap.handout.gather import outline_choices
    from hoidap.validate import UserInputError
    from indexer import text as vtext
    from indexer.citation import section_label

    def norm(text: str) -> str:
        return " ".join(vtext.fold(text).lower().replace("muc ", "").split())

    wanted = norm(spec)
    paths = [tuple(v.split("\n")) for _, v in outline_choices(engine.searcher.contents().passages, doc_id)]
    exact = [p for p in paths if wanted in (norm(section_label(p)), norm("\n".join(p)))]
    prefix = [p for p in paths if norm(p[-1]).startswith(wanted)]
    if exact or prefix:
        return (exact or prefix)[0]
    known = "; ".join(section_label(p) for p in paths[:12]) or "tài liệu không có mục nào"
    raise UserInputError(f"Không tìm thấy mục “{spec}” trong tài liệu {doc_id}. Các mục có: {known}.")
