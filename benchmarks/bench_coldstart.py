"""Cold start: process start -> first cited answer, with an existing index (floor <= 10 s).

    .venv/bin/python benchmarks/bench_coldstart.py --beir /work/shared/eval/alqac22 [--index DIR] [--runs 3]

Without ``--index`` a synthetic 10k-passage index is built first (as in
bench_query.py). Each run is a fresh interpreter that records, from its own
start: imports (hoidap.engine), model load (the query encoder the app uses:
the ONNX graph for the embedded model), index load
(``Searcher.contents()``) and the first ``Engine.ask``. Process start is measured
by the parent (time from spawn to the child's first line of Python is "interpreter").
The first run may pay a cold page cache; medians are reported.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, median, table, write_result  # noqa: E402
from bench_query import add_index_options, index_or_synthetic  # noqa: E402

FLOOR_S = 10.0
QUESTION = "Người lao động được nghỉ phép năm bao nhiêu ngày?"

CHILD = r"""
import sys, time, json
t_py = time.time()
sys.path.insert(0, {root!r})
t0 = time.perf_counter()
from hoidap.engine import Engine
from indexer.config import Settings
from pathlib import Path
t_imports = time.perf_counter() - t0
settings = Settings.from_env(index_dir=Path({index!r}))
engine = Engine(settings)
t0 = time.perf_counter()
engine.searcher.embedder.encode_query("khởi động")
t_model = time.perf_counter() - t0
t0 = time.perf_counter()
engine.searcher.contents()
t_index = time.perf_counter() - t0
t0 = time.perf_counter()
answer = engine.ask({question!r})
t_first = time.perf_counter() - t0
print(json.dumps({{"t_python_start": t_py, "imports_s": t_imports, "model_load_s": t_model,
                  "index_load_s": t_index, "first_ask_s": t_first, "found": answer.found}}))
"""


def one_run(index_dir: Path, question: str) -> dict:
    code = CHILD.format(root=str(ROOT), index=str(index_dir), question=question)
    t_spawn = time.time()
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ), cwd=ROOT)
    total = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(proc.stderr[-3000:])
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    r["interpreter_s"] = r.pop("t_python_start") - t_spawn
    r["total_s"] = total  # includes interpreter exit
    r["to_first_answer_s"] = r["interpreter_s"] + r["imports_s"] + r["model_load_s"] + r["index_load_s"] + r["first_ask_s"]
    return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_index_options(ap)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default="bench_coldstart")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="hoidap-bench-cold-") as tmp:
        index_dir = index_or_synthetic(args, ap, Path(tmp), seed=1)
        from indexer.store import read_manifest

        n = read_manifest(index_dir).n_passages
        runs = [one_run(index_dir, QUESTION) for _ in range(args.runs)]
    stages = ["interpreter_s", "imports_s", "model_load_s", "index_load_s", "first_ask_s", "to_first_answer_s"]
    rows = [{"run": i + 1, **{s: r[s] for s in stages}} for i, r in enumerate(runs)]
    rows.append({"run": "median", **{s: round(median([r[s] for r in runs]), 3) for s in stages}})
    print(f"index: {n} passages ({index_dir if args.index else 'synthetic'})")
    print(table(rows, ["run"] + stages))
    med = rows[-1]["to_first_answer_s"]
    print(f"floor <= {FLOOR_S} s: {'met' if med <= FLOOR_S else 'MISSED'} (median {med:.2f} s)")
    path = write_result(args.out, {"passages": n, "runs": runs, "median": rows[-1], "floor_s": FLOOR_S, "floor_met": med <= FLOOR_S})
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
