"""How the offline reader gathers: names as people write them, searches from the issue's key terms,
and KB articles only when they match and were not already tried."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agent.gather.names import same_name
from agent.models.offline.extractor import extract_offline
from agent.models.offline.planner import symptom_query
from connectors.records import Article, Comment, Ticket

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Acme", "Acme Corp"),
        ("Acme, Inc.", "ACME"),
        ("Pennick", "Pennick Tower Management"),
        ("PTM", "Pennick Tower Management"),
        ("Saltmarsh Logistic Park", "Saltmarsh Logistics Parks"),
        ("Dunmore & Sons", "Dunmore and Sons Removals"),
        ("Harbor", "Harborline Produce Distributors"),
        ("bramble", "Bramblecrest Carrier Group"),
    ],
)
def test_partial_shortened_and_misspelt_names_match(a: str, b: str) -> None:
    assert same_name(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Globex", "Initech"), ("North Star Foods", "North Harbor Bank"), ("", "Acme"), ("Pine", "Pinecrest Lumber")],
)
def test_different_organizations_do_not_match(a: str, b: str) -> None:
    assert not same_name(a, b)


def test_search_terms_are_the_symptom_not_the_filler() -> None:
    query = symptom_query("hey guys, Acme's exports can't finish, they're failing with ERR-413 asap pls", ["Acme"])
    assert query.split()[0] == "err-413"
    assert not {"hey", "guys", "asap", "pls", "can't", "they're", "acme"} & set(query.split())
    assert "exports" in query and "failing" in query


def _article() -> Article:
    return Article(
        source="t",
        source_id="KB-7",
        title="Scheduled exports stuck in pending",
        body="Clear the export queue under Settings > Exports and retry.",
        article_type="troubleshooting",
    )


def test_a_matching_article_is_the_documented_solution() -> None:
    read = extract_offline({"request": "Scheduled exports are stuck in pending since Monday"}, [_article()], NOW)
    assert read.article_ids == ["KB-7"]
    assert read.signals.documented_solution.present


def test_an_article_whose_steps_already_failed_is_not() -> None:
    text = "Scheduled exports are stuck in pending since Monday. They followed KB-7 but it did not help."
    read = extract_offline({"request": text}, [_article()], NOW)
    assert "KB-7" not in read.article_ids
    assert not read.signals.documented_solution.present


@pytest.mark.parametrize(
    "tried",
    [
        "Went through the KB-7 checklist with their admin: queue cleared, settings fine. Problem persists.",
        "Following KB-7, we cleared the queue and retried; both exports are stuck in pending as well.",
        "Cleared the queue per KB-7, to no avail.",
    ],
)
def test_an_article_tried_without_success_told_in_other_words_is_not(tried: str) -> None:
    read = extract_offline(
        {"request": f"Scheduled exports are stuck in pending since Monday. {tried}"}, [_article()], NOW
    )
    assert "KB-7" not in read.article_ids


def test_no_article_is_the_answer_when_the_text_says_the_kb_has_nothing() -> None:
    text = "Scheduled exports are stuck in pending since Monday. Not in the KB, nothing in the tracker."
    assert extract_offline({"request": text}, [_article()], NOW).article_ids == []


def test_a_searched_article_is_no_answer_when_the_engineer_says_it_is_beyond_them() -> None:
    text = "Scheduled exports are stuck in pending since Monday. I cleared the queue and retried; I'm out of ideas."
    read = extract_offline({"request": text}, [_article()], NOW)
    assert read.signals.beyond_support.present
    assert not read.signals.documented_solution.present
    assert read.article_ids == ["KB-7"]  # still cited for whoever picks it up


def test_an_article_about_something_else_is_not() -> None:
    read = extract_offline({"request": "Invoices show the wrong VAT rate for Germany"}, [_article()], NOW)
    assert read.article_ids == []


def test_another_ticket_of_the_customer_about_something_else_stays_out() -> None:
    outage = Ticket(
        source="t",
        source_id="9",
        subject="Dashboard down for everyone",
        description="The dashboard is down, nobody can log in.",
        account="Acme",
        status="open",
        created_at=NOW,
    )
    read = extract_offline(
        {"request": "Acme asks how to add a user to a team and change their role", "customer": "Acme"}, [outage], NOW
    )
    assert "9" not in read.ticket_ids
    assert not read.signals.production_down.present


def _limitation(body: str) -> Article:
    return Article(
        source="t",
        source_id="KB-9",
        title="Known limitation: scheduled exports to SFTP",
        body=body,
        article_type="limitation",
    )


def test_a_limitation_with_an_alternative_is_the_handle_condition_and_one_without_is_a_gap() -> None:
    request = "Scheduled exports to SFTP are not possible for their nightly job"
    with_alternative = _limitation("SFTP targets are not supported. Alternative: schedule the export to S3 instead.")
    read = extract_offline({"request": request}, [with_alternative], NOW)
    assert read.signals.known_limitation.present
    without = _limitation("SFTP targets are not supported. There is no supported workaround in the product.")
    read = extract_offline({"request": request}, [without], NOW)
    assert not read.signals.known_limitation.present
    assert any("no supported workaround" in e.quote for e in read.signals.feature_request.evidence)


def test_a_known_issue_article_that_gives_a_workaround_is_a_known_workaround() -> None:
    article = Article(
        source="t",
        source_id="KB-3",
        title="Known issue: scheduled exports stuck in pending on Safari",
        body="Large exports may stay pending in Safari 17. Workarounds: use the Download as ZIP option.",
        article_type="known_issue",
        status="published",
    )
    read = extract_offline({"request": "Scheduled exports stuck in pending on Safari"}, [article], NOW)
    assert any(e.id == "KB-3" for e in read.signals.workaround_available.evidence)
    silent = article.model_copy(update={"body": "Large exports may stay pending in Safari 17. A fix is planned."})
    read = extract_offline({"request": "Scheduled exports stuck in pending on Safari"}, [silent], NOW)
    assert not read.signals.workaround_available.present


@pytest.mark.parametrize(
    "note",
    [
        "Following KB-7, are you clearing the queue under Settings > Exports first?",
        "Cleared the queue per KB-7 and retried; all fail with the same timeout.",
        "Per KB-7 a retry should clear it, so this isn't expected.",
    ],
)
def test_an_agents_note_citing_an_article_settles_nothing_when_it_asks_fails_or_contradicts(note: str) -> None:
    ticket = Ticket(source="t", source_id="5", subject="Scheduled exports stuck", status="open", created_at=NOW)
    comment = Comment(
        source="t", source_id="5-1", ticket_id="5", author="a", author_role="agent", body=note, created_at=NOW
    )
    read = extract_offline({"request": "Exports stuck for them, ticket 5", "ticket_id": "5"}, [ticket, comment], NOW)
    assert not read.signals.documented_solution.present
