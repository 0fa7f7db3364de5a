#!/usr/bin/env python3
"""What --state-dir costs: sequential Particeep user creations against the release binary, in
memory, with a state directory on disk, and with one on tmpfs (where fsync is nearly free), at
growing state sizes. Each change is saved before its answer and rewrites its provider's whole
state, so the rate falls as the state grows.

Usage: cargo build --release -p mock-server && python3 bench/durable_cost.py [TOTAL] [EVERY]
"""
import base64
import datetime
import hashlib
import hmac
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "mock-server")
# Particeep's demo consumer (README, design.md).
KEY = "d6a53e1a-fc8e-4251-9dda-fabbce5f2a2c"
SECRET = "9bb3c122-0272-4bed-a632-19d5d52c7b5e"


def headers():
    date_time = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    digest = hmac.new(SECRET.encode(), (SECRET + KEY + date_time).encode(), hashlib.sha1).hexdigest()
    signature = base64.b64encode(digest.encode()).decode()
    return {"DateTime": date_time, "Authorization": f"PTP:{KEY}:{signature}", "content-type": "application/json"}


def run(extra, total, every, binary=BINARY, before=None):
    """Creation rates per `every` users; `before(connection)` runs first (bench/webhook_queue_cost.py)."""
    mock = subprocess.Popen([binary, "--bind", "127.0.0.1:0", *extra], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        host = mock.stdout.readline().split()[-1].split("//")[1]
        connection = http.client.HTTPConnection(host, timeout=30)
        if before:
            before(connection)
        rates, started = [], time.perf_counter()
        for i in range(total):
            body = json.dumps({"email": f"u{i}@example.org", "password": "x"})
            connection.request("PUT", "/particeep/v1/user", body, headers())
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


def table(heading, runs, total, every, binary=BINARY, before=None):
    """Prints the rates of each run (`(label, parent folder of a state dir or None)`) as a table."""
    print(f"| {heading} | " + " | ".join(str(n) for n in range(0, total, every)) + " |")
    print("|---" * (total // every + 1) + "|")
    for label, parent in runs:
        folder = tempfile.mkdtemp(prefix="fintwin-durable-", dir=parent) if parent else None
        try:
            rates = run(["--state-dir", folder] if folder else [], total, every, binary, before)
        finally:
            if folder:
                shutil.rmtree(folder, ignore_errors=True)
        print(f"| {label} (creates/s) | " + " | ".join(f"{rate:,.0f}" for rate in rates) + " |")


def main():
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    every = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    runs = [("in memory", None), ("--state-dir on disk", tempfile.gettempdir())]
    if os.path.isdir("/dev/shm"):
        runs.append(("--state-dir on tmpfs", "/dev/shm"))
    table("users already created", runs, total, every)


if __name__ == "__main__":
    main()
