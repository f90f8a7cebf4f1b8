"""Cost of verify() per scheme on a 2 KB body, against a bare hmac.compare_digest baseline.

Run as `.venv/bin/python benchmarks/bench_signing.py [--quick]`. Verification will run on
the capture path (verify on arrival), so what matters is the time per call and the ratio to
the bare HMAC a hand-written check would cost. Valid and invalid requests are timed: an
invalid one also runs the hint checks. Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from webhook_inspector.core.signing import SCHEMES, Message, sign, verify

NOW = 1_795_000_000
BODY = (b'{"event":"ping","data":' + b'"' + b"x" * 2000 + b'"}')[:2048]
URL = "https://hooks.example.com/in"


def per_call_us(fn, calls: int, rounds: int) -> float:
    """The median over rounds of the mean time per call, in microseconds."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        samples.append((time.perf_counter() - start) / calls * 1e6)
    return statistics.median(samples)


def main() -> None:
    """Print one row per scheme and a summary line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    calls, rounds = (200, 3) if args.quick else (1000, 5)

    secret = b"baseline-secret"
    expected = hmac.new(secret, BODY, hashlib.sha256).hexdigest()

    def bare() -> bool:
        return hmac.compare_digest(hmac.new(secret, BODY, hashlib.sha256).hexdigest(), expected)

    baseline = per_call_us(bare, calls, rounds)
    print(f"baseline: bare HMAC-SHA256 + compare_digest on {len(BODY)} B: {baseline:.1f} µs")
    print(f"{'scheme':22} {'valid µs':>9} {'ratio':>6} {'invalid µs':>11} {'ratio':>6}")
    ratios = []
    for scheme in SCHEMES.values():
        private, public = scheme.key.generate()
        message = sign(scheme, Message("POST", URL, (), BODY), private, timestamp=NOW).message
        wrong = scheme.key.generate()[1]
        valid = per_call_us(lambda m=message, s=scheme, k=public: verify(s, m, k, now=NOW),
                            calls, rounds)  # fmt: skip
        invalid = per_call_us(lambda m=message, s=scheme, k=wrong: verify(s, m, k, now=NOW),
                              max(calls // 5, 20), rounds)  # fmt: skip
        ratios.append(valid / baseline)
        print(f"{scheme.id:22} {valid:9.1f} {valid / baseline:6.1f} {invalid:11.1f} "
              f"{invalid / baseline:6.1f}")  # fmt: skip
    spread = f"{min(ratios):.1f}–{max(ratios):.1f}×"
    median = statistics.median(ratios)
    print(f"summary: verify() of a valid {len(BODY)} B request costs {spread} a bare HMAC check "
          f"(median {median:.1f}×, baseline {baseline:.1f} µs)")  # fmt: skip


if __name__ == "__main__":
    main()
