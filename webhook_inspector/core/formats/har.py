"""HAR 1.2 export: each capture is an entry whose response is what our listener answered.

HAR is for other tools (HTTP Toolkit, browser devtools, proxies); it cannot keep every byte
(the raw head, for one), so the lossless format is NDJSON (`ndjson.py`). Fields HAR has no room
for start with `_`, as the spec asks. Where HAR needs an extension we use the one HTTP Toolkit
writes and reads back, so its import understands our files: `_content` for a request body that is
not UTF-8, `_requestBodyStatus`, and `_trailers` (httptoolkit/httptoolkit-ui:
src/model/http/har.ts, `generateHarRequest` and `parseHarRequest`).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any, BinaryIO
from urllib.parse import parse_qsl

from webhook_inspector import __version__
from webhook_inspector.core.httpwire import find_head_end, head_lines, lenient_header_lines
from webhook_inspector.core.model import CapturedRequest, Outcome

CREATOR = {"name": "Webhook Inspector", "version": __version__}
FALLBACK_HOST = "127.0.0.1"
OCTET_STREAM = "application/octet-stream"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ISO_UTC = "%Y-%m-%dT%H:%M:%S.%fZ"
_REASONS = {status.value: status.phrase for status in HTTPStatus}
_URL_UNSAFE = re.compile(r"[^\x21-\x7e]")
_HOST = re.compile(r"[A-Za-z0-9._~%!$&'()*+,;=:\[\]-]+")
_ABSOLUTE_FORM = re.compile(r"https?://", re.IGNORECASE)
_VERSION = re.compile(r"\d+(?:\.\d+)?")
_STATUS_LINE = re.compile(r"HTTP/(\d+(?:\.\d+)?) +(\d{3})(?: (.*))?")
_TIMINGS = {"blocked": -1, "dns": -1, "connect": -1, "ssl": -1, "send": 0, "wait": 0, "receive": 0}


def write_har(captures: Iterable[CapturedRequest], out: BinaryIO) -> int:
    """Write `captures` to `out` as one HAR 1.2 document, an entry a line; return the count.

    Entries are written as they come, so memory use does not grow with the number of captures.
    """
    creator = json.dumps(CREATOR, ensure_ascii=False)
    opening = f'{{"log":{{"version":"1.2","creator":{creator},"entries":['.encode()
    return write_json_array(out, opening, map(har_entry, captures), b"\n]}}\n")


def write_json_array(
    out: BinaryIO, opening: bytes, records: Iterable[dict[str, Any]], closing: bytes
) -> int:
    """Stream `records` as a JSON array's items, one a line, between `opening` and `closing`."""
    # One record at a time, so memory does not grow with the number of captures; returns it.
    out.write(opening)
    count = 0
    for record in records:
        out.write(b",\n" if count else b"\n")
        out.write(json.dumps(record, ensure_ascii=False).encode("utf-8"))
        count += 1
    out.write(closing)
    return count


def har_entry(capture: CapturedRequest) -> dict[str, Any]:
    """One capture as a HAR entry (a plain dict ready for `json.dumps`)."""
    return {
        "startedDateTime": iso_utc(capture.received_at_us),
        # Timings are those of our listener answering, which we do not measure per phase.
        "time": 0,
        "request": _request(capture),
        "response": _response(capture),
        "cache": {},
        "timings": dict(_TIMINGS),
        "_webhookInspector": {
            "id": capture.id,
            "inbox": capture.inbox,
            "outcome": capture.outcome.value,
            "reason": capture.reason,
            "remote": capture.remote,
            "declaredSize": capture.declared_size,
        },
    }


def iso_utc(received_at_us: int) -> str:
    """Microseconds since the epoch as ISO 8601 UTC with microseconds and `Z`."""
    moment = _EPOCH + timedelta(microseconds=received_at_us)
    return moment.strftime(_ISO_UTC)


def request_url(capture: CapturedRequest) -> str:
    """The absolute URL of a capture, its target kept undecoded (`%2F` and `+` stay as sent).

    Bytes a URL cannot hold raw (controls, space, non-ASCII) are percent-encoded, so readers
    that check the `uri` format (har-validator, used by HTTP Toolkit's import) accept it.
    """
    target = _URL_UNSAFE.sub(_percent_encode, capture.target)
    if _ABSOLUTE_FORM.match(target):
        return target
    host = capture.header("host") or ""
    if not _HOST.fullmatch(host):
        # A missing Host, or one that would change what the URL means (`/`, `@`, spaces).
        host = FALLBACK_HOST
    if not target.startswith("/"):
        target = "/" + target  # asterisk-form, authority-form or an unreadable request line
    scheme = "https" if capture.tls else "http"
    return f"{scheme}://{host}{target}"


def _percent_encode(match: re.Match[str]) -> str:
    char = match[0]
    raw = char.encode("latin-1") if ord(char) < 0x100 else char.encode("utf-8")
    return "".join(f"%{byte:02X}" for byte in raw)


def _request(capture: CapturedRequest) -> dict[str, Any]:
    request: dict[str, Any] = {
        "method": capture.method,
        "url": request_url(capture),
        "httpVersion": _http_version(capture.http_version),
        "cookies": _request_cookies(capture),
        "headers": _har_headers(capture.headers),
        "queryString": _query_string(capture),
        "headersSize": _head_size(capture),
        "bodySize": len(capture.body),
    }
    if capture.trailers:
        request["_trailers"] = _har_headers(capture.trailers)
    body = capture.body
    if capture.outcome is Outcome.TOO_LARGE:
        request["_requestBodyStatus"] = "discarded:too-large"
        request["comment"] = f"Body not read: {capture.reason}"
    elif body:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            # HAR's postData.text is a string with no encoding field; HTTP Toolkit carries such
            # bodies in `_content` instead and leaves postData out.
            request["_requestBodyStatus"] = "discarded:not-representable"
            request["_content"] = {
                "text": base64.b64encode(body).decode("ascii"),
                "size": len(body),
                "encoding": "base64",
            }
        else:
            request["postData"] = _post_data(text, capture.content_type or OCTET_STREAM)
    return request


def _query_string(capture: CapturedRequest) -> list[dict[str, str]]:
    # Meant to equal capture.query_items(), which raises UnicodeError on any non-ASCII result
    # (`%C3%A9`, or a raw 0xE9 byte): parse_qsl converts bytes in and out as ASCII. Parsing
    # the query as str, with raw non-ASCII bytes percent-encoded, gives the same pairs.
    query = _URL_UNSAFE.sub(_percent_encode, capture.raw_query)
    pairs = parse_qsl(query, keep_blank_values=True, encoding="utf-8", errors="replace")
    return [{"name": name, "value": value} for name, value in pairs]


def _post_data(text: str, mime_type: str) -> dict[str, Any]:
    post: dict[str, Any] = {"mimeType": mime_type, "text": text}
    if mime_type.partition(";")[0].strip().lower() == "application/x-www-form-urlencoded":
        # The spec calls text and params exclusive, but importers (Chrome, Firefox, HTTP
        # Toolkit) want params for forms and text to rebuild the body exactly: give both.
        pairs = parse_qsl(text, keep_blank_values=True)
        post["params"] = [{"name": name, "value": value} for name, value in pairs]
    return post


def _http_version(version: str) -> str:
    # HTTP Toolkit's import throws on a version that is not digits; refused requests can carry any.
    return f"HTTP/{version}" if _VERSION.fullmatch(version) else "HTTP/1.1"


def _har_headers(pairs: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in pairs]


def _head_size(capture: CapturedRequest) -> int:
    raw = capture.raw_head
    if not raw or capture.outcome not in (Outcome.CAPTURED, Outcome.TOO_LARGE):
        return -1  # refused heads may be cut short: their size is unknown
    # raw_head stops before the blank line ending the head: CRLF CRLF, or LF LF from a lenient
    # client that never sent a CR.
    ending = 2 if b"\n" in raw and b"\r" not in raw else 4
    return len(raw) + ending


def _request_cookies(capture: CapturedRequest) -> list[dict[str, str]]:
    cookies = []
    for header in capture.header_values("cookie"):
        for piece in header.split(";"):
            name, _, value = piece.strip().partition("=")
            if name or value:
                cookies.append({"name": name.strip(), "value": value.strip()})
    return cookies


def _response(capture: CapturedRequest) -> dict[str, Any]:
    status = capture.status
    raw = capture.response
    if not raw:
        return {
            "status": status,
            "statusText": _REASONS.get(status, ""),
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": [],
            "content": {"size": 0, "mimeType": "application/x-unknown"},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": -1,
        }
    found = find_head_end(raw)
    head_end, body_start = found if found else (len(raw), len(raw))
    lines = head_lines(raw[:head_end])
    match = _STATUS_LINE.fullmatch(lines[0].decode("latin-1"))
    version = f"HTTP/{match[1]}" if match else "HTTP/1.1"
    if match and int(match[2]) == status and match[3] is not None:
        status_text = match[3]
    else:
        status_text = _REASONS.get(status, "")
    headers = lenient_header_lines(lines[1:])
    body = raw[body_start:]
    mime_type = _first(headers, "content-type", OCTET_STREAM)
    content: dict[str, Any] = {"size": len(body), "mimeType": mime_type}
    if body:
        try:
            content["text"] = body.decode("utf-8")
        except UnicodeDecodeError:
            content["text"] = base64.b64encode(body).decode("ascii")
            content["encoding"] = "base64"
    return {
        "status": status,
        "statusText": status_text,
        "httpVersion": version,
        "cookies": _response_cookies(headers),
        "headers": _har_headers(headers),
        "content": content,
        "redirectURL": _first(headers, "location", ""),
        "headersSize": body_start if found else -1,
        "bodySize": len(body),
    }


def _first(headers: Iterable[tuple[str, str]], name: str, default: str) -> str:
    return next((value for key, value in headers if key.lower() == name), default)


def _response_cookies(headers: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    cookies = []
    for key, header in headers:
        if key.lower() != "set-cookie":
            continue
        first, *attributes = header.split(";")
        name, _, value = first.strip().partition("=")
        cookie: dict[str, Any] = {"name": name.strip(), "value": value.strip()}
        for attribute in attributes:
            attr, _, arg = attribute.strip().partition("=")
            attr = attr.strip().lower()
            if attr in ("path", "domain"):
                cookie[attr] = arg.strip()
            elif attr == "expires" and (expires := _cookie_date(arg)):
                cookie["expires"] = expires
            elif attr == "httponly":
                cookie["httpOnly"] = True
            elif attr == "secure":
                cookie["secure"] = True
        cookies.append(cookie)
    return cookies


def _cookie_date(value: str) -> str | None:
    # HAR wants ISO 8601; Set-Cookie sends an HTTP date. Drop the attribute if it is unreadable.
    try:
        moment = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(_ISO_UTC)
