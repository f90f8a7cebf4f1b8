"""Load `webhook-inspector listen` and a bare aiohttp handler with h2load, interleaved, and compare.

Run as `.venv/bin/python benchmarks/bench_listen.py [--quick] [--rss-captures N] [--index-compare]`.

`--index-compare` adds a third target, `noidx`: `listen` with WEBHOOK_INSPECTOR_NO_INDEX=1 (no
search indexer in the process), interleaved with the others, to show what indexing costs capture.

Both servers run pinned to core 1 and h2load (and this script) to core 0, so the client never
steals the servers' CPU. Each concurrency level runs several rounds alternating listen/bare so a
slow spell on the shared machine hits both. The figures that matter are the ratios; absolute
numbers move ±15 % from run to run (DESIGN.md §9). Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from baselines import BARE_SERVER  # benchmarks/ is on sys.path when run as a script

HOST = "127.0.0.1"
SERVER_CORE = "1"
CLIENT_CORE = 0
BODY_SIZE = 2048
CONCURRENCIES = (1, 16, 64)
REQUESTS = {1: 5000, 16: 20000, 64: 20000}
ROUNDS = 3
WARMUP_REQUESTS = 4000
RSS_TARGET_MB = 80.0
READY_TIMEOUT_S = 20.0
H2LOAD_TIMEOUT_S = 900.0
SETTLE_TIMEOUT_S = 5.0
SAMPLE_INTERVAL_S = 0.1
CLK_TCK = os.sysconf("SC_CLK_TCK")
LISTEN_TARGETS = ("listen", "noidx")  # targets that print one line per capture

HEADERS = (
    "Content-Type: application/json",
    "User-Agent: Stripe/1.0 (+https://stripe.com/docs/webhooks)",
    "Stripe-Signature: t=1732366800,"
    "v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd",
    "X-Request-Id: 8f14e45f-ceea-467a-9d6b-2c5d1a7e0b31",
    "X-GitHub-Event: payment_intent.succeeded",
    "Idempotency-Key: 3c9a1e52-77d4-4b0e-a1f2-6d8e9c0b4f17",
)

FINISHED_RE = re.compile(r"finished in ([\d.]+)(us|ms|s), ([\d.]+) req/s")
REQUESTS_RE = re.compile(
    r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, "
    r"(\d+) errored, (\d+) timeout"
)
STATUS_RE = re.compile(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx")


def webhook_body(size: int = BODY_SIZE) -> bytes:
    """A Stripe-like `payment_intent.succeeded` event padded to exactly `size` bytes."""
    metadata = {"order_id": "100234", "cart": "c_9f8e7d", "padding": ""}
    event = {
        "id": "evt_3QO2xYJ8kLmN0pQr1sTuVwXy",
        "object": "event",
        "api_version": "2024-06-20",
        "created": 1732366800,
        "type": "payment_intent.succeeded",
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": "req_Lm8nOp9QrStUvW", "idempotency_key": "3c9a1e52-77d4-4b0e"},
        "data": {
            "object": {
                "id": "pi_3QO2xYJ8kLmN0pQr1aBcDeFg",
                "object": "payment_intent",
                "amount": 4999,
                "amount_received": 4999,
                "currency": "eur",
                "customer": "cus_R1a2B3c4D5e6F7",
                "description": "Order #100234 - 2x Widget Pro",
                "latest_charge": "ch_3QO2xYJ8kLmN0pQr1hIjKlMn",
                "payment_method": "pm_1QO2xWJ8kLmN0pQrOpQrStUv",
                "payment_method_types": ["card"],
                "receipt_email": "jane.doe@example.com",
                "status": "succeeded",
                "metadata": metadata,
                "shipping": {
                    "name": "Jane Doe",
                    "address": {
                        "line1": "12 Rue de la Paix",
                        "city": "Paris",
                        "postal_code": "75002",
                        "country": "FR",
                    },
                },
            }
        },
    }
    base = len(json.dumps(event).encode())
    if base > size:
        raise ValueError(f"the event alone is {base} bytes, more than {size}")
    metadata["padding"] = "x" * (size - base)
    body = json.dumps(event).encode()
    assert len(body) == size
    return body


def read_cpu_ticks(pid: int) -> int:
    """utime + stime of a process, all threads, in clock ticks; 0 when the process is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    # The command name may hold spaces and parentheses; the fields after the last ')' do not.
    rest = stat[stat.rindex(")") + 2 :].split()
    return int(rest[11]) + int(rest[12])


def read_status_kb(pid: int, key: str) -> int:
    """A `kB` field of /proc/PID/status (VmRSS, VmHWM), or 0 when the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def percentile(sorted_values: list[int], pct: float) -> float:
    """Nearest-rank percentile of already sorted values; NaN when there are none."""
    if not sorted_values:
        return float("nan")
    rank = min(max(1, math.ceil(pct / 100 * len(sorted_values))), len(sorted_values))
    return float(sorted_values[rank - 1])


class Server:
    """A server subprocess whose stdout is drained and counted by a reader thread."""

    def __init__(
        self, name: str, argv: list[str], workdir: Path, env: dict[str, str] | None = None
    ) -> None:
        self.name = name
        self.url = ""
        self.lines = 0
        self.peak_rss_kb = 0
        self.hwm_kb = 0
        self._ready = threading.Event()
        self._stop_sampling = threading.Event()
        self.stderr_path = workdir / f"{name}.stderr"
        self._stderr: IO[bytes] = self.stderr_path.open("wb")
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            bufsize=1,
            env=env,
        )
        self._reader = threading.Thread(target=self._drain, name=f"{name}-stdout", daemon=True)
        self._reader.start()
        self._sampler = threading.Thread(target=self._sample, name=f"{name}-rss", daemon=True)
        self._sampler.start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def wait_ready(self, timeout_s: float = READY_TIMEOUT_S) -> bool:
        """Wait for the `Listening on URL` line; False if it never came."""
        return self._ready.wait(timeout_s) and bool(self.url)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def cpu_ticks(self) -> int:
        return read_cpu_ticks(self.pid)

    def rss_kb(self) -> int:
        rss = read_status_kb(self.pid, "VmRSS")
        self.peak_rss_kb = max(self.peak_rss_kb, rss)
        return rss

    def settle(self, expected_lines: int, timeout_s: float = SETTLE_TIMEOUT_S) -> None:
        """Wait until `expected_lines` were printed, or the count stops moving, or timeout.

        The writer thread commits (and prints) after the response went out; waiting lets a
        round's CPU be charged to that round, not the next.
        """
        deadline = time.monotonic() + timeout_s
        last, still_since = self.lines, time.monotonic()
        while self.lines < expected_lines and time.monotonic() < deadline:
            time.sleep(0.02)
            if self.lines != last:
                last, still_since = self.lines, time.monotonic()
            elif time.monotonic() - still_since > 0.5:
                break

    def stop(self, timeout_s: float = 30.0) -> int | None:
        """SIGTERM, wait, and read the peak RSS just before the process is reaped."""
        self._stop_sampling.set()
        if self.alive():
            self.hwm_kb = read_status_kb(self.pid, "VmHWM")
            self.rss_kb()
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                print(f"  {self.name}: no exit {timeout_s:.0f}s after SIGTERM; killing it")
                self.proc.kill()
                self.proc.wait()
        self._reader.join(5)
        self._stderr.close()
        return self.proc.returncode

    def stderr_tail(self, lines: int = 10) -> str:
        try:
            text = self.stderr_path.read_text(errors="replace").strip()
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if not self._ready.is_set():
                match = re.search(r"Listening on (\S+)", line)
                if match:
                    self.url = match.group(1)
                    self._ready.set()
                    continue
            self.lines += 1
        self._ready.set()

    def _sample(self) -> None:
        while not self._stop_sampling.wait(SAMPLE_INTERVAL_S):
            if not self.alive():
                return
            self.rss_kb()


@dataclass
class Round:
    """One h2load run against one server."""

    target: str
    concurrency: int
    requests: int
    ok: bool = False
    seconds: float = 0.0
    req_per_s: float = 0.0
    succeeded: int = 0
    failed: int = 0
    errored: int = 0
    timeouts: int = 0
    status_2xx: int = 0
    non_2xx: int = 0
    cpu_ticks: int = 0
    durations_us: list[int] = field(default_factory=list)
    problem: str = ""


class Bench:
    """Runs h2load against servers and keeps every round."""

    def __init__(self, workdir: Path, client_pin: list[str], h2load: str) -> None:
        self.workdir = workdir
        self.client_pin = client_pin
        self.h2load = h2load
        self.body_path = workdir / "body.json"
        self.body_path.write_bytes(webhook_body())
        self.log_path = workdir / "h2load.log"
        self.rounds: list[Round] = []
        self.warmups: list[Round] = []

    def run(
        self, server: Server, concurrency: int, requests: int, *, keep_log: bool = True
    ) -> Round:
        """One h2load run; CPU is the server's utime+stime across the run."""
        rnd = Round(server.name, concurrency, requests)
        if not server.alive():
            rnd.problem = f"{server.name} exited with {server.proc.returncode}"
            return rnd
        argv = [
            *self.client_pin,
            self.h2load,
            "--h1",
            "-n",
            str(requests),
            "-c",
            str(concurrency),
            "-t",
            "1",
            "-d",
            str(self.body_path),
        ]
        for header in HEADERS:
            argv += ["-H", header]
        self.log_path.unlink(missing_ok=True)
        if keep_log:
            argv.append(f"--log-file={self.log_path}")
        argv.append(server.url.rstrip("/") + "/hooks/stripe")
        lines_before = server.lines
        ticks_before = server.cpu_ticks()
        try:
            done = subprocess.run(
                argv, capture_output=True, text=True, timeout=H2LOAD_TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired:
            rnd.problem = f"h2load did not finish in {H2LOAD_TIMEOUT_S:.0f}s"
            return rnd
        if server.name in LISTEN_TARGETS:
            server.settle(lines_before + requests)
        if server.alive():
            rnd.cpu_ticks = server.cpu_ticks() - ticks_before
            server.rss_kb()
        else:
            rnd.problem = f"{server.name} exited with {server.proc.returncode}"
        out = done.stdout
        finished = FINISHED_RE.search(out)
        counts = REQUESTS_RE.search(out)
        statuses = STATUS_RE.search(out)
        if not (finished and counts and statuses):
            tail = (done.stderr or out).strip().splitlines()[-3:]
            rnd.problem = rnd.problem or f"h2load rc={done.returncode}: {' | '.join(tail)}"
            return rnd
        value, unit = float(finished.group(1)), finished.group(2)
        rnd.seconds = value / {"us": 1e6, "ms": 1e3, "s": 1.0}[unit]
        rnd.req_per_s = float(finished.group(3))
        rnd.succeeded, rnd.failed, rnd.errored, rnd.timeouts = (
            int(counts.group(i)) for i in (4, 5, 6, 7)
        )
        rnd.status_2xx = int(statuses.group(1))
        rnd.non_2xx = sum(int(statuses.group(i)) for i in (2, 3, 4))
        if keep_log:
            rnd.durations_us = self._read_log()
        rnd.ok = not rnd.problem
        return rnd

    def _read_log(self) -> list[int]:
        # h2load 1.52 writes one line per request: start_time_us \t status \t duration_us.
        durations: list[int] = []
        try:
            with self.log_path.open() as log:
                for line in log:
                    parts = line.split("\t")
                    if len(parts) == 3:
                        durations.append(int(parts[2]))
        except OSError:
            pass
        return durations


@dataclass
class Row:
    """Aggregated figures for one target at one concurrency."""

    target: str
    concurrency: int
    rounds: int
    req_per_s: float
    spread: float
    p50_ms: float
    p99_ms: float
    cpu_us_per_req: float
    rss_mb: float
    non_2xx: int
    failed: int


def aggregate(rounds: list[Round], rss_mb: float) -> Row:
    """Median req/s over rounds; latency percentiles over every request of every round."""
    good = [r for r in rounds if r.ok]
    rates = [r.req_per_s for r in good]
    durations = sorted(d for r in good for d in r.durations_us)
    total = sum(r.succeeded for r in good)
    ticks = sum(r.cpu_ticks for r in good)
    median = statistics.median(rates) if rates else float("nan")
    spread = (max(rates) - min(rates)) / median * 100 if rates and median else float("nan")
    return Row(
        target=rounds[0].target,
        concurrency=rounds[0].concurrency,
        rounds=len(good),
        req_per_s=median,
        spread=spread,
        p50_ms=percentile(durations, 50) / 1000,
        p99_ms=percentile(durations, 99) / 1000,
        cpu_us_per_req=ticks / CLK_TCK * 1e6 / total if total else float("nan"),
        rss_mb=rss_mb,
        non_2xx=sum(r.non_2xx for r in rounds),
        failed=sum(r.failed + r.errored + r.timeouts for r in rounds),
    )


def ratio(a: float, b: float) -> float:
    """a / b, NaN when b is zero or missing."""
    return a / b if b else float("nan")


def print_table(rows: list[Row]) -> None:
    header = (
        f"{'target':<7} {'c':>3} {'rounds':>6} {'req/s':>9} {'spread':>7} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'CPU µs/req':>10} {'RSS MB':>7} {'non-2xx':>7} {'failed':>6}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row.target:<7} {row.concurrency:>3} {row.rounds:>6} {row.req_per_s:>9.0f} "
            f"{row.spread:>6.1f}% {row.p50_ms:>8.3f} {row.p99_ms:>8.3f} "
            f"{row.cpu_us_per_req:>10.1f} {row.rss_mb:>7.1f} {row.non_2xx:>7} {row.failed:>6}"
        )


def count_captures(db_path: Path) -> int | None:
    """`SELECT count(*) FROM captures` on a read-only connection; None if unreadable."""
    try:
        db = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
        try:
            return int(db.execute("SELECT count(*) FROM captures").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error as exc:
        print(f"  cannot read {db_path}: {exc}")
        return None


def pinning() -> tuple[list[str], list[str], str]:
    """taskset prefixes for the servers and the client, and a note when unpinned."""
    taskset = shutil.which("taskset")
    try:
        cores = os.sched_getaffinity(0)
    except (AttributeError, OSError):
        cores = set()
    if taskset is None:
        return [], [], "taskset not found: servers and h2load run unpinned"
    if not {CLIENT_CORE, int(SERVER_CORE)} <= cores:
        return [], [], f"cores 0 and 1 not both available ({sorted(cores)}): running unpinned"
    # This script drains the listener's stdout; keep that off the servers' core too.
    os.sched_setaffinity(0, {CLIENT_CORE})
    return (
        [taskset, "-c", SERVER_CORE],
        [taskset, "-c", str(CLIENT_CORE)],
        f"servers on core {SERVER_CORE}; h2load and this script on core {CLIENT_CORE}",
    )


def listen_command() -> list[str]:
    exe = Path(sys.executable).with_name("webhook-inspector")
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-m", "webhook_inspector"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a quarter of the requests")
    parser.add_argument(
        "--rss-captures",
        type=int,
        default=0,
        metavar="N",
        help="afterwards, send N more captures to listen (c=16) and report its peak RSS",
    )
    parser.add_argument(
        "--index-compare",
        action="store_true",
        help="also run listen without its search indexer (target noidx), interleaved",
    )
    args = parser.parse_args(argv)

    h2load = shutil.which("h2load")
    if h2load is None:
        print("h2load not found (Debian: apt-get install nghttp2-client)")
        return 1
    server_pin, client_pin, pin_note = pinning()
    scale = 4 if args.quick else 1
    rounds_per_c = 2 if args.quick else ROUNDS
    print(f"bench_listen: {pin_note}")
    print(
        f"body {BODY_SIZE} B JSON, {len(HEADERS)} headers, HTTP/1.1 keep-alive, "
        f"{rounds_per_c} interleaved rounds per c, CLK_TCK={CLK_TCK}"
    )

    with tempfile.TemporaryDirectory(prefix="bench_listen_") as tmp:
        workdir = Path(tmp)
        db_path = workdir / "captures.db"
        bench = Bench(workdir, client_pin, h2load)
        listen = Server(
            "listen",
            [
                *server_pin,
                *listen_command(),
                "listen",
                "--port",
                "0",
                "--db",
                str(db_path),
                "--format",
                "json",
            ],
            workdir,
        )
        bare = Server("bare", [*server_pin, sys.executable, "-c", BARE_SERVER], workdir)
        servers: tuple[Server, ...] = (listen, bare)
        if args.index_compare:
            noidx_db = workdir / "noidx.db"
            argv = [*server_pin, *listen_command(), "listen", "--port", "0", "--db", str(noidx_db)]
            env = {**os.environ, "WEBHOOK_INSPECTOR_NO_INDEX": "1"}
            servers += (Server("noidx", [*argv, "--format", "json"], workdir, env),)
        try:
            return run_all(
                args=args,
                bench=bench,
                servers=servers,
                db_path=db_path,
                scale=scale,
                rounds_per_c=rounds_per_c,
            )
        finally:
            for server in servers:
                server.stop()


def run_all(
    *,
    args: argparse.Namespace,
    bench: Bench,
    servers: tuple[Server, ...],
    db_path: Path,
    scale: int,
    rounds_per_c: int,
) -> int:
    listen, bare = servers[:2]
    for server in servers:
        if not server.wait_ready():
            print(f"{server.name} did not start: {server.stderr_tail() or 'no output'}")
            return 1
        print(f"  {server.name:<6} pid {server.pid} at {server.url}")

    for server in servers:
        rnd = bench.run(server, 16, WARMUP_REQUESTS // scale, keep_log=False)
        bench.warmups.append(rnd)
        print(f"  warm-up {server.name:<6} {rnd.req_per_s:>8.0f} req/s {rnd.problem}")

    rss_by: dict[tuple[str, int], float] = {}
    for concurrency in CONCURRENCIES:
        requests = REQUESTS[concurrency] // scale
        for server in servers:
            server.peak_rss_kb = 0
        for index in range(rounds_per_c):
            for server in servers:
                rnd = bench.run(server, concurrency, requests)
                bench.rounds.append(rnd)
                print(
                    f"  c={concurrency:<2} round {index + 1} {server.name:<6} "
                    f"{rnd.req_per_s:>8.0f} req/s  {rnd.cpu_ticks / CLK_TCK:6.2f} s CPU  "
                    f"{rnd.succeeded} ok {rnd.non_2xx} non-2xx {rnd.problem}"
                )
        for server in servers:
            rss_by[server.name, concurrency] = server.peak_rss_kb / 1024

    for server in servers[1:]:
        server.stop()
    extra: Round | None = None
    rss_before_mb = 0.0
    if args.rss_captures > 0 and listen.alive():
        rss_before_mb = listen.rss_kb() / 1024
        print(f"  rss: sending {args.rss_captures} captures to listen (c=16)...")
        extra = bench.run(listen, 16, args.rss_captures, keep_log=False)
        print(
            f"  rss: {extra.req_per_s:.0f} req/s, {extra.succeeded} ok, "
            f"{extra.non_2xx} non-2xx {extra.problem}"
        )
    printed = listen.lines
    listen_rc = listen.stop()
    captured = count_captures(db_path)

    rows = [
        aggregate(
            [r for r in bench.rounds if r.target == s.name and r.concurrency == c],
            rss_by[s.name, c],
        )
        for c in CONCURRENCIES
        for s in servers
    ]
    listen_runs = [r for r in [*bench.warmups, *bench.rounds] if r.target == "listen"]
    if extra is not None:
        listen_runs.append(extra)
    sent = sum(r.succeeded for r in listen_runs)
    sent_2xx = sum(r.status_2xx for r in listen_runs)

    print()
    print_table(rows)
    print(
        "req/s: median of rounds; spread: (max-min)/median; p50/p99: over every request of "
        "every round; CPU: server utime+stime, all threads; RSS: highest VmRSS sampled"
    )
    print()
    print(
        f"peak RSS (VmHWM at exit): listen {listen.hwm_kb / 1024:.1f} MB, "
        f"bare {bare.hwm_kb / 1024:.1f} MB"
    )
    if extra is not None:
        hwm_mb = listen.hwm_kb / 1024
        verdict = "within" if hwm_mb <= RSS_TARGET_MB else "OVER"
        print(
            f"rss-captures: listen VmRSS {rss_before_mb:.1f} MB before, VmHWM {hwm_mb:.1f} MB "
            f"after {args.rss_captures} more captures ({sent} in all): "
            f"{verdict} the {RSS_TARGET_MB:.0f} MB target"
        )
    problems = [
        r for r in [*bench.warmups, *bench.rounds, *([extra] if extra else [])] if r.problem
    ]
    for rnd in problems:
        print(f"problem: {rnd.target} c={rnd.concurrency}: {rnd.problem}")
    for server in servers:
        tail = server.stderr_tail()
        if tail:
            print(f"{server.name} stderr:\n{tail}")
    if listen_rc not in (0, None):
        print(f"listen exited with {listen_rc}")
    match = "yes" if captured == sent else "NO"
    print(
        f"listen captured {captured} in the store, h2load sent {sent} succeeded "
        f"({sent_2xx} 2xx), {printed} lines printed: captured == sent: {match}"
    )

    by = {(r.target, r.concurrency): r for r in rows}
    for c in CONCURRENCIES:
        lst, bar = by["listen", c], by["bare", c]
        print(
            f"CPU/request listen/bare c={c}: {ratio(lst.cpu_us_per_req, bar.cpu_us_per_req):.2f}× "
            f"({lst.cpu_us_per_req:.1f} vs {bar.cpu_us_per_req:.1f} µs)"
        )
    # The c=16 ratio is the headline and stays the last line.
    if ("noidx", 16) in by:
        for c in CONCURRENCIES:
            lst, off = by["listen", c], by["noidx", c]
            print(
                f"indexer on/off c={c}: {ratio(lst.req_per_s, off.req_per_s):.2f}× req/s, "
                f"noidx/bare {ratio(off.req_per_s, by['bare', c].req_per_s):.2f}×, "
                f"p99 {lst.p99_ms:.2f} vs {off.p99_ms:.2f} ms"
            )
    for c in (1, 64, 16):
        print(
            f"listen/bare c={c}: {ratio(by['listen', c].req_per_s, by['bare', c].req_per_s):.2f}×"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
