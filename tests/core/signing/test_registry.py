"""The registry: exactly DESIGN §4's ids, aliases, helpful unknown-name errors."""

from __future__ import annotations

import pytest

from webhook_inspector.core.errors import UsageError
from webhook_inspector.core.signing import SCHEMES, get_scheme
from webhook_inspector.core.signing.registry import ALIASES

DESIGN_IDS = " ".join(
    [
        "github_sha256 github_sha1 stripe slack shopify standard_webhooks standard_webhooks_v1a",
        "svix twilio square paddle twitch zoom mailgun gitlab_token discord sendgrid",
        "linear intercom bitbucket jira pagerduty calendly",
    ]
).split()  # the list in DESIGN §4, as written there


def test_exactly_the_design_ids():
    assert sorted(SCHEMES) == sorted(DESIGN_IDS)
    assert len(SCHEMES) == 23


def test_every_scheme_declares_its_source_and_headers():
    for scheme in SCHEMES.values():
        assert scheme.source.startswith(("https://", "http://"))
        assert scheme.header_names


ALIAS_CASES = [
    ("GitHub", "github_sha256"),
    ("gitlab", "gitlab_token"),
    ("standard-webhooks-v1a", "standard_webhooks_v1a"),
    (" Stripe ", "stripe"),
]


@pytest.mark.parametrize(("name", "expected"), ALIAS_CASES)
def test_aliases_and_spelling(name, expected):
    assert get_scheme(name).id == expected


def test_aliases_point_at_real_schemes():
    assert set(ALIASES.values()) <= set(SCHEMES)


def test_unknown_names_suggest_the_nearest():
    with pytest.raises(UsageError, match="did you mean stripe") as info:
        get_scheme("strpe")
    assert "calendly" in str(info.value)  # the full list follows
