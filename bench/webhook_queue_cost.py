#!/usr/bin/env python3
"""What a growing webhook queue costs with --state-dir (issue 22, row 13): Particeep user creations
each queue a `user_created` delivery to a receiver that refuses every connection, so the queue
grows by one per create. Rates per stretch of creations, in memory (the baseline of the same run)
and with a state directory.

Usage: cargo build --release -p mock-server && python3 bench/webhook_queue_cost.py [TOTAL] [EVERY] [BINARY]
"""
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import durable_cost  # noqa: E402  (the signer and the binary's path)

import http.client  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402


def run(binary, extra, total, every):
    mock = subprocess.Popen([binary, "--bind", "127.0.0.1:0", *extra], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        host = mock.stdout.readline().split()[-1].split("//")[1]
        connection = http.client.HTTPConnection(host, timeout=30)
        # Port 9 on loopback: nothing listens, every attempt is refused and retried later.
        hook = json.dumps({"name": "user_created", "url": "http://127.0.0.1:9/hook"})
        connection.request("PUT", "/particeep/v1/webhook", hook, durable_cost.headers())
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"webhook registration: {response.status}")
        rates, started = [], time.perf_counter()
        for i in range(total):
            body = json.dumps({"email": f"u{i}@example.org", "password": "x"})
            connection.request("PUT", "/particeep/v1/user", body, durable_cost.headers())
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"create {i}: {response.status}")
            if (i + 1) % every == 0:
                now = time.perf_counter()
                rates.append(every / (now - started))
                started = now
        return rates
    finally:
        mock.kill()
        mock.wait()


def main():
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    every = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    binary = sys.argv[3] if len(sys.argv) > 3 else durable_cost.BINARY
    print("| deliveries already queued | " + " | ".join(str(n) for n in range(0, total, every)) + " |")
    print("|---" * (total // every + 1) + "|")
    for label, on_disk in [("in memory", False), ("--state-dir on disk", True)]:
        folder = tempfile.mkdtemp(prefix="fintwin-queue-") if on_disk else None
        try:
            rates = run(binary, ["--state-dir", folder] if folder else [], total, every)
        finally:
            if folder:
                shutil.rmtree(folder, ignore_errors=True)
        print(f"| {label} (creates/s) | " + " | ".join(f"{rate:,.0f}" for rate in rates) + " |")


if __name__ == "__main__":
    main()
