"""File and folder names for collection items: safe on every OS, never outside the collection."""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_BYTES = 120  # leaves room for ".yml"/".body" and a " (2)" under the common 255-byte cap
# Characters that separate paths or that Windows refuses in names, and control characters.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_WINDOWS_DEVICES = frozenset(
    ["con", "prn", "aux", "nul", *(f"{port}{i}" for port in ("com", "lpt") for i in range(1, 10))]
)
# Stems our own files use (the manifest, OpenCollection folder files, environments).
RESERVED_STEMS = frozenset({"opencollection", "folder", "collection", "environments"})


def safe_name(name: str, fallback: str = "untitled") -> str:
    """`name` as one path component: separators and unsafe characters become `_`.

    The result has no `/`, `\\`, `..` or leading dot, is not a Windows device name or one of
    our reserved stems, and is at most MAX_NAME_BYTES of UTF-8.
    """
    text = unicodedata.normalize("NFC", name)
    text = _UNSAFE.sub("_", text).strip(" .")
    if not text:
        text = fallback
    if text.split(".", 1)[0].lower() in _WINDOWS_DEVICES | RESERVED_STEMS:
        text = "_" + text
    encoded = text.encode("utf-8")
    if len(encoded) > MAX_NAME_BYTES:
        text = encoded[:MAX_NAME_BYTES].decode("utf-8", "ignore").rstrip(" .")
    return text


def numbered(name: str, number: int) -> str:
    """`name` with a number to tell it from a sibling of the same name: `Create (2)`."""
    return f"{name} ({number})" if number > 1 else name
