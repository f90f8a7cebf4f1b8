"""GitLab: no signature, the secret token itself in X-Gitlab-Token (compared in constant time)."""

from __future__ import annotations

from webhook_inspector.core.signing._carriers import PlainHeader
from webhook_inspector.core.signing._keys import RAW
from webhook_inspector.core.signing.base import Scheme

GITLAB_TOKEN = Scheme(
    id="gitlab_token",
    title="GitLab secret token",
    algorithm="token",
    carrier=PlainHeader("X-Gitlab-Token"),
    signed=(),
    encoding="text",
    key=RAW,
    source="https://docs.gitlab.com/user/project/integrations/webhooks/#create-a-webhook",
    aliases=("gitlab",),
    covers_body=False,
)

SCHEMES = (GITLAB_TOKEN,)
