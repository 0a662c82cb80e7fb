"""Period, validity, "Căn cứ" list, sidecar, renamed agencies and the relation graph, on real text."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from indexer.relations import (
    Period,
    SidecarError,
    build_relations,
    cited_documents,
    explicit_relations,
    extract_effective,
    extract_period,
    load_renames,
    name_pairs,
    notice,
    parse_sidecar,
    renamed_in,
    write_sidecar,
)


@pytest.fixture(scope="module")
def docs(relation_docs):
    return relation_docs


def test_period_from_title_and_horizon():
    assert extract_period("Phát triển hạ tầng số tỉnh Thanh Hóa giai đoạn 2023 - 2025", "") == Period(2023, 2025)
    p = extract_period("Chuyển đổi số tỉnh Thanh Hóa đến năm 2025, định hướng đến năm 2030", "")
    assert p == Period(None, 2025) and p.label == "đến năm 2025"
    assert extract_period("Ban hành Quy chế quản lý, vận hành Trung tâm dữ liệu", "Điều 1. ...") is None


def test_effective_date_and_explicit_relations(docs):
    assert extract_effective(docs["ke_hoach_225_ha_tang_so_2023_2025"].text, "2023-09-15") == "2023-09-15"
    qd176 = docs["quyet_dinh_176_quy_che"].text
    assert extract_effective(qd176) == "2024-02-01"
    assert [(r.kind, r.number) for r in explicit_relations(qd176)] == [("thay_the", "1245/QĐ-UBND")]
    law = docs["luat_giao_dich_dien_tu_trich"].text
    assert extract_effective(law) == "2024-07-01"
    assert [(r.kind, r.number) for r in explicit_relations(law)] == [("het_hieu_luc", "51/2005/QH11")]


def test_can_cu_list_of_plan_178(docs):
    cited = cited_documents(docs["ke_hoach_178_ha_tang_so_2025_2030"].text)
    assert [c.number for c in cited] == [
        "749/QĐ-TTg", "411/QĐ-TTg", "06-NQ/TU", "176/QĐ-UBND", "885/QĐ-BTTTT", "3115/BTTTT-CVT"
    ]
    first = cited[0]
    assert (first.doc_type, first.date, first.issuer) == ("Quyết định", "2020-06-03", "Thủ tướng Chính phủ")
    assert first.label == "Quyết định số 749/QĐ-TTg ngày 3/6/2020 của Thủ tướng Chính phủ"
    laws = cited_documents(docs["quyet_dinh_176_quy_che"].text)[:2]
    assert [(c.doc_type, c.number, c.date) for c in laws] == [("Luật", "", "2015-06-19"), ("Luật", "", "2006-06-29")]
    assert laws[0].label == "Luật Tổ chức chính quyền địa phương ngày 19/6/2015"


def test_graph_status_links_and_notice(docs):
    rel = build_relations(docs.values(), today=dt.date(2026, 1, 10))
    old, new = rel["ke_hoach_225_ha_tang_so_2023_2025"], rel["ke_hoach_178_ha_tang_so_2025_2030"]
    assert old.status == "het_thoi_ky" and "2023–2025" in old.reason
    assert [link.doc_id for link in old.newer] == ["ke_hoach_178_ha_tang_so_2025_2030"]
    assert new.is_current and not new.newer
    assert notice(old, docs["ke_hoach_225_ha_tang_so_2023_2025"], rel) == (
        "Kế hoạch này áp dụng giai đoạn 2023–2025; văn bản mới hơn: "
        "Kế hoạch số 178/KH-UBND ngày 25/8/2025 của UBND tỉnh Thanh Hóa (2025–2030)"
    )
    linked = {link.number: link.doc_id for link in new.based_on}
    assert linked["176/QĐ-UBND"] == "quyet_dinh_176_quy_che" and linked["749/QĐ-TTg"] == ""
    assert [link.doc_id for link in rel["quyet_dinh_176_quy_che"].cited_by] == ["ke_hoach_178_ha_tang_so_2025_2030"]
    assert [link.doc_id for link in rel["quyet_dinh_176_quy_che"].replaces] == ["quyet_dinh_1245_quy_che_cu"]
    replaced = rel["quyet_dinh_1245_quy_che_cu"]
    assert [link.doc_id for link in replaced.replaced_by] == ["quyet_dinh_176_quy_che"]
    assert replaced.status == "het_hieu_luc" and "xác nhận của Văn phòng" in replaced.reason  # the sidecar wins


def test_today_is_injectable(docs):
    rel = build_relations(docs.values(), today=dt.date(2024, 5, 1))
    assert rel["ke_hoach_225_ha_tang_so_2023_2025"].status == "con_hieu_luc"  # period not over yet


def test_replacement_without_sidecar(docs):
    bare = {k: dataclasses.replace(d, overrides={}) for k, d in docs.items()}
    r = build_relations(bare.values(), today=dt.date(2026, 1, 10))["quyet_dinh_1245_quy_che_cu"]
    assert r.status == "bi_thay_the"
    assert r.reason == (
        "Quyết định này đã bị thay thế theo Quyết định số 176/QĐ-UBND ngày 12/1/2024 của UBND tỉnh Thanh Hóa."
    )


def test_sidecar_checked_and_written(tmp_path):
    assert parse_sidecar('{"status": "het_thoi_ky", "newer": "178/KH-UBND"}'.encode()) == {
        "status": "het_thoi_ky", "newer": ["178/KH-UBND"]
    }
    with pytest.raises(SidecarError) as err:
        parse_sidecar(b'{"trang_thai": "x"}', "a.meta.json")
    assert "khóa không hỗ trợ" in err.value.message_vi
    with pytest.raises(SidecarError):
        parse_sidecar(b'{"status": "con hieu luc"}')
    doc = tmp_path / "ke_hoach.docx"
    path = write_sidecar(doc, {"status": "het_thoi_ky", "reason": "Đã có kế hoạch mới."})
    assert path.name == "ke_hoach.meta.json" and parse_sidecar(path.read_bytes())["status"] == "het_thoi_ky"
    write_sidecar(doc, {})
    assert not path.exists()


def test_renamed_agencies_table():
    table = load_renames()
    assert [r.note for r in renamed_in("Giao Sở Thông tin và Truyền thông chủ trì", table)] == [
        "Sở Thông tin và Truyền thông (nay là Sở Khoa học và Công nghệ, từ 1/3/2025)"
    ]
    assert name_pairs("nhiệm vụ của Sở Khoa học và Công nghệ", table) == [
        ("Sở Khoa học và Công nghệ", "Sở Thông tin và Truyền thông")
    ]


def test_not_yet_in_force_until_the_effective_date(docs):
    """Decision 176 takes effect on 1/2/2024: on 20/1/2024 it is not in force, and 1245, which it
    replaces, still is; the law (1/7/2024) too."""
    bare = {k: dataclasses.replace(d, overrides={}) for k, d in docs.items()}
    rel = build_relations(bare.values(), today=dt.date(2024, 1, 20))
    new, old = rel["quyet_dinh_176_quy_che"], rel["quyet_dinh_1245_quy_che_cu"]
    assert (new.status, new.status_vi) == ("chua_hieu_luc", "Chưa có hiệu lực")
    assert new.reason == "Quyết định này chưa có hiệu lực: có hiệu lực từ ngày 1/2/2024."
    assert notice(new, docs["quyet_dinh_176_quy_che"], rel) == new.reason.rstrip(".")
    assert old.is_current and old.reason.startswith("Quyết định này còn hiệu lực đến khi văn bản thay thế có hiệu lực")
    assert rel["luat_giao_dich_dien_tu_trich"].status == "chua_hieu_luc"
    later = build_relations(bare.values(), today=dt.date(2024, 2, 1))
    assert later["quyet_dinh_176_quy_che"].is_current and later["quyet_dinh_1245_quy_che_cu"].status == "bi_thay_the"


def test_thuc_hien_links_apart_from_can_cu(docs):
    """Plan 95 of thị xã Nghi Sơn "Thực hiện Kế hoạch số 178/KH-UBND" (indexed) and a Công văn (not)."""
    cited = cited_documents(docs["ke_hoach_95_nghi_son_trien_khai_178"].text)
    assert [(c.relation, c.number) for c in cited] == [
        ("can_cu", ""), ("thuc_hien", "178/KH-UBND"), ("thuc_hien", "4120/UBND-KTTC")
    ]
    rel = build_relations(docs.values(), today=dt.date(2026, 1, 10))
    plan = rel["ke_hoach_95_nghi_son_trien_khai_178"]
    assert [(link.number, link.doc_id) for link in plan.implements] == [
        ("178/KH-UBND", "ke_hoach_178_ha_tang_so_2025_2030"), ("4120/UBND-KTTC", "")
    ]
    assert [link.label for link in plan.based_on] == ["Luật Tổ chức chính quyền địa phương ngày 19/6/2015"]
    parent = rel["ke_hoach_178_ha_tang_so_2025_2030"]
    assert [link.doc_id for link in parent.implemented_by] == ["ke_hoach_95_nghi_son_trien_khai_178"]
    assert "ke_hoach_95_nghi_son_trien_khai_178" not in {link.doc_id for link in parent.cited_by}
    assert not plan.newer and not plan.older  # another issuer: not a plan of the province's series
