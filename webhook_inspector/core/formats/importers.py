"""Import: sniff a file's format from its content and read it into requests to send.

All or nothing: a reader raises FormatError (format, where, what) before anything is returned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from webhook_inspector.core.errors import FormatError
from webhook_inspector.core.formats import (
    bruno,
    curlparse,
    harimport,
    insomnia,
    opencollection,
    postman,
)
from webhook_inspector.core.formats.importresult import ImportResult, Source

MAX_IMPORT_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Importer:
    """A named import format: `sniff` says whether a source is one, `read` reads it."""

    name: str
    sniff: Callable[[Source], bool]
    read: Callable[[Source], ImportResult]


def _read_curl(source: Source) -> ImportResult:
    requests, warnings = curlparse.parse_curl(source.text)
    return ImportResult("cURL", tuple(requests), tuple(warnings))


IMPORTERS: list[Importer] = [
    Importer("HAR", harimport.sniff, harimport.read),
    Importer("Postman collection", postman.sniff_collection, postman.read_collection),
    Importer("Postman environment", postman.sniff_environment, postman.read_environment),
    Importer("Insomnia v4", insomnia.sniff_v4, insomnia.read_v4),
    Importer("Insomnia v5", insomnia.sniff_v5, insomnia.read_v5),
    Importer("OpenCollection", opencollection.sniff, opencollection.read),
    Importer("Bruno", bruno.sniff, bruno.read),
    Importer("cURL", lambda source: curlparse.looks_like_curl(source.text), _read_curl),
]


def import_bytes(data: bytes) -> ImportResult:
    """Read `data` in whichever supported format it is; raises FormatError naming the problem."""
    if len(data) > MAX_IMPORT_BYTES:
        raise FormatError(f"import: file larger than {MAX_IMPORT_BYTES // 2**20} MiB")
    text = data.decode("utf-8-sig", "surrogateescape")
    source = Source(text)
    for importer in IMPORTERS:
        if importer.sniff(source):
            return importer.read(source)
    error = source.json_error(_guess_json_format(text))
    if error is not None:
        raise error
    known = ", ".join(importer.name for importer in IMPORTERS)
    raise FormatError(f"import: not a format we know (known: {known})")


_JSON_HINTS = (('"entries"', "HAR"), ("getpostman.com", "Postman collection"),
               ('"__export_format"', "Insomnia v4"), ('"_postman_variable_scope"',
               "Postman environment"))  # fmt: skip


def _guess_json_format(text: str) -> str:
    # Broken JSON cannot be sniffed by structure; its words still tell what it meant to be.
    return next((name for hint, name in _JSON_HINTS if hint in text), "JSON")
