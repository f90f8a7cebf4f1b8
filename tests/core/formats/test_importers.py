"""Import: fixtures sniffed and read as each tool writes them; malformed input named, none kept."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from webhook_inspector.core.errors import FormatError
from webhook_inspector.core.formats.importers import import_bytes
from webhook_inspector.core.model import OutgoingRequest

DATA = Path(__file__).resolve().parents[2] / "data" / "imports"


def _import(name: str):
    return import_bytes((DATA / name).read_bytes())


@pytest.mark.parametrize(
    ("name", "format_name", "count"),
    [
        ("chrome.har", "HAR", 1),
        ("firefox.har", "HAR", 1),
        ("charles.har", "HAR", 1),
        ("insomnia.har", "HAR", 1),
        ("postman_v21.json", "Postman collection", 2),
        ("postman_v20.json", "Postman collection", 2),
        ("postman_environment.json", "Postman environment", 0),
        ("insomnia_v4.json", "Insomnia v4", 2),
        ("insomnia_v5.yaml", "Insomnia v5", 2),
        ("create_user.bru", "Bruno", 1),
        ("create_user.yml", "OpenCollection", 1),
        ("chrome_bash.txt", "cURL", 1),
        ("chrome_cmd.txt", "cURL", 1),
    ],
)
def test_format_is_sniffed_from_content(name, format_name, count):
    result = _import(name)
    assert result.format == format_name
    assert len(result.requests) == count
    assert all(isinstance(r, OutgoingRequest) for r in result.requests)


def test_chrome_har_drops_pseudo_headers_keeps_body_and_utf8_header_bytes():
    result = _import("chrome.har")
    [request] = result.requests
    assert request.method == "POST" and request.url.endswith("/v1/orders?expand=items")
    assert [name for name, _ in request.headers] == ["content-type", "authorization", "x-note"]
    assert request.header("x-note") == "café".encode().decode("latin-1")  # wire bytes
    assert request.body == b'{"qty": 2}\n  '
    assert any(":authority" in warning for warning in result.warnings)


def test_charles_base64_and_insomnia_params():
    assert _import("charles.har").requests[0].body == b"\x00\x01\xff\x7e"
    assert _import("insomnia.har").requests[0].body == b"name=Ada%20L&lang=fr%26en"


def test_postman_folders_auth_bodies_and_variables():
    result = _import("postman_v21.json")
    create, login = result.requests
    assert create.name == "Orders/Create order"
    assert create.url == "{{baseUrl}}/orders?expand=items"
    assert create.headers == (
        ("Content-Type", "application/json"),
        ("Authorization", "Bearer {{token}}"),
    )
    assert create.body == b'{\n  "qty": 2\n}'
    assert login.name == "Login ∕ form"  # a slash in a name never makes a folder
    assert login.url == "https://auth.example.com:8443/login"
    assert login.body == b"user=ada&pass%20word=s%26cret"
    assert result.environments[0].variables == (("baseUrl", "https://shop.example.com"),)
    assert any("scripts" in warning for warning in result.warnings)


def test_postman_v20_string_url_header_block_and_basic_auth():
    ping, hook = _import("postman_v20.json").requests
    assert (ping.method, ping.url) == ("GET", "https://legacy.example.com/ping")
    token = base64.b64encode(b"u:p").decode()
    assert hook.headers == (
        ("Content-Type", "text/plain"),
        ("X-Legacy", "yes"),
        ("Authorization", f"Basic {token}"),
    )


def test_postman_environment_keeps_enabled_variables():
    [environment] = _import("postman_environment.json").environments
    assert environment.name == "Staging"
    assert environment.variables == (("baseUrl", "https://staging.example.com"), ("token", ""))


def test_insomnia_v4_folder_paths_and_nested_environment():
    result = _import("insomnia_v4.json")
    create, health = result.requests
    assert create.name == "Admin/Users/Create user"
    assert create.headers == (("X-Trace", "1"), ("Content-Type", "application/json"))
    assert health.name == "Health" and health.body == b""
    assert result.environments[0].variables == (
        ("base", "https://api.example.com"),
        ("auth.user", "ada"),
    )


def test_insomnia_v5_yaml():
    result = _import("insomnia_v5.yaml")
    assert result.requests[0].name == "Users/Create user"
    assert result.requests[0].body == b'{\n  "name": "Ada"\n}'
    assert [e.name for e in result.environments] == ["Base Environment", "Staging"]


def test_bruno_blocks():
    result = _import("create_user.bru")
    [request] = result.requests
    assert request.url == "https://api.example.com/users?notify=true"
    assert request.headers == (
        ("X-Trace", "1"),
        ("Authorization", "Bearer {{token}}"),
        ("Content-Type", "application/json"),
    )
    assert request.body == b'{\n  "name": "Ada",\n  "tags": ["a"]\n}'
    assert len(result.warnings) == 2  # the pre-request script and the tests


def test_opencollection_yaml():
    result = _import("create_user.yml")
    [request] = result.requests
    assert request.name == "Create user"
    assert request.url == "https://api.example.com/users?notify=true"
    assert request.header("X-Off") is None
    assert (
        request.header("Authorization") == "Basic " + base64.b64encode(b"ada:{{password}}").decode()
    )
    assert request.body == b'{\n  "name": "Ada"\n}'
    assert result.warnings


def test_browser_curl_bash_and_cmd_agree():
    bash = _import("chrome_bash.txt").requests[0]
    cmd = _import("chrome_cmd.txt").requests[0]
    assert bash.method == cmd.method == "POST"
    assert bash.header("cookie") == cmd.header("cookie") == "sid=abc; theme=dark"
    assert bash.header("Accept-Encoding") == "deflate, gzip, br, zstd"
    assert bash.header("x-note") == "it's café".encode().decode("latin-1")
    assert bash.body == b'{"qty":2,"note":"line\\none"}'
    assert cmd.url == "https://api.example.com/v1/orders?expand=items&x=1"
    assert cmd.body == b'{"qty":2,"pct":"50%"}'


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"log": {"entries": [', r"^HAR line 1 column 22: Expecting value"),
        (
            b'{"log": {"entries": [{"request": {"method": "GET"}}]}}',
            r"^HAR /log/entries/0/request/url: missing$",
        ),
        (
            b'{"log": {"entries": [{"request": {"method": "GET", "url": "/rel"}}]}}',
            r"^HAR /log/entries/0/request/url: not an absolute URL",
        ),
        (
            b'{"log": {"entries": [{"request": {"method": 1, "url": "http://x/"}}]}}',
            r"^HAR /log/entries/0/request/method: must be a string, not a number$",
        ),
        (
            b'{"log": {"entries": [{"request": {"method": "P", "url": "http://x/", '
            b'"_content": {"text": "***", "encoding": "base64"}}}]}}',
            r"^HAR /log/entries/0/request/_content/text: not valid base64$",
        ),
        (
            b'{"info": {"schema": "https://schema.getpostman.com/json/collection/v2.1.0/"}, '
            b'"item": [{"name": "a"}]}',
            r"^Postman collection /item/0: neither a request nor a folder",
        ),
        (
            b'{"info": {"schema": "https://schema.getpostman.com/json/collection/v1.0.0/"}, '
            b'"item": []}',
            r"^Postman collection /info/schema: unsupported schema",
        ),
        (
            b'{"_type": "export", "__export_format": 4, '
            b'"resources": [{"_type": "request", "_id": "r"}]}',
            r"^Insomnia v4 /resources/0/url: missing$",
        ),
        (
            b"meta {\n  name: x\n}\n\npost {\n  url: http://x/\n",
            r"^Bruno line 5: block 'post' is never closed$",
        ),
        (b"meta {\n  name: x\n}\nnonsense\n", r"^Bruno line 4: expected 'name \{'"),
        (b"info:\n  name: x\nhttp:\n  method: GET\n", r"^OpenCollection /http/url: missing$"),
        (b"curl 'http://x/\n", r"^cURL command line 1: a single quote is never closed$"),
        (b"curl -H", r"^cURL command line 1: --header needs a value$"),
        (b"hello world", r"^import: not a format we know \(known: HAR, Postman collection"),
    ],
)
def test_malformed_input_names_format_place_and_problem(data, message):
    with pytest.raises(FormatError, match=message):
        import_bytes(data)


def test_a_bad_second_request_imports_nothing():
    good = b"curl http://x/one\n"
    with pytest.raises(FormatError, match="line 2"):
        import_bytes(good + b"curl 'http://x/two\n")
