"""The collection's root manifest (`opencollection.yml`): name, environments, signing profiles.

Environments sit where OpenCollection 1.0 puts them (`config.environments`, variables as
name/value, or `secret: true` for a value kept out of the file). Signing profiles and expected
responses are ours, under `extensions.webhook-inspector`: a profile names its scheme and the
NAME of its secret (resolved by core/secrets.py), never the secret itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from webhook_inspector.core.collection.yamltext import dump_yaml, load_yaml
from webhook_inspector.core.errors import UsageError
from webhook_inspector.core.formats.documents import Node
from webhook_inspector.core.formats.importresult import Environment

MANIFEST_NAME = "opencollection.yml"
SPEC_VERSION = "1.0.0"
EXTENSION_KEY = "webhook-inspector"
_SECRET_VALUE = re.compile(r"\{\{\s*secret:([^{}]+?)\s*\}\}")


@dataclass(frozen=True, slots=True)
class SigningProfile:
    """Sign with `scheme` using secret `secret` (a name); `path` (a glob) limits where."""

    name: str
    scheme: str
    secret: str
    path: str = ""


@dataclass(frozen=True, slots=True)
class ExpectedResponse:
    """What a run should get back: a status, headers that must be present, a body substring."""

    name: str
    status: int | None = None
    headers: tuple[tuple[str, str], ...] = ()
    body_contains: str = ""


@dataclass(frozen=True, slots=True)
class Manifest:
    """Everything a collection says about itself outside its request files."""

    name: str
    environments: tuple[Environment, ...] = ()
    signing: tuple[SigningProfile, ...] = ()
    expected: tuple[ExpectedResponse, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def environment(self, name: str) -> Environment:
        """The environment called `name`; raises UsageError listing the known ones."""
        for environment in self.environments:
            if environment.name == name:
                return environment
        known = ", ".join(e.name for e in self.environments) or "none"
        raise UsageError(f"no environment named {name!r} in collection (known: {known})")


def dump_manifest(manifest: Manifest) -> str:
    """The manifest as YAML text (keys we do not know, kept in `extra`, are written back)."""
    document: dict[str, Any] = {"opencollection": SPEC_VERSION, "info": {"name": manifest.name}}
    if manifest.environments:
        document["config"] = {"environments": [_dump_environment(e) for e in manifest.environments]}
    ours: dict[str, Any] = {}
    if manifest.signing:
        ours["signing"] = [_dump_profile(p) for p in manifest.signing]
    if manifest.expected:
        ours["expected"] = [_dump_expected(e) for e in manifest.expected]
    if ours:
        document["extensions"] = {EXTENSION_KEY: ours}
    for key, value in manifest.extra.items():
        document.setdefault(key, value)
    return dump_yaml(document)


def load_manifest(text: str, where: str) -> Manifest:
    """The manifest in `text`; raises FormatError naming `where` and the JSON pointer."""
    data = load_yaml(text, where)
    root = Node(data if data is not None else {}, where)
    info = root.node("info", dict, {})
    config = root.node("config", dict, {})
    environments = tuple(_load_environment(e) for e in config.items("environments"))
    ours = root.node("extensions", dict, {}).node(EXTENSION_KEY, dict, {})
    signing = tuple(
        SigningProfile(p.get("name", str), p.get("scheme", str), p.get("secret", str),
                       p.get("path", str, ""))
        for p in ours.items("signing")
    )  # fmt: skip
    expected = tuple(
        ExpectedResponse(
            e.get("name", str),
            e.get("status", int, None),
            tuple(e.pairs("headers")),
            e.get("body", str, ""),
        )
        for e in ours.items("expected")
    )
    known = {"opencollection", "info", "config", "extensions"}
    extra = {k: v for k, v in root.value.items() if k not in known}
    return Manifest(info.get("name", str, ""), environments, signing, expected, extra)


def _dump_environment(environment: Environment) -> dict[str, Any]:
    variables = []
    for name, value in environment.variables:
        match = _SECRET_VALUE.fullmatch(value)
        if match and match.group(1) == name:
            variables.append({"name": name, "secret": True})
        else:
            variables.append({"name": name, "value": value})
    return {"name": environment.name, "variables": variables}


def _load_environment(node: Node) -> Environment:
    variables = []
    for item in node.items("variables"):
        if item.get("disabled", bool, False):
            continue
        name = item.get("name", str)
        if item.get("secret", bool, False):
            variables.append((name, f"{{{{secret:{name}}}}}"))
        else:
            value = item.value.get("value", "")
            variables.append((name, value if isinstance(value, str) else str(value)))
    return Environment(node.get("name", str), tuple(variables))


def _dump_profile(profile: SigningProfile) -> dict[str, Any]:
    entry = {"name": profile.name, "scheme": profile.scheme, "secret": profile.secret}
    return entry | ({"path": profile.path} if profile.path else {})


def _dump_expected(expected: ExpectedResponse) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": expected.name}
    if expected.status is not None:
        entry["status"] = expected.status
    if expected.headers:
        entry["headers"] = [{"name": n, "value": v} for n, v in expected.headers]
    if expected.body_contains:
        entry["body"] = expected.body_contains
    return entry
