"""sign() and verify(): one engine that reads a Scheme's description both ways."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from webhook_inspector.core.errors import UsageError
from webhook_inspector.core.model import CapturedRequest, OutgoingRequest
from webhook_inspector.core.signing import hints
from webhook_inspector.core.signing._carriers import (
    Carried,
    MalformedSignatureError,
    MissingSignatureError,
)
from webhook_inspector.core.signing._keys import ALGORITHMS, ENCODINGS
from webhook_inspector.core.signing._signed import Fields, signed_string
from webhook_inspector.core.signing.base import (
    Message,
    Reason,
    Scheme,
    SignResult,
    Status,
    TimeFormat,
    VerifyResult,
    as_message,
    escape_bytes,
)
from webhook_inspector.core.signing.registry import get_scheme

Request = Message | CapturedRequest | OutgoingRequest

SHOWN_SIGNED_BYTES = 2000


def format_timestamp(seconds: float, time_format: TimeFormat) -> str:
    """A timestamp as the scheme writes it."""
    if time_format is TimeFormat.UNIX_MS:
        return str(int(seconds * 1000))
    if time_format is TimeFormat.RFC3339:
        stamp = datetime.fromtimestamp(int(seconds), UTC).isoformat().replace("+00:00", "Z")
        return stamp
    return str(int(seconds))


def parse_timestamp(text: str, time_format: TimeFormat) -> float:
    """Seconds since the epoch; raises ValueError for text the format does not allow."""
    text = text.strip()
    if time_format is TimeFormat.RFC3339:
        head, dot, frac = text.partition(".")
        if dot:  # Twitch sends nanoseconds; datetime takes at most microseconds
            digits = "".join(ch for ch in frac if ch.isdigit())
            text = f"{head}.{digits[:6]}{frac[len(digits) :]}"
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        if parsed.tzinfo is None:
            raise ValueError("no time zone")
        return parsed.timestamp()
    if not text.isdigit():
        raise ValueError("not an integer")
    return int(text) / (1000 if time_format is TimeFormat.UNIX_MS else 1)


def parse_time_argument(text: str) -> float:
    """A time given by a person: Unix seconds, or ISO 8601 (UTC unless it says otherwise)."""
    try:
        return float(text)
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"invalid time {text!r} (Unix seconds or ISO 8601)") from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp()


def sign(
    scheme: Scheme | str,
    request: Request,
    key: str,
    *,
    timestamp: float | str | None = None,
    msg_id: str | None = None,
    now: Callable[[], float] = time.time,
) -> SignResult:
    """Sign `request` with `key` (a shared secret, or the private key for public-key schemes).

    `scheme` is a Scheme or an id/alias; `request` a Message, CapturedRequest or
    OutgoingRequest. `timestamp` is seconds since the epoch, or text used verbatim; it
    defaults to now(). Raises UsageError for an unknown scheme, a malformed key or a
    URL-signing scheme without a URL.
    """
    scheme = get_scheme(scheme) if isinstance(scheme, str) else scheme
    message = as_message(request)
    signing_key = scheme.key.load_signing(key)
    if scheme.needs_url and not message.url:
        raise UsageError(f"{scheme.id} signs the request URL: give the URL the provider calls")
    if scheme.prepare:
        message = scheme.prepare(message)
    if isinstance(timestamp, str):
        ts_text = timestamp
    else:
        ts_text = format_timestamp(now() if timestamp is None else timestamp, scheme.time_format)
    ident = msg_id or (scheme.new_id() if scheme.new_id else "msg_" + secrets.token_hex(12))
    fields = Fields(message, ts_text, ident, message.url)
    data = signed_string(scheme, fields)
    encode = ENCODINGS[scheme.encoding][0]
    signature = encode(ALGORITHMS[scheme.algorithm].sign(signing_key, data))
    added, message = scheme.carrier.write(signature, ts_text, ident, message)
    extra = []
    if scheme.timestamp_header:
        extra.append((scheme.timestamp_header, ts_text))
    if scheme.id_header:
        extra.append((scheme.id_header, ident))
    message = message.replace_headers(tuple(extra))
    return SignResult(added + tuple(extra), message, data)


def verify(
    scheme: Scheme | str,
    request: Request,
    key: str,
    *,
    now: float | None = None,
    tolerance: float | None = None,
) -> VerifyResult:
    """Check `request`'s signature with `key` (the shared secret or the public key).

    `scheme` is a Scheme or an id/alias; `request` a Message, CapturedRequest (URL rebuilt
    from Host; see as_message) or OutgoingRequest. `now` is seconds since the epoch
    (default: the clock); `tolerance` overrides the scheme's replay window in seconds, and 0
    turns the timestamp check off. Constant-time comparisons throughout. Raises UsageError
    only for an unknown scheme or a malformed key: everything wrong with the request is in
    the result.
    """
    scheme = get_scheme(scheme) if isinstance(scheme, str) else scheme
    message = as_message(request)
    verifying_key = scheme.key.load_verifying(key)
    algorithm = ALGORITHMS[scheme.algorithm]
    window = scheme.tolerance_s if tolerance is None else (int(tolerance) or None)
    base = VerifyResult(Status.INVALID, Reason.MISMATCH, "", scheme.id, tolerance_s=window)
    try:
        carried = scheme.carrier.read(message)
    except MissingSignatureError as exc:
        text = f"No signature: the {exc.where} header is missing, so the request is not signed "
        text += f"the {scheme.title} way ({_expected_headers(scheme)})."
        if exc.where.startswith("signature"):
            text = f"No signature: {exc.where} is missing ({scheme.carrier.layout})."
        return replace(base, status=Status.MISSING, reason=Reason.MISSING_HEADER, explanation=text)
    except MalformedSignatureError as exc:
        text = f"Malformed {exc.where}: {exc.problem}."
        return replace(base, reason=Reason.MALFORMED_HEADER, explanation=text)
    found = _fields(scheme, message, carried)
    if isinstance(found, VerifyResult):
        return replace(found, tolerance_s=window)
    fields, skew = found, None
    if fields.timestamp:
        try:
            skew = (time.time() if now is None else now) - parse_timestamp(
                fields.timestamp, scheme.time_format
            )
        except ValueError:
            where = scheme.timestamp_header or scheme.timestamp_json or scheme.carrier.names[0]
            text = f"Malformed timestamp in {where}: {fields.timestamp!r} is not "
            text += f"{_time_words(scheme)}."
            return replace(base, reason=Reason.MALFORMED_TIMESTAMP, explanation=text)
    received = carried.signatures
    decode = ENCODINGS[scheme.encoding][1]
    decoded = [sig for sig in (decode(text) for text in received) if sig is not None]
    urls = scheme.url_variants(fields.url) if scheme.url_variants and fields.url else [fields.url]
    candidates = [signed_string(scheme, replace(fields, url=url)) for url in urls]
    data = candidates[0]
    expected_raw = algorithm.expected(verifying_key, data)
    expected = ENCODINGS[scheme.encoding][0](expected_raw) if expected_raw is not None else ""
    # A token scheme's "signature" is the secret itself: never keep it in a result.
    shown = () if scheme.algorithm == "token" else received
    base = replace(base, expected=expected, received=shown, signed_string=data, skew_s=skew)

    def matches(candidate: bytes, other_key: object | None = None) -> bool:
        used = verifying_key if other_key is None else other_key
        return any(algorithm.verify(used, candidate, sig) for sig in decoded)

    matched = next((c for c in candidates if matches(c)), None)
    if matched is None:
        return _mismatch(
            scheme, base, fields, key, matches, undecodable=len(decoded) < len(received)
        )
    base = replace(base, signed_string=matched)
    problem = scheme.check(message) if scheme.check else None
    if problem:
        return replace(base, reason=problem[0], explanation=problem[1])
    if skew is not None and window and abs(skew) > window:
        reason = Reason.TIMESTAMP_TOO_OLD if skew > 0 else Reason.TIMESTAMP_IN_FUTURE
        age = f"{skew:.0f} s old" if skew > 0 else f"{-skew:.0f} s in the future"
        text = (
            f"The signature matches, but the timestamp {fields.timestamp} is {age}: outside the "
            f"{window} s replay window. A replayed request, a clock off on either side, or a "
            "stored request verified late (pass a larger tolerance, or 0 to skip the check)."
        )
        return replace(base, reason=reason, explanation=text)
    text = f"Valid {scheme.title} signature"
    text += (
        f" (timestamp skew {skew:+.0f} s, window {window} s)."
        if skew is not None and window
        else "."
    )
    return replace(base, status=Status.VALID, reason=Reason.OK, explanation=text)


def _fields(scheme: Scheme, message: Message, carried: Carried) -> Fields | VerifyResult:
    """The id, timestamp and URL the signed string needs, or the result saying which is missing."""
    missing = VerifyResult(Status.INVALID, Reason.MISSING_HEADER, "", scheme.id)
    timestamp = carried.timestamp
    if timestamp is None and scheme.timestamp_header:
        timestamp = message.header(scheme.timestamp_header)
        if timestamp is None:
            text = f"The signature is there but the {scheme.timestamp_header} header is missing."
            return replace(missing, explanation=text)
    if timestamp is None and scheme.timestamp_json:
        timestamp = _json_field(message.body, scheme.timestamp_json)
    ident = carried.id
    if ident is None and scheme.id_header:
        ident = message.header(scheme.id_header)
        if ident is None:
            text = f"The signature is there but the {scheme.id_header} header is missing."
            return replace(missing, explanation=text)
    if scheme.needs_url and not message.url:
        text = (
            f"{scheme.title} signs the full URL the provider called; give it (--url) to verify: "
            "the address behind a tunnel or proxy differs from the one the listener saw."
        )
        return replace(missing, reason=Reason.URL_REQUIRED, explanation=text)
    return Fields(message, timestamp or "", ident or "", message.url)


def _json_field(body: bytes, name: str) -> str | None:
    try:
        document = json.loads(body)
    except ValueError:
        return None
    value = document.get(name) if isinstance(document, dict) else None
    return str(value) if isinstance(value, int | str) and not isinstance(value, bool) else None


def _mismatch(
    scheme: Scheme,
    base: VerifyResult,
    fields: Fields,
    key: str,
    matches: hints.Matcher,
    *,
    undecodable: bool,
) -> VerifyResult:
    lines = [f"The signature does not match ({scheme.title}, {scheme.algorithm})."]
    if base.expected:
        lines.append(f"  expected: {_shown(scheme, base.expected)}")
    elif ALGORITHMS[scheme.algorithm].symmetric:
        lines.append("  (the token differs from the configured secret; neither is shown)")
    else:
        lines.append("  (public-key scheme: the signature does not verify with this public key)")
    for text in base.received:
        lines.append(f"  received: {_shown(scheme, text)}")
    if undecodable:
        lines.append(f"  some received signatures are not valid {scheme.encoding}")
    lines.append(f"  signed string ({len(base.signed_string)} bytes): "
                 f"{escape_bytes(base.signed_string, SHOWN_SIGNED_BYTES)}")  # fmt: skip
    found = hints.find(scheme, fields, key, matches)
    lines.extend(f"  hint: {hint}" for hint in found)
    if not found and scheme.covers_body:
        lines.append(
            "  hint: check that the secret belongs to this endpoint and that nothing between "
            "the provider and here changed the body."
        )
    return replace(base, explanation="\n".join(lines), hints=tuple(found))


def _shown(scheme: Scheme, signature: str) -> str:
    prefix = getattr(scheme.carrier, "prefix", "")
    return prefix + signature


def _expected_headers(scheme: Scheme) -> str:
    return "expects " + ", ".join(scheme.header_names)


def _time_words(scheme: Scheme) -> str:
    return {
        TimeFormat.UNIX: "Unix seconds",
        TimeFormat.UNIX_MS: "Unix milliseconds",
        TimeFormat.RFC3339: "an RFC 3339 time",
    }[scheme.time_format]
