"""Each real adapter against its vendor-shaped fake: pagination, throttling, auth and odd answers."""

from __future__ import annotations

import httpx2
import pytest

from connectors.base import ConnectorError
from tests.fakes.vendors import ENV, SECRETS, connect
from tests.fakes.vendors import hubspot as fhubspot
from tests.fakes.vendors import jira as fjira
from tests.fakes.vendors import linear as flinear
from tests.fakes.vendors import notion as fnotion
from tests.fakes.vendors import salesforce as fsalesforce
from tests.fakes.vendors import slack as fslack
from tests.fakes.vendors.base import body_of, raw, reply


class Sleeps:
    def __init__(self) -> None:
        self.slept: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)


# --- pagination -----------------------------------------------------------------------------------


def test_zendesk_follows_next_page_and_cursor_links() -> None:
    zd, fake = connect("zendesk")
    fake.search_cap = 1  # type: ignore[attr-defined]
    fake.page_cap = 1  # type: ignore[attr-defined]
    tickets = zd.search_tickets("api 500", limit=5)
    assert [t.source_id for t in tickets] == ["1042", "1030"]
    assert fake.paths().count("GET /api/v2/search.json") == 2
    comments = zd.ticket_comments("1042")
    assert fake.paths().count("GET /api/v2/tickets/1042/comments") == 3
    assert next(c.body for c in comments if c.author_role != "system").startswith("About 1 in 20")
    assert zd.get_ticket("99999") is None and zd.get_ticket("../users") is None


def test_zendesk_names_come_sideloaded_with_show_many_as_fallback() -> None:
    zd, fake = connect("zendesk")
    [ticket] = zd.search_tickets("ingest", customer="Acme Corp")
    assert (ticket.requester, ticket.account) == ("Dana Smith", "Acme Corp")
    assert fake.paths() == ["GET /api/v2/search.json"]
    zd, fake = connect("zendesk")
    fake.sideload = False  # type: ignore[attr-defined]
    assert zd.get_ticket("1042").account == "Acme Corp"
    assert sorted(fake.paths()) == [
        "GET /api/v2/organizations/show_many",
        "GET /api/v2/tickets/1042",
        "GET /api/v2/tickets/1042/comments",  # read with the ticket for the keys its notes mention
        "GET /api/v2/users/show_many",
    ]


def test_intercom_follows_starting_after() -> None:
    ic, fake = connect("intercom")
    fake.page_cap = 1  # type: ignore[attr-defined]
    assert {t.source_id for t in ic.search_tickets("500 rows", limit=5)} == {"215", "216"}
    assert fake.paths().count("POST /conversations/search") == 2
    assert ic.search_tickets("500", customer="Nobody Inc") == []
    assert [t.source_id for t in ic.search_tickets(customer="dana@acme.example")] == ["215"]


def test_hubspot_follows_paging_after_until_it_is_absent() -> None:
    crm, fake = connect("hubspot")
    fake.page_cap = 2  # type: ignore[attr-defined]
    assert [a.name for a in crm.list_accounts(limit=10)] == ["Acme Corp", "Acme Labs", "Globex"]
    assert fake.paths().count("POST /crm/objects/2026-09/companies/search") == 2


def test_salesforce_follows_next_records_url() -> None:
    crm, fake = connect("salesforce")
    assert [a.name for a in crm.list_accounts(limit=10)] == ["Acme Corp", "O'Brien & Sons", "Globex"]
    assert "GET /services/data/v67.0/query/01gD0000002HU6KIAW-2" in fake.paths()
    assert [a.name for a in crm.list_accounts(plan="Enterprise")] == ["Acme Corp", "Globex"]


def test_slack_follows_next_cursor_until_empty() -> None:
    chat, fake = connect("slack")
    fake.count_cap = 1  # type: ignore[attr-defined]
    assert len(chat.search_messages("api 500 errors", limit=10)) == 3
    assert fake.paths().count("GET /api/search.messages") == 3
    thread = chat.replies("C0ENG", "1792407000.000100")
    assert [m.text for m in thread] == ["spike", "looking", "rolled back"]
    assert (
        thread[1].url == "https://acme.slack.com/archives/C0ENG/p1792407500000200?thread_ts=1792407000.000100&cid=C0ENG"
    )


def test_jira_follows_next_page_token_within_max_pages() -> None:
    tracker, fake = connect("jira", max_pages=2)
    fake.page_cap = 1  # type: ignore[attr-defined]
    assert [i.key for i in tracker.search_issues("ingest", limit=10)] == ["ENG-1423", "ENG-1101"]
    assert fake.paths().count("POST /rest/api/3/search/jql") == 2
    assert tracker.get_issue("ENG-4040") is None
    assert tracker.get_issue("eng-1423 OR 1=1") is None


def test_linear_follows_end_cursor_and_maps_missing_entities_to_none() -> None:
    tracker, fake = connect("linear")
    fake.page_cap = 1  # type: ignore[attr-defined]
    assert [i.key for i in tracker.search_issues("API 500 errors", limit=5)] == ["ENG-42", "ENG-17"]
    assert tracker.get_issue("ENG-999") is None
    assert tracker.get_issue("ENG-42").url == "https://linear.app/acme/issue/eng-42"


def test_confluence_follows_links_next_on_the_same_host() -> None:
    kb, fake = connect("confluence")
    fake.page_size = 1  # type: ignore[attr-defined]
    # OR'd words: the export page matches "api" alone and ranks last.
    assert [a.source_id for a in kb.search_articles("API 500 errors", limit=5)] == ["3001", "3002", "3003"]
    assert fake.requests[1].url.params["cursor"] == "1"


def test_confluence_refuses_a_next_link_to_another_host() -> None:
    kb, fake = connect("confluence")
    evil = {"results": [], "_links": {"base": "https://evil.example/wiki", "next": "/rest/api/search?cql=x&cursor=1"}}
    fake.fail_next(reply(200, evil))
    kb.search_articles("api errors")  # the base is not trusted: the next page is asked of our host
    assert {r.url.host for r in fake.requests} == {"acme.atlassian.net"}
    absolute = {"results": [], "_links": {"next": "https://evil.example/wiki/rest/api/search?cursor=1"}}
    fake.fail_next(reply(200, absolute))
    with pytest.raises(ConnectorError, match="another host"):
        kb.search_articles("api errors")


def test_notion_follows_next_cursor_and_reads_top_pages() -> None:
    kb, fake = connect("notion", content_pages=1)
    fake.page_cap = 1  # type: ignore[attr-defined]
    article, other = kb.search_articles("ingest api errors")  # the FAQ matches "api" alone
    assert article.body.startswith("Symptoms") and article.status == "investigating"
    assert other.title == "API rate limits FAQ" and other.body == ""  # only the top page is read
    assert any(body_of(r).get("start_cursor") for r in fake.requests if r.url.path == "/v1/search")
    assert fake.paths()[-1].startswith("GET /v1/blocks/")
    assert fake.requests[0].headers["notion-version"] == "2026-03-11"


# --- throttling -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("backend", "throttle", "wait", "call"),
    [
        ("zendesk", reply(429, None, {"Retry-After": "4"}), 4.0, lambda c: c.search_tickets("api")),
        ("zendesk", raw(429, "Too Many Requests", headers={"ratelimit-reset": "6"}), 6.0, lambda c: c.get_ticket("1042")),
        ("intercom", reply(429, {"type": "error.list", "errors": [{"code": "rate_limit_exceeded", "message": "Exceeded rate limit of 167 in 10_seconds"}]},
                           {"X-RateLimit-Reset": "1760871607"}), 7.0, lambda c: c.get_ticket("215")),
        ("hubspot", fhubspot.TEN_SECONDLY, 10.0, lambda c: c.list_accounts()),
        ("slack", fslack.RATELIMITED, 3.0, lambda c: c.search_messages("api 500")),
        ("jira", fjira.THROTTLED, 2.0, lambda c: c.search_issues("ingest")),
        ("linear", flinear.RATELIMITED, 5.0, lambda c: c.search_issues("api")),
        ("notion", fnotion.RATE_LIMITED, 1.0, lambda c: c.search_articles("api")),
        ("notion", reply(529, {"object": "error", "status": 529, "code": "service_overload", "message": "busy"},
                         {"Retry-After": "2"}), 2.0, lambda c: c.search_articles("api")),
        ("confluence", reply(429, {"statusCode": 429, "message": "Rate limited"}, {"Retry-After": "3"}), 3.0,
         lambda c: c.search_articles("api")),
    ],
)  # fmt: skip
def test_each_vendors_throttle_is_waited_out_as_asked(
    backend: str, throttle: httpx2.Response, wait: float, call: object
) -> None:
    sleeps = Sleeps()
    connector, fake = connect(backend, sleep=sleeps)
    fake.fail_next(throttle)
    assert call(connector) is not None  # type: ignore[operator]
    assert sleeps.slept == [wait]


def test_hubspot_daily_limit_and_salesforce_allocation_are_final() -> None:
    sleeps = Sleeps()
    crm, fake = connect("hubspot", sleep=sleeps)
    fake.fail_next(fhubspot.DAILY_LIMIT)
    with pytest.raises(ConnectorError, match="daily API allowance"):
        crm.find_account("Acme Corp")
    sf, sfake = connect("salesforce", sleep=sleeps)
    sfake.fail_next(fsalesforce.REQUEST_LIMIT)
    with pytest.raises(ConnectorError) as err:
        sf.find_account("Acme Corp")
    assert err.value.message.startswith("rate-limited: the org's 24-hour API request allocation")
    assert sleeps.slept == [] and len(sfake.requests) == 1


def test_a_long_throttle_fails_fast_as_degraded_not_blocking() -> None:
    sleeps = Sleeps()
    tracker, fake = connect("jira", sleep=sleeps, max_wait_seconds=10)
    fake.fail_next(reply(429, {"errorMessages": ["Rate limit exceeded."]}, {"Retry-After": "120"}))
    with pytest.raises(ConnectorError) as err:
        tracker.search_issues("ingest")
    assert err.value.message == "rate-limited (vendor asks to wait 120s)" and sleeps.slept == []


def test_5xx_bursts_and_timeouts_are_retried() -> None:
    sleeps = Sleeps()
    zd, fake = connect("zendesk", sleep=sleeps)
    fake.fail_next(reply(503), reply(502), httpx2.ReadTimeout("slow"))
    assert zd.get_ticket("1042") is not None
    assert len(sleeps.slept) == 3


def test_malformed_json_is_a_clean_connector_error() -> None:
    kb, fake = connect("notion")
    fake.fail_next(raw(200, '{"object": "list", "results": [', "application/json"))
    with pytest.raises(ConnectorError) as err:
        kb.search_articles("api")
    assert err.value.message == "malformed response (HTTP 200, not JSON)"


# --- auth and in-200 errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("backend", "call", "message"),
    [
        ("zendesk", lambda c: c.get_ticket("1042"), "authentication failed (HTTP 401) (check ZENDESK_API_TOKEN): Couldn't authenticate you"),
        ("intercom", lambda c: c.get_ticket("215"), "authentication failed (HTTP 401) (check INTERCOM_ACCESS_TOKEN): unauthorized: Access Token Invalid"),
        ("hubspot", lambda c: c.find_account("Acme"), "authentication failed (HTTP 401) (check HUBSPOT_ACCESS_TOKEN): Authentication credentials not found."),
        ("salesforce", lambda c: c.find_account("Acme"), "authentication failed (HTTP 401) (check SALESFORCE_ACCESS_TOKEN): INVALID_SESSION_ID: Session expired or invalid"),
        ("slack", lambda c: c.search_messages("api"), "authentication failed: invalid_auth"),
        ("jira", lambda c: c.search_issues("api"), "authentication failed (HTTP 401) (check JIRA_API_TOKEN): Client must be authenticated to access this resource."),
        ("linear", lambda c: c.search_issues("api"), "authentication failed: Authentication required, not authenticated"),
        ("confluence", lambda c: c.search_articles("api"), "authentication failed (HTTP 401) (check CONFLUENCE_API_TOKEN): Unauthorized; scope does not match"),
        ("notion", lambda c: c.search_articles("api"), "authentication failed (HTTP 401) (check NOTION_TOKEN): API token is invalid."),
    ],
)  # fmt: skip
def test_auth_failures_are_final_and_name_the_variable_not_the_value(backend: str, call: object, message: str) -> None:
    sleeps = Sleeps()
    fake = connect(backend)[1]
    fake.authorized = lambda request: False  # type: ignore[method-assign]
    connector, _ = connect(backend, fake=fake, sleep=sleeps)
    with pytest.raises(ConnectorError) as err:
        call(connector)  # type: ignore[operator]
    assert err.value.message == message
    paths = fake.paths()
    assert len(paths) == len(set(paths)) and sleeps.slept == []  # each request sent once: never retried
    assert not any(secret in str(err.value) for secret in SECRETS)


def test_slack_errors_inside_http_200() -> None:
    chat, fake = connect("slack")
    fake.fail_next(
        reply(200, {"ok": False, "error": "missing_scope", "needed": "search:read", "provided": "chat:write"})
    )
    with pytest.raises(ConnectorError, match="missing_scope: the token needs search:read"):
        chat.search_messages("api")
    fake.fail_next(reply(200, {"ok": False, "error": "ratelimited"}, {"Retry-After": "2"}))
    assert chat.search_messages("api 500")


def test_jira_old_search_endpoint_is_gone() -> None:
    tracker, _ = connect("jira")
    with pytest.raises(ConnectorError, match=r"HTTP 410\): The requested API has been removed"):
        tracker.http.get("/search", params={"jql": "project = ENG"})


def test_no_secret_in_any_adapter_repr() -> None:
    for backend in ("zendesk", "intercom", "hubspot", "salesforce", "slack", "jira", "linear", "confluence", "notion"):
        connector, _ = connect(backend)
        shown = f"{connector!r} {connector.http!r} {connector.settings!r} {connector.http.client!r}"
        assert not any(secret in shown for secret in ENV.values()), backend
