"""Post a brief to a Slack channel (`chat.postMessage`, Block Kit) with a bot token.

Ticket and chat text inside a brief is untrusted: `&`, `<` and `>` are escaped before any markup
is added, so a quoted `<!channel>` cannot ping a channel. Blocks stay inside Slack's limits
(header 150 chars, section 3,000, 50 blocks; the whole message is kept under ~11k chars).
"""

from __future__ import annotations

import json
import re
from typing import Any

from agent.act.actions.base import Action, ActionResult, marker
from agent.render.contract import BriefOutput
from connectors.errors import ConnectorError
from connectors.vendors.parse import dig

_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+")
SECTION_LIMIT = 3000
MESSAGE_BUDGET = 11000
HISTORY_PAGE = 15
"""`conversations.history` returns at most 15 messages a call (and allows one call a minute) to
commercially distributed apps not approved for the Marketplace; internal apps are not limited."""
HISTORY_PAGES = 4


def escape(text: str) -> str:
    """Slack's three control characters as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(match: re.Match[str]) -> str:
    label = match.group(1).replace("|", "/")
    return f"<{match.group(2)}|{label}>"


def mrkdwn(markdown: str) -> str:
    """Markdown as Slack mrkdwn: escaped text, `*bold*`, headings in bold, bullets, links."""
    lines = []
    for line in escape(markdown).splitlines():
        heading = _HEADING.match(line.strip())
        if heading:
            line = f"*{heading.group(1).strip()}*"
        line = _BULLET.sub(lambda m: f"{m.group(1)}• ", line)
        line = _BOLD.sub(r"*\1*", line)
        lines.append(_LINK.sub(_link, line))
    return "\n".join(lines).strip()


def chunks(text: str, size: int) -> list[str]:
    """`text` cut at line breaks into pieces of at most `size` characters."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines():
        while len(line) > size:
            pieces.append(line[:size])
            line = line[size:]
        if current and len(current) + 1 + len(line) > size:
            pieces.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        pieces.append(current)
    return pieces


def blocks(brief: BriefOutput, key: str) -> list[dict[str, Any]]:
    """The Block Kit message for a brief."""
    title = f"{brief.severity or 'No'} escalation → {brief.target_team or 'support'}"
    fields = [f"*{label}*\n{escape(str(value))}" for label, value in (
        ("Severity", brief.severity), ("Target", brief.target_team), ("Priority", brief.priority),
        ("Deadline", brief.needed.deadline),
    ) if value]  # fmt: skip
    out: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150], "emoji": False}},
        {"type": "section", "text": {"type": "mrkdwn", "text": escape(brief.summary)[:SECTION_LIMIT]}},
    ]
    if fields:
        out.append({"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields]})
    out.append({"type": "divider"})
    budget = MESSAGE_BUDGET - len(json.dumps(out))
    pieces = chunks(mrkdwn(brief.markdown), SECTION_LIMIT)
    for index, piece in enumerate(pieces):
        if len(piece) > budget or len(out) >= 47:
            out.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"_{len(pieces) - index} more section(s) cut to fit Slack's limits_"}]})  # fmt: skip
            break
        out.append({"type": "section", "text": {"type": "mrkdwn", "text": piece}})
        budget -= len(piece)
    footer = marker(key) + (f" · model {escape(brief.model)}" if brief.model else "")
    out.append({"type": "context", "elements": [{"type": "mrkdwn", "text": footer}]})
    return out


class SlackPost(Action):
    """Post the brief to one channel; finds an earlier post by its marker in channel history."""

    kind = "slack message"

    def __init__(self, *args: Any, channel: str, history_days: float = 7.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.channel = channel
        self.history_days = history_days
        """How far back the duplicate check reads the channel."""

    @property
    def target(self) -> str:
        """The channel."""
        return self.channel

    def request(self) -> tuple[str, str, Any]:
        """`POST chat.postMessage` with blocks and the fallback `text` Slack requires."""
        text = f"{self.brief.severity or 'No'} escalation: {escape(self.brief.summary)}"[:2900]
        body = {
            "channel": self.channel,
            "text": f"{text} ({marker(self.key)})",
            "blocks": blocks(self.brief, self.key),
            "unfurl_links": False,
            "unfurl_media": False,
        }
        return "POST", "/chat.postMessage", body

    def find_existing(self) -> ActionResult | None:
        """A message of the last `history_days` carrying the marker (bot scope `channels:history`, or
        `groups:history` for a private channel), read 15 at a time, newest first."""
        oldest = self.http.policy.clock() - self.history_days * 86400
        params: dict[str, Any] = {"channel": self.channel, "limit": HISTORY_PAGE, "oldest": f"{oldest:.6f}"}
        wanted = marker(self.key)
        for _ in range(HISTORY_PAGES):
            body = self.http.get("/conversations.history", params=params) or {}
            for message in body.get("messages") or ():
                if wanted in str(message.get("text", "")) or wanted in json.dumps(message.get("blocks") or []):
                    ts = str(message.get("ts"))
                    return ActionResult(False, self._permalink(ts), ts, self.key)
            cursor = dig(body, "response_metadata", "next_cursor")
            if not body.get("has_more") or not cursor:
                break
            params = {**params, "cursor": cursor}
        return None

    def created(self, body: Any) -> ActionResult:
        """The posted message, with its permalink."""
        ts = str(dig(body, "ts") or dig(body, "message", "ts"))
        return ActionResult(True, self._permalink(ts), ts, self.key, {"channel": dig(body, "channel")})

    def _permalink(self, ts: str) -> str | None:
        try:
            answer = self.http.get("/chat.getPermalink", params={"channel": self.channel, "message_ts": ts})
        except ConnectorError:  # the post stands even if its link cannot be fetched
            return None
        return str(answer["permalink"]) if isinstance(answer, dict) and answer.get("permalink") else None
