"""Web pages (selectolax/lexbor): visible text with block structure, the headline as title."""
from __future__ import annotations

import codecs
import re
import unicodedata
from typing import Any

from indexer.readers.base import Extracted
from indexer.readers.encoding import BOMS, decode_text, fix_legacy, looks_binary, tidy, utf16_without_bom
from indexer.readers.errors import LoadError
from indexer.readers.sniff import mismatch

_DROP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object", "nav"})
_PAGE_CHROME = frozenset({"header", "footer"})
_BLOCK_TAGS = frozenset(
    "p div section article main aside h1 h2 h3 h4 h5 h6 ul ol li table thead tbody tfoot tr "
    "blockquote pre figure figcaption dl dt dd address hr form fieldset details summary caption "
    "center body html title legend".split()
)
_CELL_TAGS = frozenset({"td", "th"})
_HTML_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.IGNORECASE)


def _decode_html(data: bytes) -> str:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    utf16 = utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, errors="replace")
    if looks_binary(data):
        raise LoadError("binary")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _HTML_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        try:
            codecs.lookup(name)
            return unicodedata.normalize("NFC", data.decode(name, errors="hoidap.latin1"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)[0]


def _html_text(node: Any, out: list[str], in_content: bool, in_pre: bool) -> None:
    """Append the visible text under ``node``; block boundaries become newlines, cells tabs."""
    child = node.child
    while child is not None:
        if child.is_text_node:
            text = child.text_content or ""
            out.append(text if in_pre else re.sub(r"\s+", " ", text))
        elif child.is_element_node:
            tag = child.tag
            if tag in _DROP_TAGS or (tag in _PAGE_CHROME and not in_content):
                pass
            elif tag == "br":
                out.append("\n")
            else:
                block = tag in _BLOCK_TAGS
                if tag in _CELL_TAGS:
                    out.append("\t")
                elif block:
                    out.append("\n")
                _html_text(child, out, in_content or tag in ("article", "main"), in_pre or tag == "pre")
                if block:
                    out.append("\n")
        child = child.next


def read_html(data: bytes) -> Extracted:
    """The page's text; its title is the first <h1>, else <title>."""
    found = mismatch(data, "html")
    if found:
        raise found
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(_decode_html(data))
    title = ""
    for selector in ("h1", "title"):
        node = tree.css_first(selector)
        if node is not None:
            title = re.sub(r"\s+", " ", node.text(deep=True)).strip()
            if title:
                break
    out: list[str] = []
    if tree.body is not None:
        _html_text(tree.body, out, False, False)
    lines = []
    for line in "".join(out).split("\n"):
        cells = [c.strip() for c in line.split("\t")]
        line = " | ".join(c for c in cells if c)
        if line:
            lines.append(line)
    text = tidy(fix_legacy("\n".join(lines)), collapse_spaces=True)
    return Extracted(text, title=unicodedata.normalize("NFC", title)[:300])
