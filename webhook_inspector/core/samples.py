"""Sample webhooks from resources/samples/: the first-run curl example and "send a sample"."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from webhook_inspector.core.errors import InspectorError

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
SAMPLES = RESOURCES / "samples"
SEND_TIMEOUT_S = 10.0


@dataclass(frozen=True, slots=True)
class Sample:
    """One sample webhook: a name, the path it is posted to, its headers and body bytes."""

    name: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


def load_samples(folder: Path = SAMPLES) -> list[Sample]:
    """Every sample in `folder`, sorted by file name. Raises InspectorError if unreadable."""
    samples = []
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text("utf-8"))
            headers = tuple((str(name), str(value)) for name, value in data["headers"])
            body = json.dumps(data["body"], indent=2, ensure_ascii=False).encode() + b"\n"
            samples.append(Sample(str(data["name"]), str(data["path"]), headers, body))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InspectorError(f"sample {path.name} is unreadable: {exc}") from exc
    if not samples:
        raise InspectorError(f"no sample webhooks in {folder}")
    return samples


def curl_example(base_url: str, sample: Sample) -> str:
    """A ready-to-paste curl command that posts `sample` to the listener at `base_url`."""
    url = base_url.rstrip("/") + sample.path
    lines = [f"curl -X POST {shlex.quote(url)}"]
    lines += [f"  -H {shlex.quote(f'{name}: {value}')}" for name, value in sample.headers[:2]]
    body = json.dumps(json.loads(sample.body), separators=(",", ":"))
    lines.append(f"  --data-raw {shlex.quote(body)}")
    return " \\\n".join(lines)


def request_bytes(base_url: str, sample: Sample) -> bytes:
    """The sample as an HTTP/1.1 request on the wire, headers in their order and case."""
    parts = urlsplit(base_url)
    head = [f"POST {parts.path.rstrip('/')}{sample.path} HTTP/1.1", f"Host: {parts.netloc}"]
    head += [f"{name}: {value}" for name, value in sample.headers]
    head += [f"Content-Length: {len(sample.body)}", "Connection: close"]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + sample.body


async def send_sample(base_url: str, sample: Sample) -> int:
    """Post `sample` to the listener and return the answer's status. Raises InspectorError."""
    import asyncio  # noqa: PLC0415 - the window loads samples before its first paint

    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    if host in ("0.0.0.0", "::"):  # noqa: S104 - a wildcard bind is reached through loopback
        host = "127.0.0.1" if host == "0.0.0.0" else "::1"  # noqa: S104
    try:
        async with asyncio.timeout(SEND_TIMEOUT_S):
            reader, writer = await asyncio.open_connection(host, port)
            try:
                writer.write(request_bytes(base_url, sample))
                await writer.drain()
                status_line = await reader.readline()
            finally:
                writer.close()
    except (OSError, TimeoutError) as exc:
        reason = "timed out" if isinstance(exc, TimeoutError) else exc.strerror or str(exc)
        raise InspectorError(f"cannot send the sample to {base_url}: {reason}") from exc
    fields = status_line.split()
    if len(fields) < 2 or not fields[1].isdigit():
        raise InspectorError(f"the listener at {base_url} sent no HTTP answer")
    return int(fields[1])
