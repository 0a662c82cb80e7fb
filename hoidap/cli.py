"""Command line: ``hoidap index | search | ask | handout | eval | serve | model``.

A stable contract (later features and checks parse ``--json`` output). User-facing
errors are printed in Vietnamese on stderr with a non-zero exit; logs are English.
"""
from __future__ import annotations

import argparse
import errno
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from hoidap.progress import TerminalProgress
from indexer.config import Settings
from indexer.errors import HoidapError
from indexer.store import IndexLoadError

if TYPE_CHECKING:
    from hoidap.web.settings import WebSettings
    from indexer.build import BuildReport

log = logging.getLogger("hoidap")

NO_RELEVANT_VI = "Không có đoạn nào liên quan đến nội dung tìm kiếm trong các tài liệu đã lập chỉ mục."
NEAREST_VI = "Các đoạn gần nhất (có thể không liên quan)"

EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_INDEX = 4
EXIT_IO = 5


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", dest="index_dir", type=Path, help="index directory (HOIDAP_INDEX, default .hoidap/index)")
    p.add_argument("--model", help="sentence-transformers model name or path (HOIDAP_MODEL; default: embedded e5)")
    p.add_argument("--cache-dir", type=Path, help="model cache directory (HOIDAP_CACHE_DIR)")
    p.add_argument("-v", "--verbose", action="store_true", help="log progress details (English)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hoidap", description="Hỏi đáp: tra cứu và hỏi đáp có trích dẫn trên văn bản.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="build or update the index of documents")
    p.add_argument("paths", nargs="*", type=Path, help="files or folders (default: the corpus folder)")
    p.add_argument("--rebuild", action="store_true", help="ignore the existing index and rebuild everything")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--cluster", help="Dask scheduler that does the work, e.g. tcp://10.0.0.5:8786 (HOIDAP_CLUSTER)")
    _common(p)

    p = sub.add_parser("search", help="search cited passages")
    p.add_argument("query")
    p.add_argument("--k", type=int, default=None, help="number of passages (HOIDAP_TOP_K, default 5)")
    p.add_argument("--mode", choices=["hybrid", "dense", "lexical"], default="hybrid")
    p.add_argument("--doc", action="append", default=[], help="only this document id (repeatable)")
    p.add_argument("--current", action="store_true", help="only documents still in force (chỉ văn bản còn hiệu lực)")
    p.add_argument("--json", action="store_true")
    _common(p)

    p = sub.add_parser("ask", help="answer a question with cited excerpts")
    p.add_argument("question")
    p.add_argument("--k", type=int, default=None, help="passages to consider for citations (default 5)")
    p.add_argument("--mode", choices=["hybrid", "dense", "lexical"], default="hybrid")
    p.add_argument("--current", action="store_true", help="only documents still in force (chỉ văn bản còn hiệu lực)")
    p.add_argument("--json", action="store_true")
    _common(p)

    p = sub.add_parser("handout", help="draft a trainer handout (DOCX, Markdown or slides) on a topic")
    p.add_argument("topic", help='topic, e.g. "hạ tầng số" ("" with --doc for a whole document or section)')
    p.add_argument("--doc", default="", help="only this document id")
    p.add_argument("--section", default="", help='only this section of --doc, e.g. "Mục III" or "III > 1"')
    p.add_argument("--format", choices=["docx", "md", "pptx"], default="docx")
    p.add_argument("--out", type=Path, help="output file (default: ./tai-lieu-tap-huan-<topic>.<format>)")
    p.add_argument("--json", action="store_true", help="print the drafted items with their citations as JSON")
    _common(p)

    p = sub.add_parser("eval", help="measure retrieval and answers on a BEIR-layout data set")
    p.add_argument("--data", type=Path, required=True, help="folder with corpus.jsonl, queries.jsonl, qrels.tsv")
    p.add_argument("--mode", choices=["hybrid", "dense", "lexical"], default="hybrid")
    p.add_argument("--k", type=int, default=10, help="cut-off for recall/MRR/nDCG (default 10)")
    p.add_argument("--limit", type=int, default=None, help="only the first N queries")
    p.add_argument("--no-answers", action="store_true", help="skip the answer_in_top_citation measure (faster)")
    p.add_argument(
        "--unaccented", action="store_true", help="ask the questions with their diacritics removed (as often typed)"
    )
    p.add_argument(
        "--answerability",
        action="store_true",
        help="ask every question twice, over everything and with its gold documents excluded "
        "(false answers, AUROC, risk-coverage; docs/answerability.md)",
    )
    p.add_argument("--json", action="store_true")
    p.add_argument("--cluster", help="build the set's index on this Dask scheduler (HOIDAP_CLUSTER)")
    _common(p)

    p = sub.add_parser("model", help="build (or check) the embedded default model in the cache")
    _common(p)

    p = sub.add_parser("serve", help="start the web app (builds the index first when there is none)")
    p.add_argument("--host", help="bind address (HOIDAP_HOST, default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (HOIDAP_PORT, default 7860)")
    p.add_argument(
        "--expose",
        action="store_true",
        default=None,
        help="allow a non-loopback --host such as 0.0.0.0 (HOIDAP_EXPOSE=1); off by default",
    )
    p.add_argument(
        "--trusted-proxies",
        help="reverse proxies whose X-Forwarded-For names the client, e.g. 127.0.0.1 (HOIDAP_TRUSTED_PROXIES; default none)",
    )
    _common(p)
    return parser


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Index/query settings: defaults < HOIDAP_* env vars < these flags."""
    return Settings.from_env(
        index_dir=getattr(args, "index_dir", None),
        model=getattr(args, "model", None),
        cache_dir=getattr(args, "cache_dir", None),
        top_k=getattr(args, "k", None),
        cluster=getattr(args, "cluster", None),
    )


def web_settings_from_args(args: argparse.Namespace) -> "WebSettings":
    """Web server settings (``serve``): defaults < HOIDAP_* env vars < these flags."""
    from hoidap.web.settings import WebSettings

    return WebSettings.from_env(
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        expose=getattr(args, "expose", None),
        trusted_proxies=getattr(args, "trusted_proxies", None),
    )


def file_outcomes(report: "BuildReport") -> list[dict[str, object]]:
    """One entry per file: "added"/"changed"/"unchanged"/"duplicate"/"error", with what it gave or why not."""
    rows: list[dict[str, object]] = []
    for outcome, sources in (("added", report.added), ("changed", report.changed), ("unchanged", report.unchanged)):
        rows += [{"source": s, "outcome": outcome, **report.files.get(s, {})} for s in sources]
    rows += [{"source": s, "outcome": "duplicate", "same_as": o} for s, o in report.duplicates]
    rows += [{"source": s, "outcome": "error", "reason": e.reason, "message": e.message_vi} for s, e in report.errors]
    return sorted(rows, key=lambda r: str(r["source"]))



def cmd_index(args: argparse.Namespace) -> int:
    from hoidap.engine import Engine

    engine = Engine(settings_from_args(args))
    with TerminalProgress() as progress:
        report = engine.index(args.paths or None, progress=progress, rebuild=args.rebuild)
    summary = {
        "documents": report.documents,
        "passages": report.passages,
        "added": report.added,
        "changed": report.changed,
        "removed": report.removed,
        "unchanged": len(report.unchanged),
        "duplicates": [{"source": s, "same_as": o} for s, o in report.duplicates],
        "errors": [{"source": s, "reason": e.reason, "message": e.message_vi} for s, e in report.errors],
        "embedded_passages": report.embedded_passages,
        "seconds": round(report.seconds, 2),
        "stage_seconds": {k: round(v, 3) for k, v in report.stage_seconds.items()},
        "index": str(report.index_path),
        "files": file_outcomes(report),
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(
            f"Đã lập chỉ mục {report.documents} tài liệu, {report.passages} đoạn trong {report.seconds:.1f} giây "
            f"(mới {len(report.added)}, thay đổi {len(report.changed)}, xóa {len(report.removed)}, "
            f"giữ nguyên {len(report.unchanged)}; mã hóa {report.embedded_passages} đoạn)."
        )
        for source, other in report.duplicates:
            print(f"  Bỏ qua {source}: trùng nội dung với {other}.")
        for source, err in report.errors:
            print(f"  Lỗi {source}: {err.message_vi}", file=sys.stderr)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from hoidap.engine import Engine
    from hoidap.retrieve import SearchFilter

    query = _check_query(args.query)
    engine = Engine(settings_from_args(args))
    filters = SearchFilter(doc_ids=tuple(args.doc), current_only=args.current)
    hits = engine.search(query, k=args.k, mode=args.mode, filters=filters)
    hits = sorted(hits, key=lambda h: not h.relevant)  # relevant first, each group in rank order
    if args.json:
        out = [{**h.to_json(), "relevant": h.relevant} for h in hits]
        print(json.dumps({"query": args.query, "hits": out}, ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("Không tìm thấy đoạn văn bản phù hợp.")
    relevant = [h for h in hits if h.relevant]
    nearest = [h for h in hits if not h.relevant]
    if hits and not relevant:
        print(NO_RELEVANT_VI)
    for i, h in enumerate(relevant + nearest, 1):
        if h is (nearest[0] if nearest else None):
            print(NEAREST_VI + ":")
        where = f"{h.title}" + (f" — {h.passage.section}" if h.passage.section else "")
        print(f"[{i}] {where}  (điểm {h.score:.3f}; {h.document.source})")
        if h.relation.get("notice"):
            print(f"    ⚠ {h.relation['notice']}")
        print("    " + h.passage.text.replace("\n", "\n    "))
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from hoidap.engine import Engine
    from hoidap.retrieve import SearchFilter

    question = _check_query(args.question)
    engine = Engine(settings_from_args(args))
    filters = SearchFilter(current_only=True) if args.current else None
    answer = engine.ask(question, k=args.k, mode=args.mode, filters=filters)
    if args.json:
        out = answer.to_json()
        out["question"] = args.question
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(answer.answer)
    if answer.found:
        print(f"({answer.confidence_label})")
    for c in answer.citations:
        print(f"\n[{c.n}] {c.reference}")
        if c.relation.get("notice"):
            print(f"    ⚠ {c.relation['notice']}")
        print("    " + c.excerpt.replace("\n", "\n    "))
    if not answer.found and answer.related:
        print("\nCó thể liên quan:")
        for i, h in enumerate(answer.related, 1):
            print(f"  - {h.title}" + (f" — {h.passage.section}" if h.passage.section else ""))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from hoidap.evaluate import run_eval

    if not (args.data / "corpus.jsonl").exists():
        raise FileNotFoundError(str(args.data / "corpus.jsonl"))
    settings = settings_from_args(args)
    if args.answerability:
        from hoidap.answerability import run_answerability

        with TerminalProgress() as progress:
            result = run_answerability(
                args.data, settings, mode=args.mode, index_dir=args.index_dir, limit_queries=args.limit,
                progress=progress,
            )
        return _print_result(result, args.json)
    with TerminalProgress() as progress:
        result = run_eval(
            args.data,
            settings,
            mode=args.mode,
            k=args.k,
            index_dir=args.index_dir,
            with_answers=not args.no_answers,
            limit_queries=args.limit,
            progress=progress,
            unaccented=args.unaccented,
        )
    return _print_result(result, args.json)


def _print_result(result: dict, as_json: bool) -> int:
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        width = max(len(k) for k in result)
        for key, value in result.items():
            print(f"{key:<{width}}  {value}")
    return 0


def cmd_model(args: argparse.Namespace) -> int:
    from indexer.models.embedder import Embedder

    embedder = Embedder(settings_from_args(args))
    vec = embedder.encode_queries(["kiểm tra mô hình"])
    print(f"Mô hình sẵn sàng: {embedder.model_id} ({vec.shape[1]} chiều).")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from hoidap.web.settings import check_bind, trusted_proxies

    web = web_settings_from_args(args)
    check_bind(web)  # before importing gradio: a refused address or proxy list fails fast
    trusted_proxies(web)
    from hoidap.web.serve import serve

    serve(settings_from_args(args), web)
    return 0


def cmd_handout(args: argparse.Namespace) -> int:
    """Thin layer over :mod:`hoidap.handout.service`, the code path the trainer tab uses too."""
    from hoidap.engine import Engine
    from hoidap.handout.service import NoRelevantPassages, handout_json, make_handout, resolve_section, write_handout
    from hoidap.validate import UserInputError

    topic = _check_query(args.topic) if args.topic.strip() else ""
    if not topic and not args.doc:
        raise UserInputError("Hãy nhập chủ đề hoặc chọn một tài liệu (--doc) để soạn tài liệu tập huấn.")
    engine = Engine(settings_from_args(args))
    if args.doc and args.doc not in engine.searcher.contents().documents:
        raise UserInputError(f"Không có tài liệu “{args.doc}” trong chỉ mục (xem: hoidap search … --json).")
    section = resolve_section(engine, args.doc, args.section) if (args.doc and args.section) else ()
    try:
        handout = make_handout(engine, topic, args.doc, section)
    except NoRelevantPassages as exc:
        if args.json:
            print(json.dumps({"topic": topic, "file": None, "error": "no_relevant_passages", "message": exc.message_vi},
                             ensure_ascii=False, indent=2))
        print(exc.message_vi, file=sys.stderr)
        return EXIT_INPUT
    path = write_handout(handout, args.format, args.out)
    if args.json:
        print(json.dumps(handout_json(handout, path), ensure_ascii=False, indent=2))
    else:
        print(f"Đã soạn từ {len(handout.passages())} đoạn của {handout.documents} văn bản: {len(handout.targets)} "
              f"chỉ tiêu, {len(handout.responsibilities)} nội dung phân công, {len(handout.questions)} câu hỏi → {path}")
    return 0


def _check_query(query: str) -> str:
    from hoidap.validate import clean_query

    return clean_query(query)


COMMANDS = {
    "index": cmd_index,
    "search": cmd_search,
    "ask": cmd_ask,
    "eval": cmd_eval,
    "handout": cmd_handout,
    "model": cmd_model,
    "serve": cmd_serve,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if getattr(args, "verbose", False) else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return COMMANDS[args.command](args)
    except HoidapError as exc:
        log.debug("user-facing error", exc_info=True)
        index = isinstance(exc, IndexLoadError)
        print(f"{'Lỗi chỉ mục' if index else 'Lỗi'}: {exc.message_vi}", file=sys.stderr)
        return EXIT_INDEX if index else EXIT_INPUT
    except FileNotFoundError as exc:
        print(f"Lỗi: không tìm thấy tệp hoặc thư mục ({exc.filename or exc}).", file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:  # disk full, permissions, read-only disk: the previous index stays live
        log.debug("os error", exc_info=True)
        if exc.errno == errno.ENOSPC:
            what = "hết dung lượng đĩa"
        elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            what = "không có quyền ghi"
        else:
            what = exc.strerror or str(exc)
        print(
            f"Lỗi: không ghi/đọc được tệp ({what}: {exc.filename or ''}). "
            "Chỉ mục trước đó (nếu có) vẫn được giữ nguyên; hãy khắc phục rồi chạy lại lệnh.",
            file=sys.stderr,
        )
        return EXIT_IO
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
