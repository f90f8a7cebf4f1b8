"""Realistic webhook captures for the search benchmark: several providers, varied ids and text."""

from __future__ import annotations

import json
import random
from urllib.parse import urlencode

from webhook_inspector.core.model import CapturedRequest, Outcome

START_US = 1_795_000_000_000_000
STEP_US = 2_000_000  # one capture every 2 s: 100k span ~2.3 days
_WORD_TEXT = (
    "widget gadget order invoice refund payment customer shipping billing account subscription"
    " trial upgrade downgrade cancel renew coupon discount express standard warehouse berlin paris"
    " london tokyo madrid café naïve straße größe 東京 注文 alpha beta gamma delta release deploy"
    " build merge commit branch feature bugfix hotfix review approve comment issue label"
)
WORDS = tuple(_WORD_TEXT.split())
EVENTS = (
    "payment_intent.succeeded", "payment_intent.payment_failed", "charge.refunded",
    "customer.subscription.updated", "invoice.paid", "checkout.session.completed",
)  # fmt: skip
RARE_EVERY = 997
NEEDLE_AT = frozenset({123, 45_678, 99_000})
GITHUB_EVENTS = ("push", "pull_request", "issues", "issue_comment", "release", "workflow_run")


def _rid(rng: random.Random, prefix: str, n: int = 24) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return prefix + "".join(rng.choice(alphabet) for _ in range(n))


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _stripe(rng: random.Random) -> tuple[str, list[tuple[str, str]], bytes]:
    items = [
        {"id": _rid(rng, "li_"), "description": _sentence(rng, 4),
         "amount": rng.randint(100, 99999), "quantity": rng.randint(1, 9),
         "currency": rng.choice(["eur", "usd", "gbp"])}
        for _ in range(rng.randint(2, 16))
    ]  # fmt: skip
    event = {
        "id": _rid(rng, "evt_"), "object": "event", "api_version": "2024-06-20",
        "created": 1732366800 + rng.randint(0, 10**6), "type": rng.choice(EVENTS),
        "livemode": rng.random() < 0.2,
        "data": {"object": {
            "id": _rid(rng, "pi_"), "amount": rng.randint(100, 99999),
            "customer": _rid(rng, "cus_", 14),
            "description": f"Order #{rng.randint(100000, 999999)} - {_sentence(rng, 5)}",
            "receipt_email": f"{rng.choice(WORDS)}.{rng.randint(1, 999)}@example.com",
            "metadata": {"order_id": str(rng.randint(100000, 999999)), "note": _sentence(rng, 8)},
            "lines": items,
        }},
    }  # fmt: skip
    headers = [
        ("Content-Type", "application/json; charset=utf-8"),
        ("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"),
        ("Stripe-Signature", f"t=1732366800,v1={rng.getrandbits(256):064x}"),
    ]
    return "/hooks/stripe", headers, json.dumps(event, ensure_ascii=False).encode()


def _github(rng: random.Random) -> tuple[str, list[tuple[str, str]], bytes]:
    commits = [
        {"id": f"{rng.getrandbits(160):040x}", "message": _sentence(rng, rng.randint(3, 12)),
         "author": {"name": rng.choice(WORDS).title(),
                    "email": f"{rng.choice(WORDS)}@users.noreply.github.com"},
         "added": [f"src/{rng.choice(WORDS)}.py"], "modified": [f"docs/{rng.choice(WORDS)}.md"]}
        for _ in range(rng.randint(2, 9))
    ]  # fmt: skip
    event = rng.choice(GITHUB_EVENTS)
    body = {
        "ref": f"refs/heads/{rng.choice(WORDS)}", "before": f"{rng.getrandbits(160):040x}",
        "repository": {"full_name": f"acme/{rng.choice(WORDS)}-service", "private": True},
        "pusher": {"name": rng.choice(WORDS)}, "commits": commits,
    }  # fmt: skip
    headers = [
        ("Content-Type", "application/json"),
        ("User-Agent", "GitHub-Hookshot/a1b2c3d"),
        ("X-GitHub-Event", event),
        ("X-GitHub-Delivery", f"{rng.getrandbits(128):032x}"),
        ("X-Hub-Signature-256", f"sha256={rng.getrandbits(256):064x}"),
    ]
    return f"/hooks/github/{rng.randint(1, 40)}", headers, json.dumps(body).encode()


def _twilio(rng: random.Random) -> tuple[str, list[tuple[str, str]], bytes]:
    form = {
        "MessageSid": _rid(rng, "SM", 32), "AccountSid": _rid(rng, "AC", 32),
        "From": f"+4915{rng.randint(10**8, 10**9 - 1)}", "To": "+4930123456",
        "Body": _sentence(rng, rng.randint(3, 20)), "NumMedia": "0",
        "SmsStatus": rng.choice(["received", "delivered", "failed"]),
    }  # fmt: skip
    headers = [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("User-Agent", "TwilioProxy/1.1"),
        ("X-Twilio-Signature", f"{rng.getrandbits(160):040x}"),
    ]
    return f"/hooks/twilio?token={rng.randint(1000, 9999)}", headers, urlencode(form).encode()


def _xml(rng: random.Random) -> tuple[str, list[tuple[str, str]], bytes]:
    rows = "".join(
        f"<item sku='{rng.randint(1000, 9999)}'><name>{_sentence(rng, 3)}</name></item>"
        for _ in range(rng.randint(4, 30))
    )
    body = f"<?xml version='1.0'?><order id='{rng.randint(1, 10**6)}'>{rows}</order>"
    return "/hooks/erp", [("Content-Type", "application/xml")], body.encode()


PROVIDERS = ((_stripe, 5), (_github, 3), (_twilio, 1), (_xml, 1))


def make_captures(count: int, seed: int = 5) -> list[CapturedRequest]:
    """`count` captures, oldest first, mixing providers, methods, statuses and clients."""
    rng = random.Random(seed)
    makers = [maker for maker, weight in PROVIDERS for _ in range(weight)]
    out = []
    for n in range(count):
        target, headers, body = rng.choice(makers)(rng)
        if n % RARE_EVERY == 0:  # a word about 0.1 % of captures hold, for "rare word" queries
            headers.append(("X-Dispute", "chargeback opened"))
        if n in NEEDLE_AT:  # a word only three captures hold
            headers.append(("X-Flag", "quarantine"))
        method = "POST" if rng.random() < 0.92 else rng.choice(["PUT", "GET", "DELETE"])
        headers = [("Host", "127.0.0.1:8765"), *headers, ("Content-Length", str(len(body)))]
        head = f"{method} {target} HTTP/1.1\r\n" + "\r\n".join(f"{k}: {v}" for k, v in headers)
        status, outcome = 200, Outcome.CAPTURED
        if rng.random() < 0.01:
            status, outcome = 413, Outcome.TOO_LARGE
        out.append(
            CapturedRequest(
                received_at_us=START_US + n * STEP_US, method=method, target=target,
                http_version="1.1", headers=tuple(headers), body=body,
                remote_ip=f"10.0.{rng.randint(0, 3)}.{rng.randint(1, 50)}",
                remote_port=40000 + n % 20000,
                raw_head=head.encode("utf-8").decode("latin-1").encode("latin-1"),
                status=status, outcome=outcome,
            )
        )  # fmt: skip
    return out
