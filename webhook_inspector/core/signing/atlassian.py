"""Bitbucket Cloud and Jira (admin webhooks with a secret): WebSub-style `sha256=` hex
HMAC-SHA256 of the raw body in X-Hub-Signature."""

from __future__ import annotations

from webhook_inspector.core.signing._carriers import PlainHeader
from webhook_inspector.core.signing._keys import RAW
from webhook_inspector.core.signing.base import Part, Scheme

BITBUCKET = Scheme(
    id="bitbucket",
    title="Bitbucket",
    algorithm="HMAC-SHA256",
    carrier=PlainHeader("X-Hub-Signature", "sha256="),
    signed=(Part.BODY,),
    encoding="hex",
    key=RAW,
    source="https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/#Secure-webhooks",
)

JIRA = Scheme(
    id="jira",
    title="Jira",
    algorithm="HMAC-SHA256",
    carrier=PlainHeader("X-Hub-Signature", "sha256="),
    signed=(Part.BODY,),
    encoding="hex",
    key=RAW,
    source="https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks",
)

SCHEMES = (BITBUCKET, JIRA)
