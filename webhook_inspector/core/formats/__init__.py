"""Export formats for captured requests: a registry of small named exporters."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from webhook_inspector.core.errors import UsageError
from webhook_inspector.core.formats import har, ndjson
from webhook_inspector.core.model import CapturedRequest


@dataclass(frozen=True, slots=True)
class Exporter:
    """A named export format.

    `write(captures, out)` streams the captures to the binary file `out` one at a time (so an
    export never holds them all in memory) and returns how many it wrote. `extension` includes
    the dot, ready for `Path.with_suffix`.
    """

    name: str
    extension: str
    media_type: str
    write: Callable[[Iterable[CapturedRequest], BinaryIO], int]


EXPORTERS: dict[str, Exporter] = {
    exporter.name: exporter
    for exporter in (
        # HAR has no registered media type; every tool that reads HAR serves it as JSON.
        Exporter("har", ".har", "application/json", har.write_har),
        Exporter("ndjson", ".ndjson", "application/x-ndjson", ndjson.write_ndjson),
    )
}


def get_exporter(name: str) -> Exporter:
    """The exporter called `name`; raises UsageError listing the known names."""
    try:
        return EXPORTERS[name]
    except KeyError:
        known = ", ".join(sorted(EXPORTERS))
        raise UsageError(f"unknown export format {name!r} (known: {known})") from None
