"""Pure payload -> record mappers and query builders (`connectors.vendors`), on documented shapes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx2
import pytest

from connectors.http import linear as linear_http
from connectors.http.hubspot import HubSpotSettings
from connectors.http.salesforce import SalesforceSettings
from connectors.vendors import confluence, hubspot, intercom, jira, linear, notion, salesforce, slack, zendesk
from connectors.vendors.adf import adf_to_text, markdown_to_adf
from connectors.vendors.parse import article_kind, keywords, when

# --- Zendesk --------------------------------------------------------------------------------------


def test_zendesk_ticket_with_people_and_sla() -> None:
    raw = {"id": 35436, "subject": "Help", "description": "It broke", "status": "pending", "priority": "urgent",
           "requester_id": 20978392, "organization_id": 509974, "tags": ["enterprise"],
           "created_at": "2009-07-20T22:55:29Z", "updated_at": "2011-05-05T10:38:52Z",
           "slas": {"policy_metrics": [{"stage": "achieved", "breach_at": "2009-07-20T23:00:00Z"},
                                       {"stage": "active", "breach_at": "2009-07-21T10:00:00Z"}]}}  # fmt: skip
    ticket = zendesk.ticket_record(
        raw, {20978392: {"name": "Ann"}}, {509974: {"name": "Acme"}}, "https://acme.zendesk.com"
    )
    assert ticket.url == "https://acme.zendesk.com/agent/tickets/35436"
    assert (ticket.requester, ticket.account, ticket.status, ticket.priority) == ("Ann", "Acme", "pending", "urgent")
    assert ticket.sla_due_at == datetime(2009, 7, 21, 10, tzinfo=UTC)


def test_zendesk_comment_roles_and_audit_changes() -> None:
    users = {1: {"name": "Cust", "role": "end-user"}, 2: {"name": "Agent", "role": "agent"}}
    note = zendesk.comment_record({"id": 9, "author_id": 2, "public": False, "created_at": "2024-01-01T00:00:00Z",
                                   "body": "x", "plain_body": "internal"}, "5", users, "https://z")  # fmt: skip
    assert (note.author_role, note.public, note.body) == ("internal", False, "internal")
    reply = zendesk.comment_record(
        {"id": 8, "author_id": 1, "created_at": "2024-01-01T00:00:00Z", "body": "hi"}, "5", users, "https://z"
    )
    assert reply.author_role == "customer"
    audit = {"id": 3, "author_id": 2, "created_at": "2024-01-02T00:00:00Z",
             "events": [{"id": 1, "type": "Change", "field_name": "status", "value": "open", "previous_value": "new"},
                        {"id": 2, "type": "Change", "field_name": "tags", "value": ["a"]}]}  # fmt: skip
    [change] = zendesk.audit_records(audit, "5", users, "https://z")
    assert change.body == "status changed from new to open" and change.author_role == "system"


def test_zendesk_search_query_admits_words_not_operators() -> None:
    query = zendesk.search_query(
        'status:closed "export" rows -missing <script>', 'Acme "Corp"', datetime(2026, 1, 2, tzinfo=UTC)
    )
    assert query.startswith('type:ticket organization:"Acme  Corp" created>=2026-01-02T00:00:00Z')
    assert "status:" not in query and '"export"' not in query


# --- Intercom -------------------------------------------------------------------------------------


def test_intercom_conversation_and_parts() -> None:
    raw = {"id": "1911149811", "state": "snoozed", "priority": "priority", "created_at": 1663597223, "updated_at": 1663597260,
           "title": None, "source": {"subject": "", "body": "<p>Export &amp; import <b>broken</b></p>",
                                     "author": {"type": "user", "name": "Ann", "email": "ann@x.example"}},
           "conversation_parts": {"conversation_parts": [
               {"id": "1", "part_type": "note", "body": "<p>internal</p>", "created_at": 1663597300, "author": {"type": "admin", "name": "Sam"}},
               {"id": "2", "part_type": "close", "body": None, "created_at": 1663597400, "author": {"type": "admin", "name": "Sam"}}]}}  # fmt: skip
    ticket = intercom.conversation_ticket(raw, "https://app/x")
    assert (ticket.subject, ticket.status, ticket.priority) == ("Export & import broken", "pending", "high")
    assert ticket.created_at == datetime.fromtimestamp(1663597223, UTC)
    first, note = intercom.conversation_comments(raw, "https://app/x")
    assert first.author_role == "customer" and (note.author_role, note.public) == ("internal", False)


def test_intercom_search_body_respects_the_dsl_limits() -> None:
    body = intercom.search_body(["export", "rows"], ["c1"], datetime(2025, 1, 1, tzinfo=UTC), 500)
    assert body["pagination"] == {"per_page": 150}
    [words, contacts, since] = body["query"]["value"]
    assert words["operator"] == "OR" and len(words["value"]) == 4
    assert contacts == {"field": "contact_ids", "operator": "IN", "value": ["c1"]}
    assert since == {"field": "created_at", "operator": ">", "value": 1735689599}  # i.e. at or after
    assert intercom.search_body([], [], None, 5)["query"] == {"field": "created_at", "operator": ">", "value": 0}


# --- HubSpot / Salesforce -------------------------------------------------------------------------


def test_hubspot_company_strings_become_numbers_and_dates() -> None:
    settings = HubSpotSettings(
        arr_property="annual_recurring_revenue__c", plan_property="tier", renewal_property="renews"
    )
    raw = {"id": "512", "properties": {"name": "Acme", "domain": "acme.example", "annual_recurring_revenue__c": "1,250,000.50",
                                       "tier": "Enterprise", "renews": "2027-03-01", "annualrevenue": "999"}}  # fmt: skip
    deals = [{"id": "1", "properties": {"dealname": "Up", "amount": "10", "hs_is_closed": "false", "closedate": "2026-12-01T00:00:00Z"}},
             {"id": "2", "properties": {"dealname": "Old", "amount": "5", "hs_is_closed": "true"}}]  # fmt: skip
    account = hubspot.account_record(
        raw, settings, "https://u", deals, [{"properties": {"email": "a@x.example"}}], "Priya"
    )
    assert account.arr == 1250000.5 and account.plan == "Enterprise" and account.renewal_date == date(2027, 3, 1)
    assert [d.name for d in account.open_deals] == ["Up"] and account.open_deals[0].close_date == date(2026, 12, 1)
    assert account.contacts == ("a@x.example",) and account.csm == "Priya"


def test_hubspot_search_by_domain_or_name() -> None:
    assert hubspot.company_search("acme.com", ["name"], 5)["filterGroups"] == [
        {"filters": [{"propertyName": "domain", "operator": "EQ", "value": "acme.com"}]}
    ]
    groups = hubspot.company_search("Acme Corp", ["name"], 5)["filterGroups"]
    assert [g["filters"][0]["operator"] for g in groups] == ["EQ", "CONTAINS_TOKEN"]


@pytest.mark.parametrize(
    ("value", "like", "expected"),
    [
        ("O'Brien", False, r"'O\'Brien'"),
        ("a\\b", False, r"'a\\b'"),
        ("x' OR Name != '", False, r"'x\' OR Name != \''"),
        ("50%_off", True, r"'50\%\_off'"),
        ('say "hi"\n', False, "'say \\\"hi\\\"\\n'"),
    ],
)
def test_soql_literals_are_escaped(value: str, like: bool, expected: str) -> None:
    assert salesforce.soql_literal(value, like) == expected


def test_salesforce_account_query_and_row() -> None:
    settings = SalesforceSettings(base_url="https://x.my.salesforce.com/services/data/v67.0", arr_field="ARR__c")
    soql = salesforce.account_soql(settings, "O'Brien")
    assert "Name = 'O\\'Brien' OR Name LIKE 'O\\'Brien%'" in soql and "FROM Opportunities" in soql
    assert "Website LIKE '%acme\\_co.com%'" in salesforce.account_soql(settings, "acme_co.com")
    row = {"attributes": {"type": "Account"}, "Id": "001", "Name": "A", "Website": "http://www.a.example/", "ARR__c": 5.0,
           "Owner": {"Name": "Jo"}, "Opportunities": None, "Cases": {"records": [{"CaseNumber": "1", "Subject": "S"}]}}  # fmt: skip
    account = salesforce.account_record(row, settings)
    assert (account.domain, account.arr, account.csm, account.past_escalations) == (
        "a.example",
        5.0,
        "Jo",
        ("Case 1: S",),
    )
    assert account.url == "https://x.my.salesforce.com/lightning/r/Account/001/view"
    with pytest.raises(ValueError, match="not a SOQL field name"):
        SalesforceSettings(base_url="https://x", arr_field="ARR__c FROM User --")


# --- Slack ----------------------------------------------------------------------------------------


def test_slack_match_and_reply_records() -> None:
    match = {"ts": "1712345678.000200", "text": "hi", "username": "sam", "channel": {"id": "C1", "name": "eng"},
             "permalink": "https://a.slack.com/archives/C1/p1712345678000200?thread_ts=1712345000.000100&cid=C1"}  # fmt: skip
    msg = slack.match_record(match)
    assert (msg.channel, msg.author, msg.thread_id, msg.source_id) == (
        "eng",
        "sam",
        "1712345000.000100",
        "C1:1712345678.000200",
    )
    assert msg.posted_at == datetime.fromtimestamp(1712345678.0002, UTC)
    reply = slack.reply_record({"ts": "1.5", "thread_ts": "1.0", "user": "U"}, "C1", "https://a.slack.com/")
    assert reply.url == "https://a.slack.com/archives/C1/p15?thread_ts=1.0&cid=C1"


def test_slack_query_keeps_only_keywords_and_valid_channels() -> None:
    assert (
        slack.search_query("in:#secret from:@boss SSO login loop", ["eng", "bad channel"])
        == "secret boss sso login in:#eng"
    )


# --- Jira / Linear --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "jql"),
    [
        (
            'SSO "loop" fails',
            'project in ("ENG") AND (text ~ "sso" OR text ~ "loop" OR text ~ "fails") AND updated >= -30d',
        ),
        (
            'x" OR project = SECRET OR text ~ "y',
            'project in ("ENG") AND (text ~ "project" OR text ~ "secret" OR text ~ "text") AND updated >= -30d',
        ),
        ("!!! ***", None),
    ],
)
def test_jql_carries_only_keywords_each_in_its_own_literal(text: str, jql: str | None) -> None:
    assert jira.search_jql(text, ["ENG"], 30) == jql
    assert jira.jql_string('a"b\\c') == '"a\\"b\\\\c"'


def test_jira_issue_record() -> None:
    raw = {"id": "10002", "key": "ENG-7", "fields": {
        "summary": "Crash", "status": {"name": "Done", "statusCategory": {"key": "done"}},
        "issuetype": {"name": "Story"}, "assignee": {"displayName": "Ann"}, "priority": {"name": "High"},
        "labels": ["x"], "created": "2026-01-02T03:04:05.000+0000", "resolutiondate": None,
        "description": {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Boom"}]}]},
        "project": {"name": "Eng"}, "issuelinks": [{"type": {"name": "Regression"}, "outwardIssue": {"key": "ENG-1"}}]}}  # fmt: skip
    issue = jira.issue_record(raw, "https://s.atlassian.net")
    assert (issue.url, issue.issue_type, issue.resolved, issue.team, issue.regression_of) == (
        "https://s.atlassian.net/browse/ENG-7", "feature", True, "Eng", "ENG-1")  # fmt: skip
    assert issue.description == "Boom" and issue.created_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("errors", "outcome"),
    [
        ([{"message": "slow down", "extensions": {"code": "RATELIMITED"}}], "retry"),
        ([{"message": "slow down", "extensions": {"type": "ratelimited"}}], "retry"),
        ([{"message": "Entity not found: Issue", "extensions": {"type": "invalid input"}}], "missing"),
        ([{"message": "nope", "extensions": {"type": "forbidden"}}], "access denied: nope"),
    ],
)
def test_linear_graphql_errors_are_read_even_in_http_200(errors: list[dict[str, object]], outcome: str) -> None:
    from connectors.http.client import NotFound, VendorError
    from connectors.http.retry import Retryable

    response = httpx2.Response(200, json={"data": None, "errors": errors})
    with pytest.raises((Retryable, NotFound, VendorError)) as err:
        linear_http.inspect(response, response.json())
    kind = {Retryable: "retry", NotFound: "missing"}.get(type(err.value))
    assert (kind or str(err.value)) == outcome


def test_linear_issue_record() -> None:
    raw = {"id": "u", "identifier": "ENG-3", "title": "T", "url": "https://linear.app/a/issue/eng-3", "priorityLabel": "Urgent",
           "state": {"name": "Canceled", "type": "canceled"}, "labels": {"nodes": [{"name": "Bug"}]},
           "canceledAt": "2026-01-01T00:00:00.000Z", "team": {"key": "ENG", "name": "Engineering"}}  # fmt: skip
    issue = linear.issue_record(raw)
    assert (issue.key, issue.resolved, issue.issue_type, issue.priority) == ("ENG-3", True, "bug", "Urgent")
    assert issue.resolved_at == datetime(2026, 1, 1, tzinfo=UTC)


# --- Confluence / Notion --------------------------------------------------------------------------


def test_cql_escaping_and_result_mapping() -> None:
    assert confluence.search_cql('login "loop" OR space = HR', ["KB"]) == (
        'type = page AND (text ~ "login" OR text ~ "loop" OR text ~ "space" OR text ~ "hr") AND space in ("KB")'
    )
    raw = {"content": {"id": "42", "title": "T", "metadata": {"labels": {"results": [{"name": "known-issue"}, {"name": "fixed"}]}},
                       "_links": {"webui": "/spaces/KB/pages/42"}},
           "title": "@@@hl@@@T@@@endhl@@@", "excerpt": "a &amp; @@@hl@@@b@@@endhl@@@", "url": "/spaces/KB/pages/42",
           "lastModified": "2026-01-01T00:00:00.000Z"}  # fmt: skip
    article = confluence.result_article(raw, "https://s.atlassian.net/wiki")
    assert (article.title, article.body, article.url) == (
        "T",
        "a & b",
        "https://s.atlassian.net/wiki/spaces/KB/pages/42",
    )
    assert (article.article_type, article.status) == ("known_issue", "resolved")


def test_notion_page_mapping() -> None:
    raw = {"id": "p1", "url": "https://www.notion.so/p1", "last_edited_time": "2026-01-01T00:00:00.000Z",
           "properties": {"Doc": {"type": "title", "title": [{"plain_text": "How "}, {"plain_text": "to retry"}]},
                          "Kind": {"type": "select", "select": {"name": "How-to"}}}}  # fmt: skip
    article = notion.page_article(
        raw, notion.blocks_text([{"type": "to_do", "to_do": {"rich_text": [{"plain_text": "Do"}]}}])
    )
    assert (article.title, article.article_type, article.body, article.tags) == (
        "How to retry",
        "how_to",
        "Do",
        ("How-to",),
    )


# --- shared helpers -------------------------------------------------------------------------------


def test_markdown_to_adf_round_trip_and_no_empty_text_nodes() -> None:
    md = "# Brief\n\nSee [ticket](https://z.example/1) **now**.\n\n- one\n- two\n\n1. first\n\n```\ntrace\n```\n---\n"
    doc = markdown_to_adf(md)
    kinds = [block["type"] for block in doc["content"]]
    assert kinds == ["heading", "paragraph", "bulletList", "orderedList", "codeBlock", "rule"]
    link = doc["content"][1]["content"][1]
    assert link["marks"] == [{"type": "link", "attrs": {"href": "https://z.example/1"}}]

    def texts(node: object) -> list[str]:
        if isinstance(node, dict):
            own = [node["text"]] if node.get("type") == "text" else []
            return own + [t for child in node.get("content", []) for t in texts(child)]
        return []

    assert all(texts(doc)) and "" not in texts(doc)
    assert "- one" in adf_to_text(doc) and "trace" in adf_to_text(doc)
    assert markdown_to_adf("")["content"][0]["type"] == "paragraph"


def test_parse_helpers() -> None:
    assert keywords("The API is returning 500 errors for the customer!") == ["api", "returning", "500", "errors"]
    assert when(1700000000000) == when(1700000000) == datetime.fromtimestamp(1700000000, UTC)
    assert when("2026-01-02T03:04:05.000+0000") == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert when("not a date") is None
    assert article_kind(["FAQ"]) == ("faq", None)
    assert article_kind([], "Known issue: X") == ("known_issue", None)
