"""Retry schedules and deliveries against a real target that fails on cue."""

from __future__ import annotations

import random

import pytest
from targets import Answer, run, target

from webhook_inspector.core.errors import UsageError
from webhook_inspector.core.model import OutgoingRequest
from webhook_inspector.core.retries import (
    HOUR,
    SCHEDULES,
    custom_schedule,
    deliver,
    parse_duration,
    parse_schedule,
)
from webhook_inspector.core.sender import Sender, SendOptions


async def delivery(request, schedule, **kw):
    async with Sender() as sender:
        return await deliver(sender, request, schedule, **kw)


def test_500_500_200_gives_three_recorded_attempts_on_a_compressed_schedule():
    answers = (Answer(status=500), Answer(status=500), Answer(status=200, body=b"done"))
    with target(*answers) as t:
        request = OutgoingRequest("POST", t.url + "/hook", (("A", "1"),), b"{}")
        seen_live = []

        def note(attempt, wait):
            seen_live.append((attempt.number, wait))

        schedule = SCHEDULES["standard_webhooks"]
        result = run(delivery(request, schedule, compress=1e6, on_attempt=note))
    assert [a.exchange.status for a in result.attempts] == [500, 500, 200]
    assert [a.failure for a in result.attempts] == ["non_2xx", "non_2xx", None]
    assert [a.waited_s for a in result.attempts] == [0.0, 5.0, 300.0]
    assert seen_live == [(1, 5.0 / 1e6), (2, 300.0 / 1e6), (3, None)]
    assert result.delivered and result.last.body == b"done"
    assert len(t.seen) == 3 and all(s.body == b"{}" for s in t.seen)


def test_attempts_stop_when_the_schedule_runs_out():
    with target(Answer(status=503)) as t:
        schedule = parse_schedule("fixed:1s", retries=2)
        result = run(delivery(OutgoingRequest("GET", t.url), schedule, compress=1e6))
    assert len(result.attempts) == 3 and len(t.seen) == 3
    assert not result.delivered


def test_a_failure_kind_outside_fails_on_ends_the_delivery():
    with target(Answer(status=500)) as t:
        schedule = custom_schedule("fixed", 1.0, 5, fails_on=frozenset({"timeout"}))
        result = run(delivery(OutgoingRequest("GET", t.url), schedule, compress=1e6))
    assert len(result.attempts) == 1 and result.attempts[0].failure == "non_2xx"


def test_timeouts_and_refused_connections_count_as_failures():
    with target(Answer(delay_s=2), Answer(status=200)) as t:
        result = run(delivery(OutgoingRequest("GET", t.url), parse_schedule("fixed:1s", 1),
                              compress=1e6, options=SendOptions(timeout_s=0.2)))  # fmt: skip
    assert [a.failure for a in result.attempts] == ["timeout", None]
    refused = run(delivery(OutgoingRequest("GET", "http://127.0.0.1:9/"),
                           parse_schedule("fixed:1s", 1), compress=1e6))  # fmt: skip
    assert [a.failure for a in refused.attempts] == ["connection", "connection"]


def test_every_attempt_is_signed_afresh():
    counter = iter(range(100))
    with target(Answer(status=500), Answer(status=200)) as t:
        run(delivery(OutgoingRequest("POST", t.url, body=b"x"), parse_schedule("fixed:1s", 3),
                     compress=1e6, sign=lambda r: (("X-N", str(next(counter))),)))  # fmt: skip
    assert [dict(s.headers)[b"X-N"] for s in t.seen] == [b"0", b"1"]


def test_provider_schedules_match_their_published_shape():
    svix = SCHEDULES["standard_webhooks"]
    assert svix.max_attempts == 8 and sum(svix.delays_s) == 5 + 300 + 1800 + 3600 * 27
    assert SCHEDULES["github"].max_attempts == 1
    shopify = SCHEDULES["shopify"]
    assert len(shopify.delays_s) == 8 and 4 * HOUR <= sum(shopify.delays_s) <= 4.5 * HOUR
    stripe = SCHEDULES["stripe"]
    assert sum(stripe.delays_s) <= 72 * HOUR and max(stripe.delays_s) == 24 * HOUR
    assert all(s.source for s in SCHEDULES.values())


def test_parse_schedule_names_aliases_and_custom_forms():
    assert parse_schedule("svix") is SCHEDULES["standard_webhooks"]
    assert parse_schedule("shopify", retries=2).delays_s == (60.0, 120.0)
    assert parse_schedule("github", retries=2).delays_s == (1.0, 1.0)
    assert parse_schedule("linear:5s", 3).delays_s == (5.0, 10.0, 15.0)
    assert parse_schedule("exponential:500ms:factor=3", 3).delays_s == (0.5, 1.5, 4.5)
    custom = parse_schedule("fixed:2m:jitter=0.5:on=timeout+connection", 2)
    assert custom.jitter == 0.5 and custom.fails_on == {"timeout", "connection"}
    assert parse_duration("1.5h") == 5400.0


@pytest.mark.parametrize("text", ["weekly", "fixed", "fixed:soon", "fixed:1s:color=red",
                                  "fixed:1s:on=sometimes"])  # fmt: skip
def test_bad_schedules_raise_usage_errors_that_say_what_is_known(text):
    with pytest.raises(UsageError) as info:
        parse_schedule(text, 2)
    assert str(info.value)


def test_jitter_stays_within_its_fraction():
    schedule = custom_schedule("fixed", 10.0, 50, jitter=0.2)
    rng = random.Random(7)
    delays = [schedule.delay(n, rng) for n in range(50)]
    assert all(8.0 <= d <= 12.0 for d in delays) and len(set(delays)) > 1
