"""Gradio's own English in Vietnamese (hoidap.web.vietnamese): the dictionaries and the script."""
from __future__ import annotations

import re

from hoidap.web import vietnamese as V


def test_i18n_covers_the_chat_buttons_and_api_link_for_every_browser_locale():
    i18n = V.gradio_i18n().translations_dict
    assert i18n["en"] is i18n["vi"]  # Gradio has no "vi": an en/vi browser both get Vietnamese
    for key in ("chatbot.like", "chatbot.dislike", "chatbot.clear", "errors.use_via_api", "upload_text.drop_file"):
        assert key in i18n["vi"]
    assert i18n["vi"]["errors.use_via_api"] == "Dùng qua API"


def test_hardcoded_english_has_vietnamese_and_no_english_left_in_translations():
    for english in ("Liked", "Disliked", "Info", "Close", "Loading response"):
        assert V.HARDCODED_VI[english]
    english_words = re.compile(r"\b(Like|Dislike|Clear|Info|Close|Copy|Use|Loading)\b")
    for text in list(V.GRADIO_VI.values()) + list(V.HARDCODED_VI.values()):
        assert not english_words.search(text), text


def test_script_embeds_the_dictionary_and_rewrites_message_labels():
    assert '"Liked": "Đã đánh giá: hữu ích"' in V.LOCALIZE_JS
    assert "'s message: " in V.LOCALIZE_JS and '"bot": "Trả lời"' in V.LOCALIZE_JS
    assert V.LOCALIZE_JS.strip().startswith("<script>") and V.LOCALIZE_JS.strip().endswith("</script>")
