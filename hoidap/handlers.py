"""Pure, testable pieces of the web app: HTML rendering, highlighting, follow-ups, feedback.

Nothing here imports gradio, so every rule the UI relies on is unit-tested
without a browser. The one safety rule: **every** string that comes from a
document, a file name or a user goes through :func:`esc` before it becomes
HTML. Markup is only ever produced by this module's own f-strings, so a
document containing ``<script>`` or ``<img onerror=…>`` shows them as text.

Rendered HTML never contains a blank line: inside the chat, Gradio's Markdown
renderer treats a block that starts with ``<div`` as raw HTML until the first
blank line, so keeping it on "one block" stops Markdown from re-interpreting
document text (``*``, ``_``, ``1.``) and keeps escaped entities literal.
"""
from __future__ import annotations

import html
import json
import logging
import re
import threading
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from indexer import text as vtext
from indexer.types import DocumentMeta

log = logging.getLogger(__name__)

#: Shown instead of a stack trace when something unexpected fails.
GENERIC_ERROR_VI = "Đã xảy ra lỗi khi xử lý yêu cầu. Vui lòng thử lại; nếu lỗi lặp lại, hãy báo cho quản trị viên."
NO_HITS_VI = "Không tìm thấy đoạn văn bản phù hợp. Hãy thử từ khóa khác hoặc bỏ bớt bộ lọc."
COPY_LABEL_VI = "Sao chép trích dẫn"


# --------------------------------------------------------------------------- escaping
def esc(value: object) -> str:
    """HTML-escape anything (quotes too) and turn newlines into ``<br>``.

    Why ``<br>``: a blank line inside chat HTML would end the raw-HTML block
    and let Markdown reinterpret the rest (see module docstring).
    """
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return html.escape(text, quote=True).replace("\n", "<br>")


def _merge(spans: Iterable[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    """Clamp to [0, n], drop empty spans, merge overlapping/touching ones, sorted."""
    clean = sorted((max(0, int(a)), min(n, int(b))) for a, b in spans)
    out: list[tuple[int, int]] = []
    for a, b in clean:
        if b <= a:
            continue
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def mark_spans(text: str, spans: Iterable[tuple[int, int]], tag: str = "mark") -> str:
    """Escape ``text`` and wrap the character ``spans`` in ``<mark>`` (safe for any input)."""
    merged = _merge(spans, len(text))
    parts: list[str] = []
    pos = 0
    for a, b in merged:
        parts.append(esc(text[pos:a]))
        parts.append(f"<{tag}>{esc(text[a:b])}</{tag}>")
        pos = b
    parts.append(esc(text[pos:]))
    return "".join(parts)


# ------------------------------------------------------------------ matched-term spans
def _fold_chars(text: str) -> str:
    """Fold diacritics character by character, so offsets stay those of ``text``."""
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch.lower())
            continue
        f = vtext.fold(ch)
        out.append(f[0] if f else ch)
    return "".join(out)


def _term_pattern(term: str) -> re.Pattern[str] | None:
    """Regex for a lexical token's surface form: "hạ_tầng" -> r"hạ\\s+tầng" between word edges."""
    pieces = [p for p in term.replace("_", " ").split() if p]
    if not pieces:
        return None
    body = r"\s+".join(re.escape(p) for p in pieces)
    return re.compile(r"(?<!\w)" + body + r"(?!\w)")


def term_spans(text: str, terms: Sequence[str], accent_insensitive: bool | None = None) -> list[tuple[int, int]]:
    """Character spans of the surface forms of ``terms`` in ``text``.

    ``terms`` are index tokens (``Hit.matched_terms``: lowercase, syllables joined
    by "_"). A term with diacritics matches its exact spelling (case-insensitive,
    tone placement normalised: "hóa" finds "Hoá"); a term without diacritics, or
    every term when ``accent_insensitive`` is True (unaccented query), matches
    diacritic-insensitively ("ha_tang" finds "hạ tầng").
    """
    if not text or not terms:
        return []
    exact = vtext.normalize(unicodedata.normalize("NFC", text)).lower()
    if len(exact) != len(text):  # never expected (normalize keeps NFC length); be safe
        exact = text.lower()
    folded = _fold_chars(text)
    spans: list[tuple[int, int]] = []
    for term in sorted(set(terms), key=len, reverse=True):
        term = vtext.normalize(unicodedata.normalize("NFC", term)).lower()
        insensitive = accent_insensitive or not vtext.has_diacritics(term)
        haystack = folded if insensitive else exact
        pat = _term_pattern(vtext.fold(term) if insensitive else term)
        if pat is None:
            continue
        spans.extend(m.span() for m in pat.finditer(haystack))
    return _join_adjacent(_merge(spans, len(text)), text)


def _join_adjacent(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """One mark for "kiểm tra hiển thị" rather than four: join spans separated only by spaces."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and text[out[-1][1] : a].strip(" \t") == "" and "\n" not in text[out[-1][1] : a]:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


# ------------------------------------------------------------------------- citations
def doc_heading(meta: DocumentMeta | None, fallback_title: str) -> tuple[str, str]:
    """(label, title) for a card head: ("Kế hoạch số 225/KH-UBND", "Phát triển hạ tầng số …")."""
    if meta is None:
        return "", fallback_title
    label = ""
    if meta.number:
        label = f"{meta.doc_type} số {meta.number}".strip() if meta.doc_type else f"Số {meta.number}"
    elif meta.doc_type == "Bài báo" and meta.outlet:
        label = f"Bài báo {meta.outlet}"
    title = meta.title or fallback_title
    return label, title


def format_date_vi(iso: str) -> str:
    """"2023-09-15" -> "15/9/2023" (unchanged when not an ISO date)."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    if not m:
        return iso or ""
    y, mo, d = m.groups()
    return f"{int(d)}/{int(mo)}/{y}"


def _copy_button() -> str:
    # The chat's sanitiser strips data-* attributes, so the script in webapp.HEAD
    # copies the text of the card's .hd-reference element instead.
    return f'<button type="button" class="hd-copy" title="{COPY_LABEL_VI}">{COPY_LABEL_VI}</button>'


def render_card(
    *,
    anchor: str,
    number: int | None,
    label: str,
    title: str,
    section: str,
    excerpt_html: str,
    reference: str,
    page: int | None = None,
) -> str:
    """One citation card. ``excerpt_html`` must already be escaped (see :func:`mark_spans`)."""
    num = f'<span class="hd-num">[{number}]</span> ' if number is not None else ""
    head_label = f'<strong class="hd-doc">{esc(label)}</strong> ' if label else ""
    head_title = f'<span class="hd-title">{esc(title)}</span>' if title else ""
    where = section or ""
    if page:
        where = f"{where} · trang {page}" if where else f"trang {page}"
    section_html = f'<div class="hd-section">{esc(where)}</div>' if where else ""
    return (
        f'<div class="hd-card" id="{esc(anchor)}" tabindex="-1">'
        f'<div class="hd-card-head">{num}{head_label}{head_title}</div>'
        f"{section_html}"
        f'<div class="hd-excerpt">{excerpt_html}</div>'
        f'<div class="hd-cite"><span class="hd-cite-label">Trích dẫn: </span>'
        f'<span class="hd-reference">{esc(reference)}</span> {_copy_button()}</div>'
        f"</div>"
    )


_MARKER = re.compile(r"\[(\d{1,3})\]")


def render_answer_text(answer_text: str, anchor_prefix: str, valid: set[int]) -> str:
    """Escape the answer and turn its "[n]" markers into links to the cards ``#<prefix>-<n>``."""
    parts: list[str] = []
    pos = 0
    for m in _MARKER.finditer(answer_text):
        n = int(m.group(1))
        if n not in valid:
            continue
        parts.append(esc(answer_text[pos : m.start()]))
        parts.append(
            f'<a class="hd-ref" href="#{esc(anchor_prefix)}-{n}" '
            f'aria-label="Xem trích dẫn {n}" title="Xem trích dẫn {n}">[{n}]</a>'
        )
        pos = m.end()
    parts.append(esc(answer_text[pos:]))
    return "".join(parts)


def render_answer_html(
    answer: "object",
    anchor_prefix: str = "cite",
    metas: Mapping[str, DocumentMeta] | None = None,
    note: str = "",
) -> str:
    """An :class:`~hoidap.answer.Answer` as chat HTML: linked sentences, then the cited cards.

    When nothing was found, the message is followed by the nearest passages
    (``Answer.related``) so the user still has somewhere to look.
    """
    from hoidap.answer import document_reference

    metas = metas or {}
    out = ['<div class="hd-answer">']
    if note:
        out.append(f'<div class="hd-note">{esc(note)}</div>')
    citations = list(getattr(answer, "citations", []) or [])
    if getattr(answer, "found", False) and citations:
        valid = {c.n for c in citations}
        out.append(f'<p class="hd-answer-text">{render_answer_text(answer.answer, anchor_prefix, valid)}</p>')
        out.append('<div class="hd-cards" aria-label="Trích dẫn">')
        for c in citations:
            label, title = doc_heading(metas.get(c.doc_id), c.title)
            out.append(
                render_card(
                    anchor=f"{anchor_prefix}-{c.n}",
                    number=c.n,
                    label=label,
                    title=title,
                    section=c.section,
                    excerpt_html=mark_spans(c.excerpt, c.highlights),
                    reference=c.reference,
                    page=c.page,
                )
            )
        out.append("</div>")
    else:
        out.append(f'<p class="hd-answer-text hd-notfound">{esc(getattr(answer, "answer", ""))}</p>')
        related = list(getattr(answer, "related", []) or [])
        if related:
            out.append('<div class="hd-related-head">Các đoạn gần nhất:</div><div class="hd-cards">')
            for i, hit in enumerate(related, 1):
                label, title = doc_heading(hit.document.meta, hit.title)
                out.append(
                    render_card(
                        anchor=f"{anchor_prefix}-r{i}",
                        number=None,
                        label=label,
                        title=title,
                        section=hit.passage.section,
                        excerpt_html=esc(_shorten(hit.passage.text)),
                        reference=document_reference(hit),
                        page=hit.passage.page,
                    )
                )
            out.append("</div>")
    out.append("</div>")
    return "".join(out)


def _shorten(text: str, limit: int = 700) -> str:
    """Cut long passages at a word boundary (related passages are pointers, not answers)."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit] + " …"


def render_message_html(message: str, kind: str = "info") -> str:
    """A short escaped notice (errors, empty states) in the same visual language."""
    return f'<div class="hd-msg hd-{esc(kind)}" role="status">{esc(message)}</div>'


# ----------------------------------------------------------------------------- search
def render_hits_html(hits: Sequence["object"], query: str, metas: Mapping[str, DocumentMeta] | None = None) -> str:
    """Search results as cards with the matched terms highlighted and a copyable citation."""
    from hoidap.answer import document_reference

    if not hits:
        return render_message_html(NO_HITS_VI)
    metas = metas or {}
    insensitive = not vtext.has_diacritics(query)
    out = [f'<div class="hd-results"><div class="hd-count">{len(hits)} kết quả cho “{esc(query)}”</div>']
    for i, hit in enumerate(hits, 1):
        meta = metas.get(hit.passage.doc_id, hit.document.meta)
        label, title = doc_heading(meta, hit.title)
        text = hit.passage.text
        spans = term_spans(text, list(hit.matched_terms or []), accent_insensitive=insensitive)
        out.append(
            render_card(
                anchor=f"hit-{i}",
                number=i,
                label=label,
                title=title,
                section=hit.passage.section,
                excerpt_html=mark_spans(text, spans),
                reference=document_reference(hit),
                page=hit.passage.page,
            )
        )
    out.append("</div>")
    return "".join(out)


def render_documents_html(rows: Sequence[tuple["object", int]]) -> str:
    """The indexed documents as an escaped, horizontally scrollable table."""
    if not rows:
        return render_message_html("Chưa có tài liệu nào được lập chỉ mục.")
    head = ["Tài liệu", "Loại", "Số hiệu", "Ngày ban hành", "Cơ quan ban hành", "Số đoạn", "Tệp"]
    out = ['<div class="hd-table-wrap"><table class="hd-table"><thead><tr>']
    out += [f'<th scope="col">{h}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    for doc, n in rows:
        m = doc.meta
        issuer = m.issuer or m.outlet
        cells = [m.title or doc.doc_id, m.doc_type, m.number, format_date_vi(m.date), issuer, str(n), doc.source]
        out.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


# --------------------------------------------------------------------------- follow-ups
_FOLLOW_PREFIX = re.compile(r"^\s*(?:(?:thế|vậy|the|vay)\s+)?(?:còn|con)(?:\s+|$)", re.IGNORECASE)
_FOLLOW_SUFFIX = re.compile(
    r"\s*(?:thì|thi)\s+(?:sao|thế\s+nào|the\s+nao|như\s+thế\s+nào|nhu\s+the\s+nao|ra\s+sao)\s*(?:ạ|a|nhỉ|nhi)?\s*[?？.!]*\s*$",
    re.IGNORECASE,
)
_TRAILING_Q = re.compile(r"\s*[?？.!]+\s*$")
#: Follow-ups are short; a long sentence starting with "còn" is a question of its own.
MAX_FOLLOWUP_WORDS = 8
#: Where a question's topic ends: "Mục tiêu về <topic> đến năm 2025 là gì?".
_TOPIC_END = re.compile(
    r"\s+(?:đến năm|đến|trong|tại|của|giai đoạn|là gì|là|như thế nào|thế nào|ra sao|gồm|bao nhiêu|"
    r"khi nào|được|có|thì|nhằm|den nam|la gi|nhu the nao|the nao|bao nhieu)(?!\w)|\s*[?？]",
    re.IGNORECASE,
)
_QUESTION_WORDS = re.compile(
    r"(?<!\w)(?:bao nhiêu|bao giờ|khi nào|ở đâu|là gì|gì|nào|(?-i:ai)|tại sao|vì sao|như thế nào|mấy|"
    r"bao nhieu|khi nao|o dau|la gi|nhu the nao)(?!\w)",
    re.IGNORECASE,
)
_TOPIC_START = re.compile(r"(?<!\w)(?:về|ve)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Rewrite:
    """A follow-up made standalone: what was typed, what is searched."""

    typed: str
    question: str
    rewritten: bool
    subject: str = ""


def followup_subject(question: str) -> str | None:
    """The new subject of a follow-up ("còn mạng 5G thì sao?" -> "mạng 5G"), or None if it is not one."""
    q = " ".join(question.split())
    if not q or len(q.split()) > MAX_FOLLOWUP_WORDS + 3:
        return None
    has_prefix = bool(_FOLLOW_PREFIX.match(q))
    has_suffix = bool(_FOLLOW_SUFFIX.search(q))
    if not (has_prefix or has_suffix):
        return None
    subject = _FOLLOW_SUFFIX.sub("", q)
    subject = _FOLLOW_PREFIX.sub("", subject)
    subject = _TRAILING_Q.sub("", subject).strip(" ,;:")
    if not subject or len(subject.split()) > MAX_FOLLOWUP_WORDS:
        return None
    if _QUESTION_WORDS.search(subject):  # "còn bao nhiêu xã chưa có sóng?" asks its own question
        return None
    return subject


def _replace_topic(previous: str, subject: str) -> str:
    """Put ``subject`` where the previous question's topic was."""
    prev = previous.strip()
    subj_words = subject.split()
    prev_fold = _fold_chars(prev)
    # 1. same head word: "mạng 4G" -> "mạng 5G", "hạ tầng viễn thông" -> "hạ tầng dữ liệu"
    head = _term_pattern(vtext.fold(subj_words[0]))
    if head is not None and len(subj_words) > 1:
        m = head.search(prev_fold)
        if m:
            start = m.start()
            words = list(re.finditer(r"[^\s?？.!,;:]+", prev[start:]))
            take = min(len(subj_words), len(words))
            end = start + words[take - 1].end()
            # a topic that runs to a marker ("Sở Thông tin và Truyền thông | có trách nhiệm")
            # is replaced whole when the marker is near
            marker = _TOPIC_END.search(prev, start + 1)
            if marker and marker.start() > end:
                n_words = len(re.findall(r"\S+", prev[start : marker.start()]))
                if n_words <= len(subj_words) + 3:
                    end = marker.start()
            # keep the previous (accented) spelling of words typed without accents
            old_words = prev[start:end].split()
            subject = " ".join(
                o if i < len(old_words) and vtext.fold(o) == vtext.fold(w) else w
                for i, (w, o) in enumerate(zip(subj_words, old_words + [""] * len(subj_words)))
            )
            return prev[:start] + subject + prev[end:]
    # 2. "… về <topic> <end marker> …"
    m = _TOPIC_START.search(prev)
    if m:
        end = _TOPIC_END.search(prev, m.end())
        stop = end.start() if end else len(_TRAILING_Q.sub("", prev))
        if stop > m.end():
            return prev[: m.end()] + subject + prev[stop:]
    # 3. fall back: keep the previous question, name the new subject
    return f"{_TRAILING_Q.sub('', prev)}, đối với {subject}?"


def rewrite_followup(question: str, previous_questions: Sequence[str]) -> Rewrite:
    """Make "còn mạng 5G thì sao?" standalone using the previous (standalone) question.

    Rule (kept simple on purpose, so users can predict it): a short question that
    starts with "còn"/"thế còn"/"vậy còn" or ends with "thì sao"/"thì thế nào" is
    a follow-up; its subject replaces the topic of the previous question (the
    phrase starting with the same head word, else the phrase after "về"), or is
    appended to it. Anything else, or no previous question, is left unchanged.
    """
    typed = " ".join(question.split())
    prev = next((p for p in reversed(previous_questions) if p and p.strip()), "")
    subject = followup_subject(typed)
    if not prev or subject is None:
        return Rewrite(typed, typed, False)
    standalone = _replace_topic(prev, subject)
    if not standalone.rstrip().endswith(("?", "？")):
        standalone = standalone.rstrip() + "?"
    return Rewrite(typed, standalone, standalone != typed, subject)


# ----------------------------------------------------------------------------- feedback
_feedback_lock = threading.Lock()


def feedback_record(question: str, answer: "object | Mapping", vote: str, asked_as: str = "") -> dict:
    """The JSONL row for a thumbs up/down: enough to reproduce and judge the answer later."""
    if isinstance(answer, Mapping):
        text = str(answer.get("answer", ""))
        citations = list(answer.get("citations", []))
        found = bool(answer.get("found", False))
    else:
        text = getattr(answer, "answer", "")
        citations = [c.to_json() for c in getattr(answer, "citations", [])]
        found = bool(getattr(answer, "found", False))
    return {
        "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "vote": vote,
        "question": question,
        "asked_as": asked_as or question,
        "found": found,
        "answer": text,
        "citations": [
            {k: c.get(k) for k in ("n", "doc_id", "section", "reference", "excerpt") if k in c} for c in citations
        ],
    }


def save_feedback(path: Path, record: Mapping) -> Path:
    """Append one JSON line (UTF-8, one writer at a time); creates the folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(dict(record), ensure_ascii=False)
    with _feedback_lock, open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
    return path


def vote_of(liked: object) -> str:
    """Gradio's LikeData.liked (True/False or an option string) -> "up"/"down"/other."""
    if liked is True or (isinstance(liked, str) and liked.lower() in ("like", "up", "true")):
        return "up"
    if liked is False or (isinstance(liked, str) and liked.lower() in ("dislike", "down", "false")):
        return "down"
    return str(liked)
