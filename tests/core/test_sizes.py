"""Byte counts for people."""

from __future__ import annotations

import pytest

from webhook_inspector.core.sizes import human_size

MiB = 1024 * 1024


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0 B"),
        (512, "512 B"),
        (1023, "1023 B"),
        (1229, "1.2 KB"),
        (14 * 1024, "14 KB"),
        (3 * MiB, "3.0 MB"),
        (64 * MiB, "64 MB"),
        (5 * 1024 * MiB, "5.0 GB"),
    ],
)
def test_human_size(n: int, text: str) -> None:
    assert human_size(n) == text
