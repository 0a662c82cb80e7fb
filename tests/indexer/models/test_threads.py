"""Thread decisions shared by the encoders: other processes' load, passage batches running."""
from __future__ import annotations

import subprocess
import sys
import time

import numpy as np


def test_other_processes_load_sees_a_busy_process_but_not_our_own_work():
    from indexer.models.threads import OtherProcessesLoad

    meter = OtherProcessesLoad()
    time.sleep(0.4)
    background = meter.busy_cores()  # whatever else this machine runs
    t_end = time.monotonic() + 0.4
    while time.monotonic() < t_end:  # a core of our own CPU time is not "others"
        sum(range(1000))
    assert meter.busy_cores() < background + 0.5
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.2)
        meter.busy_cores()  # start a window while it runs
        time.sleep(0.5)
        assert meter.busy_cores() > 0.6
    finally:
        spinner.kill()
        spinner.wait()


def test_passage_encoding_is_visible_to_the_query_encoder(embedder, monkeypatch):
    from indexer.models import threads

    seen = []
    real = type(embedder.model).encode

    def spy(model, *args, **kwargs):
        seen.append(threads.torch_batches_running())
        return real(model, *args, **kwargs)

    monkeypatch.setattr(type(embedder.model), "encode", spy)
    embedder.encode_passages(["Kế hoạch phát triển hạ tầng số."])
    embedder.encode_passages_with_spans(["Kế hoạch phát triển hạ tầng số."], [np.array([[0, 8]])])
    embedder.encode_queries(["hạ tầng số"])
    assert seen == [True, True, False] and not threads.torch_batches_running()
