"""An administrator's status and relations for a document: the form's checks (Vietnamese messages)."""
from __future__ import annotations

import pytest

from hoidap.admin import AdminError
from hoidap.overrides import RelationsForm, save_overrides
from indexer.relations import parse_sidecar


def test_form_checked_into_sidecar_values():
    form = RelationsForm(
        status="Hết thời kỳ áp dụng", reason="  Đã có  Kế hoạch 178. ", period="2023 – 2025", effective="15/9/2023",
        newer="178/KH-UBND", based_on="749/QĐ-TTg; 06-NQ/TU\n749/QĐ-TTg", implements="",
    )
    assert form.to_overrides() == {
        "status": "het_thoi_ky", "reason": "Đã có Kế hoạch 178.", "period": "2023-2025", "effective": "2023-09-15",
        "newer": ["178/KH-UBND"], "based_on": ["749/QĐ-TTg", "06-NQ/TU"],
    }
    assert RelationsForm(status="chua_hieu_luc", period="2030").to_overrides() == {"status": "chua_hieu_luc", "period": "2030"}
    assert RelationsForm().to_overrides() == {}


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (RelationsForm(status="còn hiệu lực một phần"), "Trạng thái “còn hiệu lực một phần” không hợp lệ"),
        (RelationsForm(replaced_by="176 QĐ-UBND"), "Bị thay thế bởi: số hiệu “176 QĐ-UBND” không đúng dạng"),
        (RelationsForm(newer="178/KH-UBND, Kế hoạch mới"), "Văn bản mới hơn: số hiệu “Kế hoạch mới” không đúng dạng"),
        (RelationsForm(period="2025-2023"), "Giai đoạn “2025-2023” không đúng dạng"),
        (RelationsForm(effective="31/2/2024"), "Ngày “31/2/2024” không hợp lệ"),
    ],
)
def test_bad_input_refused_in_vietnamese(form, message):
    with pytest.raises(AdminError) as err:
        form.to_overrides()
    assert err.value.message_vi.startswith(message)


def test_save_writes_nothing_on_bad_input(tmp_path):
    (tmp_path / "ke_hoach.txt").write_text("KẾ HOẠCH\nPhát triển hạ tầng số", encoding="utf-8")
    path = save_overrides(tmp_path, "ke_hoach.txt", RelationsForm(status="het_thoi_ky", newer="178/KH-UBND"))
    before = path.read_bytes()
    with pytest.raises(AdminError):
        save_overrides(tmp_path, "ke_hoach.txt", RelationsForm(status="het_thoi_ky", newer="178-KH"))
    assert path.read_bytes() == before and parse_sidecar(before)["newer"] == ["178/KH-UBND"]
    with pytest.raises(AdminError):
        save_overrides(tmp_path, "../ngoai.txt", RelationsForm(status="het_thoi_ky"))
    assert RelationsForm.from_overrides(parse_sidecar(before)) == RelationsForm(status="het_thoi_ky", newer="178/KH-UBND")
    save_overrides(tmp_path, "ke_hoach.txt", RelationsForm())
    assert not path.exists()  # an empty form removes the sidecar: the text decides again
