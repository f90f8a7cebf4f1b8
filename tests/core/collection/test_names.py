"""Item names as file names: nothing escapes the folder, nothing a file system refuses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webhook_inspector.core.collection.names import MAX_NAME_BYTES, numbered, safe_name


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "_.._etc_passwd"),
        ("..", "untitled"),
        ("/abs", "_abs"),
        ("a\\b", "a_b"),
        ("C:evil", "C_evil"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("opencollection", "_opencollection"),
        ("folder", "_folder"),
        (".hidden", "hidden"),
        ("tab\there", "tab_here"),
        ("Login ∕ form", "Login ∕ form"),
        ("", "untitled"),
    ],
)
def test_unsafe_names_are_made_safe(name, safe):
    assert safe_name(name) == safe


@given(st.text())
def test_any_name_is_one_harmless_component(name):
    safe = safe_name(name)
    assert safe and "/" not in safe and "\\" not in safe and "\x00" not in safe
    assert safe not in (".", "..") and not safe.startswith(".")
    assert len(safe.encode("utf-8")) <= MAX_NAME_BYTES


def test_numbered_names():
    assert numbered("Create", 1) == "Create"
    assert numbered("Create", 3) == "Create (3)"
