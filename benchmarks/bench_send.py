"""Sender throughput against a bare httpx loop, and the latency forwarding adds, in the same run.

Run as `.venv/bin/python benchmarks/bench_send.py [--quick]`.

1. Burst: N requests at concurrency 16 to a bare aiohttp target (its own process): our Sender
   (through the simulator's `burst`) vs a bare `httpx.AsyncClient` loop, rounds interleaved.
2. Forwarding: p50 latency at c=1 of requests sent to the target directly vs to
   `webhook-inspector listen --forward-to TARGET --forward-answer target`, which stores each
   capture and answers with the target's response. The difference is what forwarding adds.
Absolute figures move ±15 % on a shared machine; the ratios are what matter. Nothing asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from baselines import BARE_SERVER  # benchmarks/ is on sys.path when run as a script

from webhook_inspector.core.model import OutgoingRequest
from webhook_inspector.core.sender import Sender
from webhook_inspector.core.simulator import burst

ROOT = Path(__file__).resolve().parent.parent
BODY = b'{"type": "payment_intent.succeeded", "data": {"amount": 4999}}' * 16
HEADERS = (("Content-Type", "application/json"), ("Stripe-Signature", "t=1,v1=abc"))
CONCURRENCY = 16


def start(argv: list[str]) -> tuple[subprocess.Popen[str], str]:
    """Start a server process and read its base URL from the first stdout line."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            cwd=ROOT)  # fmt: skip
    assert proc.stdout is not None
    line = proc.stdout.readline()
    return proc, line.split()[-1].rstrip("/")


async def ours(url: str, count: int) -> float:
    """Requests per second through our Sender."""
    requests = [OutgoingRequest("POST", f"{url}/hook/{n}", HEADERS, BODY) for n in range(count)]
    async with Sender() as sender:
        t0 = time.perf_counter()
        results = await burst(sender, requests, concurrency=CONCURRENCY)
        elapsed = time.perf_counter() - t0
    bad = sum(1 for r in results if r.status != 200)
    if bad:
        print(f"  ({bad} of {count} sends failed)")
    return count / elapsed


async def bare(url: str, count: int) -> float:
    """Requests per second through a plain httpx loop with the same concurrency."""
    gate = asyncio.Semaphore(CONCURRENCY)
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with httpx.AsyncClient(limits=limits) as client:

        async def one(n: int) -> None:
            async with gate:
                response = await client.post(f"{url}/hook/{n}", content=BODY, headers=HEADERS)
                await response.aread()

        t0 = time.perf_counter()
        async with asyncio.TaskGroup() as group:
            for n in range(count):
                group.create_task(one(n))
        return count / (time.perf_counter() - t0)


async def latencies(url: str, count: int) -> list[float]:
    """Milliseconds per request, one at a time (c=1), kept-alive connection."""
    out = []
    async with httpx.AsyncClient() as client:
        for n in range(count):
            t0 = time.perf_counter()
            response = await client.post(f"{url}/hook/{n}", content=BODY, headers=HEADERS)
            out.append((time.perf_counter() - t0) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"unexpected {response.status_code} from {url}")
    return out


def main() -> None:
    """Run both parts and print the table and the summary line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests (a smoke run)")
    args = parser.parse_args()
    count = 2000 if args.quick else 10_000
    latency_count = 300 if args.quick else 1000
    rounds = 2 if args.quick else 3

    target, target_url = start([sys.executable, "-c", BARE_SERVER])
    try:
        print(f"burst: {count} POSTs of {len(BODY)} B at c={CONCURRENCY}, {rounds} rounds")
        asyncio.run(ours(target_url, 200))  # warm both paths
        asyncio.run(bare(target_url, 200))
        rates: dict[str, list[float]] = {"ours": [], "bare httpx": []}
        for _ in range(rounds):
            rates["ours"].append(asyncio.run(ours(target_url, count)))
            rates["bare httpx"].append(asyncio.run(bare(target_url, count)))
        for name, values in rates.items():
            print(f"  {name:12} {statistics.median(values):8.0f} req/s  (rounds: "
                  + ", ".join(f"{v:.0f}" for v in values) + ")")  # fmt: skip
        ratio = statistics.median(rates["ours"]) / statistics.median(rates["bare httpx"])
        print(f"  ours ÷ bare  {ratio:8.2f}  (goal ≥ 0.9)")

        with tempfile.TemporaryDirectory() as tmp:
            listen, listen_url = start([
                sys.executable, "-m", "webhook_inspector", "listen", "--port", "0",
                "--db", str(Path(tmp) / "bench.sqlite3"), "--forward-to", target_url,
                "--forward-answer", "target",
            ])  # fmt: skip
            plain, plain_url = start([
                sys.executable, "-m", "webhook_inspector", "listen", "--port", "0",
                "--db", str(Path(tmp) / "plain.sqlite3"),
            ])  # fmt: skip
            try:
                for url in (listen_url, target_url, plain_url):
                    asyncio.run(latencies(url, 100))
                direct: list[float] = []
                forwarded: list[float] = []
                stored: list[float] = []
                for _ in range(rounds):
                    direct += asyncio.run(latencies(target_url, latency_count // rounds))
                    forwarded += asyncio.run(latencies(listen_url, latency_count // rounds))
                    stored += asyncio.run(latencies(plain_url, latency_count // rounds))
            finally:
                for proc in (listen, plain):
                    proc.terminate()
                    proc.wait(30)
        p50_direct = statistics.median(direct)
        p50_forwarded = statistics.median(forwarded)
        added = p50_forwarded - p50_direct
        print(f"forwarding: {len(direct)} POSTs each way at c=1, answer from the target")
        print(f"  direct to target      p50 {p50_direct:6.2f} ms")
        print(f"  through listen        p50 {p50_forwarded:6.2f} ms  (capture stored, forwarded)")
        print(f"  added by forwarding   p50 {added:6.2f} ms  (goal ≤ 1 ms)")
        print(f"  for reference: listen without forwarding p50 {statistics.median(stored):.2f} ms"
              " (parse + durable commit + answer)")  # fmt: skip
    finally:
        target.terminate()
        target.wait(10)
    print(f"summary: sender {ratio:.2f}× bare httpx at c={CONCURRENCY}; "
          f"forwarding adds {added:.2f} ms p50")  # fmt: skip


if __name__ == "__main__":
    main()
