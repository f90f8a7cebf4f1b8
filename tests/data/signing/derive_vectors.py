# ruff: noqa: E501, PLR0917
"""Writes tests/data/signing/<scheme>.json: published vectors plus derived valid and invalid cases.

Published vectors (provider docs, official SDK test suites) are copied with their source.
Where a provider publishes none, the valid case is computed here with plain hashlib/hmac or
`cryptography` straight from the provider's documented recipe, independent of
webhook_inspector.core.signing, and marked "derived". Invalid cases (tampered body, wrong
secret, stale and future timestamps, missing and malformed headers, several signatures of
which one is right) are made from a valid case. Run: python tests/data/signing/derive_vectors.py
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

HERE = Path(__file__).parent
NOW = 1_795_000_000  # 2026-11-18; every derived case is signed at this time
BODY = '{"event":"ping","data":{"id":"evt_1","amount":1250}}'

SW_TESTS = (
    "standard-webhooks/standard-webhooks libraries/python/tests/test_webhooks.py "
    "@33d368b20c5543357f4f27fd13bed0703b8c5204"
)
SVIX_TESTS = (
    "svix/svix-webhooks python/tests/test_webhooks.py @09fdcf100ebde65fa9ae76995ca926a39fdbf135"
)
TWILIO_TESTS = (
    "twilio/twilio-python tests/unit/test_request_validator.py "
    "@30368b08ba580a6c18202ab20bfc68d59559ebd7"
)
SENDGRID_TESTS = (
    "sendgrid/sendgrid-nodejs packages/eventwebhook/src/eventwebhook.spec.js "
    "@31bf6a020b7076f003a92b93baf8a054282a9838"
)
PADDLE_TESTS = (
    "PaddleHQ/paddle-python-sdk tests/Unit/Notification/test_Verifier.py "
    "@993ac19fac2bd90d00ef6c9946994ab57facf753"
)
SQUARE_TESTS = (
    "square/square-python-sdk tests/utilities/test_webhooks_helper.py "
    "@243f83b2f6f730d67433494acc69d6a9ead11421"
)
OCTOKIT_TESTS = (
    "octokit/webhooks-methods.js test/sign.test.ts @068af5a7887c8b623879de2af5bc96968c3e34d0"
)
STRIPE_TESTS = (
    "stripe/stripe-python tests/test_webhook.py @18f4f884fe82eca6230ac33e5f68a0e88e15acd1"
)
SLACK_DOCS = "https://docs.slack.dev/authentication/verifying-requests-from-slack"
GITHUB_DOCS = "https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries"
SLACK_BODY = (
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlf"
    "mibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)

# Fixed test-only keys, so derived asymmetric cases are reproducible.
ED_SEED = bytes(range(32))
ED_KEY = ed25519.Ed25519PrivateKey.from_private_bytes(ED_SEED)
ED_PUB = ED_KEY.public_key().public_bytes(
    serialization.Encoding.Raw, serialization.PublicFormat.Raw
)
EC_KEY = ec.derive_private_key(0x5EC2E7, ec.SECP256R1())
EC_PRIV = base64.b64encode(
    EC_KEY.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
).decode()
EC_PUB = base64.b64encode(
    EC_KEY.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
).decode()


def mac(key: bytes | str, data: bytes | str, digest: str = "sha256") -> bytes:
    """HMAC of `data` under `key`."""
    k = key.encode() if isinstance(key, str) else key
    d = data.encode() if isinstance(data, str) else data
    return hmac.new(k, d, digest).digest()


def b64(data: bytes) -> str:
    """Standard base64 text."""
    return base64.b64encode(data).decode()


def whsec(secret: str) -> bytes:
    """The HMAC key of a Standard Webhooks secret."""
    return base64.b64decode(secret.removeprefix("whsec_"))


def rfc3339(ts: int) -> str:
    """Twitch's timestamp form (nanoseconds, Z)."""
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.123456789Z")


# Reference recipes: (key, body, ts, id, url) -> headers; straight from each provider's docs.
def _github256(k, b, ts, i, u):
    return [["X-Hub-Signature-256", "sha256=" + mac(k, b).hex()]]


def _github1(k, b, ts, i, u):
    return [["X-Hub-Signature", "sha1=" + mac(k, b, "sha1").hex()]]


def _stripe(k, b, ts, i, u):
    return [["Stripe-Signature", f"t={ts},v1=" + mac(k, f"{ts}.{b}").hex()]]


def _slack(k, b, ts, i, u):
    return [["X-Slack-Request-Timestamp", str(ts)],
            ["X-Slack-Signature", "v0=" + mac(k, f"v0:{ts}:{b}").hex()]]  # fmt: skip


def _shopify(k, b, ts, i, u):
    return [["X-Shopify-Hmac-Sha256", b64(mac(k, b))]]


def _standard(prefix):
    def recipe(k, b, ts, i, u):
        sig = b64(mac(whsec(k), f"{i}.{ts}.{b}"))
        return [[f"{prefix}-id", i], [f"{prefix}-timestamp", str(ts)],
                [f"{prefix}-signature", "v1," + sig]]  # fmt: skip

    return recipe


def _v1a(k, b, ts, i, u):
    seed = base64.b64decode(k.removeprefix("whsk_"))[:32]
    key = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
    sig = b64(key.sign(f"{i}.{ts}.{b}".encode()))
    return [["webhook-id", i], ["webhook-timestamp", str(ts)], ["webhook-signature", "v1a," + sig]]


def _twilio(k, b, ts, i, u):
    return [["X-Twilio-Signature", b64(mac(k, u, "sha1"))]]  # JSON body: URL only (bodySHA256)


def _square(k, b, ts, i, u):
    return [["x-square-hmacsha256-signature", b64(mac(k, u + b))]]


def _paddle(k, b, ts, i, u):
    return [["Paddle-Signature", f"ts={ts};h1=" + mac(k, f"{ts}:{b}").hex()]]


def _twitch(k, b, ts, i, u):
    stamp = rfc3339(ts)
    return [["Twitch-Eventsub-Message-Id", i], ["Twitch-Eventsub-Message-Timestamp", stamp],
            ["Twitch-Eventsub-Message-Signature", "sha256=" + mac(k, i + stamp + b).hex()]]  # fmt: skip


def _zoom(k, b, ts, i, u):
    return [["x-zm-request-timestamp", str(ts)],
            ["x-zm-signature", "v0=" + mac(k, f"v0:{ts}:{b}").hex()]]  # fmt: skip


def _gitlab(k, b, ts, i, u):
    return [["X-Gitlab-Token", k]]


def _discord(k, b, ts, i, u):
    key = ed25519.Ed25519PrivateKey.from_private_bytes(bytes.fromhex(k))
    return [["X-Signature-Timestamp", str(ts)],
            ["X-Signature-Ed25519", key.sign(f"{ts}{b}".encode()).hex()]]  # fmt: skip


def _sendgrid(k, b, ts, i, u):
    key = serialization.load_der_private_key(base64.b64decode(k), None)
    sig = key.sign(f"{ts}{b}".encode(), ec.ECDSA(hashes.SHA256()))  # type: ignore[union-attr,call-arg]
    return [["X-Twilio-Email-Event-Webhook-Timestamp", str(ts)],
            ["X-Twilio-Email-Event-Webhook-Signature", b64(sig)]]  # fmt: skip


def _plain(name, prefix="", digest="sha256"):
    def recipe(k, b, ts, i, u):
        return [[name, prefix + mac(k, b, digest).hex()]]

    return recipe


def _pagerduty(k, b, ts, i, u):
    return [["X-PagerDuty-Signature", "v1=" + mac(k, b).hex()]]


def _calendly(k, b, ts, i, u):
    return [["Calendly-Webhook-Signature", f"t={ts},v1=" + mac(k, f"{ts}.{b}").hex()]]


# id -> (recipe, key for sign, key for verify, url, timestamp header name or None, docs, body)
DERIVED: dict[str, tuple[Any, ...]] = {
    "github_sha256": (_github256, "derived-secret", None, "", None, GITHUB_DOCS, BODY),
    "github_sha1": (_github1, "derived-secret", None, "", None, GITHUB_DOCS, BODY),
    "stripe": (_stripe, "whsec_test_secret", None, "", "Stripe-Signature",
               "https://docs.stripe.com/webhooks#verify-manually", BODY),
    "slack": (_slack, "8f742231b10e8888abcd99yyyzzz85a5", None, "", "X-Slack-Request-Timestamp",
              SLACK_DOCS, BODY),
    "shopify": (_shopify, "shpss_derived", None, "", None,
                "https://shopify.dev/docs/apps/build/webhooks/subscribe/https", BODY),
    "standard_webhooks": (_standard("webhook"), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", None, "",
                          "webhook-timestamp", SW_TESTS, BODY),
    "standard_webhooks_v1a": (_v1a, "whsk_" + b64(ED_SEED + ED_PUB), "whpk_" + b64(ED_PUB), "",
                              "webhook-timestamp",
                              "standard-webhooks/standard-webhooks spec/standard-webhooks.md", BODY),
    "svix": (_standard("svix"), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", None, "",
             "svix-timestamp", SVIX_TESTS, BODY),
    "twilio": (_twilio, "12345", None,
               "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256="
               + hashlib.sha256(BODY.encode()).hexdigest(), None,
               "https://www.twilio.com/docs/usage/webhooks/webhooks-security", BODY),
    "square": (_square, "Ibxx_5AKakO-3qeNVR61Dw", None, "https://example.com/hooks/square", None,
               "https://developer.squareup.com/docs/webhooks/step3validate", BODY),
    "paddle": (_paddle, "pdl_ntfset_01derived_secret", None, "", "Paddle-Signature",
               "https://developer.paddle.com/webhooks/signature-verification", BODY),
    "twitch": (_twitch, "derived-twitch-secret", None, "", "Twitch-Eventsub-Message-Timestamp",
               "https://dev.twitch.tv/docs/eventsub/handling-webhook-events/", BODY),
    "zoom": (_zoom, "derived-zoom-secret", None, "", "x-zm-request-timestamp",
             "https://developers.zoom.us/docs/api/webhooks/", BODY),
    "gitlab_token": (_gitlab, "derived-gitlab-token", None, "", None,
                     "https://docs.gitlab.com/user/project/integrations/webhooks/", BODY),
    "discord": (_discord, ED_SEED.hex(), ED_PUB.hex(), "", "X-Signature-Timestamp",
                "https://discord.com/developers/docs/interactions/overview", BODY),
    "sendgrid": (_sendgrid, EC_PRIV, EC_PUB, "", "X-Twilio-Email-Event-Webhook-Timestamp",
                 SENDGRID_TESTS, BODY),
    "linear": (_plain("Linear-Signature"), "lin_wh_derived", None, "", None,
               "https://linear.app/developers/webhooks", BODY),
    "intercom": (_plain("X-Hub-Signature", "sha1=", "sha1"), "derived-client-secret", None, "",
                 None, "https://developers.intercom.com/docs/webhooks/webhook-notifications", BODY),
    "bitbucket": (_plain("X-Hub-Signature", "sha256="), "derived-secret", None, "", None,
                  "https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/", BODY),
    "jira": (_plain("X-Hub-Signature", "sha256="), "derived-secret", None, "", None,
             "https://developer.atlassian.com/cloud/jira/platform/webhooks/", BODY),
    "pagerduty": (_pagerduty, "derived-pd-secret", None, "", None,
                  "https://developer.pagerduty.com/docs/webhooks/webhook-signatures/", BODY),
    "calendly": (_calendly, "derived-calendly-key", None, "", "Calendly-Webhook-Signature",
                 "https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures", BODY),
}  # fmt: skip

# Schemes that send several signatures while secrets rotate: (a wrong entry, separator).
SEVERAL = {"pagerduty": ("v1=" + "00" * 32, ","),
           "standard_webhooks_v1a": ("v1a," + b64(bytes(64)), " "),
           "standard_webhooks": ("v1," + b64(bytes(32)), " "), "svix": ("v1," + b64(bytes(32)), " ")}  # fmt: skip
TOLERANT = {"stripe": 300, "slack": 300, "standard_webhooks": 300, "standard_webhooks_v1a": 300,
            "svix": 300, "paddle": 5, "twitch": 600, "zoom": 300, "calendly": 180}  # fmt: skip
SIGNATURE_HEADER = {"github_sha256": "X-Hub-Signature-256", "github_sha1": "X-Hub-Signature",
                    "stripe": "Stripe-Signature", "slack": "X-Slack-Signature",
                    "shopify": "X-Shopify-Hmac-Sha256", "standard_webhooks": "webhook-signature",
                    "standard_webhooks_v1a": "webhook-signature", "svix": "svix-signature",
                    "twilio": "X-Twilio-Signature", "square": "x-square-hmacsha256-signature",
                    "paddle": "Paddle-Signature", "twitch": "Twitch-Eventsub-Message-Signature",
                    "zoom": "x-zm-signature", "gitlab_token": "X-Gitlab-Token",
                    "discord": "X-Signature-Ed25519",
                    "sendgrid": "X-Twilio-Email-Event-Webhook-Signature",
                    "linear": "Linear-Signature", "intercom": "X-Hub-Signature",
                    "bitbucket": "X-Hub-Signature", "jira": "X-Hub-Signature",
                    "pagerduty": "X-PagerDuty-Signature",
                    "calendly": "Calendly-Webhook-Signature"}  # fmt: skip
MALFORMED = {"stripe": "v1 no-equals-signs", "paddle": "h1;ts", "pagerduty": "garbage",
             "calendly": "t=1", "standard_webhooks": "v2,abc", "standard_webhooks_v1a": "v1,abc",
             "svix": "v2,abc", "github_sha256": "sha1=abc", "github_sha1": "md5=abc",
             "slack": "v1=abc", "twitch": "md5=abc", "zoom": "v1=abc", "intercom": "sha256=abc",
             "bitbucket": "sha1=abc", "jira": "sha1=abc"}  # fmt: skip


def case(name: str, origin: str, source: str, key: str, headers: list[list[str]], body: str,
         expect: str, reason: str, **extra: Any) -> dict[str, Any]:  # fmt: skip
    """One verify case."""
    return {"name": name, "origin": origin, "source": source, "key": key, "headers": headers,
            "body": body, "expect": expect, "reason": reason, **extra}  # fmt: skip


def derived_cases(scheme: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Valid and invalid verify cases and one exact sign case, from the reference recipe."""
    recipe, sign_key, verify_key, url, ts_header, source, body = DERIVED[scheme]
    verify_key = verify_key or sign_key
    msg_id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"
    headers = [["Content-Type", "application/json"], *recipe(sign_key, body, NOW, msg_id, url)]
    common = {"url": url, "now": NOW}
    origin = "derived"
    cases = [
        case("valid (derived)", origin, source, verify_key, headers, body, "valid", "ok", **common)
    ]
    reason = "body_hash_mismatch" if scheme == "twilio" else "mismatch"
    if scheme != "gitlab_token":
        cases.append(case("tampered body", origin, source, verify_key, headers,
                          body.replace("1250", "9250"), "invalid", reason, **common))  # fmt: skip
    if scheme in ("discord", "standard_webhooks_v1a", "sendgrid"):
        other = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(32)).public_key()
        raw = other.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        wrong = {"discord": raw.hex(), "standard_webhooks_v1a": "whpk_" + b64(raw),
                 "sendgrid": "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6"
                             "jDutdhXSJCWHw8REntlo7aNDthvj+y7GjUuFDb/R1NGe1OPzpA=="}[scheme]  # fmt: skip
    elif scheme in ("standard_webhooks", "svix"):
        wrong = "whsec_" + b64(b"another secret, 24 bytes")
    else:
        wrong = "not-the-secret"
    cases.append(case("wrong secret", origin, source, wrong, headers, body, "invalid", "mismatch",
                      **common))  # fmt: skip
    sig_header = SIGNATURE_HEADER[scheme]
    no_sig = [h for h in headers if h[0] != sig_header]
    cases.append(case("missing signature header", origin, source, verify_key, no_sig, body,
                      "missing", "missing_header", **common))  # fmt: skip
    if scheme in MALFORMED:
        bad = [[n, MALFORMED[scheme] if n == sig_header else v] for n, v in headers]
        cases.append(case("malformed signature header", origin, source, verify_key, bad, body,
                          "invalid", "malformed_header", **common))  # fmt: skip
    if ts_header and ts_header != sig_header:
        no_ts = [h for h in headers if h[0] != ts_header]
        cases.append(case("missing timestamp header", origin, source, verify_key, no_ts, body,
                          "invalid", "missing_header", **common))  # fmt: skip
        bad_ts = [[n, "yesterday" if n == ts_header else v] for n, v in headers]
        cases.append(case("malformed timestamp", origin, source, verify_key, bad_ts, body,
                          "invalid", "malformed_timestamp", **common))  # fmt: skip
    if scheme in SEVERAL:
        decoy, sep = SEVERAL[scheme]
        several = [[n, decoy + sep + v if n == sig_header else v] for n, v in headers]
        cases.append(case("several signatures, one right (rotation)", origin, source, verify_key,
                          several, body, "valid", "ok", **common))  # fmt: skip
    if scheme in TOLERANT:
        window = TOLERANT[scheme]
        for label, delta, why in (("stale", -(window + 1), "timestamp_too_old"),
                                  ("future", window + 1, "timestamp_in_future")):  # fmt: skip
            shifted = [["Content-Type", "application/json"],
                       *recipe(sign_key, body, NOW + delta, msg_id, url)]  # fmt: skip
            cases.append(case(f"{label} timestamp (window {window} s)", origin, source,
                              verify_key, shifted, body, "invalid", why, **common))  # fmt: skip
        cases.append(case("stale timestamp, check off (tolerance 0)", origin, source, verify_key,
                          [["Content-Type", "application/json"],
                           *recipe(sign_key, body, NOW - 10 * window, msg_id, url)],
                          body, "valid", "ok", url=url, now=NOW, tolerance=0))  # fmt: skip
    sign_case = {"name": "sign (derived)", "origin": origin, "source": source, "key": sign_key,
                 "url": url, "body": body, "timestamp": NOW, "id": msg_id,
                 "content_type": "application/json",
                 "headers": [h for h in headers if h[0] != "Content-Type"]}  # fmt: skip
    signs = [] if scheme in ("sendgrid", "twitch") else [sign_case]  # ECDSA is randomized
    return cases, signs


def published(scheme: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The vectors copied from provider docs and official SDK test suites."""
    cases: list[dict[str, Any]] = []
    signs: list[dict[str, Any]] = []
    if scheme == "github_sha256":
        sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        cases.append(case("GitHub docs example", "provider docs", GITHUB_DOCS,
                          "It's a Secret to Everybody", [["X-Hub-Signature-256", sig]],
                          "Hello, World!", "valid", "ok"))  # fmt: skip
        sig = "sha256=4864d2759938a15468b5df9ade20bf161da9b4f737ea61794142f3484236bda3"
        signs.append({"name": "octokit sign()", "origin": "sdk test", "source": OCTOKIT_TESTS,
                      "key": "mysecret", "body": '{"foo":"bar"}',
                      "headers": [["X-Hub-Signature-256", sig]]})  # fmt: skip
    if scheme == "slack":
        sig = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
        headers = [["X-Slack-Request-Timestamp", "1531420618"], ["X-Slack-Signature", sig],
                   ["Content-Type", "application/x-www-form-urlencoded"]]  # fmt: skip
        cases.append(case("Slack docs example", "provider docs", SLACK_DOCS,
                          "8f742231b10e8888abcd99yyyzzz85a5", headers, SLACK_BODY, "valid", "ok",
                          now=1531420618 + 60))  # fmt: skip
        cases.append(case("Slack docs example, verified an hour late", "provider docs",
                          SLACK_DOCS, "8f742231b10e8888abcd99yyyzzz85a5", headers, SLACK_BODY,
                          "invalid", "timestamp_too_old", now=1531420618 + 3600))  # fmt: skip
    if scheme in ("standard_webhooks", "svix"):
        prefix, source = (
            ("webhook", SW_TESTS) if scheme == "standard_webhooks" else ("svix", SVIX_TESTS)
        )
        good = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        base = [[f"{prefix}-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"],
                [f"{prefix}-timestamp", "1614265330"]]  # fmt: skip
        body = '{"test": 2432232314}'
        for key in ("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"):
            cases.append(case(f"SDK test_sign_function vector (key {key[:10]}…)", "sdk test",
                              source, key, [*base, [f"{prefix}-signature", good]], body,
                              "valid", "ok", now=1614265330))  # fmt: skip
        several = " ".join(["v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
                            "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=", good,
                            "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="])  # fmt: skip
        cases.append(case("several signatures, one right (test_multi_sig_payload_is_valid)",
                          "sdk test", source, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                          [*base, [f"{prefix}-signature", several]], body, "valid", "ok",
                          now=1614265330))  # fmt: skip
        cases.append(case("invalid signature (test_invalid_signature_raises_error)", "sdk test",
                          source, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                          [*base, [f"{prefix}-signature",
                                   "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA="]],
                          body, "invalid", "mismatch", now=1614265330))  # fmt: skip
        signs.append({"name": "SDK test_sign_function", "origin": "sdk test", "source": source,
                      "key": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "body": body,
                      "timestamp": 1614265330, "id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
                      "headers": [[f"{prefix}-signature", good]]})  # fmt: skip
    if scheme == "twilio":
        params = {"CallSid": "CA1234567890ABCDE", "Digits": "1234", "From": "+14158675309",
                  "To": "+18005551212", "Caller": "+14158675309"}  # fmt: skip
        form = [["Content-Type", "application/x-www-form-urlencoded"]]
        url = "https://mycompany.com/myapp.php?foo=1&bar=2"
        for name, sig, used in (
            ("test_validation", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", url),
            ("test_validation_removes_port_on_https", "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
             url.replace(".com", ".com:1234")),
            ("test_validation_removes_port_on_http", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=",
             url.replace(".com", ".com:1234").replace("https", "http")),
            ("test_validation_adds_port_on_https", "kvajT1Ptam85bY51eRf/AJRuM3w=", url),
            ("test_validation_adds_port_on_http", "0ZXoZLH/DfblKGATFgpif+LLRf4=",
             url.replace("https", "http")),
        ):  # fmt: skip
            cases.append(case(name, "sdk test", TWILIO_TESTS, "12345",
                              [*form, ["X-Twilio-Signature", sig]], urlencode(params),
                              "valid", "ok", url=used))  # fmt: skip
        dup = "Sid=CA123&SidAccount=AC123&Digits=5678&Digits=1234"
        cases.append(case("test_compute_signature_duplicate_query_dict", "sdk test",
                          TWILIO_TESTS, "12345",
                          [*form, ["X-Twilio-Signature", "IK+Dwps556ElfBT0I3Rgjkr1wJU="]], dup,
                          "valid", "ok", url=url))  # fmt: skip
        body = '{"property": "value", "boolean": true}'
        body_url = (
            url + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
        )
        json_headers = [["Content-Type", "application/json"],
                        ["X-Twilio-Signature", "a9nBmqA0ju/hNViExpshrM61xv4="]]  # fmt: skip
        cases.append(case("test_validation_of_body_succeeds", "sdk test", TWILIO_TESTS, "12345",
                          json_headers, body, "valid", "ok", url=body_url))  # fmt: skip
        cases.append(case("JSON body changed after signing (bodySHA256 differs)", "sdk test",
                          TWILIO_TESTS, "12345", json_headers, body.replace("value", "other"),
                          "invalid", "body_hash_mismatch", url=body_url))  # fmt: skip
        cases.append(case("URL not given", "sdk test", TWILIO_TESTS, "12345",
                          [*form, ["X-Twilio-Signature", "RSOYDt4T1cUTdK1PDd93/VVr8B8="]],
                          urlencode(params), "invalid", "url_required", url=""))  # fmt: skip
    if scheme == "square":
        body = ('{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":'
                '"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z",'
                '"data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}}')  # fmt: skip
        headers = [
            ["x-square-hmacsha256-signature", "GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4="]
        ]
        good_url = "https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9"
        cases.append(case("test_signature_validation_pass", "sdk test", SQUARE_TESTS,
                          "Ibxx_5AKakO-3qeNVR61Dw", headers, body, "valid", "ok", url=good_url))  # fmt: skip
        cases.append(case("test_signature_validation_url_mismatch", "sdk test", SQUARE_TESTS,
                          "Ibxx_5AKakO-3qeNVR61Dw", headers, body, "invalid", "mismatch",
                          url="https://webhook.site/79a4f3a-dcfa-49ee-bac5-9d0edad886b9"))  # fmt: skip
        cases.append(case("test_signature_validation_invalid_signature_key", "sdk test",
                          SQUARE_TESTS, "MCmhFRxGX82xMwg5FsaoQA", headers, body, "invalid",
                          "mismatch", url=good_url))  # fmt: skip
        cases.append(case("test_signature_validation_body_mismatch", "sdk test", SQUARE_TESTS,
                          "Ibxx_5AKakO-3qeNVR61Dw", headers, body.replace("07-13", "06-13"),
                          "invalid", "mismatch", url=good_url))  # fmt: skip
    if scheme == "paddle":
        header = "ts=1696195954;h1=dummy;h1=d96299976a6eb066f484d7fde011ac56fc32b38fc9940bc419d6e537fdc6ef02"
        for key, expect, reason in (
            ("pdl_ntf_01hbpjmytsa32fhr36nqgc3kgb_TjIG2BXbm83HPXqNfziwe506sBEdqL/4", "invalid", "mismatch"),
            ("pdl_ntf_01hbpjmytsa32fhr36nqgc3kgb_vB/yIOnTOCWIvpBadM5jzBZPHc7OmdSo", "invalid", "mismatch"),
            ("pdl_ntf_01hbpjmytsa32fhr36nqgc3kgb_WvRO0eL4Bj9rgYYIBZY6wZhG4EHy9jzh", "valid", "ok"),
        ):  # fmt: skip
            cases.append(case(f"SDK verifier, several h1 of which one is right ({expect})",
                              "sdk test", PADDLE_TESTS, key, [["Paddle-Signature", header]],
                              "hello-world", expect, reason, tolerance=0))  # fmt: skip
    if scheme == "sendgrid":
        pub = ("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7"
               "yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==")  # fmt: skip
        sig = ("MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxF"
               "DWYNH2j/0=")  # fmt: skip
        payload = '{"category":"example_payload","event":"test_event","message_id":"message_id"}'
        headers = [["X-Twilio-Email-Event-Webhook-Signature", sig],
                   ["X-Twilio-Email-Event-Webhook-Timestamp", "1588788367"]]  # fmt: skip
        cases.append(case("should verify a valid signature", "sdk test", SENDGRID_TESTS, pub,
                          headers, payload, "valid", "ok"))  # fmt: skip
        cases.append(case("should reject for bad payload", "sdk test", SENDGRID_TESTS, pub,
                          headers, "payload", "invalid", "mismatch"))  # fmt: skip
        bad_sig = sig.replace("2j/0=", "3j/0=")
        cases.append(case("should reject for bad signature", "sdk test", SENDGRID_TESTS, pub,
                          [[headers[0][0], bad_sig], headers[1]], payload, "invalid",
                          "mismatch"))  # fmt: skip
    if scheme == "stripe":
        payload = ('{\n  "id": "evt_test_webhook",\n  "object": "event",\n  "data": { "object": '
                   '{ "id": "rdr_123", "object": "terminal.reader" } }\n}')  # fmt: skip
        ts = 1_700_000_000
        good = mac("whsec_test_secret", f"{ts}.{payload}").hex()
        header = f"t={ts},v1={good},v1=bad_signature"
        cases.append(case("SDK test_header_contains_valid_signature inputs (t fixed)",
                          "sdk test inputs, signature per the SDK's _compute_signature",
                          STRIPE_TESTS, "whsec_test_secret", [["Stripe-Signature", header]],
                          payload, "valid", "ok", now=ts))  # fmt: skip
        cases.append(case("SDK test_raise_on_no_signatures_with_expected_scheme (v0 only)",
                          "sdk test", STRIPE_TESTS, "whsec_test_secret",
                          [["Stripe-Signature", f"t={ts},v0={good}"]], payload, "invalid",
                          "malformed_header", now=ts))  # fmt: skip
        cases.append(case("secret pasted without whsec_ (hint)", "derived", STRIPE_TESTS,
                          "test_secret", [["Stripe-Signature", header]], payload, "invalid",
                          "mismatch", now=ts, hint="in front"))  # fmt: skip
    return cases, signs


def main() -> None:
    """Write one JSON file per scheme."""
    for scheme in DERIVED:
        pub_cases, pub_signs = published(scheme)
        cases, signs = derived_cases(scheme)
        document = {"scheme": scheme, "cases": pub_cases + cases, "sign": pub_signs + signs}
        path = HERE / f"{scheme}.json"
        path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    # Mailgun carries its signature in the body, so its cases are written by hand below.
    key = "key-derived-mailgun-signing-key"
    ts, token = str(NOW), "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0"
    sig = mac(key, ts + token).hex()
    doc = {"signature": {"timestamp": ts, "token": token, "signature": sig},
           "event-data": {"event": "delivered"}}  # fmt: skip
    body = json.dumps(doc)
    source = "https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks"
    json_h = [["Content-Type", "application/json"]]
    form_h = [["Content-Type", "application/x-www-form-urlencoded"]]
    form = urlencode({"timestamp": ts, "token": token, "signature": sig, "event": "delivered"})
    cases = [
        case("valid JSON body (derived)", "derived", source, key, json_h, body, "valid", "ok", now=NOW),
        case("valid form fields (derived)", "derived", source, key, form_h, form, "valid", "ok", now=NOW),
        case("wrong signing key", "derived", source, "key-other", json_h, body, "invalid", "mismatch", now=NOW),
        case("token tampered", "derived", source, key, json_h, body.replace(token, token[::-1]),
             "invalid", "mismatch", now=NOW),
        case("no signature in the body", "derived", source, key, json_h, '{"event-data": {}}',
             "missing", "missing_header", now=NOW),
        case("signature without token", "derived", source, key, json_h,
             json.dumps({"signature": {"timestamp": ts, "signature": sig}}), "invalid",
             "malformed_header", now=NOW),
    ]  # fmt: skip
    out = {"scheme": "mailgun", "cases": cases, "sign": []}
    (HERE / "mailgun.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
