#!/usr/bin/env python3
"""What a fresh clone's test build costs: wall time of `cargo test --workspace --no-run` and the
size of `target/` after it, for this checkout's HEAD and, with `--base COMMIT`, for that commit
too, each in a fresh clone with an empty target directory, taken in turn in the same run (so both
figures meet the same machine). Crates already downloaded are reused (`~/.cargo/registry`): the
figure is compiling and linking, not the network. Prints a Markdown section for BENCHMARKS.md.

Usage: python3 bench/build_cost.py [--base COMMIT] [--rounds N]
"""

import argparse
import os
import shutil
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def directory_bytes(path):
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                pass
    return total


def fresh_build(commit, scratch):
    """Clones `commit` into a new folder, builds the tests there; answers (seconds, bytes)."""
    clone = os.path.join(scratch, f"clone-{commit[:12]}")
    shutil.rmtree(clone, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", ROOT, clone], check=True)
    subprocess.run(["git", "-C", clone, "checkout", "-q", commit], check=True)
    started = time.monotonic()
    subprocess.run(
        ["cargo", "test", "--workspace", "--no-run", "-q"],
        cwd=clone,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=3600,
    )
    seconds = time.monotonic() - started
    size = directory_bytes(os.path.join(clone, "target"))
    shutil.rmtree(clone, ignore_errors=True)
    return seconds, size


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", help="a commit to measure beside HEAD")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    head = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
    commits = [("HEAD", head.stdout.strip())]
    if args.base:
        commits.insert(0, (args.base, args.base))
    results = {label: [] for label, _ in commits}
    with tempfile.TemporaryDirectory(prefix="fintwin-build-") as scratch:
        for _ in range(args.rounds):
            for label, commit in commits:
                results[label].append(fresh_build(commit, scratch))
    print("## Test build of a fresh clone\n")
    print(
        "Measured by `bench/build_cost.py`: `cargo test --workspace --no-run` in a fresh clone with an empty "
        "`target/` (downloaded crates reused), and the size of `target/` after it; "
        f"{args.rounds} round(s), commits built in turn in the same run.\n"
    )
    print("| commit | wall time | `target/` |")
    print("|---|---|---|")
    for label, _ in commits:
        seconds = sorted(s for s, _ in results[label])[len(results[label]) // 2]
        size = sorted(b for _, b in results[label])[len(results[label]) // 2]
        print(f"| {label} | {seconds:.0f} s | {size / 1e9:.2f} GB |")
    if args.base:
        (base_s, base_b), (head_s, head_b) = (
            sorted(results[label])[len(results[label]) // 2] for label, _ in commits
        )
        print(f"\nHEAD against {args.base}: **{head_s / base_s:.2f}x** the time, **{head_b / base_b:.2f}x** the size.")
    print()


if __name__ == "__main__":
    main()
