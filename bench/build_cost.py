#!/usr/bin/env python3
"""What a fresh clone's test build costs: wall time of `cargo test --workspace --no-run`, the
size of `target/` after it, and the rebuild after a one-line change in a provider, for this checkout's HEAD and, with `--base COMMIT`, for that commit
too, each in a fresh clone with an empty target directory, taken in turn in the same run (so both
figures meet the same machine). Crates already downloaded are reused (`~/.cargo/registry`): the
figure is compiling and linking, not the network. Prints a Markdown section for BENCHMARKS.md.

Usage: python3 bench/build_cost.py [--base COMMIT] [--rounds N]
"""

import argparse
import os
import shutil
import statistics
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


def timed_test_build(clone):
    started = time.monotonic()
    subprocess.run(
        ["cargo", "test", "--workspace", "--no-run", "-q"],
        cwd=clone,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=3600,
    )
    return time.monotonic() - started


# A one-line change in a provider, as a developer makes between two test runs: everything that
# links the mock server is rebuilt and relinked.
TOUCHED = "mock-server/src/providers/kasisto/mod.rs"


def fresh_build(commit, scratch):
    """Clones `commit` into a new folder, builds the tests there, then again after a one-line
    change in a provider; answers (fresh seconds, bytes, rebuild seconds)."""
    clone = os.path.join(scratch, f"clone-{commit[:12]}")
    shutil.rmtree(clone, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", ROOT, clone], check=True)
    subprocess.run(["git", "-C", clone, "checkout", "-q", commit], check=True)
    seconds = timed_test_build(clone)
    size = directory_bytes(os.path.join(clone, "target"))
    with open(os.path.join(clone, TOUCHED), "a") as source:
        source.write("\n// touched by bench/build_cost.py\n")
    rebuild = timed_test_build(clone)
    shutil.rmtree(clone, ignore_errors=True)
    return seconds, size, rebuild


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
        for round_number in range(args.rounds):
            # Alternate which commit goes first: the first build of a run meets colder caches.
            order = commits if round_number % 2 == 0 else list(reversed(commits))
            for label, commit in order:
                results[label].append(fresh_build(commit, scratch))
    print("## Test build of a fresh clone\n")
    print(
        "Measured by `bench/build_cost.py`: `cargo test --workspace --no-run` in a fresh clone with an empty "
        "`target/` (downloaded crates reused), and the size of `target/` after it; "
        f"{args.rounds} round(s), commits built in turn in the same run (which goes first alternates), medians.\n"
    )
    print(f"| commit | fresh build | `target/` | rebuild after a one-line change in `{TOUCHED}` |")
    print("|---|---|---|---|")
    medians = {}
    for label, _ in commits:
        runs = results[label]
        median = tuple(statistics.median(run[k] for run in runs) for k in range(3))
        medians[label] = median
        print(f"| {label} | {median[0]:.0f} s | {median[1] / 1e9:.2f} GB | {median[2]:.0f} s |")
    if args.base:
        (base_s, base_b, base_r), (head_s, head_b, head_r) = medians[args.base], medians["HEAD"]
        print(
            f"\nHEAD against {args.base}: fresh build **{head_s / base_s:.2f}x** the time, **{head_b / base_b:.2f}x** "
            f"the size; rebuild **{head_r / base_r:.2f}x** the time."
        )
    print()


if __name__ == "__main__":
    main()
