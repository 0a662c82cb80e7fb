"""The handout as Markdown (every item followed by its citation; document text escaped)."""
from __future__ import annotations

import re

from hoidap.handout.export.common import (
    PARTS,
    answer_text,
    bullet_free,
    clean_xml,
    duty_text,
    group_heading,
    intro,
    question_lines,
    target_details,
    title_of,
)
from hoidap.handout.model import Handout, HandoutItem

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|])")


def _md(text: str) -> str:
    """Markdown-safe text: markup characters escaped, raw HTML neutralised."""
    text = clean_xml(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def _refs(item: HandoutItem) -> str:
    return "; ".join(item.references())


def _md_quote(text: str) -> str:
    return "\n".join("> " + _md(line) if line.strip() else ">" for line in text.splitlines())


def to_markdown(handout: Handout) -> str:
    """The handout as Markdown; every item followed by its citation."""
    lines = [f"# {_md(title_of(handout))}", "", f"_{_md(intro(handout))}_", ""]
    lines += [f"## {PARTS['targets'][0]}", ""]
    if handout.targets:
        for t in handout.targets:
            lines.append(f"- {_md(bullet_free(t.text))}  ")
            about = "; ".join(x for x in (f"Lĩnh vực: {t.subject}" if t.subject else "", target_details(t)) if x)
            if about:
                lines.append(f"  {_md(about)}.  ")
            lines.append(f"  *Nguồn: {_md(_refs(t))}*")
    else:
        lines.append(f"_{PARTS['targets'][1]}_")
    lines += ["", f"## {PARTS['responsibilities'][0]}", ""]
    if handout.responsibilities:
        for r in handout.responsibilities:
            partners = f"; phối hợp với: {_md(r.partners)}" if r.partners else ""
            lines.append(f"- **{_md(r.agency)}** ({_md(r.role)}{partners}): {_md(duty_text(r))}  ")
            lines.append(f"  *Nguồn: {_md(_refs(r))}*")
    else:
        lines.append(f"_{PARTS['responsibilities'][1]}_")
    lines += ["", f"## {PARTS['questions'][0]}", ""]
    if handout.questions:
        for i, q in enumerate(handout.questions, 1):
            first, *options = question_lines(q)
            lines.append(f"{i}. {_md(first)}  ")
            lines += [f"   {_md(o)}  " for o in options]
            lines.append(f"   Đáp án: **{_md(answer_text(q))}** — *Nguồn: {_md(q.reference)}*")
    else:
        lines.append(f"_{PARTS['questions'][1]}_")
    lines += ["", f"## {PARTS['passages'][0]}", ""]
    current_doc = None
    for g in handout.groups:
        if g.doc_id != current_doc:
            current_doc = g.doc_id
            head = group_heading(g)
            lines += [f"### {_md(head)}", ""]
        if g.section:  # a text without parts gets no "part" heading
            lines += [f"#### {_md(g.section)}", ""]
        for it in g.items:
            lines.append(_md_quote(it.text))
            lines.append(">")
            lines.append(f"> *Nguồn: {_md(it.reference)}*")
            lines.append("")
    lines += [f"## {PARTS['sources'][0]}", ""]
    lines += [f"{i}. {_md(s.citation)}" for i, s in enumerate(handout.sources, 1)]
    return "\n".join(lines).rstrip() + "\n"
