"""`escalate init` and `escalate connectors check`, end to end against fakes served on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from agent.cli.connectors_cmd import register
from connectors.config_template import TEMPLATE
from tests.fakes.vendors import ENV, FAKES, SECRETS
from tests.fakes.vendors.server import serve

API_ROOTS = {
    "zendesk": "/api/v2",
    "hubspot": "",
    "slack": "/api",
    "jira": "/rest/api/3",
    "confluence": "/wiki/rest/api",
}
EXTRA = {
    "zendesk": 'email = "agent@acme.example"\n',
    "jira": 'email = "bot@acme.example"\n',
    "confluence": 'email = "bot@acme.example"\n',
}
CATEGORY = {"zendesk": "support", "hubspot": "crm", "slack": "chat", "jira": "tracker", "confluence": "kb"}


def app() -> typer.Typer:
    cli = typer.Typer()
    register(cli)
    return cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app(), list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def served(cwd: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, object]]:
    """Five vendor fakes on local ports, an escalation.toml pointing at them, tokens in the env."""
    fakes = {name: FAKES[name]() for name in CATEGORY}
    with ExitStack() as stack:
        lines = []
        for name, fake in fakes.items():
            root = stack.enter_context(serve(fake))
            lines.append(
                f'[{CATEGORY[name]}]\nbackend = "{name}"\nbase_url = "{root}{API_ROOTS[name]}"\n{EXTRA.get(name, "")}'
            )
        (cwd / "escalation.toml").write_text("\n".join(lines), encoding="utf-8")
        for var, value in ENV.items():
            monkeypatch.setenv(var, value)
        yield fakes  # type: ignore[misc]


def test_init_writes_the_template_and_refuses_to_overwrite(cwd: Path) -> None:
    assert run("init")[0] == 0
    assert (cwd / "escalation.toml").read_text(encoding="utf-8") == TEMPLATE
    (cwd / "escalation.toml").write_text("# mine\n", encoding="utf-8")
    code, _, err = run("init")
    assert code == 2 and "already exists; pass --force" in err
    assert (cwd / "escalation.toml").read_text(encoding="utf-8") == "# mine\n"
    assert run("init", "--force")[0] == 0 and (cwd / "escalation.toml").read_text(encoding="utf-8") == TEMPLATE
    assert run("init", "--path", str(cwd / "conf" / "team.toml"))[0] == 0


def test_check_without_a_configuration_is_a_usage_error(cwd: Path) -> None:
    code, _, err = run("connectors", "check")
    assert (
        code == 2
        and err.strip()
        == "escalate: error: no escalation.toml in the working directory; create one with 'escalate init'"
    )
    (cwd / "escalation.toml").write_text("[support\n", encoding="utf-8")
    code, _, err = run("connectors", "check")
    assert code == 2 and "invalid TOML" in err


def test_check_on_the_template_calls_the_demo_sources(cwd: Path) -> None:
    run("init")
    code, out, _ = run("connectors", "check")
    assert code == 0, out
    assert out.count("embedded demo data") == 5


def test_check_calls_each_vendor_once_hubspot_twice_and_shows_headroom(served: dict[str, object]) -> None:
    code, out, err = run("connectors", "check")
    assert code == 0, out + err
    assert "authenticated as Sam Rivera (agent)" in out and "398/400 per minute" in out
    assert "portal 62515" in out and "187/190 per 10 s" in out
    assert "authenticated as sam in Acme" in out
    assert "authenticated as Escalation Bot" in out and "97/100 in window" in out
    assert not any(secret in out + err for secret in SECRETS)
    for name, fake in served.items():
        # HubSpot's scopes are a request of their own (access-token info); Slack's come in a header.
        assert len(fake.requests) == (2 if name == "hubspot" else 1), name  # type: ignore[attr-defined]


def test_check_reports_a_failing_source_with_exit_1(served: dict[str, object]) -> None:
    served["jira"].authorized = lambda request: False  # type: ignore[attr-defined]
    code, out, _ = run("connectors", "check")
    assert code == 1
    assert "authentication failed (HTTP 401) (check JIRA_API_TOKEN)" in out
    assert out.count(" ok ") == 4


def test_check_reports_a_missing_variable_with_exit_2(
    served: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HUBSPOT_ACCESS_TOKEN")
    code, out, _ = run("connectors", "check")
    assert code == 2
    assert "environment variable HUBSPOT_ACCESS_TOKEN is not set (needed by [crm])" in out
    assert not any(secret in out for secret in SECRETS)
