"""Byte counts for people (its own module: the capture list needs it before the first paint)."""

from __future__ import annotations


def human_size(n: int) -> str:
    """A byte count for people: "512 B", "1.2 KB", "14 KB", "3.0 MB" (powers of 1024)."""
    if n < 1024:
        return f"{n} B"
    value = float(n)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            break
    return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"
