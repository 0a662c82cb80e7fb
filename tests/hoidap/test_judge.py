"""The shipped evidence judge: loads, is monotone in its evidence, calibrated on its training data."""
import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from hoidap.judge import FEATURES, Evidence, JudgeModel, confidence_label, default_model

FEATURES_FILE = Path(__file__).parents[2] / "data" / "judge" / "features.jsonl"
EXAMPLES = [json.loads(line) for line in FEATURES_FILE.read_text(encoding="utf-8").splitlines()]
#: evidence a careful reader counts for an answer: more of it must never lower the probability
SUPPORTING = ("dense_passage", "dense_sentence", "coverage_passage", "coverage_sentence", "names", "addresses")


def _probabilities(model):
    return np.array([model.probability(Evidence.from_vector(e["features"])) for e in EXAMPLES]), np.array([e["label"] for e in EXAMPLES])


def test_model_file_loads_with_the_judges_features():
    model = default_model()
    assert model.features == FEATURES
    assert 0.0 < model.relevant <= model.threshold < model.high <= 1.0


@pytest.mark.parametrize("feature", SUPPORTING)
def test_more_evidence_never_lowers_the_probability(feature):
    model = default_model()
    assert model.coef[FEATURES.index(feature)] >= 0, (feature, model.coef)
    base = Evidence.from_vector(EXAMPLES[0]["features"])
    lo = model.probability(dataclasses.replace(base, **{feature: 0.0}))
    hi = model.probability(dataclasses.replace(base, **{feature: 1.0}))
    assert hi >= lo


def test_probabilities_are_calibrated_on_the_training_data():
    """Reliability bins: observed share of right answers within 0.2 of the mean prediction, rising."""
    p, y = _probabilities(default_model())
    observed = []
    for lo, hi in [(0.0, 0.2), (0.2, 0.5), (0.5, 0.8), (0.8, 1.01)]:
        inside = (p >= lo) & (p < hi)
        if inside.sum() >= 10:
            assert abs(p[inside].mean() - y[inside].mean()) <= 0.2, (lo, hi, p[inside].mean(), y[inside].mean())
            observed.append(y[inside].mean())
    assert observed == sorted(observed) and len(observed) >= 3


def test_threshold_separates_training_answers_from_non_answers():
    model = default_model()
    p, y = _probabilities(model)
    answered = p >= model.threshold
    assert answered[y == 0].mean() <= 0.12  # false answers on gold-excluded + out-of-scope questions
    assert answered[y == 1].mean() >= 0.7


def test_confidence_words():
    model = default_model()
    assert confidence_label(model.high) == "độ tin cậy: cao"
    assert confidence_label((model.threshold + model.high) / 2) == "độ tin cậy: trung bình"
    assert confidence_label(model.threshold / 2) == "độ tin cậy: thấp"


def test_a_model_file_with_other_features_is_refused(tmp_path):
    data = json.loads(Path(default_model.__wrapped__.__globals__["MODEL_PATH"]).read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    (tmp_path / "m.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError):
        JudgeModel.load(tmp_path / "m.json")


def test_a_definition_question_needs_a_sentence_that_defines_the_term():
    """"Thế nào là X?" answered by a sentence that uses X but says nothing of what it is is doubtful."""
    model = default_model()
    base = Evidence.from_vector(EXAMPLES[0]["features"])
    defined = dataclasses.replace(base, definition=1.0, addresses=1.0)
    undefined = dataclasses.replace(base, definition=1.0, addresses=0.0)
    other = dataclasses.replace(base, definition=0.0, addresses=0.0)
    assert model.probability(undefined) < 0.5 * model.probability(other)
    assert model.probability(defined) > model.probability(undefined)
