"""``hoidap serve`` / ``python app.py``: index if needed, warm up, launch on host:port."""
from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path
from typing import Any

import gradio as gr

from hoidap.engine import Engine
from hoidap.progress import TerminalProgress
from hoidap.web.blocks import build_app
from hoidap.web.layout import CSS, HEAD, make_theme
from hoidap.web.api import health_routes
from hoidap.web.settings import WebSettings, check_bind, trusted_proxies
from hoidap.web.vietnamese import LOCALIZE_JS, gradio_i18n
from indexer.config import Settings
from indexer.errors import HoidapError

log = logging.getLogger(__name__)


def launch_kwargs(settings: WebSettings) -> dict[str, Any]:
    """Everything ``launch()`` needs besides the app: local only, no share link, no CDN."""
    return dict(
        server_name=settings.host,
        server_port=int(settings.port),
        share=False,
        show_error=False,
        theme=make_theme(),
        css=CSS,
        head=HEAD + LOCALIZE_JS,
        i18n=gradio_i18n(),
        footer_links=["api"],
        max_file_size=f"{max(1, int(settings.max_upload_mb)) * 4}mb",
        enable_monitoring=False,
        state_session_capacity=max(10, int(settings.max_sessions)),
        pwa=False,
        mcp_server=False,
        ssr_mode=False,
    )


def ensure_index(engine: Engine) -> bool:
    """Build the index from the corpus folder if there is none, with progress on the terminal.

    Returns True when an index is available afterwards.
    """
    if engine.has_index():
        return True
    if not _writable(Path(engine.settings.index_dir)):  # a replica on a shared, read-only index
        print(f"Chưa có chỉ mục trong “{engine.settings.index_dir}” và thư mục này chỉ đọc: hãy lập chỉ mục "
              "trên máy được ghi (hoidap index); ứng dụng sẽ tự dùng chỉ mục khi có.", file=sys.stderr)
        return False
    corpus = Path(engine.settings.corpus_dir)
    if not corpus.is_dir():
        print(f"Chưa có chỉ mục và không thấy thư mục tài liệu “{corpus}”. Ứng dụng vẫn khởi động; "
              "hãy thêm tài liệu rồi lập chỉ mục.", file=sys.stderr)
        return False
    print(f"Chưa có chỉ mục: đang lập chỉ mục các tài liệu trong “{corpus}” (lần đầu có thể mất vài phút)…",
          file=sys.stderr, flush=True)
    with TerminalProgress() as progress:
        report = engine.index(progress=progress)
    print(f"Đã lập chỉ mục {report.documents} tài liệu, {report.passages} đoạn trong {report.seconds:.1f} giây.",
          file=sys.stderr, flush=True)
    for source, err in report.errors:
        print(f"  Lỗi “{source}”: {err.message_vi}", file=sys.stderr)
    return engine.has_index()


def _writable(index_dir: Path) -> bool:
    """Whether this process may build into ``index_dir`` (False on a read-only mount, even for root)."""
    folder = index_dir
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return os.access(folder, os.W_OK)


def warm_up(engine: Engine) -> None:
    """Load the index, the model and the word segmenter, so the first answer is quick."""
    try:
        engine.searcher.contents()
        engine.search("hạ tầng số", k=1)
    except Exception as exc:  # noqa: BLE001 - the UI reports it per request
        log.warning("warm-up failed: %s", exc)


def serve(settings: Settings, web: WebSettings, block: bool = True) -> gr.Blocks:
    """Index if needed, then launch on host:port.

    The page is up as soon as Gradio listens; loading the model (tens of seconds
    on a busy 2-core machine) happens in a background thread meanwhile, and the
    model's own lock makes an early question wait for it instead of loading twice.
    """
    check_bind(web)
    # uvicorn (under Gradio) takes the client from X-Forwarded-For only for these peers; its own
    # default trusts 127.0.0.1, so any local process could pose as any client: "" trusts none.
    os.environ["FORWARDED_ALLOW_IPS"] = ",".join(trusted_proxies(web))
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    engine = Engine(settings)
    try:
        ensure_index(engine)
    except Exception as exc:  # noqa: BLE001 - still start: the documents tab explains
        log.exception("initial indexing failed")
        message = exc.message_vi if isinstance(exc, HoidapError) else exc
        print(f"Không lập được chỉ mục: {message}", file=sys.stderr)
    demo = build_app(engine, web)
    demo.queue(default_concurrency_limit=4)
    threading.Thread(target=warm_up, args=(engine,), name="hoidap-warm-up", daemon=True).start()
    url = f"http://{web.host}:{web.port}"
    demo.launch(prevent_thread_lock=True, quiet=True, app_kwargs={"routes": health_routes(engine)}, **launch_kwargs(web))
    print(f"Hỏi đáp sẵn sàng tại {url} (Ctrl+C để dừng).", file=sys.stderr, flush=True)
    if block:
        try:
            demo.block_thread()
        except KeyboardInterrupt:
            pass
    return demo
