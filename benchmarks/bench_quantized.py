"""int8 ONNX encoder vs the exact one: speed, vector drift and ALQAC retrieval quality.

    .venv/bin/python benchmarks/bench_quantized.py --beir /work/shared/eval/alqac22 --index DIR

``--index`` is an index of the BEIR corpus built with the exact model (``hoidap
eval --data B --index DIR`` makes one). The exported encoder graph
(``query-encoder.onnx``) is quantised with onnxruntime's dynamic int8 weights
into a temporary model folder; both graphs then embed the same questions and
passages. Quality is ``hoidap eval``'s ranking on three configurations: exact,
int8 questions over exact passage vectors, and int8 for both (a copy of the index
with its passage vectors replaced; sentence vectors, used only by answers, stay
exact). Issue 5's bar for keeping a faster backend: within 0.5 points of MRR@10.
The questions are read at run time and never stored.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
if TYPE_CHECKING:
    from indexer.models.protocols import QueryEncoder

from _common import percentile, settings_for, table, write_result  # noqa: E402

os.environ["HOIDAP_QUERY_ENCODER"] = "model"  # run_eval must use the encoder given to it


def quantised_folder(model_folder: Path, into: Path) -> Path:
    """A model folder whose encoder graph has int8 weights (every other file linked)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from indexer.models.onnx import GRAPH_NAME

    into.mkdir(parents=True, exist_ok=True)
    for f in model_folder.iterdir():
        if f.name != GRAPH_NAME:
            (into / f.name).symlink_to(f)
    quantize_dynamic(str(model_folder / GRAPH_NAME), str(into / GRAPH_NAME), weight_type=QuantType.QInt8)
    return into


def question_ms(encoder: QueryEncoder, questions: list[str]) -> list[float]:
    encoder.encode_queries(questions[:3])  # type: ignore[attr-defined]  # session load, warm-up
    out = []
    for q in questions:
        t = time.perf_counter()
        encoder.encode_queries([q])  # type: ignore[attr-defined]
        out.append(1000 * (time.perf_counter() - t))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--beir", type=Path, required=True)
    ap.add_argument("--index", type=Path, required=True, help="an index of --beir built with the exact model")
    ap.add_argument("--timed-questions", type=int, default=200)
    args = ap.parse_args()

    from hoidap.evaluate import load_beir, run_eval
    from indexer.build import embedding_text
    from indexer.dense import DenseIndex
    from indexer.models.embedder import Embedder
    from indexer.models.onnx import OnnxQueryEncoder
    from indexer.store import load_version, write_version

    settings = settings_for(args.index)
    folder = Embedder(settings).folder
    if folder is None:
        ap.error("the configured model is not the embedded one (no exported graph)")
    contents = load_version(args.index)
    model_id = contents.manifest.model_id
    questions = [q["text"] for q in load_beir(args.beir).queries]
    texts = [embedding_text(contents.documents[p.doc_id], p) for p in contents.passages]
    exact_passages = np.asarray(contents.embeddings, dtype=np.float32)

    with tempfile.TemporaryDirectory(prefix="hoidap-int8-") as tmp:
        encoders = {
            "exact": OnnxQueryEncoder(folder, model_id=model_id),
            "int8": OnnxQueryEncoder(quantised_folder(folder, Path(tmp) / "model"), model_id=model_id),
        }
        speed, vectors = {}, {}
        for name, enc in encoders.items():
            ms = question_ms(enc, questions[: args.timed_questions])
            t = time.perf_counter()
            vectors[name] = enc.encode_passages(texts)
            speed[name] = {
                "question p50 ms": percentile(ms, 50),
                "question p95 ms": percentile(ms, 95),
                "passages/s": len(texts) / (time.perf_counter() - t),
            }
        q_exact, q_int8 = (encoders[n].encode_queries(questions) for n in ("exact", "int8"))
        drift = {
            "question cos mean": float((q_exact * q_int8).sum(1).mean()),
            "passage cos mean": float((vectors["int8"] * exact_passages).sum(1).mean()),
            "passage cos min": float((vectors["int8"] * exact_passages).sum(1).min()),
        }
        int8_index = Path(tmp) / "index-int8"
        contents.embeddings = vectors["int8"]
        contents.dense = DenseIndex.build(vectors["int8"])
        write_version(int8_index, contents)

        rows = []
        for label, encoder, index in (
            ("exact", encoders["exact"], args.index),
            ("int8 questions", encoders["int8"], args.index),
            ("int8 questions and passages", encoders["int8"], int8_index),
        ):
            row: dict = {"configuration": label}
            for mode in ("hybrid", "dense"):
                r = run_eval(args.beir, settings, mode=mode, index_dir=index, embedder=encoder)
                row[f"{mode} MRR@10"] = r["mrr@10"]
                row[f"{mode} hit@10"] = r["hit@10"]
                if mode == "hybrid":
                    row["answer in top citation"] = r["answer_in_top_citation"]
            rows.append(row)
    base = rows[0]
    for row in rows:
        for mode in ("hybrid", "dense"):
            row[f"{mode} ΔMRR points"] = round(100 * (row[f"{mode} MRR@10"] - base[f"{mode} MRR@10"]), 2)
    speed_rows = [{"encoder": n, **v} for n, v in speed.items()]
    print(table(speed_rows))
    print(table([drift]))
    print(table(rows))
    print("kept only if every ΔMRR is within -0.5 points")
    path = write_result("bench_quantized", {"speed": speed_rows, "drift": drift, "quality": rows})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
