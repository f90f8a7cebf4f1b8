"""Typed access to parsed JSON/YAML documents that fails with the format and a JSON pointer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from webhook_inspector.core.errors import FormatError

_TYPE_NAMES = {str: "a string", int: "a number", bool: "true or false", list: "an array",
               dict: "an object"}  # fmt: skip
_MISSING: Any = object()


def kind(value: object) -> str:
    """How a JSON value's type reads in an error message."""
    if value is None:
        return "null"
    for python_type, name in reversed(_TYPE_NAMES.items()):
        if isinstance(value, python_type):
            return name
    return type(value).__name__


class Node:
    """A value inside a document, with the format's name and its JSON pointer for errors."""

    def __init__(self, value: Any, format_name: str, pointer: str = "") -> None:
        self.value = value
        self.format_name = format_name
        self.pointer = pointer

    def error(self, problem: str, key: str | int | None = None) -> FormatError:
        """A FormatError at this node (or its child `key`)."""
        where = self.pointer if key is None else f"{self.pointer}/{key}"
        return FormatError(f"{self.format_name} {where or '/'}: {problem}")

    def child(self, key: str | int, value: Any) -> Node:
        """A node for `value` found at `key` under this one."""
        escaped = str(key).replace("~", "~0").replace("/", "~1")
        return Node(value, self.format_name, f"{self.pointer}/{escaped}")

    def get(self, key: str, expected: type, default: Any = _MISSING) -> Any:
        """The member `key` of this object, checked to be of type `expected`."""
        if not isinstance(self.value, dict):
            raise self.error(f"expected an object, not {kind(self.value)}")
        if key not in self.value or self.value[key] is None:
            if default is _MISSING:
                raise self.error("missing", key)
            return default
        value = self.value[key]
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            wanted = _TYPE_NAMES.get(expected, "a string or a number")  # type: ignore[call-overload]
            raise self.error(f"must be {wanted}, not {kind(value)}", key)
        return value

    def node(self, key: str, expected: type = dict, default: Any = _MISSING) -> Node:
        """The member `key` as a Node (checked like `get`)."""
        return self.child(key, self.get(key, expected, default))

    def items(self, key: str, *, required: bool = False) -> Iterator[Node]:
        """The elements of the array `key`, each a Node; nothing when absent unless required."""
        array = self.get(key, list, _MISSING if required else [])
        parent = self.child(key, array)
        for index, value in enumerate(array):
            yield parent.child(index, value)

    def pairs(self, key: str, name: str = "name", value: str = "value") -> list[tuple[str, str]]:
        """An array of {name, value} objects as pairs (entries marked disabled are left out)."""
        result = []
        for item in self.items(key):
            if item.get("disabled", bool, False) or item.get("enabled", bool, True) is False:
                continue
            result.append((item.get(name, str), _text(item.get(value, (str, int, float), ""))))
        return result


def _text(value: object) -> str:
    return value if isinstance(value, str) else str(value)


def wire_text(text: str) -> str:
    """Text from a document as header wire bytes read as latin-1 (how captures hold them)."""
    return text.encode("utf-8", "surrogateescape").decode("latin-1")
