#!/usr/bin/env python3
"""What a growing webhook queue costs with --state-dir (issue 22, row 13): Particeep user creations
each queue a `user_created` delivery to a receiver that refuses every connection, so the queue
grows by one per create. Rates per stretch of creations, in memory (the baseline of the same run)
and with a state directory.

Usage: cargo build --release -p mock-server && python3 bench/webhook_queue_cost.py [TOTAL] [EVERY] [BINARY]
"""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import durable_cost  # noqa: E402  (the signer, the binary's path and the creation loop)


def register_black_hole(connection):
    """A `user_created` webhook to port 9 on loopback: nothing listens, every attempt is refused."""
    hook = json.dumps({"name": "user_created", "url": "http://127.0.0.1:9/hook"})
    connection.request("PUT", "/particeep/v1/webhook", hook, durable_cost.headers())
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"webhook registration: {response.status}")


def main():
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    every = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    binary = sys.argv[3] if len(sys.argv) > 3 else durable_cost.BINARY
    runs = [("in memory", None), ("--state-dir on disk", tempfile.gettempdir())]
    durable_cost.table("deliveries already queued", runs, total, every, binary, register_black_hole)


if __name__ == "__main__":
    main()
