"""The "Hỏi đáp" tab: questions with cited answers, follow-ups, thumbs up/down.

The conversation state (a ``gr.State`` per browser session) holds the standalone
questions asked so far (for :func:`hoidap.followup.rewrite_followup`), the answer
records behind each chat message (for feedback) and a turn counter (for unique
citation anchors).
"""
from __future__ import annotations

import logging
from typing import Any

import gradio as gr

from hoidap.followup import rewrite_followup
from hoidap.ratelimit import RateLimited
from hoidap.retrieve import SearchFilter
from hoidap.validate import UserInputError, clean_query
from hoidap.web import feedback as F
from hoidap.web import render as R
from hoidap.web.context import WebContext, error_html
from hoidap.web.layout import EXAMPLES

log = logging.getLogger(__name__)

Message = dict[str, str]
#: {"questions": [standalone questions], "records": {message index: answer record}, "turn": n}
Conversation = dict[str, Any]


def new_conversation() -> Conversation:
    return {"questions": [], "records": {}, "turn": 0}


class Chat:
    """Event handlers of the chat tab (plain methods: callable from tests too)."""

    def __init__(self, ctx: WebContext) -> None:
        self.ctx = ctx

    def respond(
        self,
        message: str,
        history: list[Message] | None,
        conv: Conversation | None,
        current: bool = False,
        request: gr.Request = None,
    ) -> tuple[str, list[Message], Conversation]:
        """Answer one message; returns (text left in the box, chat history, conversation)."""
        history = list(history or [])
        conv = {**new_conversation(), **(conv or {})}
        typed = message or ""
        try:
            question = clean_query(typed)
        except UserInputError as exc:
            if exc.reason == "empty":
                gr.Info(exc.message_vi, title="Thông báo")
                return typed, history, conv
            return "", history + self._notice(typed, exc.message_vi), conv
        try:
            self.ctx.check_rate(request)
        except RateLimited as exc:
            return typed, history + self._notice(typed, exc.message_vi), conv
        rewrite = rewrite_followup(question, conv["questions"])
        conv["turn"] += 1
        anchor = f"cite-{conv['turn']}"
        note = f"Câu hỏi được hiểu là: “{rewrite.question}”" if rewrite.rewritten else ""
        try:
            answer = self.ctx.engine.ask(rewrite.question, filters=SearchFilter(current_only=True) if current else None)
            content = R.render_answer_html(answer, anchor, self.ctx.metas(), note)
            record = {"question": typed, "asked_as": rewrite.question, "answer": answer.to_json()}
            conv["questions"] = conv["questions"] + [rewrite.question]
        except Exception as exc:  # noqa: BLE001 - shown as a message, logged in English
            content = error_html(exc)
            record = None
        history += [{"role": "user", "content": R.esc(typed)}, {"role": "assistant", "content": content}]
        if record is not None:
            conv["records"] = {**conv["records"], len(history) - 1: record}
        return "", history, conv

    @staticmethod
    def _notice(typed: str, message_vi: str) -> list[Message]:
        """The typed text (shortened) and a warning in reply, without asking the engine."""
        return [
            {"role": "user", "content": R.esc(typed[:300])},
            {"role": "assistant", "content": R.render_message_html(message_vi, "warn")},
        ]

    def like(self, conv: Conversation | None, data: gr.LikeData) -> None:
        """Thumbs up/down on an answer: one row in the feedback file."""
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        record = (conv or {}).get("records", {}).get(index)
        if record is None:
            return
        row = F.feedback_record(record["question"], record["answer"], F.vote_of(data.liked), record["asked_as"])
        try:
            F.save_feedback(self.ctx.settings.feedback_path, row)
            gr.Info("Cảm ơn bạn đã góp ý!", title="Đã ghi nhận")
        except OSError:
            log.exception("cannot save feedback to %s", self.ctx.settings.feedback_path)
            gr.Warning("Không lưu được góp ý trên máy chủ.", title="Lỗi")

    @staticmethod
    def reset() -> tuple[list[Message], Conversation, str]:
        return [], new_conversation(), ""

    def build(self, private: dict[str, Any]) -> None:
        """The tab's components and events (inside ``gr.Tab``)."""
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
        conv = gr.State(new_conversation())
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
        with gr.Row():
            current = gr.Checkbox(False, label="Chỉ văn bản còn hiệu lực", elem_id="hd-current", scale=1)
            new_chat = gr.Button("Cuộc hội thoại mới", size="sm", variant="secondary", scale=1)

        ask_io = dict(fn=self.respond, inputs=[question, chat, conv, current], outputs=[question, chat, conv], **private)
        question.submit(**ask_io)
        send.click(**ask_io)
        for b, text in zip(example_buttons, EXAMPLES):
            b.click(lambda t=text: t, None, question, queue=False, **private).then(**ask_io)
        new_chat.click(self.reset, None, [chat, conv, question], **private)
        chat.clear(lambda: Chat.reset()[1], None, conv, **private)  # the chat's own trash button
        chat.like(self.like, [conv], None, **private)
