"""Follow-up questions made standalone: "còn mạng 5G thì sao?" after a question about 4G.

Query understanding, not presentation: the chat (web or any other front end) keeps
the previous standalone questions and asks the engine the rewritten one, showing
the user how it was understood.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from hoidap.highlight import term_pattern
from hoidap.query import QUESTION_WORD_RE
from indexer import text as vtext

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
    if QUESTION_WORD_RE.search(subject):  # "còn bao nhiêu xã chưa có sóng?" asks its own question
        return None
    return subject


def _replace_topic(previous: str, subject: str) -> str:
    """Put ``subject`` where the previous question's topic was."""
    prev = previous.strip()
    subj_words = subject.split()
    prev_fold = vtext.fold_chars(prev)
    # 1. same head word: "mạng 4G" -> "mạng 5G", "hạ tầng viễn thông" -> "hạ tầng dữ liệu"
    head = term_pattern(vtext.fold(subj_words[0]))
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
