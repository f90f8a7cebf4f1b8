"""Postman v2.1 export: valid against the published schema, golden file, bodies recoverable."""

from __future__ import annotations

import functools
import io
import json
import re
from pathlib import Path
from typing import Any

from formatsamples import check_golden, sample_captures
from jsonschema import Draft7Validator

from webhook_inspector.core.formats import get_exporter
from webhook_inspector.core.formats.postman import SCHEMA_URL, postman_item, write_postman

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "data" / "postman"
CAPTURES = sample_captures()


def _load(path: Path) -> dict[str, Any]:
    # The sources carry `//` comment lines; Postman's compiler strips them the same way.
    text = "\n".join(
        line for line in path.read_text().splitlines() if not line.strip().startswith("//")
    )
    return json.loads(text)


@functools.cache
def _validator() -> Draft7Validator:
    """The schema compiled as postmanlabs/schemas' bin/compile does: parts under definitions."""
    schema = _load(SCHEMA_DIR / "collection.json")
    definitions = {}
    for path in sorted((SCHEMA_DIR / "collection").glob("*.json")):
        part = _load(path)
        name = re.fullmatch(r"#/definitions/(.+)", part.pop("$id"))
        assert name, path
        part.pop("$schema", None)
        definitions[name[1]] = part
    schema["definitions"] = definitions
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def _export(redact: bool = True) -> bytes:
    out = io.BytesIO()
    assert get_exporter("postman").export(CAPTURES, out, redact=redact) == len(CAPTURES)
    return out.getvalue()


def test_export_is_valid_against_the_published_schema():
    document = json.loads(_export())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in _validator().iter_errors(document)]
    assert errors == []
    assert document["info"]["schema"] == SCHEMA_URL


def test_the_validator_rejects_what_postman_would():
    broken = json.loads(_export())
    broken["item"][0]["request"]["header"][0] = {"name": "Host"}  # `key` and `value` required
    assert list(_validator().iter_errors(broken))


def test_golden():
    check_golden("postman_redacted.json", _export())


def test_items_carry_method_url_headers_and_text_bodies():
    item = postman_item(CAPTURES[0])
    request = item["request"]
    assert item["name"] == "#1 POST /hooks/github"
    assert request["url"]["raw"] == "http://127.0.0.1:8765/hooks/github?delivery=1"
    assert request["url"]["host"] == ["127", "0", "0", "1"] and request["url"]["port"] == "8765"
    assert request["url"]["query"] == [{"key": "delivery", "value": "1"}]
    assert request["header"][3] == {"key": "X-GitHub-Event", "value": "issues"}
    assert request["body"]["raw"].encode() == CAPTURES[0].body


def test_binary_body_is_a_file_reference():
    assert postman_item(CAPTURES[2])["request"]["body"] == {
        "mode": "file",
        "file": {"src": "capture-3.body"},
    }
    query = postman_item(CAPTURES[1])["request"]["url"]["query"]
    assert query[-1] == {"key": "flag", "value": None}


def test_streams_an_item_at_a_time():
    out = io.BytesIO()
    assert write_postman(iter(CAPTURES[:2]), out) == 2
    assert out.getvalue().count(b"\n") == 4  # opening, two items, closing
