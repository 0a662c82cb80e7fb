"""Gradio's own words (buttons, labels, toasts, the API page) in Vietnamese.

Two mechanisms, measured on gradio 6.31 in chromium:

* :func:`gradio_i18n` – ``gr.I18n`` overriding the keys of Gradio's built-in
  dictionary ("chatbot.clear", "errors.use_via_api", "upload_text.drop_file" …).
  Gradio ships no Vietnamese locale and falls back to English for a "vi-VN"
  browser, so the same translations go under ``en`` (they win over the built-in
  English, checked with a "vi-VN" and an "en-US" browser) and under ``vi``.
* :data:`LOCALIZE_JS` – for what Gradio hard-codes in English, with no parameter
  or i18n key: the "Liked"/"Disliked" button labels, the toast title ("Info",
  taken from the toast's type; ``gr.Info(title=…)`` does not change it), "Close",
  "Loading response", the API page's texts, and each chat message's
  ``aria-label`` (``"bot's message: " + the raw HTML of the answer``), which a
  screen reader would read out as markup. A ``MutationObserver`` rewrites them as
  Gradio renders; it never touches the app's own content (answers, results, inputs).
"""
from __future__ import annotations

import json

import gradio as gr

#: Keys of Gradio's built-in dictionary (flattened "section.key") that this app can show.
GRADIO_VI: dict[str, str] = {
    "chatbot.edit": "Sửa",
    "chatbot.retry": "Thử lại",
    "chatbot.undo": "Hoàn tác",
    "chatbot.submit": "Gửi",
    "chatbot.cancel": "Hủy",
    "chatbot.like": "Hữu ích",
    "chatbot.dislike": "Không hữu ích",
    "chatbot.clear": "Xóa hội thoại",
    "chatbot.complete": "Hoàn tất",
    "chatbot.copy_message": "Sao chép tin nhắn",
    "chatbot.copied_message": "Đã sao chép tin nhắn",
    "chat_interface.new_chat": "Cuộc hội thoại mới",
    "chat_interface.message_placeholder": "Nhập tin nhắn…",
    "chat_interface.chatbot": "Hội thoại",
    "chat_interface.conversation": "Hội thoại",
    "checkbox.checkbox": "Ô chọn",
    "checkbox.checkbox_group": "Nhóm ô chọn",
    "dropdown.dropdown": "Danh sách chọn",
    "slider.slider": "Thanh trượt",
    "number.number": "Số",
    "common.built_with": "xây dựng bằng",
    "common.built_with_gradio": "Xây dựng bằng Gradio",
    "common.clear": "Xóa",
    "common.download": "Tải xuống",
    "common.download_all": "Tải xuống tất cả",
    "common.edit": "Sửa",
    "common.empty": "Trống",
    "common.error": "Lỗi",
    "common.loading": "Đang tải",
    "common.or": "hoặc",
    "common.remove": "Xóa",
    "common.settings": "Cài đặt",
    "common.share": "Chia sẻ",
    "common.submit": "Gửi",
    "common.undo": "Hoàn tác",
    "common.language": "Ngôn ngữ",
    "common.display_theme": "Giao diện",
    "common.progress": "Tiến trình",
    "common.run": "Chạy",
    "common.back_to_app": "Ứng dụng",
    "common.back_to_app_description": "Quay lại ứng dụng",
    "errors.use_via_api": "Dùng qua API",
    "errors.use_via_api_or_mcp": "Dùng qua API hoặc MCP",
    "errors.contact_page_author": "Vui lòng báo cho quản trị viên.",
    "blocks.lost_connection": "Mất kết nối do rời trang. Đang kết nối lại…",
    "blocks.waiting_for_inputs": "Đang chờ tải tệp lên xong, vui lòng thử lại.",
    "file.uploading": "Đang tải lên…",
    "status.queue_position": "Đang chờ: {position}/{size}",
    "upload_text.click_to_upload": "Bấm để chọn tệp",
    "upload_text.drop_file": "Thả tệp vào đây",
}

#: English that Gradio hard-codes (exact text or attribute value) -> Vietnamese.
HARDCODED_VI: dict[str, str] = {
    "Like": "Hữu ích",
    "Dislike": "Không hữu ích",
    "Liked": "Đã đánh giá: hữu ích",
    "Disliked": "Đã đánh giá: không hữu ích",
    "Feedback": "Góp ý",
    "Info": "Thông báo",
    "Warning": "Lưu ý",
    "Error": "Lỗi",
    "Success": "Thành công",
    "Close": "Đóng",
    "Loading response": "Đang soạn câu trả lời",
    "Loading content": "Đang tải nội dung",
    "Copy conversation": "Sao chép hội thoại",
    "chatbot conversation": "Hội thoại",
    "Gradio footer navigation": "Liên kết cuối trang",
    "Clear": "Xóa",
    # the API page (?view=api): its generic texts; code samples stay as they are
    "API documentation": "Tài liệu API",
    "API Recorder": "Ghi lại lệnh gọi API",
    "Choose a language to see the code snippets for interacting with the API.":
        "Chọn ngôn ngữ để xem mã mẫu gọi API.",
    "Install the": "Cài đặt thư viện",
    "client": "máy khách",
    "if you don't already have it installed.": "nếu chưa cài.",
    "Copy": "Sao chép",
    "Copied": "Đã sao chép",
    "Copy Page": "Sao chép trang",
    "Returns": "Trả về",
    "Parameters": "Tham số",
    "Required": "Bắt buộc",
    "Optional": "Không bắt buộc",
    "API endpoint": "Điểm cuối API",
    "Description: ": "Mô tả: ",
    "No description provided in function docstring": "Chưa có mô tả",
}
#: Chat message aria-labels are "<role>'s message: <raw HTML>"; these prefixes replace the role.
MESSAGE_ROLES_VI = {"bot": "Trả lời", "user": "Câu hỏi"}


def gradio_i18n() -> gr.I18n:
    """Gradio's built-in strings in Vietnamese for every browser locale (see module docstring)."""
    return gr.I18n(en=GRADIO_VI, vi=GRADIO_VI)


LOCALIZE_JS = """
<script>
(function () {
  var VI = %(words)s, ROLES = %(roles)s;
  var SKIP = '.hd-answer, .hd-results, .hd-handout, .hd-table, .hd-msg, textarea, input, code, pre';
  var ATTRS = ['aria-label', 'title', 'placeholder'];
  function plain(el) {
    // one line per rendered block, each ending in punctuation, so a reader pauses between them
    var text = (el.innerText || el.textContent || '').split(/\\n+/).map(function (line) {
      line = line.replace(/\\s+/g, ' ').trim();
      return line && !/[.!?:;…]$/.test(line) ? line + '.' : line;
    }).filter(Boolean).join(' ');
    return text.length > 600 ? text.slice(0, 599) + '…' : text;
  }
  function fixElement(el) {
    if (!el.getAttribute) { return; }
    ATTRS.forEach(function (name) {
      var v = el.getAttribute(name);
      if (!v) { return; }
      var m = name === 'aria-label' && v.match(/^(bot|user)'s message: /);
      if (m) { el.setAttribute(name, ROLES[m[1]] + ': ' + plain(el)); return; }
      var t = VI[v.trim()];
      if (t && t !== v) { el.setAttribute(name, t); }
    });
  }
  function fixText(node) {
    var v = node.nodeValue, key = v && v.trim();
    if (!key || !VI[key]) { return; }
    var parent = node.parentElement;
    if (!parent || parent.closest(SKIP)) { return; }
    node.nodeValue = v.replace(key, VI[key]);
  }
  function walk(root) {
    if (root.nodeType === 3) { fixText(root); return; }
    if (root.nodeType !== 1) { return; }
    if (root.closest && root.closest(SKIP) && !root.matches('[aria-label]')) { return; }
    fixElement(root);
    root.querySelectorAll('[aria-label], [title], [placeholder]').forEach(fixElement);
    var it = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), n;
    while ((n = it.nextNode())) { fixText(n); }
  }
  var pending = [];
  function flush() {
    var roots = pending; pending = [];
    roots.forEach(walk);
    // a message's label is its text: refresh it once the message is rendered
    document.querySelectorAll('[data-testid="bot"], [data-testid="user"]').forEach(function (el) {
      var role = el.getAttribute('data-testid'), want = ROLES[role] + ': ' + plain(el);
      if (el.getAttribute('aria-label') !== want) { el.setAttribute('aria-label', want); }
    });
  }
  var timer = null;
  function schedule(node) {
    pending.push(node);
    if (!timer) { timer = setTimeout(function () { timer = null; flush(); }, 30); }
  }
  function start() {
    schedule(document.body);
    new MutationObserver(function (records) {
      records.forEach(function (r) {
        if (r.type === 'childList') { r.addedNodes.forEach(schedule); }
        else { schedule(r.target); }
      });
    }).observe(document.body, {childList: true, subtree: true, characterData: true,
                               attributes: true, attributeFilter: ATTRS});
  }
  if (document.body) { start(); } else { document.addEventListener('DOMContentLoaded', start); }
})();
</script>
""" % {"words": json.dumps(HARDCODED_VI, ensure_ascii=False), "roles": json.dumps(MESSAGE_ROLES_VI, ensure_ascii=False)}
