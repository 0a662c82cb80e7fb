"""Web pages (selectolax/lexbor): visible text with block structure, the headline as title."""
from __future__ import annotations

import codecs
import re
import unicodedata
from typing import Any

from indexer.readers.base import Extracted, ReadContext
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


def read_html(data: bytes, context: ReadContext | None = None) -> Extracted:
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
    return Extracted(text, title=unicodedata.normalize("NFC", title)[:300], meta=page_meta(tree))


#: <meta> names (property= or name=) stating who published a page, when, and where it lives.
_PUBLISHER_META = ("og:site_name", "application-name", "publisher", "dc.publisher", "copyright")
_DATE_META = ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
              "date", "dc.date", "dc.date.issued", "article:modified_time")
_URL_META = ("og:url",)
_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_VN_DATE_RE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def page_meta(tree: Any) -> dict[str, str]:
    """What a web page says about itself: publisher ("outlet"), publication date ("date", ISO), "url".

    Only what the page states in its <head> (Open Graph, Dublin Core, schema.org
    ``<time datetime>``, ``<link rel=canonical>``); the text's own first lines
    ("VOV.VN - ...") are read by :mod:`indexer.metadata` as before.
    """
    metas: dict[str, str] = {}
    for node in tree.css("meta"):
        key = (node.attributes.get("property") or node.attributes.get("name") or node.attributes.get("itemprop") or "")
        value = (node.attributes.get("content") or "").strip()
        if key and value:
            metas.setdefault(key.strip().lower(), value)
    out: dict[str, str] = {}
    url = next((metas[k] for k in _URL_META if k in metas), "")
    canonical = tree.css_first("link[rel=canonical]")
    if not url and canonical is not None:
        url = (canonical.attributes.get("href") or "").strip()
    if url.startswith(("http://", "https://")):
        out["url"] = url
    publisher = next((metas[k] for k in _PUBLISHER_META if k in metas), "")
    if not publisher and out.get("url"):
        host = re.sub(r"^www\.", "", out["url"].split("/")[2].split(":")[0])
        publisher = host.upper() if host.count(".") == 1 and host.endswith(".vn") else host
    if publisher:
        out["outlet"] = unicodedata.normalize("NFC", publisher)[:100]
    stamps = [metas[k] for k in _DATE_META if k in metas]
    time_node = tree.css_first("time[datetime]")
    if time_node is not None:
        stamps.append(time_node.attributes.get("datetime") or "")
    for stamp in stamps:
        date = _iso_date(stamp)
        if date:
            out["date"] = date
            break
    return out


def _iso_date(stamp: str) -> str:
    import datetime as _dt

    m = _ISO_DATE_RE.search(stamp)
    y, mo, d = (m.group(1), m.group(2), m.group(3)) if m else ("", "", "")
    if not m:
        m = _VN_DATE_RE.search(stamp)
        if not m:
            return ""
        d, mo, y = m.groups()
    try:
        return _dt.date(int(y), int(mo), int(d)).isoformat()
    except ValueError:
        return ""
