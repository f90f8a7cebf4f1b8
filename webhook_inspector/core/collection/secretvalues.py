"""Keeping secrets out of collection files: credentials become `{{secret:NAME}}` placeholders.

A request taken from a capture or an import may carry a token (`Authorization`, `X-Api-Key`,
a provider signature) and an imported environment may hold passwords. Before such a request or
environment is written, its secret values are swapped for placeholders naming a secret; the
caller tells the user which secrets to store (keyring or WEBHOOK_INSPECTOR_SECRET_<NAME>).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from webhook_inspector.core.formats.importresult import Environment
from webhook_inspector.core.formats.redaction import SECRET_HEADERS
from webhook_inspector.core.model import OutgoingRequest
from webhook_inspector.core.secrets import env_name

_SECRET_VARIABLE = re.compile(
    r"token|secret|passw|pwd|api[-_ ]?key|apikey|auth|credential|private|signature", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class MovedSecret:
    """A value kept out of a file: the secret's name, where it was, and its value (never logged)."""

    name: str
    where: str
    value: str

    @property
    def hint(self) -> str:
        """How a person provides it (without the value)."""
        return f"secret {self.name!r} ({self.where}): keyring or ${env_name(self.name)}"


def placeholder(name: str) -> str:
    """The text that stands for secret `name` in a file."""
    return f"{{{{secret:{name}}}}}"


def without_secret_headers(request: OutgoingRequest) -> tuple[OutgoingRequest, list[MovedSecret]]:
    """The request with credential and signature header values replaced by placeholders."""
    moved: list[MovedSecret] = []
    headers = []
    for name, value in request.headers:
        if name.lower() in SECRET_HEADERS and value.strip() and "{{" not in value:
            secret = name.lower()
            moved.append(MovedSecret(secret, f"header {name} of {request.name!r}", value))
            headers.append((name, placeholder(secret)))
        else:
            headers.append((name, value))
    return replace(request, headers=tuple(headers)), moved


def without_secret_variables(environment: Environment) -> tuple[Environment, list[MovedSecret]]:
    """The environment with values of secret-looking variables replaced by placeholders."""
    moved: list[MovedSecret] = []
    variables = []
    for name, value in environment.variables:
        if _SECRET_VARIABLE.search(name) and value.strip() and "{{" not in value:
            moved.append(MovedSecret(name, f"variable {name} of {environment.name!r}", value))
            variables.append((name, placeholder(name)))
        else:
            variables.append((name, value))
    return replace(environment, variables=tuple(variables)), moved
