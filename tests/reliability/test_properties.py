"""Property tests for what tests/indexer/text/ and test_structure.py do not
already cover (they check normalize idempotence/length, sentence spans and the
passage-splitting invariants: exact offsets, order, coverage).

Added here: query cleaning, tokenisers on arbitrary text, the loader on
arbitrary bytes, upload names, and passage splitting of loaded (not synthetic)
documents.
"""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

VIET = st.sampled_from(
    list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ áàảãạếềểễệốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵíìỉĩị")
    + list(" \n\t.,;:!?…“”\"'()-/%0123456789\x00\x1b\u200b\u0301\u0323")
    + ["Điều 5. ", "I. MỤC TIÊU\n", "a) ", "<script>", "😀", "Hoá", "TP. "]
)
VIET_TEXT = st.lists(VIET, max_size=120).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=300), VIET_TEXT)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_clean_query_never_crashes_and_is_idempotent(text):
    from hoidap.validate import MAX_QUERY_CHARS, UserInputError, clean_query

    try:
        q = clean_query(text)
    except UserInputError as exc:
        assert exc.message_vi and exc.reason in ("empty", "no_letters", "too_long")
        return
    assert q == clean_query(q)
    assert q == unicodedata.normalize("NFC", q) and q == q.strip() and "  " not in q
    assert 0 < len(q) <= MAX_QUERY_CHARS
    assert not any(unicodedata.category(ch)[0] == "C" for ch in q)
    assert clean_query(unicodedata.normalize("NFD", text)) == q


@settings(max_examples=150, deadline=None)
@given(ANY_TEXT)
def test_tokenisers_never_crash(text):
    from indexer import text as vtext

    for tokens in (vtext.folded_tokens(text), vtext.word_tokens(text)):
        assert all(t and not any(ch.isspace() for ch in t) for t in tokens)
    assert vtext.folded_tokens(text) == vtext.folded_tokens(unicodedata.normalize("NFD", text))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096), st.sampled_from(["a.txt", "a.md", "a.pdf", "a.docx", "a.html"]))
def test_loader_on_arbitrary_bytes_only_raises_load_error(data, name):
    from indexer.readers import LoadError, load_bytes

    try:
        doc = load_bytes(data, name)
    except LoadError as exc:
        assert exc.message_vi
        return
    assert doc.text.strip() and doc.text == unicodedata.normalize("NFC", doc.text)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VIET_TEXT, st.sampled_from([".txt", ".md", ".html"]))
def test_loaded_documents_split_into_exact_passages(body, suffix):
    """Loader then splitter: passages in order, offsets map back exactly, nothing but whitespace lost."""
    from indexer.readers import LoadError, load_bytes
    from indexer.structure import split_passages

    text = "KẾ HOẠCH\n" + body if suffix != ".html" else f"<html><body><p>KẾ HOẠCH</p><p>{body}</p></body></html>"
    try:
        doc = load_bytes(text.encode("utf-8"), "x" + suffix)
    except LoadError:
        return
    passages = split_passages(doc, 30, 5)
    last = 0
    for p in passages:
        assert doc.text[p.start : p.end] == p.text and p.start >= last
        assert doc.text[last : p.start].strip() == ""
        last = p.end
    assert doc.text[last:].strip() == ""


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_safe_filename_never_escapes(name):
    from pathlib import Path

    from hoidap.admin import safe_filename

    safe = safe_filename(name)
    assert safe and safe not in (".", "..") and not safe.startswith(".")
    assert "/" not in safe and "\\" not in safe and "\x00" not in safe
    assert Path(safe).name == safe and len(safe) <= 140
    assert safe_filename(safe) == safe


@pytest.mark.parametrize("n", [1, 5, 60])
def test_rate_limiter_never_allows_more_than_the_budget(n):
    from hoidap.ratelimit import RateLimited, RateLimiter

    now = [0.0]
    limiter = RateLimiter(n, clock=lambda: now[0])
    allowed = 0
    for _step in range(600):  # 10 simulated minutes, one request per second
        try:
            limiter.check("c")
            allowed += 1
        except RateLimited:
            pass
        now[0] += 1.0
    assert allowed <= n + n * 10  # burst + sustained
    assert allowed >= min(600, n * 10)
