"""The Gradio web app: chat, search, trainer handouts, documents (Vietnamese UI).

A thin layer over :class:`hoidap.engine.Engine` (the same object the CLI uses):
every rule worth testing lives in :mod:`hoidap.handlers`, :mod:`hoidap.handout`
and :mod:`hoidap.admin`; this module only lays out components and wires events.

Privacy: nothing leaves the machine. Gradio analytics are switched off before
gradio is imported, no share link is created, and the theme uses system fonts
(a Google font in the theme would make every browser fetch it from Google).

Named API endpoints (JSON, same dicts as the CLI's ``--json``): ``/ask`` and
``/search``; see the README (Web app).
"""
from __future__ import annotations

import os

# Must happen before gradio is imported anywhere in the process.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("GRADIO_RUN_HISTORY", "False")
# Gradio rebuilds a pandas DataFrame of its last 10,000 events after every event, for a
# monitoring page this app never enables: under 32 clients that took a third of the
# server's CPU by the 6,000th call (throughput halved) and grew its memory for 10,000
# calls. Keep 1,000 events and summarise them once per 1,000.
os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "1000")
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000")

import logging
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

import gradio as gr

from hoidap import handlers as H
from hoidap import handout as HO
from hoidap.admin import (
    DISABLED_VI,
    AdminError,
    AdminGate,
    Reindexer,
    delete_source,
    progress_text,
    store_upload,
    validate_upload,
)
from hoidap.ratelimit import RateLimited, RateLimiter, client_key
from hoidap.retrieve import SearchFilter
from hoidap.validate import UserInputError, clean_query
from indexer.config import Settings
from indexer.store import IndexLoadError

log = logging.getLogger(__name__)

APP_TITLE = "Hỏi đáp văn bản chính sách"
EXAMPLES = [
    "Mục tiêu về điện toán đám mây đến năm 2025 là gì?",
    "Kế hoạch 225 nhằm phát triển những hạ tầng nào?",
    "ha tang so thanh hoa",
]
ALL_VALUE = ""  # dropdown value meaning "no filter"
SEARCH_K = 8
MODES = ("hybrid", "dense", "lexical")

SYSTEM_FONTS = [
    "system-ui",
    "-apple-system",
    "Segoe UI",
    "Roboto",
    "Noto Sans",
    "Helvetica Neue",
    "Arial",
    "sans-serif",
]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Consolas", "Liberation Mono", "DejaVu Sans Mono", "monospace"]


def make_theme() -> gr.themes.Base:
    """Default theme with system fonts only: no font file is requested from anywhere."""
    return gr.themes.Default(primary_hue="blue", font=SYSTEM_FONTS, font_mono=MONO_FONTS)


CSS = """
.hd-answer, .hd-results, .hd-handout { line-height: 1.55; overflow-wrap: anywhere; }
.hd-answer-text { margin: 0 0 .6em 0; }
.hd-note { font-size: .9em; opacity: .8; margin-bottom: .4em; font-style: italic; }
.hd-ref { font-weight: 700; color: #1d4ed8 !important; text-decoration: none; padding: 0 .1em; border-radius: 3px; }
.hd-ref:focus-visible, .hd-copy:focus-visible { outline: 3px solid #2563eb; outline-offset: 2px; }
.hd-cards { display: flex; flex-direction: column; gap: .6em; }
.hd-card { border: 1px solid var(--border-color-primary, #d0d7de); border-left: 4px solid #2563eb;
  border-radius: 8px; padding: .6em .8em; background: var(--background-fill-secondary, #f8fafc); }
.hd-card:target, .hd-card.hd-flash { box-shadow: 0 0 0 3px #93c5fd; }
.hd-card-head { font-size: .95em; margin-bottom: .2em; }
.hd-num { font-weight: 700; color: #1d4ed8; }
.hd-section { font-size: .85em; opacity: .85; margin-bottom: .3em; }
.hd-excerpt { font-size: .95em; white-space: normal; }
.hd-excerpt mark, .hd-results mark { background: #fde68a; color: inherit; padding: 0 .1em; border-radius: 2px; }
.hd-cite { font-size: .85em; margin-top: .4em; display: flex; flex-wrap: wrap; gap: .3em .6em; align-items: center; }
.hd-cite-label { font-weight: 600; }
.hd-copy { font-size: .85em; padding: .15em .6em; border-radius: 6px; cursor: pointer;
  border: 1px solid var(--border-color-primary, #cbd5e1); background: var(--background-fill-primary, #fff); color: inherit; }
.hd-msg { padding: .6em .8em; border-radius: 8px; background: var(--background-fill-secondary, #f1f5f9); }
.hd-warn { border-left: 4px solid #d97706; }
.hd-error { border-left: 4px solid #dc2626; }
.hd-ok { border-left: 4px solid #16a34a; }
.hd-count { font-size: .9em; opacity: .8; margin-bottom: .4em; }
.hd-related-head { font-weight: 600; margin: .4em 0; }
.hd-table-wrap { overflow-x: auto; max-width: calc(100vw - 24px); }
.hd-table td { overflow-wrap: anywhere; }

.hd-table { border-collapse: collapse; width: 100%; font-size: .92em; }
.hd-table th, .hd-table td { border: 1px solid var(--border-color-primary, #d0d7de); padding: .35em .5em; text-align: left; vertical-align: top; }
.hd-handout h2 { font-size: 1.2em; } .hd-handout h3 { font-size: 1.05em; margin-top: 1em; }
.hd-example button { white-space: normal !important; text-align: left; }
@media (max-width: 640px) {
  .hd-example > * { flex: 1 1 100% !important; min-width: 0 !important; }
  .hd-card { padding: .5em .55em; }
  .hd-table { font-size: .8em; }
}
"""

#: Copy buttons and [n] links. Delegated listeners, because chat messages are
#: re-rendered by Gradio; the chat sanitiser strips data-* attributes, so the
#: citation is read from the card's own .hd-reference text.
HEAD = """
<style>
/* Outside Gradio's scoped custom CSS (which only reaches inside .contain): phone layout. */
@media (max-width: 640px) {
  .gradio-container .main { padding-left: 8px !important; padding-right: 8px !important; }
  .gradio-container [role=tablist] { flex-wrap: wrap !important; row-gap: 2px; }
  .gradio-container .tab-wrapper { height: auto !important; }
  .gradio-container .tab-container button { padding-left: 9px !important; padding-right: 9px !important; }
}
</style>
<script>
(function () {
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) { return navigator.clipboard.writeText(text); }
    return new Promise(function (resolve, reject) {
      var ta = document.createElement('textarea');
      ta.value = text; ta.setAttribute('readonly', ''); ta.style.position = 'fixed'; ta.style.opacity = '0';
      document.body.appendChild(ta); ta.select();
      try { document.execCommand('copy') ? resolve() : reject(); } catch (e) { reject(e); }
      document.body.removeChild(ta);
    });
  }
  document.addEventListener('click', function (ev) {
    var t = ev.target;
    if (!t || !t.closest) { return; }
    var btn = t.closest('.hd-copy');
    if (btn) {
      ev.preventDefault();
      var holder = btn.closest('.hd-cite');
      var ref = holder ? holder.querySelector('.hd-reference') : null;
      var text = ref ? ref.textContent : '';
      window.__hoidapLastCopy = text;
      copyText(text).then(function () { btn.textContent = 'Đã sao chép ✓'; },
                          function () { btn.textContent = 'Hãy chọn và sao chép thủ công'; });
      setTimeout(function () { btn.textContent = 'Sao chép trích dẫn'; }, 2500);
      return;
    }
    var link = t.closest('a.hd-ref');
    if (link) {
      var id = decodeURIComponent((link.getAttribute('href') || '').slice(1));
      var card = id ? document.getElementById(id) : null;
      if (card) {
        ev.preventDefault();
        card.scrollIntoView({behavior: 'smooth', block: 'nearest'});
        card.classList.add('hd-flash');
        card.focus({preventScroll: true});
        setTimeout(function () { card.classList.remove('hd-flash'); }, 1600);
      }
    }
  });
})();
</script>
"""


# ------------------------------------------------------------------------ helpers
def _metas(engine: Any) -> dict:
    try:
        return {d: doc.meta for d, doc in engine.searcher.contents().documents.items()}
    except Exception:  # no index yet: cards fall back to the citation's own title
        return {}


def _documents(engine: Any) -> list:
    try:
        return engine.documents()
    except IndexLoadError:
        return []
    except Exception:
        log.exception("listing documents failed")
        return []


def _doc_choices(engine: Any) -> list[tuple[str, str]]:
    rows = _documents(engine)
    out = [("Tất cả tài liệu", ALL_VALUE)]
    for doc, _n in rows:
        label, title = H.doc_heading(doc.meta, doc.meta.title or doc.doc_id)
        text = f"{label} — {title}" if label and title and label != title else (label or title)
        out.append((_short(text, 90), doc.doc_id))
    return out


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _type_choices(engine: Any) -> list[tuple[str, str]]:
    types = sorted({doc.meta.doc_type for doc, _ in _documents(engine) if doc.meta.doc_type})
    return [("Tất cả loại văn bản", ALL_VALUE)] + [(t, t) for t in types]


def _section_choices(engine: Any, doc_id: str) -> list[tuple[str, str]]:
    base = [("Cả tài liệu", ALL_VALUE)]
    if not doc_id:
        return base
    try:
        passages = engine.searcher.contents().passages
    except Exception:
        return base
    return base + HO.outline_choices(passages, doc_id)


def _source_choices(engine: Any) -> list[tuple[str, str]]:
    return [(f"{doc.source} — {_short(doc.meta.title or doc.doc_id, 60)}", doc.source) for doc, _ in _documents(engine)]


def _user_error(exc: BaseException) -> str:
    """The Vietnamese message of a known error, or the generic one (details go to the log)."""
    message = getattr(exc, "message_vi", None)
    if message:
        log.info("shown to user: %s: %s", type(exc).__name__, exc)
        return str(message)
    log.exception("unexpected error in a web handler", exc_info=exc)
    return H.GENERIC_ERROR_VI


def _known(exc: BaseException) -> bool:
    from indexer.readers import LoadError

    return isinstance(exc, (UserInputError, IndexLoadError, LoadError, AdminError, RateLimited))


def _api_error(exc: BaseException) -> gr.Error:
    """The Vietnamese message for API clients; a user error is not a server fault, so no traceback."""
    return gr.Error(_user_error(exc), title="Lỗi", print_exception=False)


def _error_html(exc: BaseException) -> str:
    kind = "warn" if _known(exc) else "error"
    return H.render_message_html(_user_error(exc), kind)


# ------------------------------------------------------------------------ handlers
class App:
    """Event handlers bound to one engine (plain methods: callable from tests too)."""

    def __init__(self, engine: Any, settings: Settings | None = None) -> None:
        self.engine = engine
        self.settings = settings or engine.settings
        self.gate = AdminGate(self.settings.admin_password)
        self.reindexer = Reindexer(engine)
        self.limiter = RateLimiter(int(getattr(self.settings, "rate_limit_per_minute", 0) or 0))
        self.export_root = Path(tempfile.gettempdir()) / "hoidap-handouts"

    # ---------------------------------------------------------------- chat
    def respond(self, message: str, history: list | None, conv: dict | None, request: gr.Request = None):
        history = list(history or [])
        conv = dict(conv or {})
        conv.setdefault("questions", [])
        conv.setdefault("records", {})
        conv.setdefault("turn", 0)
        typed = message or ""
        try:
            question = clean_query(typed)
        except UserInputError as exc:
            if exc.reason == "empty":
                gr.Info(exc.message_vi, title="Thông báo")
                return typed, history, conv
            history += [
                {"role": "user", "content": H.esc(typed[:300])},
                {"role": "assistant", "content": H.render_message_html(exc.message_vi, "warn")},
            ]
            return "", history, conv
        try:
            self.limiter.check(client_key(request))
        except RateLimited as exc:
            history += [
                {"role": "user", "content": H.esc(typed[:300])},
                {"role": "assistant", "content": H.render_message_html(exc.message_vi, "warn")},
            ]
            return typed, history, conv
        rewrite = H.rewrite_followup(question, conv["questions"])
        conv["turn"] += 1
        anchor = f"cite-{conv['turn']}"
        note = f"Câu hỏi được hiểu là: “{rewrite.question}”" if rewrite.rewritten else ""
        try:
            answer = self.engine.ask(rewrite.question)
            content = H.render_answer_html(answer, anchor, _metas(self.engine), note)
            record = {"question": typed, "asked_as": rewrite.question, "answer": answer.to_json()}
            conv["questions"] = conv["questions"] + [rewrite.question]
        except Exception as exc:  # noqa: BLE001 - shown as a message, logged in English
            content = _error_html(exc)
            record = None
        history += [{"role": "user", "content": H.esc(typed)}, {"role": "assistant", "content": content}]
        if record is not None:
            conv["records"] = {**conv["records"], len(history) - 1: record}
        return "", history, conv

    def like(self, conv: dict | None, data: gr.LikeData):
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        record = (conv or {}).get("records", {}).get(index)
        if record is None:
            return
        row = H.feedback_record(record["question"], record["answer"], H.vote_of(data.liked), record["asked_as"])
        try:
            H.save_feedback(Path(self.settings.feedback_path), row)
            gr.Info("Cảm ơn bạn đã góp ý!", title="Đã ghi nhận")
        except OSError:
            log.exception("cannot save feedback to %s", self.settings.feedback_path)
            gr.Warning("Không lưu được góp ý trên máy chủ.", title="Lỗi")

    @staticmethod
    def reset():
        return [], {"questions": [], "records": {}, "turn": 0}, ""

    # -------------------------------------------------------------- search
    def search(self, query: str, doc_id: str, doc_type: str, section: str, k: float, request: gr.Request = None) -> str:
        try:
            q = clean_query(query)
            self.limiter.check(client_key(request))
            filters = SearchFilter(
                doc_ids=(doc_id,) if doc_id else (),
                doc_types=(doc_type,) if doc_type else (),
                section_prefix=tuple(section.split("\n")) if (section and doc_id) else (),
            )
            hits = self.engine.search(q, k=int(k or SEARCH_K), filters=None if filters.is_empty() else filters)
            return H.render_hits_html(hits, q, _metas(self.engine))
        except Exception as exc:  # noqa: BLE001
            return _error_html(exc)

    def sections_for(self, doc_id: str):
        return gr.Dropdown(choices=_section_choices(self.engine, doc_id or ""), value=ALL_VALUE)

    # ------------------------------------------------------------- trainer
    def build_handout(self, topic: str, doc_id: str, section: str, k: float):
        """Gather, draft, export; returns (state, status, items, passages, preview, docx, md)."""
        nothing = (None, "", gr.CheckboxGroup(choices=[], value=[]), gr.CheckboxGroup(choices=[], value=[]), "",
                   gr.DownloadButton(value=None, interactive=False), gr.DownloadButton(value=None, interactive=False))
        topic = (topic or "").strip()
        try:
            if topic:
                topic = clean_query(topic)
            elif not doc_id:
                raise UserInputError("Hãy nhập chủ đề hoặc chọn một tài liệu (và một mục) để soạn tài liệu tập huấn.")
            path = tuple(section.split("\n")) if section else ()
            hits = HO.gather(self.engine, topic, doc_id or "", path, k=int(k or HO.GATHER_K))
            if not hits:
                status = H.render_message_html("Không tìm thấy đoạn văn bản nào cho chủ đề này.", "warn")
                return (None, status, *nothing[2:])
            title = topic or self._section_title(doc_id, path)
            ho = HO.build_handout(title, hits)
            drafted = ho.drafted()
            passages = ho.passages()
            docx, md = self._export(ho)
            status = H.render_message_html(
                f"Đã soạn từ {len(passages)} đoạn của {ho.documents} văn bản: {len(ho.targets)} chỉ tiêu, "
                f"{len(ho.responsibilities)} nội dung phân công, {len(ho.questions)} câu hỏi. "
                "Bỏ chọn những mục không dùng, rồi tải về.",
                "ok",
            )
            return (
                ho,
                status,
                gr.CheckboxGroup(choices=[(it.label(), it.key) for it in drafted], value=[it.key for it in drafted]),
                gr.CheckboxGroup(choices=[(it.label(), it.key) for it in passages], value=[it.key for it in passages]),
                HO.handout_html(ho),
                gr.DownloadButton(value=str(docx), interactive=True),
                gr.DownloadButton(value=str(md), interactive=True),
            )
        except Exception as exc:  # noqa: BLE001
            return (None, _error_html(exc), *nothing[2:])

    def reselect(self, ho: Any, items: list[str] | None, passages: list[str] | None):
        """The trainer removed or restored items: new preview and files."""
        if ho is None:
            return "", gr.DownloadButton(value=None, interactive=False), gr.DownloadButton(value=None, interactive=False)
        try:
            sub = ho.select(list(items or []) + list(passages or []))
            docx, md = self._export(sub)
            return HO.handout_html(sub), gr.DownloadButton(value=str(docx), interactive=True), gr.DownloadButton(
                value=str(md), interactive=True
            )
        except Exception as exc:  # noqa: BLE001
            return _error_html(exc), gr.DownloadButton(value=None, interactive=False), gr.DownloadButton(
                value=None, interactive=False
            )

    def _section_title(self, doc_id: str, path: tuple[str, ...]) -> str:
        from indexer.structure import section_citation

        metas = _metas(self.engine)
        meta = metas.get(doc_id)
        label, title = H.doc_heading(meta, doc_id)
        where = section_citation(path) if path else ""
        return ", ".join(x for x in (where, label or title) if x)

    def _export(self, ho: Any) -> tuple[Path, Path]:
        folder = self.export_root / uuid.uuid4().hex
        folder.mkdir(parents=True, exist_ok=True)
        stem = HO.file_stem(ho.topic)
        docx = HO.to_docx(ho, folder / f"{stem}.docx")
        md = folder / f"{stem}.md"
        md.write_text(HO.to_markdown(ho), encoding="utf-8")
        return docx, md

    # ----------------------------------------------------------- documents
    def documents_html(self) -> str:
        return H.render_documents_html(_documents(self.engine))

    def upload(self, password: str, files: list | None):
        try:
            self.gate.check(password)
            if not files:
                raise AdminError("Hãy chọn ít nhất một tệp để tải lên.", "no_file")
            stored, problems = [], []
            for f in files:
                path = Path(f if isinstance(f, str) else getattr(f, "name", str(f)))
                try:
                    checked = validate_upload(
                        path.read_bytes(), path.name, self.settings.max_upload_mb, Path(self.settings.cache_dir)
                    )
                    target = store_upload(Path(self.settings.corpus_dir), checked)
                    stored.append(f"{target.name} ({checked.doc_type or 'tài liệu'}: {checked.title})")
                except AdminError as exc:
                    problems.append(exc.message_vi)
            if stored:
                self.reindexer.start()
            parts = []
            if stored:
                parts.append(H.render_message_html("Đã nhận: " + "; ".join(stored) + ". Đang cập nhật chỉ mục…", "ok"))
            parts += [H.render_message_html(p, "warn") for p in problems]
            return "".join(parts), gr.Timer(active=bool(stored))
        except Exception as exc:  # noqa: BLE001
            return _error_html(exc), gr.Timer(active=False)

    def delete(self, password: str, source: str):
        try:
            self.gate.check(password)
            if not source:
                raise AdminError("Hãy chọn tài liệu cần xóa.", "no_selection")
            known = {doc.source for doc, _ in _documents(self.engine)}
            if source not in known:
                raise AdminError("Tài liệu này không có trong chỉ mục.", "not_indexed")
            delete_source(Path(self.settings.corpus_dir), source)
            self.reindexer.start()
            return H.render_message_html(f"Đã xóa tệp “{source}”. Đang cập nhật chỉ mục…", "ok"), gr.Timer(active=True)
        except Exception as exc:  # noqa: BLE001
            return _error_html(exc), gr.Timer(active=False)

    def poll(self):
        """Timer tick while re-indexing: progress, then refreshed lists when done."""
        status = self.reindexer.status()
        text = progress_text(status)
        kind = "info" if status.running else ("error" if status.error else "ok")
        html = H.render_message_html(text, kind) if text else ""
        html += "".join(H.render_message_html(d, "warn") for d in status.details)
        if status.running:
            return (html, gr.Timer(active=True), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip())
        return (html, gr.Timer(active=False), *self.refresh_lists())

    def refresh_lists(self):
        """Documents table and every document/type/source dropdown, from the live index."""
        docs = _doc_choices(self.engine)
        return (
            self.documents_html(),
            gr.Dropdown(choices=docs),
            gr.Dropdown(choices=_type_choices(self.engine)),
            gr.Dropdown(choices=docs),
            gr.Dropdown(choices=_source_choices(self.engine), value=None),
            self.index_banner(),
        )

    def index_banner(self) -> str:
        if self.reindexer.status().running:
            return H.render_message_html(progress_text(self.reindexer.status()), "info")
        try:
            if not self.engine.has_index():
                return H.render_message_html(
                    "Chưa có chỉ mục. Quản trị viên cần thêm tài liệu vào thư mục corpus rồi chạy: hoidap index", "warn"
                )
        except Exception:
            return ""
        return ""

    # ----------------------------------------------------------------- API
    def api_ask(self, question: str, k: int = 5, mode: str = "hybrid", request: gr.Request = None) -> dict:
        """Answer a question with cited excerpts; the same JSON as `hoidap ask --json`."""
        try:
            q = clean_query(question)
            self.limiter.check(client_key(request))
            if mode not in MODES:
                raise UserInputError(f"Chế độ tìm kiếm phải là một trong: {', '.join(MODES)}.", "bad_mode")
            out = self.engine.ask(q, k=int(k), mode=mode).to_json()
            out["question"] = question
            return out
        except Exception as exc:  # noqa: BLE001
            raise _api_error(exc) from None

    def api_search(self, query: str, k: int = 5, mode: str = "hybrid", request: gr.Request = None) -> dict:
        """Search cited passages; the same JSON as `hoidap search --json`."""
        try:
            q = clean_query(query)
            self.limiter.check(client_key(request))
            if mode not in MODES:
                raise UserInputError(f"Chế độ tìm kiếm phải là một trong: {', '.join(MODES)}.", "bad_mode")
            hits = self.engine.search(q, k=int(k), mode=mode)
            return {"query": query, "hits": [h.to_json() for h in hits]}
        except Exception as exc:  # noqa: BLE001
            raise _api_error(exc) from None


# --------------------------------------------------------------------------- layout
def build_app(engine: Any, settings: Settings | None = None) -> gr.Blocks:
    """All four tabs over ``engine``; launch with :func:`launch_kwargs` (theme, css, head)."""
    app = App(engine, settings)
    # UI events are private and unnamed, so the only public endpoints are /ask and /search
    private: dict[str, Any] = {"api_name": False, "api_visibility": "private"}
    doc_choices = _doc_choices(engine)

    with gr.Blocks(title=APP_TITLE, analytics_enabled=False) as demo:
        demo.hoidap = app  # type: ignore[attr-defined]  # for tests and serve()
        gr.api(app.api_ask, api_name="ask")
        gr.api(app.api_search, api_name="search")
        gr.Markdown(f"# {APP_TITLE}\nTra cứu và hỏi đáp có trích dẫn trên các văn bản đã lập chỉ mục.")
        banner = gr.HTML(app.index_banner(), elem_id="hd-banner")

        with gr.Tabs():
            # ------------------------------------------------------------ chat
            with gr.Tab("Hỏi đáp", id="chat", elem_id="tab-chat"):
                gr.Markdown(
                    "Câu trả lời được trích nguyên văn từ văn bản. Bấm vào số **[1]** để xem đoạn trích dẫn; "
                    "có thể hỏi tiếp, ví dụ “còn mạng 5G thì sao?”."
                )
                chat = gr.Chatbot(
                    elem_id="hd-chat",
                    label="Hội thoại",
                    height="62vh",
                    min_height=320,
                    feedback_options=("Like", "Dislike"),
                    placeholder="Hãy đặt câu hỏi về nội dung văn bản, hoặc bấm một câu hỏi mẫu bên dưới.",
                    sanitize_html=True,
                    # no per-message copy: it would copy the card markup; each card has its own
                    # "Sao chép trích dẫn" button instead
                    buttons=[],
                )
                conv = gr.State({"questions": [], "records": {}, "turn": 0})
                with gr.Row(equal_height=True):
                    question = gr.Textbox(
                        label="Câu hỏi",
                        placeholder="Nhập câu hỏi rồi nhấn Enter…",
                        scale=5,
                        lines=1,
                        max_lines=4,
                        elem_id="hd-question",
                        autofocus=True,
                    )
                    send = gr.Button("Gửi", variant="primary", scale=1, min_width=80, elem_id="hd-send")
                gr.Markdown("**Câu hỏi mẫu** (bấm để hỏi):")
                with gr.Row(elem_classes="hd-example"):
                    example_buttons = [gr.Button(q, size="sm", min_width=0, elem_classes="hd-example-btn") for q in EXAMPLES]
                new_chat = gr.Button("Cuộc hội thoại mới", size="sm", variant="secondary")

                ask_io = dict(fn=app.respond, inputs=[question, chat, conv], outputs=[question, chat, conv], **private)
                question.submit(**ask_io)
                send.click(**ask_io)
                for b, text in zip(example_buttons, EXAMPLES):
                    b.click(lambda t=text: t, None, question, queue=False, **private).then(**ask_io)
                new_chat.click(app.reset, None, [chat, conv, question], **private)
                chat.clear(lambda: App.reset()[1], None, conv, **private)  # the chat's own trash button
                chat.like(app.like, [conv], None, **private)

            # ---------------------------------------------------------- search
            with gr.Tab("Tra cứu", id="search", elem_id="tab-search"):
                with gr.Row(equal_height=True):
                    query = gr.Textbox(
                        label="Từ khóa hoặc câu hỏi",
                        placeholder="Ví dụ: điện toán đám mây (gõ có dấu hoặc không dấu đều được)",
                        scale=5,
                        elem_id="hd-query",
                    )
                    find = gr.Button("Tìm", variant="primary", scale=1, min_width=80, elem_id="hd-find")
                with gr.Accordion("Bộ lọc", open=False):
                    with gr.Row():
                        s_doc = gr.Dropdown(doc_choices, value=ALL_VALUE, label="Tài liệu", elem_id="hd-s-doc")
                        s_type = gr.Dropdown(_type_choices(engine), value=ALL_VALUE, label="Loại văn bản")
                        s_section = gr.Dropdown(_section_choices(engine, ""), value=ALL_VALUE, label="Mục (chọn tài liệu trước)")
                    s_k = gr.Slider(1, 30, value=SEARCH_K, step=1, label="Số kết quả")
                results = gr.HTML(elem_id="hd-results")
                search_io = dict(fn=app.search, inputs=[query, s_doc, s_type, s_section, s_k], outputs=results, **private)
                query.submit(**search_io)
                find.click(**search_io)
                s_doc.change(app.sections_for, s_doc, s_section, **private)

            # --------------------------------------------------------- trainer
            with gr.Tab("Tài liệu tập huấn", id="trainer", elem_id="tab-trainer"):
                gr.Markdown(
                    "Gom mọi đoạn liên quan đến một chủ đề (hoặc một mục của văn bản), soạn sẵn chỉ tiêu, "
                    "phân công trách nhiệm và câu hỏi ôn tập — mỗi ý kèm trích dẫn. Bỏ chọn mục không dùng rồi tải về."
                )
                with gr.Row():
                    t_topic = gr.Textbox(label="Chủ đề", placeholder="Ví dụ: điện toán đám mây", scale=3, elem_id="hd-topic")
                    t_doc = gr.Dropdown(doc_choices, value=ALL_VALUE, label="Tài liệu (tùy chọn)", scale=2)
                    t_section = gr.Dropdown(_section_choices(engine, ""), value=ALL_VALUE, label="Mục (tùy chọn)", scale=2)
                with gr.Row():
                    t_k = gr.Slider(5, 80, value=HO.GATHER_K, step=5, label="Số đoạn tìm tối đa", scale=3)
                    t_build = gr.Button("Soạn tài liệu", variant="primary", scale=1, elem_id="hd-build")
                t_status = gr.HTML()
                with gr.Row():
                    t_docx = gr.DownloadButton("Tải về DOCX", interactive=False, elem_id="hd-dl-docx")
                    t_md = gr.DownloadButton("Tải về Markdown", interactive=False, elem_id="hd-dl-md")
                t_state = gr.State(None)
                t_items = gr.CheckboxGroup([], label="Nội dung soạn sẵn (bỏ chọn để loại khỏi tài liệu)", elem_id="hd-items")
                t_passages = gr.CheckboxGroup([], label="Trích đoạn văn bản", elem_id="hd-passages")
                t_preview = gr.HTML(elem_id="hd-preview")
                t_doc.change(app.sections_for, t_doc, t_section, **private)
                build_io = dict(
                    fn=app.build_handout,
                    inputs=[t_topic, t_doc, t_section, t_k],
                    outputs=[t_state, t_status, t_items, t_passages, t_preview, t_docx, t_md],
                    **private,
                )
                t_build.click(**build_io)
                t_topic.submit(**build_io)
                for box in (t_items, t_passages):
                    box.input(app.reselect, [t_state, t_items, t_passages], [t_preview, t_docx, t_md], **private)

            # ------------------------------------------------------- documents
            with gr.Tab("Tài liệu", id="documents", elem_id="tab-documents"):
                docs_html = gr.HTML(app.documents_html(), elem_id="hd-docs")
                refresh = gr.Button("Làm mới danh sách", size="sm")
                with gr.Accordion("Quản trị tài liệu (cần mật khẩu)", open=not app.gate.enabled):
                    if not app.gate.enabled:
                        gr.HTML(H.render_message_html(DISABLED_VI, "warn"), elem_id="hd-admin-disabled")
                    enabled = app.gate.enabled
                    password = gr.Textbox(label="Mật khẩu quản trị", type="password", interactive=enabled, elem_id="hd-password")
                    from indexer.readers import SUPPORTED_SUFFIXES

                    files = gr.File(
                        label=f"Tệp tải lên ({', '.join(SUPPORTED_SUFFIXES)}; tối đa {app.settings.max_upload_mb} MB mỗi tệp)",
                        file_count="multiple",
                        file_types=list(SUPPORTED_SUFFIXES),
                        interactive=enabled,
                        elem_id="hd-files",
                    )
                    upload = gr.Button("Tải lên và lập chỉ mục", variant="primary", interactive=enabled, elem_id="hd-upload")
                    with gr.Row():
                        victim = gr.Dropdown(
                            _source_choices(engine), label="Tài liệu cần xóa", interactive=enabled, scale=3, elem_id="hd-admin-victim"
                        )
                        remove = gr.Button("Xóa tài liệu", variant="stop", interactive=enabled, scale=1, elem_id="hd-remove")
                    admin_status = gr.HTML(elem_id="hd-admin-status")
                    timer = gr.Timer(1.0, active=False)

                lists = [docs_html, s_doc, s_type, t_doc, victim, banner]
                upload.click(app.upload, [password, files], [admin_status, timer], **private)
                remove.click(app.delete, [password, victim], [admin_status, timer], **private)
                timer.tick(app.poll, None, [admin_status, timer, *lists], **private)
                refresh.click(app.refresh_lists, None, lists, **private)

        demo.load(app.refresh_lists, None, lists, **private)
    return demo


def launch_kwargs(settings: Settings) -> dict[str, Any]:
    """Everything ``launch()`` needs besides the app: local only, no share link, no CDN."""
    return dict(
        server_name=settings.host,
        server_port=int(settings.port),
        share=False,
        show_error=False,
        theme=make_theme(),
        css=CSS,
        head=HEAD,
        footer_links=["api"],
        max_file_size=f"{max(1, int(settings.max_upload_mb)) * 4}mb",
        enable_monitoring=False,
        state_session_capacity=max(10, int(settings.max_sessions)),
        pwa=False,
        mcp_server=False,
        ssr_mode=False,
    )


# ---------------------------------------------------------------------------- serve
def ensure_index(engine: Any) -> bool:
    """Build the index from the corpus folder if there is none, with progress on the terminal.

    Returns True when an index is available afterwards.
    """
    from hoidap.cli import TerminalProgress

    if engine.has_index():
        return True
    corpus = Path(engine.settings.corpus_dir)
    if not corpus.is_dir():
        print(f"Chưa có chỉ mục và không thấy thư mục tài liệu “{corpus}”. Ứng dụng vẫn khởi động; "
              "hãy thêm tài liệu rồi lập chỉ mục.", file=sys.stderr)
        return False
    print(f"Chưa có chỉ mục: đang lập chỉ mục các tài liệu trong “{corpus}” (lần đầu có thể mất vài phút)…",
          file=sys.stderr, flush=True)
    report = engine.index(progress=TerminalProgress())
    print(f"Đã lập chỉ mục {report.documents} tài liệu, {report.passages} đoạn trong {report.seconds:.1f} giây.",
          file=sys.stderr, flush=True)
    for source, err in report.errors:
        print(f"  Lỗi “{source}”: {err.message_vi}", file=sys.stderr)
    return engine.has_index()


def warm_up(engine: Any) -> None:
    """Load the index, the model and the word segmenter, so the first answer is quick."""
    try:
        engine.searcher.contents()
        engine.search("hạ tầng số", k=1)
    except Exception as exc:  # noqa: BLE001 - the UI reports it per request
        log.warning("warm-up failed: %s", exc)


def serve(settings: Settings, block: bool = True) -> gr.Blocks:
    """``hoidap serve`` / ``python app.py``: index if needed, then launch on host:port.

    The page is up as soon as Gradio listens; loading the model (tens of seconds
    on a busy 2-core machine) happens in a background thread meanwhile, and the
    model's own lock makes an early question wait for it instead of loading twice.
    """
    import threading

    from hoidap.engine import Engine

    from hoidap.cli import check_bind

    check_bind(settings)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    engine = Engine(settings)
    try:
        ensure_index(engine)
    except Exception as exc:  # noqa: BLE001 - still start: the documents tab explains
        log.exception("initial indexing failed")
        print(f"Không lập được chỉ mục: {getattr(exc, 'message_vi', exc)}", file=sys.stderr)
    demo = build_app(engine, settings)
    demo.queue(default_concurrency_limit=4)
    threading.Thread(target=warm_up, args=(engine,), name="hoidap-warm-up", daemon=True).start()
    url = f"http://{settings.host}:{settings.port}"
    demo.launch(prevent_thread_lock=True, quiet=True, **launch_kwargs(settings))
    print(f"Hỏi đáp sẵn sàng tại {url} (Ctrl+C để dừng).", file=sys.stderr, flush=True)
    if block:
        try:
            demo.block_thread()
        except KeyboardInterrupt:
            pass
    return demo
