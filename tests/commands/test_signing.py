"""CLI sign / verify / schemes / keygen, end to end through cli.main for every scheme."""

from __future__ import annotations

import json

import pytest

from webhook_inspector import cli
from webhook_inspector.core.signing import SCHEMES

NOW = "1795000000"
URL = "https://hooks.example.com/in?x=1"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def keygen(capsys, scheme_id: str) -> tuple[str, str]:
    code, out, _ = run(capsys, "keygen", "--scheme", scheme_id, "--json")
    assert code == 0
    keys = json.loads(out)
    return keys["private_key"], keys["public_key"]


def key_options(scheme_id: str, key: str, *, signing: bool) -> list[str]:
    if SCHEMES[scheme_id].key.public_key:
        return ["--private-key" if signing else "--public-key", key]
    return ["--secret", key]


@pytest.mark.parametrize("scheme_id", sorted(SCHEMES))
def test_sign_then_verify_every_scheme(scheme_id, capsys, tmp_path):
    private, public = keygen(capsys, scheme_id)
    body_file = tmp_path / "body.json"
    body_file.write_bytes(b'{"event":"ping","n":1}')
    code, out, _ = run(capsys, "sign", "--scheme", scheme_id, *key_options(scheme_id, private,
                       signing=True), "--body-file", str(body_file), "--timestamp", NOW, "--url",
                       URL, "-H", "Content-Type: application/json", "--json")  # fmt: skip
    assert code == 0
    signed = json.loads(out)
    sent = tmp_path / "sent.json"
    sent.write_bytes(signed.get("body", body_file.read_text()).encode())
    headers = [f"{name}: {value}" for name, value in signed["headers"].items()]
    header_args = [arg for h in ["Content-Type: application/json", *headers] for arg in ("-H", h)]
    verify = ["verify", "--scheme", scheme_id, *key_options(scheme_id, public, signing=False),
              *header_args, "--url", signed["url"], "--now", NOW]  # fmt: skip

    code, out, err = run(capsys, *verify, "--body-file", str(sent))
    assert (code, err) == (0, "")
    assert out.startswith("valid: ")

    other_private, other_public = keygen(capsys, scheme_id)
    wrong = [other_public if a == public else a for a in verify]
    code, out, err = run(capsys, *wrong, "--body-file", str(sent))
    assert code == 1
    assert out == ""
    assert err.startswith("invalid (mismatch): ")
    assert other_public not in err and other_private not in err

    if SCHEMES[scheme_id].covers_body:
        tampered = tmp_path / "tampered.json"
        tampered.write_bytes(sent.read_bytes().replace(b'"n":1', b'"n":2'))
        code, out, err = run(capsys, *verify, "--body-file", str(tampered), "--json")
        assert code == 1
        assert json.loads(out)["status"] == "invalid"
        assert err.startswith("invalid (") and err.count("\n") == 1


def test_verify_json_output(capsys, tmp_path):
    body = tmp_path / "b"
    body.write_bytes(b"Hello, World!")
    sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    code, out, _ = run(capsys, "verify", "--scheme", "github", "--secret",
                       "It's a Secret to Everybody", "-H", f"X-Hub-Signature-256: {sig}",
                       "--body-file", str(body), "--json")  # fmt: skip
    assert code == 0
    result = json.loads(out)
    assert (result["status"], result["reason"], result["signed_string"]) == (
        "valid", "ok", "Hello, World!")  # fmt: skip


def test_missing_signature_exits_1_with_the_header_named(capsys, tmp_path):
    body = tmp_path / "b"
    body.write_bytes(b"{}")
    code, out, err = run(capsys, "verify", "--scheme", "stripe", "--secret", "whsec_x",
                         "--body-file", str(body))  # fmt: skip
    assert (code, out) == (1, "")
    assert err.startswith("missing (missing_header): ") and "Stripe-Signature" in err


def test_stale_stripe_signature_with_tolerance(capsys, tmp_path):
    body = tmp_path / "b"
    body.write_bytes(b"{}")
    code, out, _ = run(capsys, "sign", "--scheme", "stripe", "--secret", "whsec_x",
                       "--body-file", str(body), "--timestamp", "2026-11-18T11:06:40Z")  # fmt: skip
    assert code == 0
    assert out.startswith("Stripe-Signature: t=1795000000,v1=")
    header = out.strip()
    base = ["verify", "--scheme", "stripe", "--secret", "whsec_x", "-H", header,
            "--body-file", str(body)]  # fmt: skip
    code, _, err = run(capsys, *base, "--now", "1795000400")
    assert code == 1 and "timestamp_too_old" in err and "300 s replay window" in err
    code, _, _ = run(capsys, *base, "--now", "1795000400", "--tolerance", "0")
    assert code == 0


def test_secret_references(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("WEBHOOK_INSPECTOR_SECRET_GH", "from-env")
    monkeypatch.setenv("GH_SECRET", "from-env")
    body = tmp_path / "b"
    body.write_bytes(b"x")
    _, by_name, _ = run(capsys, "sign", "--scheme", "github", "--secret", "secret:gh",
                        "--body-file", str(body))  # fmt: skip
    _, by_env, _ = run(capsys, "sign", "--scheme", "github", "--secret", "env:GH_SECRET",
                       "--body-file", str(body))  # fmt: skip
    _, literal, _ = run(capsys, "sign", "--scheme", "github", "--secret", "from-env",
                        "--body-file", str(body))  # fmt: skip
    assert by_name == by_env == literal != ""
    code, _, err = run(capsys, "sign", "--scheme", "github", "--secret", "secret:nope",
                       "--body-file", str(body))  # fmt: skip
    assert code == 1 and "WEBHOOK_INSPECTOR_SECRET_NOPE" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["verify", "--scheme", "nope", "--secret", "s"], "unknown signing scheme"),
        (["verify", "--scheme", "discord", "--secret", "s"], "--public-key"),
        (["sign", "--scheme", "github", "--private-key", "k"], "--secret"),
        (["verify", "--scheme", "github", "--secret", "s", "-H", "no colon"], "invalid header"),
        (["verify", "--scheme", "github", "--secret", "s", "--now", "soon"], "invalid time"),
        (["sign", "--scheme", "square", "--secret", "s", "--body-file", "/dev/null"], "URL"),
    ],
)  # fmt: skip
def test_usage_errors_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert message in err and err.count("\n") == 1


def test_schemes_lists_all_23(capsys):
    code, out, _ = run(capsys, "schemes")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 23
    assert lines[0].split()[:2] == ["github_sha256", "HMAC-SHA256"]
    assert "X-Hub-Signature-256" in lines[0]
    code, out, _ = run(capsys, "schemes", "--json")
    assert {json.loads(line)["id"] for line in out.splitlines()} == set(SCHEMES)


def test_mailgun_sign_notes_the_body_change(capsys, tmp_path):
    body = tmp_path / "b"
    body.write_bytes(b'{"event-data": {}}')
    code, out, err = run(capsys, "sign", "--scheme", "mailgun", "--secret", "key-1",
                         "--body-file", str(body))  # fmt: skip
    assert (code, out) == (0, "")
    assert "carries its signature in the body" in err and '"signature":' in err
