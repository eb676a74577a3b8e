"""File the brief as a tracker issue: Jira Cloud (`POST /issue`, ADF description, the key as a
label) or Linear (`issueCreate`, markdown description carrying the marker)."""

from __future__ import annotations

from typing import Any

from agent.act.actions.base import Action, ActionResult, marker, title
from connectors.errors import ConnectorError
from connectors.vendors.adf import markdown_to_adf
from connectors.vendors.jira import jql_string
from connectors.vendors.parse import dig

LINEAR_PRIORITY = {"P1": 1, "P2": 2, "P3": 3, "P4": 4}
"""Brief priority -> Linear priority (1 urgent, 2 high, 3 medium, 4 low)."""

LINEAR_FIND = (
    "query Find($marker: String!) { issues(filter: {description: {contains: $marker}}, first: 5) "
    "{ nodes { id identifier url } } }"
)
LINEAR_CREATE = (
    "mutation Create($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { id identifier url } } }"
)


def key_label(key: str) -> str:
    """The Jira label that marks an issue as filed for this escalation key."""
    return f"escalation-key-{key}"


class JiraIssue(Action):
    """A Jira issue in one project; an earlier one is found by its key label."""

    kind = "jira issue"

    def __init__(
        self,
        *args: Any,
        project: str,
        issue_type: str = "Bug",
        priority_names: dict[str, str] | None = None,
        site: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        self.issue_type = issue_type
        self.priority_names = priority_names or {}
        self.site = site.rstrip("/")

    @property
    def target(self) -> str:
        """The project."""
        return self.project

    def request(self) -> tuple[str, str, Any]:
        """`POST /issue` with the brief as an ADF description."""
        markdown = f"{self.brief.markdown or self.brief.summary}\n\n{marker(self.key)}"
        fields: dict[str, Any] = {
            "project": {"key": self.project},
            "issuetype": {"name": self.issue_type},
            "summary": title(self.brief),
            "description": markdown_to_adf(markdown),
            "labels": ["escalation", key_label(self.key)],
        }
        name = self.priority_names.get(self.brief.priority or "")
        if name:
            fields["priority"] = {"name": name}
        return "POST", "/issue", {"fields": fields}

    def find_existing(self) -> ActionResult | None:
        """`labels = "escalation-key-..."` in the project (labels are searchable at once)."""
        jql = f"project = {jql_string(self.project)} AND labels = {jql_string(key_label(self.key))}"
        query: dict[str, Any] = {"jql": jql, "fields": ["summary"], "maxResults": 1}
        if self.created_before:
            # The search is eventually consistent; issues created moments ago are only certain to
            # appear when named here (at most 50 ids).
            query["reconcileIssues"] = [int(i) for i in self.created_before[-50:] if i.isdigit()]
        body = self.http.post("/search/jql", query) or {}
        issues = body.get("issues") or []
        if not issues:
            return None
        issue_key = str(issues[0]["key"])
        details = {"id": str(issues[0]["id"])} if issues[0].get("id") else {}
        return ActionResult(False, f"{self.site}/browse/{issue_key}", issue_key, self.key, details)

    def created(self, body: Any) -> ActionResult:
        """The new issue's key and link."""
        issue_key = str(dig(body, "key"))
        details = {"id": str(body["id"])} if isinstance(body, dict) and body.get("id") else {}
        return ActionResult(True, f"{self.site}/browse/{issue_key}", issue_key, self.key, details)


class LinearIssue(Action):
    """A Linear issue in one team; an earlier one is found by the marker in its description."""

    kind = "linear issue"

    def __init__(self, *args: Any, team_id: str, label_ids: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team_id = team_id
        self.label_ids = label_ids or []

    @property
    def target(self) -> str:
        """The team."""
        return self.team_id

    def request(self) -> tuple[str, str, Any]:
        """The `issueCreate` mutation with the brief as markdown."""
        data: dict[str, Any] = {
            "teamId": self.team_id,
            "title": title(self.brief),
            "description": f"{self.brief.markdown or self.brief.summary}\n\n{marker(self.key)}",
        }
        if self.brief.priority in LINEAR_PRIORITY:
            data["priority"] = LINEAR_PRIORITY[self.brief.priority or ""]
        if self.label_ids:
            data["labelIds"] = self.label_ids
        return "POST", "/graphql", {"query": LINEAR_CREATE, "variables": {"input": data}}

    def find_existing(self) -> ActionResult | None:
        """Issues whose description contains the marker."""
        query = {"query": LINEAR_FIND, "variables": {"marker": marker(self.key)}}
        nodes = dig(self.http.post("/graphql", query), "data", "issues", "nodes") or []
        if not nodes:
            return None
        return ActionResult(False, nodes[0].get("url"), str(nodes[0].get("identifier")), self.key)

    def created(self, body: Any) -> ActionResult:
        """The new issue, or an error when Linear answered `success: false`."""
        result = dig(body, "data", "issueCreate") or {}
        if not result.get("success"):
            raise ConnectorError("linear", "issueCreate did not succeed")
        issue = result.get("issue") or {}
        return ActionResult(True, issue.get("url"), str(issue.get("identifier")), self.key)
