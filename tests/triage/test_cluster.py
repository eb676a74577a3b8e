"""Clustering: the same issue told differently by several accounts clusters; different issues from
one account do not; an explicit tracker link clusters whatever the words; 10k tickets in one pass
over candidate pairs (speed itself is measured by benchmarks/bench_triage.py)."""

from __future__ import annotations

import pytest

from agent.triage import cluster
from agent.triage.cluster import cluster_items
from tests.fakes.triage import item

EXPORT = [
    item(
        "1",
        "Acme Corp",
        "CSV export is missing rows",
        "Since Tuesday's release our CSV export is missing rows when the report is large.",
    ),
    item(
        "2",
        "Globex",
        "Exported CSV incomplete",
        "The CSV export drops rows: the downloaded file has fewer rows than the dashboard.",
    ),
    item(
        "3",
        "Initech",
        "Rows lost in our export",
        "Our export has been missing rows since the release; the CSV has 300 fewer lines.",
    ),
]
OTHERS = [
    item("4", "Acme Corp", "SSO login fails", "Okta SSO login loops back to the sign-in page for all our users."),
    item(
        "5",
        "Acme Corp",
        "Copy of the October invoice",
        "Please send a PDF copy of the October invoice for our accounts payable team.",
    ),
    item(
        "6", "Umbrella Health", "Webhooks arriving late", "Webhook deliveries arrive hours after the events happened."
    ),
    item("8", "Soylent", "How do I add a user?", "How can I invite a colleague to our workspace?"),
]


def groups_by_id(items: list) -> list[set[str]]:  # type: ignore[type-arg]
    return [{items[i].id for i in group} for group in cluster_items(items)]


def test_same_issue_in_different_words_across_accounts_clusters_together() -> None:
    groups = groups_by_id([*EXPORT, *OTHERS])
    assert {"1", "2", "3"} in groups


def test_a_paraphrase_sharing_no_symptom_word_stays_apart_unless_linked() -> None:
    # Text alone cannot know that "records vanish" means "export missing rows"; a tracker link can.
    reworded = item("9", "Hooli", "Records vanish", "Records vanish once the report passes 10,000 lines.")
    assert {"9"} in groups_by_id([*EXPORT, *OTHERS, reworded])
    linked = [
        EXPORT[0].__class__(ticket=EXPORT[0].ticket.model_copy(update={"tracker_keys": ("ENG-1",)})),
        *EXPORT[1:],
        reworded.__class__(ticket=reworded.ticket.model_copy(update={"tracker_keys": ("ENG-1",)})),
    ]
    assert {"1", "2", "3", "9"} in groups_by_id([*linked, *OTHERS])


def test_different_issues_from_one_account_stay_apart() -> None:
    groups = groups_by_id([*EXPORT, *OTHERS])
    acme = {"1", "4", "5"}
    for group in groups:
        assert len(group & acme) <= 1, group
    assert {"6"} in groups and {"8"} in groups


def test_account_names_do_not_make_tickets_similar() -> None:
    same_account = [
        item(
            "a",
            "Northwind Traders",
            "Northwind Traders: dashboard colours reset",
            "Northwind Traders colours reset after refresh.",
        ),
        item(
            "b",
            "Northwind Traders",
            "Northwind Traders: invoice address wrong",
            "Northwind Traders invoice shows the old address.",
        ),
    ]
    assert groups_by_id(same_account) == [{"a"}, {"b"}]


def test_a_shared_tracker_issue_links_tickets_whatever_their_words() -> None:
    linked = item(
        "7", "Hooli", "Numbers look off", "Something is off with the totals in our reports.", tracker_keys=("ENG-1423",)
    )
    first = EXPORT[0].ticket.model_copy(update={"tracker_keys": ("eng-1423",)})
    items = [EXPORT[0].__class__(ticket=first), *EXPORT[1:], *OTHERS, linked]
    groups = groups_by_id(items)
    assert {"1", "2", "3", "7"} in groups
    assert groups_by_id([*EXPORT[1:], *OTHERS, linked]).count({"7"}) == 1  # without the link it stands alone


def test_every_ticket_lands_in_exactly_one_group_and_order_is_stable() -> None:
    items = [*EXPORT, *OTHERS]
    groups = cluster_items(items)
    flat = sorted(i for g in groups for i in g)
    assert flat == list(range(len(items)))
    assert groups == cluster_items(items)
    assert [len(g) for g in groups] == sorted((len(g) for g in groups), reverse=True)


def test_ten_thousand_tickets_cluster_with_a_bounded_number_of_comparisons(monkeypatch: pytest.MonkeyPatch) -> None:
    # 2,000 distinct one-off subjects plus 8,000 reports of 4 recurring issues: an O(n^2) pass
    # would compare 50 million pairs; blocking keeps it to a few candidates each.
    compared = 0
    score = cluster.pair_score

    def counting(a: cluster.Doc, b: cluster.Doc) -> float:
        nonlocal compared
        compared += 1
        return score(a, b)

    monkeypatch.setattr(cluster, "pair_score", counting)
    words = [f"word{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676)}" for i in range(4000)]
    items = [item(str(i), f"Account {i % 700}", f"{words[2 * i]} {words[2 * i + 1]} broken", "") for i in range(2000)]
    recurring = [
        ("Export missing rows", "CSV export drops rows from large reports"),
        ("SSO login loop", "Okta single sign-on redirects forever"),
        ("Webhook delays", "webhook deliveries arrive hours late"),
        ("Slow dashboards", "dashboard charts take a minute to load"),
    ]
    for i in range(8000):
        subject, body = recurring[i % 4]
        items.append(item(str(10_000 + i), f"Account {i % 900}", subject, body))
    groups = cluster_items(items)
    sizes = sorted((len(g) for g in groups), reverse=True)
    assert sizes[:4] == [2000, 2000, 2000, 2000]
    assert compared <= len(items) * cluster.BLOCKING_TERMS * cluster.NEIGHBOURS
