"""`escalation.toml`: loading, validation, secrets from the environment, and `open_workspace`."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from connectors.config import ConfigError, load_config, parse_config
from connectors.config_template import TEMPLATE
from connectors.configured import workspace_from_config
from connectors.http.hubspot import HubSpotCRM
from connectors.http.zendesk import ZendeskSupport
from connectors.resolve import WorkspaceNotFound, open_workspace
from tests.fakes.vendors import ENV, FAKES, SECRETS

TODAY = date(2026, 10, 20)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "escalation.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_no_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_config(None) is None
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.toml")


def test_the_init_template_is_valid_and_all_demo() -> None:
    config = parse_config(tomllib.loads(TEMPLATE), Path("escalation.toml"))
    assert {c: config.backend(c) for c in ("support", "crm", "chat", "tracker", "kb")} == dict.fromkeys(
        ("support", "crm", "chat", "tracker", "kb"), "demo"
    )


def test_vendor_tables_validate_and_apply_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, '[crm]\nbackend = "hubspot"\narr_property = "arr_usd"\n\n[chat]\nbackend = "none"\n')
    config = load_config(path)
    assert config is not None
    crm = config.sources["crm"]
    assert (crm.backend, crm.base_url, crm.token_env, crm.arr_property) == (  # type: ignore[attr-defined]
        "hubspot", "https://api.hubapi.com", "HUBSPOT_ACCESS_TOKEN", "arr_usd")  # fmt: skip
    assert config.backend("chat") == "none" and config.backend("kb") == "none"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[support]\nbackend = "freshdesk"\n', "unknown backend 'freshdesk'; choose one of demo, none, zendesk, intercom, mcp"),
        ('[crm]\nbackend = "slack"\n', "[crm]: unknown backend 'slack'"),
        ('[crm]\nbackend = "hubspot"\narr_prop = "x"\n', "[crm]: arr_prop: Extra inputs are not permitted"),
        ('[support]\nbackend = "zendesk"\n', "[support]: base_url: Field required"),
        ('[tracker]\nbackend = "jira"\nbase_url = "https://x"\nprojects = ["eng ops"]\n', "not Jira project keys: eng ops"),
        ('[billing]\nbackend = "demo"\n', "unknown table [billing]"),
        ("[support]\nbackend = 3\n", '[support]: set backend = "demo", "none" or a vendor name'),
        ("[support\n", "invalid TOML"),
    ],
)  # fmt: skip
def test_configuration_errors_are_one_clear_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text))
    assert message in str(err.value) and "\n" not in str(err.value)


def test_a_missing_variable_is_named_never_its_value(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            f'[crm]\nbackend = "hubspot"\n\n[support]\nbackend = "zendesk"\nbase_url = "{FAKES["zendesk"].base_url}"\n',
        )
    )
    assert config is not None
    env = {"HUBSPOT_ACCESS_TOKEN": ENV["HUBSPOT_ACCESS_TOKEN"]}
    with pytest.raises(ConfigError) as err:
        workspace_from_config(config, TODAY, env=env)
    assert str(err.value) == "environment variable ZENDESK_API_TOKEN is not set (needed by [support])"
    assert not any(secret in str(err.value) for secret in SECRETS)


def test_mcp_categories_are_validated_by_the_mcp_settings(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\[kb\]: server: Field required"):
        load_config(write(tmp_path, '[kb]\nbackend = "mcp"\n'))


def test_demo_and_vendors_mix_in_one_workspace(tmp_path: Path) -> None:
    text = (
        f'[support]\nbackend = "zendesk"\nbase_url = "{FAKES["zendesk"].base_url}"\nemail = "a@b.example"\n\n'
        '[crm]\nbackend = "hubspot"\n\n[kb]\nbackend = "demo"\n\n[chat]\nbackend = "demo"\n'
    )
    config = load_config(write(tmp_path, text))
    assert config is not None
    workspace = workspace_from_config(config, TODAY, env=ENV)
    try:
        assert isinstance(workspace.support, ZendeskSupport) and isinstance(workspace.crm, HubSpotCRM)
        assert workspace.kb is not None and workspace.chat is not None and workspace.tracker is None
        assert workspace.kb.search_articles("export") is not None  # the demo KB answers
        assert not any(secret in repr(workspace) for secret in SECRETS)
    finally:
        workspace.close()


def test_open_workspace_prefers_a_found_config_over_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert open_workspace("auto", TODAY).name == "demo"  # no escalation.toml: the demo
    with pytest.raises(WorkspaceNotFound, match=r"no escalation\.toml"):
        open_workspace("config", TODAY)
    write(tmp_path, '[support]\nbackend = "none"\n[kb]\nbackend = "demo"\n')
    found = open_workspace("auto", TODAY)
    assert found.name == "config:escalation.toml" and found.support is None and found.kb is not None
    assert open_workspace("none", TODAY).name == "none"  # explicit values keep their meaning
    assert open_workspace("demo", TODAY).name == "demo"


def test_open_workspace_with_an_explicit_path_and_bad_config(tmp_path: Path) -> None:
    other = tmp_path / "team.toml"
    other.write_text('[crm]\nbackend = "salesforce"\n', encoding="utf-8")
    with pytest.raises(WorkspaceNotFound, match=r"\[crm\]: base_url: Field required"):
        open_workspace("auto", TODAY, config_path=other)
    with pytest.raises(WorkspaceNotFound, match="not found"):
        open_workspace("config", TODAY, config_path=tmp_path / "nope.toml")
