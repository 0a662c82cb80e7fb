"""The handout as HTML for the trainer tab's preview (every document string escaped).

A view of the web app, so it lives here: the handout package itself never imports the web layer.
"""
from __future__ import annotations

from hoidap.handout.export.common import PARTS, answer_text, duty_text, group_heading, intro, question_lines, target_details, title_of
from hoidap.handout.model import Handout, HandoutItem
from hoidap.web.render import esc


def handout_html(handout: Handout) -> str:
    """Preview for the trainer tab; every document string escaped."""
    def cite(item: HandoutItem) -> str:
        refs = "; ".join(item.references())
        return f'<div class="hd-cite"><span class="hd-cite-label">Nguồn: </span><span class="hd-reference">{esc(refs)}</span></div>'

    def target(t: HandoutItem) -> str:
        subject = f"<strong>{esc(t.subject)}:</strong> " if t.subject else ""
        details = target_details(t)
        more = f'<div class="hd-note">{esc(details)}</div>' if details else ""
        return f"<li>{subject}{esc(t.text)}{more}{cite(t)}</li>"

    def question(q: HandoutItem) -> str:
        first, *options = question_lines(q)
        opts = "".join(f"<div>{esc(o)}</div>" for o in options)
        return f"<li>{esc(first)}{opts}<div>Đáp án: <strong>{esc(answer_text(q))}</strong></div>{cite(q)}</li>"

    out = [f'<div class="hd-handout"><h2>{esc(title_of(handout))}</h2><p class="hd-note">{esc(intro(handout))}</p>']
    out.append(f"<h3>{PARTS['targets'][0]}</h3><ul>")
    out += [target(t) for t in handout.targets] or [f"<li>{PARTS['targets'][1]}</li>"]
    out.append(f"</ul><h3>{PARTS['responsibilities'][0]}</h3><ul>")
    for r in handout.responsibilities:
        partners = f"; phối hợp với: {esc(r.partners)}" if r.partners else ""
        out.append(f"<li><strong>{esc(r.agency)}</strong> ({esc(r.role)}{partners}): {esc(duty_text(r))}{cite(r)}</li>")
    if not handout.responsibilities:
        out.append(f"<li>{PARTS['responsibilities'][1]}</li>")
    out.append(f"</ul><h3>{PARTS['questions'][0]}</h3><ol>")
    for q in handout.questions:
        out.append(question(q))
    if not handout.questions:
        out.append(f"<li>{PARTS['questions'][1]}</li>")
    out.append(f"</ol><h3>{PARTS['passages'][0]}</h3>")
    current = None
    for g in handout.groups:
        if g.doc_id != current:
            current = g.doc_id
            head = group_heading(g)
            out.append(f'<h4 class="hd-doc-group">{esc(head)}</h4>')
        if g.section:
            out.append(f'<div class="hd-section">{esc(g.section)}</div>')
        for it in g.items:
            out.append(f'<div class="hd-card"><div class="hd-excerpt">{esc(it.text)}</div>{cite(it)}</div>')
    out.append("</div>")
    return "".join(out)
