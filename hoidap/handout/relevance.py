"""Is a passage about the handout's topic? The pluggable predicate and its conservative stand-in.

A search always returns its ``k`` best hits, relevant or not ("bảo hiểm y tế"
over a corpus on digital infrastructure returned its targets). Gathering and
drafting therefore take a predicate ``relevant(hit) -> bool``; the calibrated
relevance judgement (``hoidap.judge``) plugs in there when it lands.

Until then :class:`TopicMention` stands in, on purpose conservative (it would
rather leave a relevant paragraph out than put an unrelated one in): the
topic's words must occur in order, close together, in the paragraph itself,
one of its section headings, or the document's title. "hạ tầng số" matches
"hạ tầng công nghệ số" (gap of two syllables) but not "hạ tầng viễn thông …
chuyển đổi số". Accents count when the topic is typed with them ("số" is not
"sở"); a topic typed without accents is compared folded. A document whose title
names the topic (a plan "Phát triển hạ tầng số …") is relevant as a whole.
"""
from __future__ import annotations

import re
from typing import Any, Protocol, Sequence

from indexer import text as vtext

#: Extra syllables allowed between the topic's words ("hạ tầng [công nghệ] số").
MAX_GAP = 2
#: Function words a topic may contain that the text need not repeat.
_FUNCTION_WORDS = frozenset(
    "của và về các những trong cho với là được theo tại để từ đến một này đó thì mà hoặc như".split()
)

class Relevance(Protocol):
    """What ``gather`` and ``build_handout`` need: a yes/no on one hit (a passage or a paragraph)."""

    def __call__(self, hit: Any) -> bool: ...


def _words(text: str, folded: bool) -> list[str]:
    text = vtext.fold(text) if folded else text
    return [w.lower() for w in vtext.syllables(text)]


def mentions(text: str, topic_words: Sequence[str], folded: bool) -> bool:
    """True when ``topic_words`` occur in ``text`` in order with at most MAX_GAP syllables between them."""
    if not topic_words:
        return False
    words = _words(text, folded)
    n = len(topic_words)
    for i, w in enumerate(words):
        if w != topic_words[0]:
            continue
        j, pos = 1, i
        while j < n:
            window = words[pos + 1 : pos + 2 + MAX_GAP]
            if topic_words[j] not in window:
                break
            pos = pos + 1 + window.index(topic_words[j])
            j += 1
        if j == n:
            return True
    return False


class TopicMention:
    """Stand-in relevance: the topic's words, in order and close together, in the hit's scope."""

    def __init__(self, topic: str) -> None:
        self.topic = re.sub(r"<[^>]*>", " ", topic).strip()  # a topic pasted with markup
        self.folded = not vtext.has_diacritics(self.topic)
        words = _words(self.topic, self.folded)
        content = [w for w in words if w not in _FUNCTION_WORDS]
        self.words = content or words

    def __call__(self, hit: Any) -> bool:
        scopes = [hit.document.meta.title, *hit.passage.section_path, hit.passage.text]
        return any(mentions(s, self.words, self.folded) for s in scopes if s)


def topic_relevance(topic: str) -> Relevance:
    """The predicate used when the caller plugs in none (see the module docstring)."""
    return TopicMention(topic)
