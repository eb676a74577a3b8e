"""What Jira and Confluence Cloud share: how to reach a site with an API token (the site URL) or
with OAuth 2.0 (3LO), whose requests must go through `https://api.atlassian.com/ex/{product}/{cloudId}`
while links people open still point at the site.

Docs: https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/ (the `/ex/` URLs and
`accessible-resources`) · https://developer.atlassian.com/cloud/confluence/oauth-2-3lo-apps/
"""

from __future__ import annotations

from typing import Any

OAUTH_HOST = "https://api.atlassian.com"
RESOURCES = f"{OAUTH_HOST}/oauth/token/accessible-resources"
"""Lists the sites an OAuth token reaches, with the scopes granted on each."""


def fill_oauth_base(data: Any, product: str, rest_path: str) -> Any:
    """Settings input with `base_url` derived from `cloud_id` (OAuth), and a site URL required then.

    For a settings validator (mode "before"): `product` is `jira` or `confluence`, `rest_path` the
    API root under it, e.g. `/rest/api/3`.
    """
    if not isinstance(data, dict) or not data.get("cloud_id"):
        return data
    if not data.get("web_url"):
        raise ValueError("with cloud_id (OAuth) set web_url to the site, e.g. https://acme.atlassian.net, for links")
    if data.get("base_url"):
        return data  # an explicit API root wins (a proxy in front of the gateway)
    return {**data, "base_url": f"{OAUTH_HOST}/ex/{product}/{data['cloud_id']}{rest_path}"}


def is_oauth(base_url: str) -> bool:
    """Whether requests go through the OAuth gateway rather than the site."""
    return base_url.startswith(f"{OAUTH_HOST}/ex/")


def granted_scopes(resources: Any, cloud_id: str) -> tuple[str, ...] | None:
    """The scopes `accessible-resources` lists for one site, or None when it is not listed."""
    for site in resources if isinstance(resources, list) else ():
        if isinstance(site, dict) and site.get("id") == cloud_id:
            return tuple(str(s) for s in site.get("scopes") or ())
    return None
