"""Retry schedules modelled on providers' published policies, and delivery with every attempt kept.

Sources (read 2026-11):
- Standard Webhooks / Svix: https://docs.svix.com/retries — immediately, then 5 s, 5 min,
  30 min, 2 h, 5 h, 10 h, 10 h; any non-2xx (3xx too) fails; 15 s to answer. Exact.
- Stripe: https://docs.stripe.com/webhooks (live: "up to three days with an exponential back
  off"; sandbox: three retries over a few hours). Stripe publishes no intervals: ours double
  from 1 h, capped at 24 h, and stop before 72 h (modelled).
- Shopify: https://shopify.dev/changelog/updates-to-webhook-retry-mechanism — 8 retries over
  4 hours, exponential. No intervals published: ours double from 1 min (255 min in all).
- GitHub: https://docs.github.com/en/webhooks/using-webhooks/handling-failed-webhook-deliveries
  — "GitHub does not automatically redeliver failed deliveries"; 10 s to answer.
"""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from webhook_inspector.core.errors import UsageError
from webhook_inspector.core.model import Exchange, OutgoingRequest
from webhook_inspector.core.sender import Sender, SendOptions, Signer

MINUTE = 60.0
HOUR = 3600.0
ALL_FAILURES = frozenset(("non_2xx", "timeout", "connection"))
CONNECTION_KINDS = frozenset(("refused", "dns", "tls", "connect", "network", "protocol"))
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)?")
_DURATION_UNITS = {"ms": 0.001, "s": 1.0, "": 1.0, "m": MINUTE, "h": HOUR, "d": 24 * HOUR}


@dataclass(frozen=True, slots=True)
class Schedule:
    """When to retry and what counts as a failure.

    `delays_s[n]` is the wait after attempt n+1 failed, so there are at most
    `len(delays_s) + 1` attempts. `jitter` spreads each delay by ±that fraction. `fails_on`
    holds "non_2xx", "timeout" and/or "connection"; a failure not in it ends the delivery.
    """

    name: str
    delays_s: tuple[float, ...] = ()
    fails_on: frozenset[str] = ALL_FAILURES
    jitter: float = 0.0
    timeout_s: float = 30.0
    source: str = ""

    @property
    def max_attempts(self) -> int:
        """The first attempt plus every retry."""
        return len(self.delays_s) + 1

    def delay(self, retry: int, rng: random.Random) -> float:
        """Seconds to wait before retry number `retry` (0-based), jitter applied."""
        base = self.delays_s[retry]
        if not self.jitter:
            return base
        return max(0.0, base * (1 + rng.uniform(-self.jitter, self.jitter)))

    def failure(self, exchange: Exchange) -> str | None:
        """What kind of failure `exchange` is ("non_2xx", "timeout", "connection"), or None."""
        if exchange.status is not None:
            return None if exchange.ok else "non_2xx"
        if exchange.error_kind == "timeout":
            return "timeout"
        return "connection" if exchange.error_kind in CONNECTION_KINDS else "invalid"

    def with_retries(self, retries: int) -> Schedule:
        """This schedule cut or stretched (repeating its last delay) to `retries` retries."""
        delays = self.delays_s or (1.0,)
        stretched = delays[:retries] + (delays[-1],) * max(0, retries - len(delays))
        return Schedule(self.name, stretched, self.fails_on, self.jitter, self.timeout_s,
                        self.source)  # fmt: skip


def _exponential(base_s: float, retries: int, factor: float = 2.0, cap_s: float = 0.0,
                 budget_s: float = 0.0) -> tuple[float, ...]:  # fmt: skip
    delays: list[float] = []
    for n in range(retries):
        delay = base_s * factor**n
        if cap_s:
            delay = min(delay, cap_s)
        if budget_s and sum(delays) + delay > budget_s:
            break
        delays.append(delay)
    return tuple(delays)


# Custom schedule kinds: (base delay, retries, factor) -> delays.
KINDS: dict[str, Callable[[float, int, float], tuple[float, ...]]] = {
    "fixed": lambda base, n, _f: (base,) * n,
    "linear": lambda base, n, _f: tuple(base * (i + 1) for i in range(n)),
    "exponential": _exponential,
}

SCHEDULES: dict[str, Schedule] = {
    s.name: s
    for s in (
        Schedule("none", source="no retries"),
        Schedule(
            "github",
            timeout_s=10.0,
            source="https://docs.github.com/en/webhooks/using-webhooks/handling-failed-webhook-deliveries",
        ),
        Schedule(
            "standard_webhooks",
            (5.0, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR),
            timeout_s=15.0,
            source="https://docs.svix.com/retries",
        ),
        Schedule(
            "stripe",
            _exponential(HOUR, 20, cap_s=24 * HOUR, budget_s=72 * HOUR),
            source="https://docs.stripe.com/webhooks (intervals modelled)",
        ),
        Schedule(
            "stripe_sandbox",
            _exponential(30 * MINUTE, 3),
            source="https://docs.stripe.com/webhooks (intervals modelled)",
        ),
        Schedule(
            "shopify",
            _exponential(MINUTE, 8),
            timeout_s=5.0,
            source="https://shopify.dev/changelog/updates-to-webhook-retry-mechanism"
            " (intervals modelled)",
        ),
    )
}
ALIASES = {"svix": "standard_webhooks", "standard": "standard_webhooks"}


def parse_duration(text: str) -> float:
    """'500ms', '5s', '2m', '1h', '3d' or a plain number of seconds. Raises UsageError."""
    match = _DURATION.fullmatch(text.strip().lower())
    if match is None:
        raise UsageError(f"invalid duration {text!r} (examples: 500ms, 5s, 2m, 1h)")
    return float(match.group(1)) * _DURATION_UNITS[match.group(2) or ""]


def custom_schedule(
    kind: str,
    base_s: float,
    retries: int,
    *,
    factor: float = 2.0,
    jitter: float = 0.0,
    fails_on: frozenset[str] = ALL_FAILURES,
    timeout_s: float = 30.0,
) -> Schedule:
    """A fixed, linear or exponential schedule. Raises UsageError for an unknown kind."""
    if kind not in KINDS:
        raise UsageError(f"unknown schedule kind {kind!r} (known: {', '.join(KINDS)})")
    unknown = fails_on - ALL_FAILURES
    if unknown:
        raise UsageError(f"unknown failure kinds {sorted(unknown)} (known: {sorted(ALL_FAILURES)})")
    delays = KINDS[kind](base_s, retries, factor)
    return Schedule(f"{kind}:{base_s:g}s", delays, fails_on, jitter, timeout_s, "custom")


def parse_schedule(text: str, retries: int | None = None) -> Schedule:
    """A named schedule, or `KIND:DELAY[:jitter=F][:on=non_2xx+timeout]` with `retries` retries.

    Examples: `stripe`, `svix`, `fixed:5s`, `linear:10s`, `exponential:1s:jitter=0.2`.
    Raises UsageError listing what is known.
    """
    name = ALIASES.get(text.strip().lower(), text.strip().lower())
    if name in SCHEDULES:
        schedule = SCHEDULES[name]
        return schedule if retries is None else schedule.with_retries(retries)
    kind, _, rest = name.partition(":")
    if kind not in KINDS or not rest:
        known = ", ".join([*SCHEDULES, *ALIASES])
        raise UsageError(
            f"unknown schedule {text!r} (named: {known}; custom: fixed:5s, linear:10s,"
            " exponential:1s[:jitter=0.2][:on=non_2xx+timeout+connection])"
        )
    delay, *options = rest.split(":")
    extra: dict[str, str] = {}
    for option in options:
        key, sep, value = option.partition("=")
        if not sep or key not in ("jitter", "on", "factor"):
            raise UsageError(f"unknown schedule option {option!r} (jitter=F, factor=F, on=A+B)")
        extra[key] = value
    try:
        jitter = float(extra.get("jitter", 0.0))
        factor = float(extra.get("factor", 2.0))
    except ValueError as exc:
        raise UsageError(f"invalid schedule option in {text!r}: {exc}") from exc
    fails_on = frozenset(extra["on"].split("+")) if "on" in extra else ALL_FAILURES
    return custom_schedule(kind, parse_duration(delay), 3 if retries is None else retries,
                           factor=factor, jitter=jitter, fails_on=fails_on)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Attempt:
    """One attempt of a delivery: its exchange, the failure it counts as, the wait before it."""

    number: int
    exchange: Exchange
    failure: str | None
    waited_s: float  # the schedule's delay before this attempt (uncompressed)


@dataclass(frozen=True, slots=True)
class Delivery:
    """A request delivered on a schedule, with every attempt."""

    request: OutgoingRequest
    schedule: Schedule
    attempts: tuple[Attempt, ...] = field(default=())

    @property
    def delivered(self) -> bool:
        """True when the last attempt did not fail."""
        return bool(self.attempts) and self.attempts[-1].failure is None

    @property
    def last(self) -> Exchange:
        """The last attempt's exchange."""
        return self.attempts[-1].exchange


OnAttempt = Callable[[Attempt, float | None], None]  # (attempt, seconds until the next or None)


async def deliver(
    sender: Sender,
    request: OutgoingRequest,
    schedule: Schedule,
    *,
    compress: float = 1.0,
    options: SendOptions | None = None,
    sign: Signer | None = None,
    raw_target: bytes | None = None,
    on_attempt: OnAttempt | None = None,
    rng: random.Random | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> Delivery:
    """Send `request`, retrying on `schedule` until it succeeds or attempts run out.

    `compress` divides every wait (86400 plays a day in a second). Each attempt is signed
    afresh, as providers do; `raw_target` is passed to every send. Cancelling the task stops
    the delivery between or during attempts.
    """
    if compress <= 0:
        raise UsageError("the time-compression factor must be positive")
    options = options or SendOptions(timeout_s=schedule.timeout_s)
    rng = rng or random.Random()
    attempts: list[Attempt] = []
    waited = 0.0
    for number in range(1, schedule.max_attempts + 1):
        exchange = await sender.send(request, options, sign=sign, raw_target=raw_target)
        failure = schedule.failure(exchange)
        attempt = Attempt(number, exchange, failure, waited)
        attempts.append(attempt)
        retry = number - 1
        again = (
            failure is not None and failure in schedule.fails_on and retry < len(schedule.delays_s)
        )
        waited = schedule.delay(retry, rng) if again else 0.0
        if on_attempt is not None:
            on_attempt(attempt, waited / compress if again else None)
        if not again:
            break
        await sleep(waited / compress)
    return Delivery(request, schedule, tuple(attempts))
