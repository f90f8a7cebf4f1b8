"""Export formats for captured requests: a registry of small named exporters."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from webhook_inspector.core.errors import InspectorError, UsageError

if TYPE_CHECKING:
    from webhook_inspector.core.model import CapturedRequest

Writer = Callable[[Iterable["CapturedRequest"], BinaryIO], int]


@dataclass(frozen=True, slots=True)
class Exporter:
    """A named export format.

    `write(captures, out)` streams the captures to the binary file `out` one at a time (so an
    export never holds them all in memory) and returns how many it wrote. `writer` names that
    function as "module.function" under this package, imported on first use so that the
    registry costs nothing to import (the CLI reads it to build its parser). `extension`
    includes the dot, ready for `Path.with_suffix`.
    """

    name: str
    extension: str
    media_type: str
    writer: str
    description: str = ""

    @property
    def write(self) -> Writer:
        """The writing function, imported on first use."""
        module, function = self.writer.rsplit(".", 1)
        writer: Writer = getattr(importlib.import_module(f"{__name__}.{module}"), function)
        return writer

    def export(
        self, captures: Iterable[CapturedRequest], out: BinaryIO, *, redact: bool = True
    ) -> int:
        """Write `captures` to `out`, secrets and signatures redacted unless `redact` is False."""
        from webhook_inspector.core.formats.redaction import redact_all  # noqa: PLC0415

        return self.write(redact_all(captures) if redact else captures, out)

    def export_file(
        self, captures: Iterable[CapturedRequest], target: Path, *, redact: bool = True
    ) -> int:
        """Export to `target` through a .part file, so nothing half-written is ever left."""
        partial = target.with_name(target.name + ".part")
        try:
            with partial.open("wb") as out:
                written = self.export(captures, out, redact=redact)
            partial.replace(target)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise InspectorError(f"cannot write {target}: {exc.strerror}") from exc
        return written


EXPORTERS: dict[str, Exporter] = {
    exporter.name: exporter
    for exporter in (
        # HAR has no registered media type; every tool that reads HAR serves it as JSON.
        Exporter("har", ".har", "application/json", "har.write_har", "HAR 1.2"),
        Exporter(
            "ndjson", ".ndjson", "application/x-ndjson", "ndjson.write_ndjson", "lossless NDJSON"
        ),
        Exporter("curl", ".sh", "text/x-shellscript", "curl.write_curl_bash", "cURL for bash"),
        Exporter("curl-cmd", ".cmd", "text/plain", "curl.write_curl_cmd", "cURL for Windows cmd"),
        Exporter("httpie", ".sh", "text/x-shellscript", "httpie.write_httpie", "HTTPie for bash"),
        Exporter(
            "postman",
            ".postman_collection.json",
            "application/json",
            "postman.write_postman",
            "Postman collection v2.1",
        ),
        Exporter("raw", ".http", "message/http", "rawhttp.write_raw", "raw HTTP/1.1 messages"),
    )
}


def get_exporter(name: str) -> Exporter:
    """The exporter called `name`; raises UsageError listing the known names."""
    try:
        return EXPORTERS[name]
    except KeyError:
        known = ", ".join(sorted(EXPORTERS))
        raise UsageError(f"unknown export format {name!r} (known: {known})") from None
