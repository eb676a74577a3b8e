"""Add the brief to a Zendesk ticket as an internal note (`PUT /tickets/{id}` with a private
comment). An earlier note is found by reading the ticket's comments, not search, because search
lags by minutes and a retry usually comes sooner."""

from __future__ import annotations

import re
from typing import Any

from agent.act.actions.base import Action, ActionResult, marker
from connectors.vendors.parse import dig
from connectors.vendors.zendesk import ticket_url

_ID = re.compile(r"^\d{1,19}$")


class ZendeskNote(Action):
    """An internal (private) note on one ticket."""

    kind = "zendesk internal note"

    def __init__(self, *args: Any, ticket_id: str, ui: str, max_pages: int = 5, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not _ID.match(ticket_id):
            raise ValueError(f"{ticket_id!r} is not a Zendesk ticket id")
        self.ticket_id = ticket_id
        self.ui = ui
        self.max_pages = max_pages

    @property
    def target(self) -> str:
        """The ticket."""
        return self.ticket_id

    def request(self) -> tuple[str, str, Any]:
        """`PUT /tickets/{id}` adding a comment with `public: false`."""
        body = f"{self.brief.markdown or self.brief.summary}\n\n{marker(self.key)}"
        return "PUT", f"/tickets/{self.ticket_id}", {"ticket": {"comment": {"body": body, "public": False}}}

    def find_existing(self) -> ActionResult | None:
        """A comment on the ticket that carries the marker (follows cursor pages)."""
        wanted = marker(self.key)
        url: str = f"/tickets/{self.ticket_id}/comments"
        params: dict[str, Any] | None = {"page[size]": 100}
        for _ in range(self.max_pages):
            body = self.http.get(url, params=params) or {}
            for comment in body.get("comments") or ():
                if wanted in str(comment.get("plain_body") or comment.get("body") or ""):
                    return ActionResult(False, ticket_url(self.ui, self.ticket_id), str(comment.get("id")), self.key)
            next_link = dig(body, "links", "next")
            if not dig(body, "meta", "has_more") or not next_link:
                break
            url, params = self.http.url(next_link), None
        return None

    def created(self, body: Any) -> ActionResult:
        """The ticket the note went on."""
        audit = dig(body, "audit", "id")
        return ActionResult(True, ticket_url(self.ui, self.ticket_id), self.ticket_id, self.key, {"audit": audit})
