"""How the page looks: title, example questions, theme (system fonts only), CSS, ``<head>``.

Kept apart from the handlers so a visual change never touches behaviour.
"""
from __future__ import annotations

import gradio as gr

APP_TITLE = "Hỏi đáp văn bản chính sách"
EXAMPLES = [
    "Mục tiêu về điện toán đám mây đến năm 2025 là gì?",
    "Kế hoạch 225 nhằm phát triển những hạ tầng nào?",
    "ha tang so thanh hoa",
]

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
.hd-validity { font-size: .88em; margin: .2em 0 .35em; padding: .2em .5em; border-left: 3px solid #b45309; background: rgba(180, 83, 9, .08); }
.hd-status { font-weight: 600; padding: 0 .4em; border-radius: 4px; }
.hd-current { background: rgba(22, 163, 74, .15); }
.hd-outdated { background: rgba(180, 83, 9, .18); }
.hd-not-indexed { opacity: .7; }
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
.hd-confidence { font-size: .85em; margin: -.3em 0 .6em 0; opacity: .85; }
/* not found: a notice, not a card; the nearest passages collapsed and greyed below it */
.hd-notfound { display: flex; gap: .6em; align-items: flex-start; padding: .6em .8em; border-radius: 8px;
  border: 1px solid #f59e0b; background: #fffbeb; color: #78350f; }
.hd-notfound::before { content: "!"; flex: none; width: 1.5em; height: 1.5em; line-height: 1.5em; border-radius: 50%;
  background: #d97706; color: #fff; font-weight: 700; text-align: center; }
.dark .hd-notfound { background: #422006; color: #fde68a; }
.hd-notfound-title { display: block; }
.hd-related { margin-top: .6em; }
.hd-related-head { font-weight: 600; margin: .4em 0; cursor: pointer; opacity: .85; }
.hd-related .hd-card { border-left-color: #94a3b8; }
/* admin fields without a password configured: visibly unavailable */
#hd-password input:disabled, #hd-admin-victim input:disabled { cursor: not-allowed; opacity: .6;
  background: repeating-linear-gradient(135deg, transparent 0 6px, rgba(100, 116, 139, .15) 6px 12px);
  border-style: dashed; }
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
