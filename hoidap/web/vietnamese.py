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
    # the API page ("Dùng qua API"): its generic texts (keys with whitespace collapsed)
    "documentation": "– tài liệu hướng dẫn",
    "Điểm cuối API": "điểm cuối API",
    "Choose one of the following ways to interact with the API.": "Chọn một trong các cách gọi API dưới đây.",
    "1. Install the": "1. Cài đặt thư viện",
    "client (": "(",
    "docs": "tài liệu",
    ") if you don't already have it installed.": ") nếu chưa cài.",
    "2. Find the API endpoint below corresponding to your desired function in the app. Copy the code snippet, "
    "replacing the placeholder values with your own input data.":
        "2. Tìm điểm cuối API của chức năng cần dùng bên dưới, sao chép đoạn mã và thay các giá trị mẫu "
        "bằng dữ liệu của bạn.",
    "Or use the": "Hoặc dùng",
    "to automatically generate your API requests.": "để tự tạo các lệnh gọi API.",
    "API name:": "Tên API:",
    "Default:": "Mặc định:",
    "API Recorder": "Ghi lại lệnh gọi API",
    "API endpoint": "điểm cuối API",
    "Copy": "Sao chép",
    "Copied": "Đã sao chép",
    "Copy Page": "Sao chép trang",
    "Open copy menu": "Mở menu sao chép",
    "More tabs": "Các thẻ khác",
    "Returns": "Trả về",
    "Required": "Bắt buộc",
    "Optional": "Không bắt buộc",
    "Description:": "Mô tả:",
    "No description provided in function docstring": "Chưa có mô tả",
}
#: Counted phrases of the API page: (regular expression over the collapsed text, replacement).
#: Gradio writes their plural "s" as a separate text node, which the script then empties.
PATTERNS_VI: list[tuple[str, str]] = [
    (r"^Accepts (\d+) parameter$", "Nhận $1 tham số"),
    (r"^(\d+) element$", "$1 phần tử"),
    (r'^The input value that is provided in the "(\d+)\w*" Api component\.$', "Giá trị đầu vào thứ $1."),
    (r'^The output value that appears in the "(\d+)\w*" Api component\.$', "Giá trị trả về thứ $1."),
]
#: Chat message aria-labels are "<role>'s message: <raw HTML>"; these prefixes replace the role.
MESSAGE_ROLES_VI = {"bot": "Trả lời", "user": "Câu hỏi"}


def gradio_i18n() -> gr.I18n:
    """Gradio's built-in strings in Vietnamese for every browser locale (see module docstring)."""
    return gr.I18n(en=GRADIO_VI, vi=GRADIO_VI)


LOCALIZE_JS = """
<script>
(function () {
  var VI = %(words)s, ROLES = %(roles)s;
  var PATTERNS = %(patterns)s.map(function (p) { return [new RegExp(p[0]), p[1]]; });
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
  function translate(key) {
    if (VI[key]) { return VI[key]; }
    for (var i = 0; i < PATTERNS.length; i++) {
      if (PATTERNS[i][0].test(key)) { return key.replace(PATTERNS[i][0], PATTERNS[i][1]); }
    }
    return null;
  }
  function fixText(node) {
    var v = node.nodeValue, key = v && v.replace(/\\s+/g, ' ').trim();
    if (!key) { return; }
    var t = translate(key), parent = node.parentElement;
    if (!t || !parent || parent.closest(SKIP)) { return; }
    node.nodeValue = (/^\\s/.test(v) ? ' ' : '') + t + (/\\s$/.test(v) ? ' ' : '');
    var next = node.nextSibling;  // "parameter" + "s": the plural ending is its own node
    while (next && (next.nodeType === 8 || (next.nodeType === 3 && !next.nodeValue))) { next = next.nextSibling; }
    if (next && next.nodeType === 3 && next.nodeValue === 's') { next.nodeValue = ''; }
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
""" % {
    "words": json.dumps(HARDCODED_VI, ensure_ascii=False), "roles": json.dumps(MESSAGE_ROLES_VI, ensure_ascii=False),
    "patterns": json.dumps(PATTERNS_VI, ensure_ascii=False),
}
