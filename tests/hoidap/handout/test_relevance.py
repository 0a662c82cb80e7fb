"""Relevance: the topic decides what a handout holds (issue 14: the topic was ignored)."""
from __future__ import annotations

from handout_samples import draft

from hoidap import handout as HO
from hoidap.handout.relevance import mentions


def test_topic_words_must_occur_in_order_and_close_together():
    topic = HO.TopicMention("hạ tầng số")
    assert mentions("Đối với hạ tầng công nghệ số, Thanh Hoá phấn đấu", topic.words, topic.folded)
    assert not mentions("đầu tư hạ tầng viễn thông, công nghệ thông tin; phục vụ chuyển đổi số", topic.words, False)
    assert not mentions("hạ tầng của Sở Tài chính", topic.words, False)  # "sở" is not "số"
    unaccented = HO.TopicMention("ha tang so")
    assert unaccented.folded and mentions("Phát triển hạ tầng số đồng bộ", unaccented.words, True)


def test_unrelated_topic_gives_an_empty_handout(vov_hits):
    ho = draft("bảo hiểm y tế", vov_hits)
    assert not ho.groups and not ho.targets and not ho.questions


def test_different_topics_give_different_handouts(vov_hits):
    infra = draft("hạ tầng số", vov_hits)
    digital = draft("chuyển đổi số", vov_hits)
    infra_texts = {t.text for t in infra.targets}
    digital_texts = {t.text for t in digital.targets}
    assert infra_texts != digital_texts
    assert any("top 10" in t for t in digital_texts)
    assert not any("mạng 4G" in t or "điện toán đám mây" in t for t in digital_texts)
    for wanted in ("Nâng cao chất lượng mạng 4G", "triển khai mạng 5G", "Phổ cập Internet băng rộng",
                   "100% dịch vụ Trung tâm dữ liệu"):
        assert any(wanted in t for t in infra_texts), wanted


def test_the_relevance_predicate_is_pluggable(vov_hits):
    only_5g = HO.build_handout("hạ tầng số", vov_hits, relevant=lambda hit: "mạng 5G" in hit.passage.text)
    assert only_5g.targets and all(t.passage_id == only_5g.targets[0].passage_id for t in only_5g.targets)
    assert any("5G" in t.text for t in only_5g.targets)
    assert not any("top 10" in t.text for t in only_5g.targets)
