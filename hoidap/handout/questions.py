"""Review questions of several kinds, each settled by a verbatim phrase of the cited passage.

Kinds, taken in turn so a short list covers the material: fill in a figure
blanked out of a target, multiple choice on the agency that leads a task (the
other options are agencies the same documents name), true/false on a target
(false ones swap in a figure of the same kind found elsewhere in the documents),
fill in a deadline, multiple choice on a figure. No two questions test the same
fact (the same target or task) or share an answer, so a plan's horizon year
cannot make three questions with the answer "2025". Blanked text is cut only at
clause boundaries, so no fragment starts mid-word or mid-name.
"""
from __future__ import annotations

import hashlib
import re
from typing import Callable, Iterator

from hoidap.handout.duties import COORD_RE, LEAD_RE
from hoidap.handout.figures import DEADLINE_VALUE, PERCENT
from hoidap.handout.model import Handout, HandoutItem, shorten
from hoidap.handout.units import ENUM
from indexer import text as vtext

MAX_QUESTIONS = 8
MAX_CLOZE_CHARS = 260
MIN_DISTRACTORS = 2
MAX_OPTIONS = 4
BLANK = "……"

Candidate = tuple[str, HandoutItem, dict]  # (answer, source item, question fields)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fit(text: str, at: int, limit: int = MAX_CLOZE_CHARS) -> str:
    """``text`` cut to about ``limit`` characters around offset ``at``, only at ", " or "; " boundaries."""
    if len(text) <= limit:
        return text
    bounds = [0] + [m.end() for m in re.finditer(r"[,;]\s+", text)] + [len(text)]
    lo = max(b for b in bounds if b <= at)
    hi = min(b for b in bounds if b > at)
    while True:
        lower = [b for b in bounds if b < lo]
        upper = [b for b in bounds if b > hi]
        grew = False
        if upper and upper[0] - lo <= limit:
            hi, grew = upper[0], True
        if lower and hi - lower[-1] <= limit:
            lo, grew = lower[-1], True
        if not grew:
            break
    cut = text[lo:hi].strip(" ,;")
    return ("… " if lo else "") + cut + (" …" if hi < len(text) else "")


def cloze(sentence: str, answer: str) -> str:
    """The sentence with its first ``answer`` blanked, cut at clause boundaries if long."""
    body = ENUM.sub("", sentence, count=1).strip()
    i = body.find(answer)
    blanked = body[:i] + BLANK + body[i + len(answer) :]
    return _capital(" ".join(_fit(blanked, i).split()))


def question_about_agency(sentence: str, agency: str) -> str | None:
    """"Sở X: Chủ trì, phối hợp … triển khai Kế hoạch" -> "Cơ quan nào chủ trì, phối hợp … triển khai Kế hoạch?"."""
    body = ENUM.sub("", sentence).strip()
    i = body.find(agency)
    if i < 0:
        return None
    rest = body[i + len(agency) :].lstrip(" :,")
    rest = re.sub(r"^(?:có trách nhiệm|chịu trách nhiệm)\s+", "", rest)
    if not LEAD_RE.match(rest) and not COORD_RE.match(rest):
        return None
    rest = rest.rstrip(" .;")
    if len(rest) > MAX_CLOZE_CHARS:
        rest = shorten(rest, MAX_CLOZE_CHARS)
    return f"Cơ quan nào {rest[:1].lower()}{rest[1:]}?"


def _shuffled(options: list[str], salt: str) -> list[str]:
    """A stable order (the same handout gives the same quiz), not the answer first."""
    return sorted(options, key=lambda o: hashlib.sha1(f"{salt}|{o}".encode()).hexdigest())


_TECH = re.compile(r"(?<!\w)\d+G(?!\w)")
_RANK = re.compile(r"(?<=top )\d+", re.IGNORECASE)


def values_in(text: str) -> list[tuple[str, str, int, int]]:
    """(value, kind, start, end) a question can ask about: percentages, network generations, ranks, deadlines."""
    found = [(m.group(0).strip(), "percent", m.start(), m.start() + len(m.group(0).strip())) for m in PERCENT.finditer(text)]
    found += [(m.group(0), "tech", m.start(), m.end()) for m in _TECH.finditer(text)]
    found += [(m.group(0), "rank", m.start(), m.end()) for m in _RANK.finditer(text)]
    found += [
        (m.group(1), "year" if re.fullmatch(r"\d{4}", m.group(1)) else "date", m.start(1), m.end(1))
        for m in DEADLINE_VALUE.finditer(text)
    ]
    return found


def _distractors(answer: str, pool: list[str]) -> list[str]:
    """Other values of the same kind from the documents, each different from the answer."""
    seen = {vtext.fold(answer).lower()}
    out = []
    for value in pool:
        key = vtext.fold(value).lower()
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out[: MAX_OPTIONS - 1]


def _first(t: HandoutItem, kinds: tuple[str, ...]) -> tuple[str, str, int, int] | None:
    return next((v for v in values_in(t.text) if v[1] in kinds), None)


def _figure_fill(handout: Handout) -> Iterator[Candidate]:
    for t in handout.targets:
        v = _first(t, ("percent", "rank", "tech"))
        if v:
            yield v[0], t, {"qtype": "fill", "text": f"Điền vào chỗ trống: “{cloze(t.text, v[0])}”"}


def _deadline_fill(handout: Handout) -> Iterator[Candidate]:
    for t in handout.targets:
        m = DEADLINE_VALUE.search(t.text)
        if m:
            text = f"Điền vào chỗ trống (thời hạn): “{cloze(t.text, m.group(1))}”"
            yield m.group(1), t, {"qtype": "fill", "text": text}


def _lead_choice(handout: Handout) -> Iterator[Candidate]:
    agencies = list(dict.fromkeys(r.agency for r in handout.responsibilities if r.agency))
    for r in handout.responsibilities:
        if r.role != "chủ trì" or not r.agency:
            continue
        q = question_about_agency(r.text, r.agency)
        if q is None and r.task:
            q = f"Cơ quan nào chủ trì nhiệm vụ “{shorten(r.task, 160)}”?"
        if q is None:
            continue
        others = _distractors(r.agency, agencies)
        fields: dict = {"qtype": "fill", "text": q}
        if len(others) >= MIN_DISTRACTORS:
            fields = {"qtype": "choice", "text": q, "options": _shuffled([r.agency, *others], q)}
        yield r.agency, r, fields


def _pool(handout: Handout, kind: str) -> list[str]:
    """Every value of one kind the handout's documents state (the distractors come from here)."""
    values = [v for t in handout.targets for v, k, _, _ in values_in(t.text) if k == kind]
    values += [v for t in handout.targets for f in t.figures for v, k, _, _ in values_in(f) if k == kind]
    return list(dict.fromkeys(values))


def _figure_choice(handout: Handout) -> Iterator[Candidate]:
    for t in handout.targets:
        for value, kind, _, _ in values_in(t.text):
            others = _distractors(value, _pool(handout, kind))
            if len(others) >= MIN_DISTRACTORS:
                text = f"Chọn đáp án đúng cho chỗ trống: “{cloze(t.text, value)}”"
                yield value, t, {"qtype": "choice", "text": text, "options": _shuffled([value, *others], text)}
                break


def _true_false(handout: Handout) -> Iterator[Candidate]:
    for n, t in enumerate(handout.targets):
        body = ENUM.sub("", t.text, count=1).strip()
        found = values_in(body)
        if not found:
            continue
        value, kind, start, end = found[0]
        others = _distractors(value, _pool(handout, kind))
        statement, verdict = body, "Đúng"
        if others and n % 2 == 0:  # alternate: a swapped value is false, the verbatim clause is true
            statement, verdict = body[:start] + others[0] + body[end:], "Sai"
        text = f"Đúng hay sai: “{_capital(_fit(statement, start))}”"
        yield value, t, {"qtype": "truefalse", "text": text, "verdict": verdict}


def draft_questions(handout: Handout, limit: int = MAX_QUESTIONS) -> list[HandoutItem]:
    """Questions in turn from each kind; a fact or an answer already asked about is skipped."""
    makers: list[Callable[[Handout], Iterator[Candidate]]] = [
        _figure_fill, _lead_choice, _true_false, _deadline_fill, _figure_choice,
    ]
    pools = [list(make(handout)) for make in makers]
    out: list[HandoutItem] = []
    facts: set[str] = set()
    answers: set[str] = set()
    while len(out) < limit and any(pools):
        for pool in pools:
            while pool and len(out) < limit:
                answer, src, fields = pool.pop(0)
                # a true/false question is about its statement; the others must not share an answer
                key = f"tf|{src.key}" if fields["qtype"] == "truefalse" else vtext.fold(answer).lower()
                if src.key in facts or key in answers:
                    continue
                facts.add(src.key)
                answers.add(key)
                verdict = fields.pop("verdict", "")
                out.append(
                    HandoutItem(
                        key=f"q{len(out) + 1}",
                        kind="question",
                        answer=verdict or answer,
                        evidence=answer,
                        fact=src.key,
                        reference=src.reference,
                        doc_id=src.doc_id,
                        section=src.section,
                        passage_id=src.passage_id,
                        **fields,
                    )
                )
                break
    return out
