"""Documents in relation through the real engine: a real index of tests/fixtures/relations."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from hoidap.relations import SUPERSEDED_PENALTY
from hoidap.retrieve import SearchFilter

FIXTURES = Path(__file__).parents[1] / "fixtures" / "relations"
OLD, NEW = "ke_hoach_225_ha_tang_so_2023_2025", "ke_hoach_178_ha_tang_so_2025_2030"


@pytest.fixture(scope="module")
def engine(base_settings, embedder, tmp_path_factory):
    from hoidap.engine import Engine

    root = tmp_path_factory.mktemp("relations")
    corpus = root / "corpus"
    shutil.copytree(FIXTURES, corpus)
    engine = Engine(base_settings.with_(corpus_dir=corpus, index_dir=root / "index"), embedder=embedder)
    engine.index()
    engine.searcher.today = dt.date(2026, 1, 10)
    return engine


def test_hits_carry_status_period_and_newer(engine):
    hits = engine.search("mục tiêu phủ sóng di động hạ tầng số Thanh Hóa", k=10)
    by_doc = {h.passage.doc_id: h.to_json() for h in hits}
    old, new = by_doc[OLD], by_doc[NEW]
    assert (old["status"], old["period"]) == ("het_thoi_ky", "2023–2025")
    assert old["newer"][0]["doc_id"] == NEW
    assert old["notice"].startswith("Kế hoạch này áp dụng giai đoạn 2023–2025; văn bản mới hơn: Kế hoạch số 178/KH-UBND")
    assert (new["status"], new["period"], new.get("newer")) == ("con_hieu_luc", "2025–2030", None)
    json.dumps(by_doc, ensure_ascii=False)


def test_current_document_ranks_first_when_both_answer(engine):
    hits = engine.search("tốc độ truy cập Internet băng rộng cố định đạt tối thiểu bao nhiêu", k=10)
    docs = [h.passage.doc_id for h in hits]
    assert docs.index(NEW) < docs.index(OLD)
    assert 0 < SUPERSEDED_PENALTY <= 0.1


def test_current_only_filter(engine):
    hits = engine.search("tốc độ truy cập Internet băng rộng", k=20, filters=SearchFilter(current_only=True))
    docs = {h.passage.doc_id for h in hits}
    assert NEW in docs and OLD not in docs and "quyet_dinh_1245_quy_che_cu" not in docs


def test_answer_citations_carry_status(engine):
    answer = engine.ask("Kế hoạch 225 đặt mục tiêu tốc độ Internet băng rộng di động bao nhiêu?")
    assert answer.found
    cited = {c.doc_id: c.to_json() for c in answer.citations}
    assert OLD in cited and cited[OLD]["status"] == "het_thoi_ky" and cited[OLD]["newer"][0]["doc_id"] == NEW


def test_deferring_sentence_cites_the_provision(engine):
    answer = engine.ask("Hành vi bị nghiêm cấm trong giao dịch điện tử bị xử lý như thế nào?")
    assert answer.found
    deferring = [c for c in answer.citations if c.references]
    assert deferring, [c.excerpt for c in answer.citations]
    target = answer.citations[deferring[0].references[0] - 1]
    assert "Điều 5" in target.reference and target.referenced_as.startswith("Điều 5")
    assert all(clause in target.excerpt for clause in ("1. Lợi dụng", "2. Cản trở", "3. Thay đổi"))  # the whole article


def test_renamed_agency_found_by_new_name_and_noted(engine):
    hits = engine.search("Sở Khoa học và Công nghệ có nhiệm vụ gì trong Kế hoạch 225", k=5)
    top = [h for h in hits if h.passage.doc_id == OLD and "Sở Thông tin và Truyền thông" in h.passage.text]
    assert top, [(h.passage.doc_id, h.passage.text[:60]) for h in hits]
    assert top[0].relation["notes"] == ["Sở Thông tin và Truyền thông (nay là Sở Khoa học và Công nghệ, từ 1/3/2025)"]


def test_sidecar_change_reindexes_the_document(engine, tmp_path):
    corpus = Path(engine.settings.corpus_dir)
    sidecar = corpus / f"{NEW}.meta.json"
    sidecar.write_text('{"status": "het_hieu_luc", "reason": "Thử nghiệm."}', encoding="utf-8")
    try:
        report = engine.index()
        assert report.changed == [f"{NEW}.txt"] and report.embedded_passages > 0
        rel = engine.searcher.relations().get(NEW)
        assert (rel.status, rel.reason) == ("het_hieu_luc", "Thử nghiệm.")
    finally:
        sidecar.unlink()
        engine.index()


def test_documents_tab_panel_and_cards(engine):
    from hoidap.web.blocks import App
    from hoidap.web.settings import WebSettings

    app = App(engine, WebSettings())
    html, related = app.relations.show(NEW)
    assert "Còn hiệu lực" in html and "2025–2030" in html
    assert "Quyết định số 749/QĐ-TTg ngày 3/6/2020 của Thủ tướng Chính phủ" in html and "chưa lập chỉ mục" in html
    assert ("Căn cứ: " + "Quyết định số 176/QĐ-UBND ngày 12/1/2024 của Chủ tịch UBND tỉnh", "quyet_dinh_176_quy_che") in [
        tuple(c) for c in related.constructor_args["choices"]
    ]
    old_html, _ = app.relations.show(OLD)
    assert "Hết thời kỳ áp dụng" in old_html and "Văn bản mới hơn cùng chủ đề" in old_html
    cards = app.search.search("mục tiêu phủ sóng di động 4G", "", "", "", 5)
    assert "hd-validity" in cards and "văn bản mới hơn" in cards
    current = app.search.search("mục tiêu phủ sóng di động 4G", "", "", "", 5, True)
    assert "225/KH-UBND" not in current


def test_cross_references_resolve_to_passages(engine):
    view = engine.searcher.relations()
    law = "luat_giao_dich_dien_tu_trich"
    clause3 = next(p for p in view.passages_of(law) if p.text.startswith("3. Việc bồi thường"))
    refs = view.references(law, clause3.text, clause3.section_path)
    assert [(r.text, r.section_path[-1][:10]) for r in refs] == [("khoản 2 Điều này", "2. Trường ")]
    plan = next(p for p in view.passages_of(NEW) if p.text.startswith("c) Danh mục chỉ tiêu"))
    refs = view.references(NEW, plan.text, plan.section_path)
    assert refs[0].text == "Phụ lục I" and refs[0].section_path[0].startswith("PHỤ LỤC I")
    preamble = view.passages_of(NEW)[1]
    targets = {r.doc_id for r in view.references(NEW, preamble.text, preamble.section_path)}
    assert {OLD, "quyet_dinh_176_quy_che"} <= targets  # "Kế hoạch số 225/KH-UBND", "Quyết định số 176/QĐ-UBND"


def test_engine_sets_status_and_relations_of_one_document(engine):
    from hoidap.overrides import RelationsForm

    assert engine.document_overrides("quyet_dinh_1245_quy_che_cu").replaced_by == "176/QĐ-UBND"  # the fixture's sidecar
    form = RelationsForm(status="het_hieu_luc", reason="Bãi bỏ theo Quyết định số 999/QĐ-UBND.", replaced_by="999/QĐ-UBND")
    try:
        report = engine.set_document_overrides(NEW, form)
        assert report.changed == [f"{NEW}.txt"] and not report.added  # only that document is re-indexed
        rel = engine.searcher.relations().get(NEW)
        assert (rel.status, rel.reason) == ("het_hieu_luc", "Bãi bỏ theo Quyết định số 999/QĐ-UBND.")
        assert [(link.number, link.doc_id) for link in rel.replaced_by] == [("999/QĐ-UBND", "")]
        assert engine.document_overrides(NEW) == form
    finally:
        engine.set_document_overrides(NEW, RelationsForm())
    assert engine.searcher.relations().get(NEW).is_current and not (engine.settings.corpus_dir / f"{NEW}.meta.json").exists()


def test_documents_tab_sets_status_as_administrator(engine):
    from hoidap.web.blocks import App
    from hoidap.web.settings import WebSettings

    app = App(engine, WebSettings(admin_password="mat-khau"))
    app.ctx.gate.fail_delay = 0
    empty = [""] * 7  # reason .. implements after the status
    html, timer = app.validity.save("sai", NEW, "het_thoi_ky", *empty)
    assert "Mật khẩu quản trị không đúng" in html and not timer.constructor_args["active"]
    html, _ = app.validity.save("mat-khau", NEW, "hết hạn", *empty)
    assert "Trạng thái “hết hạn” không hợp lệ" in html
    html, _ = app.validity.save("mat-khau", NEW, "", "", "", "", "", "", "Kế hoạch 300", "", "")
    assert "Văn bản mới hơn: số hiệu “Kế hoạch 300” không đúng dạng" in html
    assert not (engine.settings.corpus_dir / f"{NEW}.meta.json").exists()  # nothing written
    try:
        values = ["het_thoi_ky", "Đã có kế hoạch giai đoạn sau.", "2025-2026", "", "", "", "", "", ""]
        html, timer = app.validity.save("mat-khau", NEW, *values)
        assert "Đã lưu thông tin hiệu lực" in html and timer.constructor_args["active"]
        assert app.ctx.reindexer.wait(120)
        message, timer, panel, _related, documents = app.validity.poll(NEW)
        assert documents.constructor_args["value"] == NEW
        assert "Đã lập chỉ mục" in message and "giữ nguyên" in message
        assert "Hết thời kỳ áp dụng" in panel and "Đã có kế hoạch giai đoạn sau." in panel and "2025–2026" in panel
        assert app.validity.load(NEW) == values
    finally:
        app.validity.save("mat-khau", NEW, "", *empty)
        app.ctx.reindexer.wait(120)
    assert "Còn hiệu lực" in app.validity.poll(NEW)[2]


def test_not_yet_in_force_and_implementing_plan_on_the_panel(engine):
    from hoidap.web.blocks import App
    from hoidap.web.settings import WebSettings

    app = App(engine, WebSettings())
    html, related = app.relations.show(NEW)
    assert "<h4>Được thực hiện bởi</h4><ul><li>Kế hoạch số 95/KH-UBND" in html
    assert ("Được thực hiện bởi: Kế hoạch số 95/KH-UBND ngày 19/9/2025 của UBND thị xã Nghi Sơn",
            "ke_hoach_95_nghi_son_trien_khai_178") in [tuple(c) for c in related.constructor_args["choices"]]
    plan, _ = app.relations.show("ke_hoach_95_nghi_son_trien_khai_178")
    assert "<h4>Thực hiện</h4>" in plan and "Công văn số 4120/UBND-KTTC" in plan and "chưa lập chỉ mục" in plan
    engine.searcher.today = dt.date(2024, 1, 20)
    try:
        html, _ = app.relations.show("quyet_dinh_176_quy_che")
        assert "Chưa có hiệu lực" in html and "có hiệu lực từ ngày 1/2/2024" in html
        hit = next(h for h in engine.search("quy chế trung tâm dữ liệu tỉnh", k=10)
                   if h.passage.doc_id == "quyet_dinh_176_quy_che")
        assert hit.to_json()["status"] == "chua_hieu_luc"
    finally:
        engine.searcher.today = dt.date(2026, 1, 10)


def test_cli_json_carries_status_period_and_newer(engine, capsys):
    """The floor of issue 13, through `hoidap search/ask --json` (validity judged at the real date, after 2025)."""
    from hoidap.cli import main

    s = engine.settings
    common = ["--index", str(s.index_dir), "--cache-dir", str(s.cache_dir), "--json", "--k", "10"]
    assert main(["search", "tốc độ truy cập Internet băng rộng di động", *common]) == 0
    hits = {h["doc_id"]: h for h in json.loads(capsys.readouterr().out)["hits"]}
    assert (hits[OLD]["status"], hits[OLD]["period"], hits[OLD]["newer"][0]["number"]) == (
        "het_thoi_ky", "2023–2025", "178/KH-UBND"
    )
    assert (hits[NEW]["status"], hits[NEW]["period"], "newer" in hits[NEW]) == ("con_hieu_luc", "2025–2030", False)
    assert main(["search", "tốc độ truy cập Internet băng rộng di động", *common, "--current"]) == 0
    assert OLD not in {h["doc_id"] for h in json.loads(capsys.readouterr().out)["hits"]}
    assert main(["ask", "Kế hoạch 225 đặt mục tiêu tốc độ Internet băng rộng di động bao nhiêu?", *common]) == 0
    cited = {c["doc_id"]: c for c in json.loads(capsys.readouterr().out)["citations"]}
    assert cited[OLD]["status"] == "het_thoi_ky" and cited[OLD]["period"] == "2023–2025"
    assert cited[OLD]["newer"][0]["doc_id"] == NEW
