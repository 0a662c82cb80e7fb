"""End to end: the real server (``python app.py``) driven by Debian's chromium.

One server for the module, started exactly as a user would (env vars only) on a
free port, with a temporary index and a temporary copy of corpus/ plus two
fixtures: a sample plan with "100%" targets and a document full of markup
(``<script>alert(1)</script>``, ``<img onerror=…>``) that must stay text.

Every request the browser makes is recorded; the last test checks that none
left 127.0.0.1. Screenshots of each tab go to tests/artifacts/ (git-ignored);
the chat tab is also copied, small, to docs/screenshot-chat.png for the README, and the
Tài liệu tab's relations panel to docs/screenshot-relations.png for docs/relations.md.

Run: ``.venv/bin/python -m pytest -m slow tests/e2e``
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.support.servers import free_port

pytestmark = pytest.mark.slow

REPO = Path(__file__).parents[2]
FIXTURES = Path(__file__).parents[1] / "fixtures" / "e2e"
ARTIFACTS = REPO / "tests" / "artifacts"
DOCS_SHOT = REPO / "docs" / "screenshot-chat.png"
DOCS_RELATIONS_SHOT = REPO / "docs" / "screenshot-relations.png"
TEST_CACHE_DIR = REPO / ".hoidap" / "test-cache"  # the shared model cache (see tests/conftest.py)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "mật khẩu e2e"
QUESTION = "Mục tiêu về điện toán đám mây đến năm 2025 là gì?"
#: Nothing in the corpus says it (the Plan 225 article mentions "cơ sở hạ tầng", not salaries).
NOT_FOUND_QUESTION = "lương cơ sở là bao nhiêu?"
#: Gradio's English that must not reach a Vietnamese user (visible text and accessible names).
ENGLISH_UI = re.compile(
    r"\b(Clear|Like|Liked|Dislike|Disliked|Info|Warning|Close|Use via API|Copy|Loading|message|Feedback|Submit)\b"
)
#: First answers wait for the model to load (tens of seconds on a busy 2-core machine).
SLOW_MS = 240_000


def _chromium() -> str:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or ""):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.skip("chromium is not installed (make browser, or: apt-get install -y chromium)")


# ------------------------------------------------------------------------- fixtures
@contextmanager
def _app(work: Path, env: dict[str, str], log_name: str = "server.log"):
    """``python app.py`` with ``env`` on a free port, logging to ``work/log_name``; yields its URL once it answers."""
    port = free_port()
    env = {**env, "HOIDAP_HOST": "127.0.0.1", "HOIDAP_PORT": str(port), "PYTHONUNBUFFERED": "1"}
    log_path = work / log_name
    log = open(log_path, "wb")
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 900  # a cold machine converts the model and builds the index first
        while True:
            if proc.poll() is not None:
                pytest.fail("server exited early:\n" + log_path.read_text(errors="replace")[-4000:])
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("server did not start:\n" + log_path.read_text(errors="replace")[-4000:])
            time.sleep(0.5)
        print(f"\nserver up after {time.monotonic() - t0:.1f}s", file=sys.stderr)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``python app.py`` on a free port; yields (url, work folder)."""
    work = tmp_path_factory.mktemp("webapp")
    corpus = work / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    for f in FIXTURES.glob("*.txt"):
        shutil.copy(f, corpus / f.name)
    env = {
        **os.environ,
        "HOIDAP_CORPUS": str(corpus),
        "HOIDAP_INDEX": str(work / "index"),
        "HOIDAP_CACHE_DIR": str(TEST_CACHE_DIR),
        "HOIDAP_FEEDBACK": str(work / "feedback.jsonl"),
        "HOIDAP_ADMIN_PASSWORD": PASSWORD,
    }
    try:
        with _app(work, env) as url:
            yield url, work
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        if (work / "server.log").exists():
            shutil.copy(work / "server.log", ARTIFACTS / "server.log")


@pytest.fixture(scope="module")
def browser_log():
    """Everything the browser did that the assertions care about, across all tests."""
    return {"urls": [], "dialogs": [], "page_errors": []}


@pytest.fixture(scope="module")
def context(server, browser_log):
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        ctx = browser.new_context(viewport={"width": 1100, "height": 860}, accept_downloads=True, locale="vi-VN")
        ctx.on("request", lambda r: browser_log["urls"].append(r.url))
        yield ctx
        ctx.close()
        browser.close()


@pytest.fixture()
def page(context, server, browser_log):
    pg = context.new_page()
    pg.on("dialog", lambda d: (browser_log["dialogs"].append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: browser_log["page_errors"].append(str(e)))
    pg.set_default_timeout(60_000)
    pg.goto(server[0])
    pg.wait_for_selector("#hd-question textarea")
    yield pg
    pg.close()


def shot(page, name: str, full_page: bool = True) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


def ask(page, question: str, n: int) -> None:
    """Type a question, press Enter, wait for the n-th answer."""
    box = page.locator("#hd-question textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        f"document.querySelectorAll('#hd-chat .hd-answer, #hd-chat .hd-msg').length >= {n}", timeout=SLOW_MS
    )


def in_view(page, selector: str) -> bool:
    """The element is visible inside both the window and every scrolling container around it."""
    return page.evaluate(
        """sel => { const el = document.querySelector(sel); if (!el) { return false; }
        const r = el.getBoundingClientRect(); if (!r.height) { return false; }
        let top = 0, bottom = window.innerHeight;
        for (let p = el.parentElement; p; p = p.parentElement) {
          const st = getComputedStyle(p).overflowY;
          if (st === 'auto' || st === 'scroll') { const b = p.getBoundingClientRect();
            top = Math.max(top, b.top); bottom = Math.min(bottom, b.bottom); }
        }
        return r.top >= top - 1 && r.bottom <= bottom + 1; }""",
        selector,
    )


def interface_text(page) -> str:
    """What a person meets: visible text, plus the accessible names (aria-label, title) of visible elements."""
    return page.evaluate(
        """() => { const names = [...document.querySelectorAll('[aria-label], [title]')]
          .filter(e => e.getClientRects().length)
          .map(e => (e.getAttribute('aria-label') || '') + ' ' + (e.getAttribute('title') || ''));
        return document.body.innerText + '\\n' + names.join('\\n'); }"""
    )


def english_left(page) -> list[str]:
    return sorted(set(ENGLISH_UI.findall(interface_text(page))))


def no_markup_from_documents(page, selector: str) -> None:
    """Nothing inside ``selector`` is a script or an image (document markup stayed text)."""
    found = page.evaluate(f"document.querySelectorAll('{selector} script, {selector} img').length")
    assert found == 0


# ---------------------------------------------------------------------------- tests
def test_chat_answers_with_cited_card(page, server):
    ask(page, QUESTION, 1)
    answer = page.locator("#hd-chat .hd-answer").first
    text = answer.inner_text()
    assert "100%" in text and "điện toán đám mây" in text
    card = answer.locator(".hd-card").first
    head = card.locator(".hd-card-head").inner_text()
    assert "Kế hoạch số 888/KH-UBND" in head and "Phát triển hạ tầng số" in head
    assert "100%" in card.locator("mark").first.inner_text()
    reference = card.locator(".hd-reference").inner_text()
    assert reference.startswith("Kế hoạch số 888/KH-UBND ngày 15/9/2023 của UBND tỉnh Thanh Hóa, Mục II")
    shot(page, "chat", full_page=False)
    _save_readme_screenshot(page)

    # the [1] marker is a link to its card; following it focuses the card
    link = answer.locator("a.hd-ref").first
    card_id = card.get_attribute("id")
    assert link.get_attribute("href") == f"#{card_id}"
    link.click()
    page.wait_for_function(f"document.activeElement && document.activeElement.id === '{card_id}'")
    # copy citation copies Citation.reference
    card.locator(".hd-copy").click()
    page.wait_for_function("window.__hoidapLastCopy !== undefined")
    assert page.evaluate("window.__hoidapLastCopy") == reference

    # thumbs up is saved locally
    page.locator("#hd-chat button[aria-label='Hữu ích']").first.click()
    feedback = server[1] / "feedback.jsonl"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (feedback.exists() and feedback.read_text(encoding="utf-8").endswith("\n")):
        time.sleep(0.2)
    row = feedback.read_text(encoding="utf-8").splitlines()[0]
    assert '"vote": "up"' in row and QUESTION in row and "888/KH-UBND" in row


def _save_readme_screenshot(page) -> None:
    """docs/screenshot-chat.png: the visible chat, palette-quantised to stay small.

    Written when missing or when HOIDAP_UPDATE_SCREENSHOTS=1, so ordinary runs
    leave the committed file (and the work tree) alone.
    """
    from PIL import Image

    if DOCS_SHOT.exists() and os.environ.get("HOIDAP_UPDATE_SCREENSHOTS") != "1":
        return
    raw = ARTIFACTS / "chat-readme-raw.png"
    page.screenshot(path=str(raw), full_page=False)
    img = Image.open(raw).convert("RGB")
    img = img.resize((img.width * 3 // 4, img.height * 3 // 4), Image.LANCZOS)
    DOCS_SHOT.parent.mkdir(parents=True, exist_ok=True)
    img.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(DOCS_SHOT, optimize=True)
    assert DOCS_SHOT.stat().st_size < 300_000


def test_not_found_is_the_first_thing_seen_and_nearest_passages_are_labelled(page):
    ask(page, QUESTION, 1)  # an answer above, so the chat really scrolls
    ask(page, NOT_FOUND_QUESTION, 2)
    page.wait_for_timeout(1000)  # the chat's own scroll to the end of the reply
    reply = page.locator("#hd-chat .hd-answer").nth(1)
    assert "hd-answer-notfound" in reply.get_attribute("class")
    notice = reply.locator(".hd-notfound")
    assert "Không tìm thấy" in notice.inner_text()
    assert in_view(page, "#hd-chat .hd-answer-notfound .hd-notfound")
    assert notice.locator(".hd-card").count() == 0  # a notice, not a citation card
    style = notice.evaluate("e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).borderLeftColor]")
    card_style = page.locator("#hd-chat .hd-card").first.evaluate(
        "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).borderLeftColor]"
    )
    assert style != card_style  # looks different from an answer's card
    related = reply.locator("details.hd-related")
    assert "Các đoạn gần nhất (có thể không liên quan)" in related.locator("summary").inner_text()
    assert not related.evaluate("e => e.open") and not reply.locator(".hd-card").first.is_visible()
    shot(page, "chat-not-found", full_page=False)
    related.locator("summary").click()
    assert reply.locator(".hd-card").first.is_visible()


def test_chat_speaks_vietnamese_plain_text_labels(page):
    page.locator("#hd-question textarea").press("Enter")  # empty: an information toast
    page.wait_for_selector(".toast-body")
    page.wait_for_timeout(300)
    assert "Thông báo" in page.locator(".toast-body").first.inner_text()
    assert english_left(page) == []
    ask(page, QUESTION, 1)
    answer = page.locator("#hd-chat .hd-answer").first
    assert re.search(r"Độ tin cậy: (cao|trung bình)", answer.locator(".hd-confidence").inner_text())
    page.locator("#hd-chat button[aria-label='Hữu ích']").first.click()
    page.wait_for_selector("#hd-chat button[aria-label='Đã đánh giá: hữu ích']")
    page.wait_for_timeout(500)
    assert english_left(page) == []
    labels = page.evaluate(
        "[...document.querySelectorAll('#hd-chat [data-testid=bot], #hd-chat [data-testid=user]')]"
        ".map(e => e.getAttribute('aria-label'))"
    )
    assert len(labels) == 2 and all("<" not in label for label in labels), labels
    assert labels[0] == f"Câu hỏi: {QUESTION}"
    assert labels[1].startswith("Trả lời: ") and "100%" in labels[1]


def test_followup_and_phone_width(page, context):
    ask(page, "Mục tiêu về mạng 4G đến năm 2025 là gì?", 1)
    ask(page, "còn mạng 5G thì sao?", 2)
    second = page.locator("#hd-chat .hd-answer").nth(1).inner_text()
    assert "Câu hỏi được hiểu là" in second and "mạng 5G" in second
    phone = context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(page.url)
    phone.wait_for_selector("#hd-question textarea")
    ask(phone, QUESTION, 1)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing scrolls sideways
    tabs = phone.get_by_role("tab")
    assert tabs.count() == 4  # all four tabs visible, none hidden in an overflow menu
    shot(phone, "chat-390", full_page=False)
    phone.close()


def test_chat_shows_document_markup_literally(page):
    ask(page, "Đoạn văn bản kiểm tra hiển thị an toàn chứa mã gì?", 1)
    text = page.locator("#hd-chat .hd-answer").first.inner_text()
    assert "<script>alert(1)</script>" in text
    no_markup_from_documents(page, "#hd-chat .hd-answer")


def search_for(page, query: str, until: str) -> None:
    """On the search tab, search ``query`` and wait for ``until`` (a selector) in the results."""
    open_tab(page, "Tra cứu")
    page.locator("#hd-query textarea").fill(query)
    page.locator("#hd-find").click()
    page.wait_for_selector(f"#hd-results {until}", timeout=SLOW_MS)


def test_search_without_diacritics_highlights_and_stays_literal(page):
    search_for(page, "kiem tra hien thi", ".hd-card")
    results = page.locator("#hd-results")
    marks = [m.lower() for m in results.locator("mark").all_inner_texts()]
    assert "kiểm tra hiển thị" in marks
    assert "<script>alert(1)</script>" in results.inner_text()
    assert "<img src=x onerror=alert(2)>" in results.inner_text()
    no_markup_from_documents(page, "#hd-results")
    # with diacritics, filtered to the plan
    page.locator("#hd-query textarea").fill("điện toán đám mây")
    page.get_by_text("Bộ lọc").click()
    page.locator("#hd-s-doc input").click()
    page.get_by_role("option", name="Kế hoạch số 888/KH-UBND", exact=False).click()
    page.locator("#hd-find").click()
    page.wait_for_function(
        "document.querySelector('#hd-results .hd-count') && "
        "document.querySelector('#hd-results .hd-count').innerText.includes('điện toán đám mây')",
        timeout=SLOW_MS,
    )
    refs = page.locator("#hd-results .hd-reference").all_text_contents()  # folded cards too
    assert refs and all(r.startswith("Kế hoạch số 888/KH-UBND") for r in refs)
    assert "điện toán đám mây" in [m.lower() for m in page.locator("#hd-results mark").all_inner_texts()]
    shot(page, "search")


def test_search_without_a_relevant_hit_says_so_first(page):
    search_for(page, "xyzqwv", ".hd-notfound")
    results = page.locator("#hd-results")
    first = results.locator(".hd-results > *").first
    assert "Không tìm thấy đoạn văn bản nào liên quan đến “xyzqwv”" in first.inner_text()
    assert results.locator(".hd-count").count() == 0  # no "2 kết quả"
    related = results.locator("details.hd-related")
    if related.count():  # the nearest passages, if any, are labelled and folded away
        assert "có thể không liên quan" in related.locator("summary").inner_text()
        assert not results.locator(".hd-card").first.is_visible()
    assert in_view(page, "#hd-results .hd-notfound")
    assert english_left(page) == []
    shot(page, "search-no-result", full_page=False)


def test_trainer_builds_and_downloads_docx(page, tmp_path):
    import docx

    open_tab(page, "Tài liệu tập huấn")
    page.locator("#hd-topic textarea").fill("điện toán đám mây")
    page.locator("#hd-build").click()
    page.wait_for_selector("#hd-preview .hd-handout", timeout=SLOW_MS)
    preview = page.locator("#hd-preview").inner_text()
    assert "100%" in preview and "Nguồn:" in preview
    def download_docx() -> list[str]:
        with page.expect_download() as dl:
            page.locator("#hd-dl-docx").click()
        path = tmp_path / f"{time.monotonic_ns()}-{dl.value.suggested_filename}"
        dl.value.save_as(path)
        assert path.suffix == ".docx"
        return [p.text for p in docx.Document(str(path)).paragraphs]

    full = download_docx()
    text = "\n".join(full)
    assert "Tài liệu tập huấn: điện toán đám mây" in text
    assert "100% dịch vụ Trung tâm dữ liệu" in text
    assert "(Nguồn: Kế hoạch số 888/KH-UBND ngày 15/9/2023 của UBND tỉnh Thanh Hóa" in text

    # the trainer removes one drafted item; the download follows the selection
    items = page.locator("#hd-items input[type=checkbox]")
    assert items.count() >= 2
    items.first.uncheck()
    page.wait_for_timeout(2000)
    fewer = download_docx()
    missing = [p for p in full if p not in fewer]
    assert len(missing) == 1 and "(Nguồn: " in missing[0]
    with page.expect_download() as dl_md:
        page.locator("#hd-dl-md").click()
    md_path = tmp_path / dl_md.value.suggested_filename
    dl_md.value.save_as(md_path)
    assert "*Nguồn: Kế hoạch số 888/KH-UBND" in md_path.read_text(encoding="utf-8")
    shot(page, "trainer")

    # a document with markup stays text in the trainer tab too
    page.locator("#hd-topic textarea").fill("kiểm tra hiển thị an toàn")
    page.locator("#hd-build").click()
    page.wait_for_function(
        "document.querySelector('#hd-preview') && document.querySelector('#hd-preview').innerText.includes('alert(1)')",
        timeout=SLOW_MS,
    )
    assert "<script>alert(1)</script>" in page.locator("#hd-preview").inner_text()
    no_markup_from_documents(page, "#hd-preview")
    no_markup_from_documents(page, "#hd-items")


def test_documents_tab_and_admin_upload_delete(page, server, tmp_path):
    open_tab(page, "Tài liệu")
    table = page.locator("#hd-docs")
    table.locator("table").wait_for()
    assert "888/KH-UBND" in table.inner_text() and "15/9/2023" in table.inner_text()
    assert "<script>alert(1)</script>" in table.inner_text()
    no_markup_from_documents(page, "#hd-docs")
    shot(page, "documents")

    page.get_by_text("Quản trị tài liệu").click()
    new_doc = tmp_path / "Kế hoạch thử nghiệm 5G.txt"
    new_doc.write_text(
        "KẾ HOẠCH\nThử nghiệm mạng 5G tại khu công nghiệp\n\n1. Mục tiêu\n"
        "Phủ sóng 5G tại 60% khu công nghiệp Nghi Sơn đến năm 2025.\n",
        encoding="utf-8",
    )
    page.locator("#hd-files input[type=file]").set_input_files(str(new_doc))
    page.wait_for_timeout(1500)
    page.locator("#hd-password input").fill("sai mật khẩu")
    page.locator("#hd-upload").click()
    page.wait_for_function("document.querySelector('#hd-admin-status').innerText.includes('không đúng')")
    page.locator("#hd-password input").fill(PASSWORD)
    page.locator("#hd-upload").click()
    page.wait_for_function(
        "document.querySelector('#hd-admin-status').innerText.includes('Đã lập chỉ mục')", timeout=SLOW_MS
    )
    assert (server[1] / "corpus" / "Kế hoạch thử nghiệm 5G.txt").exists()
    page.wait_for_function("document.querySelector('#hd-docs').innerText.includes('Thử nghiệm mạng 5G')")
    shot(page, "documents-after-upload")

    page.locator("#hd-admin-victim input").click()
    page.get_by_role("option", name="Kế hoạch thử nghiệm 5G.txt", exact=False).click()
    page.locator("#hd-remove").click()
    page.wait_for_function(
        "document.querySelector('#hd-admin-status').innerText.includes('xóa 1')", timeout=SLOW_MS
    )
    page.wait_for_function("!document.querySelector('#hd-docs').innerText.includes('Thử nghiệm mạng 5G')")
    assert not (server[1] / "corpus" / "Kế hoạch thử nghiệm 5G.txt").exists()


def test_documents_tab_relations_panel_and_validity_form(page, server):
    """Two plans of the province join the corpus; the administrator marks the sample plan outdated
    from the form (a bad số hiệu is refused first), the panel shows it, then everything is undone."""
    corpus = server[1] / "corpus"
    relations = FIXTURES.parent / "relations"
    added = [shutil.copy(relations / f"{name}.txt", corpus) for name in (
        "ke_hoach_225_ha_tang_so_2023_2025", "ke_hoach_178_ha_tang_so_2025_2030")]
    panel = page.locator("#hd-relations")
    reason = "Đã có Kế hoạch số 178/KH-UBND giai đoạn 2025 - 2030."

    def pick(selector: str, option: str) -> None:
        page.locator(f"{selector} input").click()
        page.get_by_role("option", name=option, exact=False).first.click()

    def save_and_wait(condition: str) -> None:
        page.locator("#hd-validity-save").click()
        try:
            page.wait_for_function(
                f"(() => {{ const t = document.querySelector('#hd-relations').innerText; return {condition}; }})()",
                timeout=SLOW_MS,
            )
        except Exception:
            shot(page, "documents-relations-timeout")
            raise

    try:
        open_tab(page, "Tài liệu")
        pick("#hd-rel-doc", "888/KH-UBND")
        panel.get_by_text("Hết thời kỳ áp dụng").first.wait_for()  # 2023-2025, judged today
        page.get_by_text("Cập nhật hiệu lực và quan hệ").click()
        page.wait_for_timeout(800)  # the form loads the document's (empty) sidecar
        page.locator("#hd-validity-password input").fill(PASSWORD)
        page.locator("#hd-validity-newer textarea").fill("Kế hoạch mới")
        page.locator("#hd-validity-save").click()
        page.wait_for_function(
            "document.querySelector('#hd-validity-message').innerText.includes('không đúng dạng')"
        )
        page.locator("#hd-validity-newer textarea").fill("178/KH-UBND")
        page.locator("#hd-validity-reason textarea").fill(reason)
        pick("#hd-validity-status", "Bị thay thế")
        save_and_wait(f"t.includes('Bị thay thế') && t.includes({reason[:-1]!r}) && t.includes('Kế hoạch số 178/KH-UBND')")
        assert "chưa lập chỉ mục" not in panel.inner_text().split("Văn bản mới hơn cùng chủ đề")[1].split("\n")[1]
        shot(page, "documents-relations")
        pick("#hd-rel-open", "178/KH-UBND")  # move to the newer plan: its Căn cứ list, in and out of the corpus
        panel.get_by_text("Văn bản cũ hơn cùng chủ đề").wait_for()
        assert "Quyết định số 749/QĐ-TTg" in panel.inner_text() and "chưa lập chỉ mục" in panel.inner_text()
        panel.screenshot(path=str(DOCS_RELATIONS_SHOT))
    finally:
        for f in added:
            Path(f).unlink(missing_ok=True)
        pick("#hd-rel-doc", "888/KH-UBND")
        page.wait_for_function(  # the form shows the sidecar just written
            f"document.querySelector('#hd-validity-reason textarea').value === {reason!r}"
        )
        pick("#hd-validity-status", "Theo nội dung văn bản")
        for field in ("reason", "newer"):
            page.locator(f"#hd-validity-{field} textarea").fill("")
        save_and_wait("t.includes('Hết thời kỳ áp dụng') && !t.includes('178/KH-UBND')")
        assert "Đã lập chỉ mục" in page.locator("#hd-validity-message").inner_text()
    assert not (corpus / "ke_hoach_mau_e2e.meta.json").exists()


def test_disabled_admin_fields_look_disabled(server, context):
    """A second app over the same index, with no admin password: its admin fields are off, and look it."""
    url, work = server
    env = {k: v for k, v in os.environ.items() if k != "HOIDAP_ADMIN_PASSWORD"}
    env.update(HOIDAP_CORPUS=str(work / "corpus"), HOIDAP_INDEX=str(work / "index"),
               HOIDAP_CACHE_DIR=str(TEST_CACHE_DIR), HOIDAP_FEEDBACK=str(work / "feedback-2.jsonl"))
    with _app(work, env, "server-no-password.log") as url2:
        page = context.new_page()
        page.goto(url2)
        open_tab(page, "Tài liệu")
        field = page.locator("#hd-password input")
        field.wait_for()
        assert field.is_disabled()
        style = field.evaluate(
            "e => { const s = getComputedStyle(e); return [s.cursor, s.opacity, s.borderStyle, s.backgroundImage]; }"
        )
        assert style[0] == "not-allowed" and float(style[1]) < 1 and style[2] == "dashed"
        assert "gradient" in style[3]
        shot(page, "documents-admin-disabled")
        page.close()


def test_named_api_endpoints(server):
    from gradio_client import Client

    client = Client(server[0], verbose=False)
    assert {"/ask", "/search"} <= set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
    out = client.predict(QUESTION, api_name="/ask")
    assert out["found"] and "100%" in out["answer"] and out["question"] == QUESTION
    assert out["citations"][0]["reference"].startswith("Kế hoạch số 888/KH-UBND")
    res = client.predict("ha tang so", 3, api_name="/search")
    assert res["query"] == "ha tang so" and 1 <= len(res["hits"]) <= 3
    assert {"doc_id", "title", "section", "text", "score", "source"} <= set(res["hits"][0])
    with pytest.raises(Exception) as e:
        client.predict("   ", api_name="/ask")
    assert "Vui lòng nhập câu hỏi" in str(e.value)


def test_no_request_left_loopback_and_nothing_ran(page, server, browser_log):
    # visit every tab here too, so this check means something even when run alone
    for name in ("Tra cứu", "Tài liệu tập huấn", "Tài liệu", "Hỏi đáp"):
        open_tab(page, name)
        page.wait_for_timeout(300)
    hosts = {urlsplit(u).hostname for u in browser_log["urls"] if urlsplit(u).scheme in ("http", "https", "ws", "wss")}
    assert browser_log["urls"], "the browser tests did not run"
    assert hosts <= {"127.0.0.1"}, f"requests left the machine: {hosts}"
    assert browser_log["dialogs"] == [], f"a dialog fired (document markup ran?): {browser_log['dialogs']}"
    log = (server[1] / "server.log").read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]
