"""Index builds on a Dask cluster started here on loopback: a scheduler and 2 workers via the `dask` CLI.

The cluster build must equal a single-process build of the same folder (same
passages in the same order, same word tokens, vectors with cosine >= 0.9999,
same ``hoidap eval`` metrics on data/judge), embed only changed files the second
time, survive a worker killed mid-build, and leave the live index alone until
the swap. A local build must not import Dask at all.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import numpy as np
import pytest

from indexer.build import index_paths
from indexer.store import load_version
from tests.conftest import REPO_ROOT, TEST_CACHE_DIR
from tests.support.dask_cluster import LoopbackCluster

FIXTURES = REPO_ROOT / "tests" / "fixtures"
JUDGE = REPO_ROOT / "data" / "judge"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, embedded_model_path):
    """A scheduler and 2 one-thread workers (processes), with the tests' model cache (no download)."""
    with LoopbackCluster(tmp_path_factory.mktemp("dask"), TEST_CACHE_DIR, workers=2) as running:
        yield running


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The shipped corpus, the text fixtures and an empty file (refused by the loader, on a worker too)."""
    root = tmp_path_factory.mktemp("cluster-docs")
    for path in [*sorted((REPO_ROOT / "corpus").iterdir()), *sorted(FIXTURES.glob("*.txt"))]:
        shutil.copy(path, root)
    (root / "trong.txt").write_text("  \n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def local_build(folder, base_settings, embedder, tmp_path_factory):
    settings = base_settings.with_(index_dir=tmp_path_factory.mktemp("local") / "index")
    report = index_paths([folder], settings, embedder=embedder)
    return report, load_version(settings.index_dir)


@pytest.fixture(scope="module")
def cluster_index(tmp_path_factory):
    return tmp_path_factory.mktemp("on-cluster") / "index"


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a, b = np.asarray(a, np.float32), np.asarray(b, np.float32)
    return np.sum(a * b, axis=1) / np.maximum(np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1), 1e-12)


def _same_index(a, b) -> None:
    assert [(p.doc_id, p.start, p.end, p.section_path) for p in a.passages] == [
        (p.doc_id, p.start, p.end, p.section_path) for p in b.passages
    ]
    assert [p.text for p in a.passages] == [p.text for p in b.passages]
    assert a.word_tokens == b.word_tokens
    assert sorted(a.documents) == sorted(b.documents)
    assert _cosines(a.embeddings, b.embeddings).min() >= 0.9999
    sa, sb = a.sentences, b.sentences
    assert np.array_equal(sa.offsets, sb.offsets) and np.array_equal(sa.spans, sb.spans)
    assert _cosines(sa.vectors, sb.vectors).min() >= 0.9999


@pytest.mark.slow
def test_cluster_build_equals_a_local_build(cluster, folder, local_build, base_settings, embedder, cluster_index):
    address = cluster.address
    settings = base_settings.with_(index_dir=cluster_index, cluster=address)
    report = index_paths([folder], settings, embedder=embedder)
    local_report, local = local_build

    non_empty = [p.name for p in sorted(folder.glob("*.txt")) if p.name != "trong.txt"]
    assert report.added == local_report.added == non_empty  # every readable file, in name order
    assert [(s, e.reason) for s, e in report.errors] == [("trong.txt", "empty")]
    assert [(s, e.reason) for s, e in local_report.errors] == [("trong.txt", "empty")]
    assert report.embedded_passages == local_report.embedded_passages == len(local.passages)
    assert report.stage_seconds["cluster"] > 0 and "merge" in report.stage_seconds
    _same_index(load_version(cluster_index), local)

    # incremental: only the changed file is sent and embedded
    plan = folder / "plan_ke_hoach_mau.txt"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n5. Sở Nội vụ: Phối hợp kiểm tra việc thực hiện.\n",
                    encoding="utf-8")
    again = index_paths([folder], settings, embedder=embedder)
    contents = load_version(cluster_index)
    assert again.changed == ["plan_ke_hoach_mau.txt"] and again.unchanged == [n for n in non_empty if n != plan.name]
    assert again.embedded_passages == sum(1 for p in contents.passages if p.doc_id == "plan_ke_hoach_mau")
    assert any("Sở Nội vụ" in p.text for p in contents.passages)


@pytest.mark.slow
def test_eval_metrics_are_the_same_on_the_cluster(cluster, base_settings, embedder):
    from hoidap.evaluate import run_eval

    address = cluster.address
    # retrieval metrics only: answers read the sentence vectors compared in the test above, and asking
    # every question twice more would double this test
    local = run_eval(JUDGE, base_settings, embedder=embedder, with_answers=False)
    remote = run_eval(JUDGE, base_settings.with_(cluster=address), embedder=embedder, with_answers=False)
    timings = ("seconds", "index_seconds", "query_ms")
    assert {k: v for k, v in remote.items() if k not in timings} == {k: v for k, v in local.items() if k not in timings}
    assert local["n"] > 100


@pytest.mark.slow
def test_a_worker_killed_mid_build_does_not_stop_it(cluster, folder, base_settings, embedder, cluster_index):
    """Runs last (it leaves one worker): its batches go to the other; the live version stays until the swap."""
    address, admin, pids = cluster.address, cluster.client, cluster.pids
    live = (cluster_index / "CURRENT").read_text()
    killed: list[str] = []

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "cluster" and done >= 1 and not killed:
            busy = [w for w, keys in admin.processing().items() if keys]
            assert busy, "no worker is processing a batch"
            os.kill(pids[busy[0]], signal.SIGKILL)
            killed.append(busy[0])
        if stage == "cluster":  # nothing published before the swap
            assert (cluster_index / "CURRENT").read_text() == live

    settings = base_settings.with_(index_dir=cluster_index, cluster=address, cluster_batch=1)
    report = index_paths([folder], settings, embedder=embedder, rebuild=True, progress=progress)
    assert killed and report.embedded_passages == report.passages
    assert (cluster_index / "CURRENT").read_text() != live
    contents = load_version(cluster_index)
    assert len(admin.nthreads()) == 1
    assert sorted(report.added) == sorted(p.name for p in folder.iterdir() if p.name != "trong.txt")
    assert [p.text for p in contents.passages] and all(
        contents.documents[p.doc_id].text[p.start : p.end] == p.text for p in contents.passages
    )


def test_a_local_build_does_not_import_dask(tmp_path, embedded_model_path):
    """Without a cluster nothing changes: Dask is not even imported (a fresh process, the shipped corpus)."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from indexer.build import index_paths\n"
        "from indexer.config import Settings\n"
        f"s = Settings(cache_dir=Path({str(TEST_CACHE_DIR)!r}), index_dir=Path({str(tmp_path / 'index')!r}))\n"
        f"r = index_paths([Path({str(REPO_ROOT / 'corpus')!r})], s)\n"
        "assert r.passages > 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "HOIDAP_CLUSTER": ""}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_an_unreachable_scheduler_is_a_vietnamese_error(tmp_path, monkeypatch, folder, base_settings, embedder):
    from indexer import distributed
    from indexer.distributed import ClusterError

    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT", 2)
    settings = base_settings.with_(index_dir=tmp_path / "index", cluster="tcp://127.0.0.1:1")
    with pytest.raises(ClusterError) as caught:
        index_paths([folder], settings, embedder=embedder)
    assert "Không kết nối được" in caught.value.message_vi and "tcp://127.0.0.1:1" in caught.value.message_vi
    assert not (tmp_path / "index" / "CURRENT").exists()
