"""What imports produce (requests, warnings, environments) and the source they read from."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import yaml

from webhook_inspector.core.errors import FormatError
from webhook_inspector.core.model import OutgoingRequest


@dataclass(frozen=True, slots=True)
class Environment:
    """A named set of variables for `{{name}}` placeholders."""

    name: str
    variables: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import produced: requests (names may hold `/` for folders), notes, environments."""

    format: str
    requests: tuple[OutgoingRequest, ...]
    warnings: tuple[str, ...] = ()
    environments: tuple[Environment, ...] = ()


class Source:
    """The text being imported, parsed as JSON or YAML at most once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._json: Any = None
        self._json_error: json.JSONDecodeError | None = None
        self._yaml: Any = None
        self._parsed = False

    @property
    def looks_like_json(self) -> bool:
        """Whether the text starts like a JSON object or array."""
        return self.text.lstrip()[:1] in ("{", "[")

    def json(self) -> Any:
        """The text as JSON, or None when it is not JSON."""
        if not self._parsed and self.looks_like_json:
            self._parsed = True
            try:
                self._json = json.loads(self.text)
            except json.JSONDecodeError as exc:
                self._json_error = exc
        return self._json

    def yaml(self) -> Any:
        """The text as YAML (None when not YAML or not a mapping)."""
        if self._yaml is None and not self.looks_like_json:
            try:
                loaded = yaml.safe_load(self.text)
            except yaml.YAMLError:
                loaded = None
            self._yaml = loaded if isinstance(loaded, dict) else {}
        return self._yaml or None

    def json_error(self, format_name: str) -> FormatError | None:
        """A FormatError for text that starts like JSON but does not parse."""
        self.json()
        exc = self._json_error
        if exc is None:
            return None
        return FormatError(f"{format_name} line {exc.lineno} column {exc.colno}: {exc.msg}")
