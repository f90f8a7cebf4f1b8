"""Sender throughput against a bare httpx loop, and the latency forwarding adds, in the same run.

Run as `.venv/bin/python benchmarks/bench_send.py [--quick] [--part burst|forward]`.

1. Burst: 10k requests at concurrency 16 to a bare aiohttp target (its own process), by our
   Sender (through the simulator's `burst`) and by a bare `httpx.AsyncClient` loop, in short
   bursts alternated between the two; the ratio is the median of the per-round ratios.
   Beside each rate: the CPU one request costs this client and the target, and how busy the
   target's core was, so the table shows which side limits the rate. It is the client, in
   both loops: httpx costs ~3 ms of CPU a request here at c=16 (its pool checks every
   connection on each pool operation; ~1.6 ms at c=1), the target ~0.5 ms, its core < 20 %
   busy. Until core/sender.py marked the missing `sniffio` as absent, httpcore also re-ran a
   failing `import sniffio` on every pool operation (~1.1 ms a request; encode/httpcore#1103).
2. Forwarding: p50/p99 latency at c=1 (one kept-alive httpx client) of requests sent to the
   target directly, through a bare aiohttp reverse proxy (benchmarks/baselines.py) and through
   `webhook-inspector listen --forward-to TARGET --forward-answer target`, which stores each
   capture durably, forwards it byte-exact and answers with the target's response; rounds
   interleaved. "added" is each path minus direct. `listen` without forwarding is shown for
   reference (parse + durable commit + answer).
Absolute figures move ±15 % on a shared machine; the ratios are what matter. Nothing asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from baselines import BARE_PROXY, BARE_SERVER  # benchmarks/ is on sys.path when run as a script

from webhook_inspector.core.model import OutgoingRequest
from webhook_inspector.core.sender import Sender
from webhook_inspector.core.simulator import burst

ROOT = Path(__file__).resolve().parent.parent
BODY = b'{"type": "payment_intent.succeeded", "data": {"amount": 4999}}' * 16
HEADERS = (("Content-Type", "application/json"), ("Stripe-Signature", "t=1,v1=abc"))
CONCURRENCY = 16
CLK_TCK = os.sysconf("SC_CLK_TCK")


def start(argv: list[str]) -> tuple[subprocess.Popen[str], str]:
    """Start a server process and read its base URL from the first stdout line."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            cwd=ROOT)  # fmt: skip
    assert proc.stdout is not None
    line = proc.stdout.readline()
    return proc, line.split()[-1].rstrip("/")


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


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


def p99(values: list[float]) -> float:
    """The 99th percentile."""
    return statistics.quantiles(values, n=100)[98]


def run_burst(target: subprocess.Popen[str], url: str, count: int, rounds: int) -> float:
    """Print the burst table; return our rate ÷ the bare loop's."""
    print(f"burst: {count * rounds} POSTs of {len(BODY)} B at c={CONCURRENCY} by each loop,"
          f" in {rounds} interleaved bursts of {count}")  # fmt: skip
    asyncio.run(ours(url, 200))  # warm both paths
    asyncio.run(bare(url, 200))
    loops = {"ours": ours, "bare httpx": bare}
    rates: dict[str, list[float]] = {name: [] for name in loops}
    client_ms: dict[str, list[float]] = {name: [] for name in loops}
    target_ms: dict[str, list[float]] = {name: [] for name in loops}
    for n in range(rounds):  # the order alternates so that a drifting load hits both alike
        for name, loop in list(loops.items())[:: 1 if n % 2 == 0 else -1]:
            c0, t0 = time.process_time(), cpu_s(target.pid)
            rates[name].append(asyncio.run(loop(url, count)))
            client_ms[name].append((time.process_time() - c0) * 1000 / count)
            target_ms[name].append((cpu_s(target.pid) - t0) * 1000 / count)
    print(f"  {'':12} {'req/s':>8}   CPU a request: client  target   target core busy")
    for name, values in rates.items():
        rate, target_cpu = statistics.median(values), statistics.median(target_ms[name])
        print(f"  {name:12} {rate:8.0f}   {statistics.median(client_ms[name]):20.2f} ms"
              f" {target_cpu:5.2f} ms   {rate * target_cpu / 10:5.0f} %"
              "   (rounds: " + ", ".join(f"{v:.0f}" for v in values) + ")")  # fmt: skip
    # Each round's two bursts ran back to back: their ratio is steadier than one of medians.
    ratios = [a / b for a, b in zip(rates["ours"], rates["bare httpx"], strict=True)]
    ratio = statistics.median(ratios)
    print(f"  ours ÷ bare  {ratio:8.2f}  (goal ≥ 0.9; rounds: "
          + ", ".join(f"{r:.2f}" for r in ratios) + ")")  # fmt: skip
    return ratio


def run_forward(target_url: str, count: int, rounds: int) -> tuple[float, float]:
    """Print the forwarding table; return the p50 that ours and the bare proxy add."""
    with tempfile.TemporaryDirectory() as tmp:
        listen = [sys.executable, "-m", "webhook_inspector", "listen", "--port", "0", "--db"]
        servers = {
            "bare aiohttp proxy": start([sys.executable, "-c", BARE_PROXY, target_url]),
            "ours (listen --forward-to)": start([*listen, str(Path(tmp) / "fwd.sqlite3"),
                                                 "--forward-to", target_url,
                                                 "--forward-answer", "target"]),
            "listen, no forwarding": start([*listen, str(Path(tmp) / "plain.sqlite3")]),
        }  # fmt: skip
        urls = {"direct to target": target_url} | {name: s[1] for name, s in servers.items()}
        samples: dict[str, list[float]] = {name: [] for name in urls}
        try:
            for url in urls.values():
                asyncio.run(latencies(url, 100))
            for _ in range(rounds):
                for name, url in urls.items():
                    samples[name] += asyncio.run(latencies(url, count // rounds))
        finally:
            for proc, _ in servers.values():
                proc.terminate()
                proc.wait(30)
    direct50, direct99 = (
        statistics.median(samples["direct to target"]),
        p99(samples["direct to target"]),
    )
    print(f"forwarding: {count} POSTs each way at c=1 (httpx, kept alive), {rounds} rounds"
          " interleaved, answer from the target")  # fmt: skip
    print(f"  {'':28} {'p50':>7} {'p99':>7}   added p50  added p99")
    for name, values in samples.items():
        p50, high = statistics.median(values), p99(values)
        added = (
            ""
            if name.startswith("direct")
            else f"   {p50 - direct50:6.2f} ms  {high - direct99:6.2f} ms"
        )
        print(f"  {name:28} {p50:7.2f} {high:7.2f}{added}")
    ours_added = statistics.median(samples["ours (listen --forward-to)"]) - direct50
    proxy_added = statistics.median(samples["bare aiohttp proxy"]) - direct50
    print(f"  added by our forwarding   p50 {ours_added:5.2f} ms  (goal ≤ 1 ms)")
    return ours_added, proxy_added


def main() -> None:
    """Run the parts asked for and print the tables and the summary line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests (a smoke run)")
    parser.add_argument("--part", choices=("burst", "forward"), help="run only this part")
    args = parser.parse_args()
    count = 2000 if args.quick else 10_000
    latency_count = 500 if args.quick else 2000
    # Each loop sends `count` requests in all, in bursts of count / rounds: short bursts,
    # alternated, keep the load drifting on a shared machine from landing on one loop only.
    rounds = 2 if args.quick else 5
    latency_rounds = 5 if args.quick else 10

    summary = []
    target, target_url = start([sys.executable, "-c", BARE_SERVER])
    try:
        if args.part in (None, "burst"):
            ratio = run_burst(target, target_url, count // rounds, rounds)
            summary.append(f"sender {ratio:.2f}× bare httpx at c={CONCURRENCY}")
        if args.part in (None, "forward"):
            added, proxy = run_forward(target_url, latency_count, latency_rounds)
            summary.append(f"forwarding adds {added:.2f} ms p50 (bare aiohttp proxy {proxy:.2f})")
    finally:
        target.terminate()
        target.wait(10)
    print("summary: " + "; ".join(summary))


if __name__ == "__main__":
    main()
