"""Does the evidence answer the question? One calibrated probability, absolute, not relative.

Min-max scaling or a passage's rank among the candidates cannot tell the best
passage of a four-passage corpus from an answer. The judge looks at what a
careful reader checks, each on an absolute scale:

- ``dense_passage``, ``dense_sentence``: cosine of question and best passage /
  best sentence (e5 cosines: ~0.78 unrelated Vietnamese, ~0.90 a paraphrase);
- ``coverage_passage``, ``coverage_sentence``: idf-weighted share of the
  question's content syllables present (accents as typed, abbreviations either way);
- ``names``: share of the question's names and figures ("Đỗ Hữu Quyết", "2025") in the passage;
- ``addresses``: the best sentence holds what the question asks for (:mod:`hoidap.question_form`);
- ``agree``: the best document by dense similarity is also the best by BM25;
- ``margin``: cosine lead of the best document over the next other document;
- ``unknown``: share of the question's weight in words the corpus never uses
  (an off-topic question names things the corpus never mentions);
- ``crosslingual``: a question in another language (its similarities run lower);
- ``definition``: the question asks what a term is ("X là gì?"), see :func:`gate`.

A small logistic model (coefficients in ``judge_model.json``, refitted by
``scripts/fit_judge.py`` on ``data/judge``, never on the dev set) turns them
into ``P(the answer is right)``. The same probability, on one hit, says whether a
search hit is relevant.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Collection, Sequence

from hoidap.query import QueryAnalysis
from hoidap.retrieve import Hit

MODEL_PATH = Path(__file__).with_name("judge_model.json")

@dataclass(frozen=True)
class Evidence:
    """The judge's features for one (question, passage, best sentence)."""

    dense_passage: float
    dense_sentence: float
    coverage_passage: float
    coverage_sentence: float
    names: float
    addresses: float
    agree: float
    margin: float
    unknown: float
    crosslingual: float
    phrases: float = 1.0
    rarest_missing: float = 0.0
    definition: float = 0.0

    @classmethod
    def from_vector(cls, values: Sequence[float]) -> "Evidence":
        """Back from :meth:`vector`."""
        return cls(*values)

    def vector(self) -> list[float]:
        """The features in :data:`FEATURES` order, derived ones last."""
        return [float(v) for v in asdict(self).values()]


FEATURES: tuple[str, ...] = tuple(Evidence.__dataclass_fields__)


def agreement(hits: Sequence[Hit], family: Collection[str] = frozenset()) -> float:
    """1.0 if the best document by dense cosine is also the best by BM25 among the hits,
    or both are versions of one document (``family``, see :func:`dense_margin`)."""
    if not hits:
        return 0.0
    by_dense = max(hits, key=lambda h: h.dense_score).passage.doc_id
    by_lexical = max(hits, key=lambda h: h.lexical_score).passage.doc_id
    return 1.0 if by_dense == by_lexical or (by_dense in family and by_lexical in family) else 0.0


def dense_margin(hits: Sequence[Hit], best: Hit, family: Collection[str] = frozenset()) -> float:
    """Cosine lead of ``best``'s document over the best passage of any other document.

    ``family``: ``best``'s document and its other versions (replacing, replaced, newer,
    older): two successive plans share most sentences, and the runner-up being the other
    plan makes neither doubtful (the tie-break and the notice say which one is current).
    """
    others = [h.dense_score for h in hits if h.passage.doc_id != best.passage.doc_id and h.passage.doc_id not in family]
    return best.dense_score - max(others) if others else 0.05


def is_crosslingual(q: QueryAnalysis, unknown: float) -> float:
    return 1.0 if not q.accented and unknown >= 0.75 else 0.0


def evidence_for(
    q: QueryAnalysis,
    hits: Sequence[Hit],
    best: int,
    sentence_dense: float,
    sentence_coverage: float,
    addresses: float,
    passage_coverage: float,
    unknown: float,
    phrases: float = 1.0,
    rarest_missing: float = 0.0,
    versions: frozenset[str] = frozenset(),
    names: float = 1.0,
    definition: bool = False,
) -> Evidence:
    """The features of ``hits[best]`` answering ``q`` through its best sentence; ``names``:
    the share of the question's names its passage writes (:mod:`hoidap.names`);
    ``definition``: the question asks what a term is (:mod:`hoidap.question_form`)."""
    hit = hits[best]
    family = versions | {hit.passage.doc_id}
    return Evidence(
        dense_passage=hit.dense_score,
        dense_sentence=sentence_dense,
        coverage_passage=passage_coverage,
        coverage_sentence=sentence_coverage,
        names=names,
        addresses=addresses,
        agree=agreement(hits, family),
        margin=dense_margin(hits, hit, family),
        unknown=unknown,
        crosslingual=is_crosslingual(q, unknown),
        phrases=phrases,
        rarest_missing=rarest_missing,
        definition=1.0 if definition else 0.0,
    )


# ------------------------------------------------------------------ model
#: Share of its probability a definition question keeps when its sentence defines nothing.
UNDEFINED_SHARE = 0.3


def gate(values: Sequence[float]) -> float:
    """What any answer needs, whatever else agrees: the share of the question's names the
    passage has, times the share of the question's weight in words the corpus uses; for a
    definition question, a sentence defining the term (else :data:`UNDEFINED_SHARE`).

    A passage about another entity ("Tỉnh Nghệ An …" against a Thanh Hóa plan) never
    answers, however many other words it shares (training examples naming an absent
    entity: all wrong). A question about things the corpus never mentions ("thời tiết",
    "lương") is off-topic however close its other words come; as a logistic feature the
    unknown share was dropped (coverage already counts those words as missing, so its
    fitted sign turned), as a gate it answers 40/40 Plan 225 training questions right
    instead of 38/40, training AUROC .881 -> .876.

    "Thế nào là điện toán đám mây?" over a plan that uses the term but never defines it was
    answered at 0.70 with its cloud targets: the sentences share every word of the question.
    As a logistic feature "defines nothing" got a weight near 0 (few such training
    examples); as a factor the false answer is refused (0.22) at a small cost on the dev set
    (AUROC .891 -> .888, answered_correct at a false-answer rate of .2: .783 -> .781).
    """
    share = values[FEATURES.index("names")] * (1.0 - values[FEATURES.index("unknown")])
    undefined = values[FEATURES.index("definition")] * (1.0 - values[FEATURES.index("addresses")])
    return share * (1.0 - (1.0 - UNDEFINED_SHARE) * undefined)


@dataclass(frozen=True)
class JudgeModel:
    """Standardised logistic regression over :data:`FEATURES`, with its decision thresholds."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    #: answer only at or above this probability
    threshold: float
    #: "độ tin cậy: cao" at or above this probability
    high: float
    #: a search hit is relevant at or above this probability
    relevant: float

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "JudgeModel":
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path}: features {data['features']} differ from {FEATURES}; refit it")
        return cls(
            features=tuple(data["features"]),
            mean=tuple(data["mean"]),
            scale=tuple(data["scale"]),
            coef=tuple(data["coef"]),
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
            high=float(data["high"]),
            relevant=float(data["relevant"]),
        )

    def probability(self, evidence: Evidence) -> float:
        """σ(w·x) times :func:`gate`."""
        values = evidence.vector()
        z = self.intercept + sum(c * (x - m) / s for c, x, m, s in zip(self.coef, values, self.mean, self.scale))
        return gate(values) / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def answers(self, probability: float) -> bool:
        return probability >= self.threshold

    def label(self, probability: float) -> str:
        """The UI's words for a probability: "độ tin cậy: cao / trung bình" (or "thấp": not answered)."""
        if probability >= self.high:
            return "độ tin cậy: cao"
        if probability >= self.threshold:
            return "độ tin cậy: trung bình"
        return "độ tin cậy: thấp"


@cache
def default_model() -> JudgeModel:
    """The shipped model (loaded once per process)."""
    return JudgeModel.load()


def confidence_label(probability: float, model: JudgeModel | None = None) -> str:
    """"độ tin cậy: cao" / "độ tin cậy: trung bình" / "độ tin cậy: thấp" for a judge probability."""
    return (model or default_model()).label(probability)
