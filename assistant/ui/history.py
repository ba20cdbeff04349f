"""我的对话: the signed-in user's saved conversations beside the chat — list (title from the first question, date),
reopen with its follow-up context, start a new one, delete.

Every handler takes the owner from the session (gr.Request), never from the page, so one user cannot list, open or
delete another's conversation even with a crafted request (office/conversations.py matches the owner in SQL).
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.ui import cards as ui_cards
from assistant.ui.cards import markdown_safe
from assistant.ui.services import Services, friendly

EMPTY_SOURCES = "提问后，这里列出回答所依据的条文和段落。"


def build(services: Services) -> dict[str, Any]:
    """The panel's components: the list, the picked id, 新对话 and 删除此对话 (wired by `wire` once the chat exists)."""
    gr.Markdown("### 我的对话")
    new = gr.Button("新对话", size="sm", elem_id="gl-conversation-new")
    listing = gr.Radio(choices=[], value=None, show_label=False, elem_id="gl-conversations",
                       elem_classes="gl-conversations")
    delete = gr.Button("删除此对话", size="sm", variant="stop", elem_id="gl-conversation-delete")
    # The id the page is showing. The list only shows it: a Radio accepts only values among the choices its session
    # was sent, which an API client never gets, so open and delete take this number (`conversation_open` API).
    picked = gr.Number(value=None, precision=0, visible=False, elem_id="gl-conversation-picked")
    return {"listing": listing, "picked": picked, "new": new, "delete": delete}


def wire(services: Services, panel: dict[str, Any], chat: dict[str, Any]) -> tuple[Any, list]:
    """Connect the panel to the chat's components (question, chatbot, pairs, sources, tools, last, conversation)
    and the events after which an answer has been saved (`answered`); returns the page-load refresher and its output."""
    listing, picked, new, delete = panel["listing"], panel["picked"], panel["new"], panel["delete"]
    shown = [chat["question"], chat["chatbot"], chat["pairs"], chat["sources"], chat["tools"], chat["last"],
             chat["conversation"]]

    def open_one(conversation_id: float | None, request: gr.Request) -> tuple:
        if conversation_id in (None, ""):
            raise gr.Error("请先在“我的对话”中选择一个对话。")
        owner = services.gate.actor(request).owner
        conversation = services.conversations.get(owner, conversation_id)
        messages = []
        for turn in conversation.turns:
            messages.append({"role": "user", "content": markdown_safe(turn.question)})
            messages.append({"role": "assistant", "content": markdown_safe(turn.answer)})
        return ("", messages, conversation.history(), ui_cards.empty("继续提问，右侧显示新回答的出处。"), "", None,
                conversation.id)

    def delete_one(conversation_id: float | None, request: gr.Request) -> tuple:
        if conversation_id in (None, ""):
            raise gr.Error("请先在“我的对话”中选择要删除的对话。")
        owner = services.gate.actor(request).owner
        services.conversations.delete(owner, conversation_id)
        return (*_blank(), listing_update(services, owner, None), None)

    def refresh(conversation_id: Any, request: gr.Request) -> tuple:
        return listing_update(services, services.gate.actor(request).owner, conversation_id), conversation_id

    def on_load(request: gr.Request) -> dict:
        return listing_update(services, services.gate.actor(request).owner, None)

    listing.input(lambda value: value, listing, picked, api_visibility="private", queue=False).then(
        friendly(open_one), picked, shown, api_name="conversation_open", concurrency_id="chat", concurrency_limit=4)
    new.click(lambda: (*_blank(), gr.update(value=None), None, ""), None, [*shown, listing, picked, chat["note"]],
              api_visibility="private", queue=False)
    delete.click(friendly(delete_one), picked, [*shown, listing, picked], api_name="conversation_delete",
                 concurrency_id="chat", concurrency_limit=4)
    for event in chat["answered"]:  # after each answer the list shows the conversation, most recent first
        event.then(friendly(refresh), chat["conversation"], [listing, picked], api_visibility="private",
                   queue=False)

    def mine(request: gr.Request) -> list[dict]:
        """The signed-in user's saved conversations: [{id, title, updated_at}], most recent first."""
        return conversation_list(services, request)

    gr.api(mine, api_name="conversations", concurrency_id="chat", concurrency_limit=4)
    return friendly(on_load), [listing]


def listing_update(services: Services, owner: str, current: Any) -> dict:
    conversations = services.conversations.list(owner)
    choices = [(c.label(), c.id) for c in conversations]
    ids = {c.id for c in conversations}
    value = current if current in ids else None
    return gr.update(choices=choices, value=value)


def conversation_list(services: Services, request: gr.Request) -> list[dict]:
    """The user's conversations as plain data (the `conversations` API endpoint)."""
    owner = services.gate.actor(request).owner
    return [{"id": c.id, "title": c.title, "updated_at": c.updated_at} for c in services.conversations.list(owner)]


def _blank() -> tuple:
    return "", [], [], ui_cards.empty(EMPTY_SOURCES), "", None, None
