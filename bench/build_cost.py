#!/usr/bin/env python3
"""What a fresh clone's builds cost, against a bare axum 0.8 + tokio project built fresh in the same
run: the release binary a new user's first command builds (`cargo build --release -p mock-server`,
with `--timings`: the slowest units are listed), the test build (`cargo test --workspace
--no-run`), the size of `target/` after each, and the rebuild after a one-line change in a
provider, for this checkout's HEAD and, with `--base COMMIT`, for that commit too, each in a fresh
clone with an empty target directory, taken in turn in the same run (so all figures meet the same
machine). Crates already downloaded are reused (`~/.cargo/registry`): the figure is compiling and
linking, not the network. Prints a Markdown section for BENCHMARKS.md.

Usage: python3 bench/build_cost.py [--base COMMIT] [--rounds N]
"""

import argparse
import json
import os
import re
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


def timed(command, cwd):
    started = time.monotonic()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=3600)
    return time.monotonic() - started


def timed_test_build(clone):
    return timed(["cargo", "test", "--workspace", "--no-run", "-q"], clone)


def slowest_units(clone, count=6):
    """The units that took longest in the last `--timings` build (cargo's report embeds them as
    JSON): [(name, seconds)]."""
    folder = os.path.join(clone, "target", "cargo-timings")
    try:
        page = open(os.path.join(folder, "cargo-timing.html"), encoding="utf-8").read()
        data = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);", page, re.S).group(1))
    except (OSError, AttributeError, ValueError):
        return []
    units = [(f"{u['name']}{' (build script)' if u.get('target', '').strip() == 'build-script' or 'run-custom-build' in u.get('mode', '') else ''}", u["duration"]) for u in data]
    return sorted(units, key=lambda u: -u[1])[:count]


# The baseline: the least a server on this stack costs to build, the same `bare_axum` the throughput
# figures are measured against, alone in a project of its own, on the versions of our lockfile.
BARE_MANIFEST = """[package]
name = "bare-axum-baseline"
version = "0.1.0"
edition = "2021"

[dependencies]
axum = "0.8"
tokio = { version = "1", features = ["rt-multi-thread", "macros", "net"] }
"""


def bare_build(scratch):
    """A fresh release build of the bare axum project: (seconds, bytes of target/)."""
    project = os.path.join(scratch, "bare-axum")
    shutil.rmtree(project, ignore_errors=True)
    os.makedirs(os.path.join(project, "src"))
    with open(os.path.join(project, "Cargo.toml"), "w") as manifest:
        manifest.write(BARE_MANIFEST)
    shutil.copy(os.path.join(ROOT, "bench", "src", "bin", "bare_axum.rs"), os.path.join(project, "src", "main.rs"))
    # bare_axum.rs reads `../../accounts.json`, relative to its source: the scratch folder here.
    shutil.copy(os.path.join(ROOT, "bench", "accounts.json"), os.path.join(scratch, "accounts.json"))
    shutil.copy(os.path.join(ROOT, "Cargo.lock"), os.path.join(project, "Cargo.lock"))
    seconds = timed(["cargo", "build", "--release", "-q"], project)
    size = directory_bytes(os.path.join(project, "target"))
    shutil.rmtree(project, ignore_errors=True)
    return seconds, size


# A one-line change in a provider, as a developer makes between two test runs: everything that
# links the mock server is rebuilt and relinked.
TOUCHED = "mock-server/src/providers/kasisto/mod.rs"


def clone_of(commit, scratch):
    clone = os.path.join(scratch, f"clone-{commit[:12]}")
    shutil.rmtree(clone, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", ROOT, clone], check=True)
    subprocess.run(["git", "-C", clone, "checkout", "-q", commit], check=True)
    return clone


def fresh_build(commit, scratch):
    """Clones `commit` into a new folder and builds the release binary there (with `--timings`);
    clones it again and builds the tests, then again after a one-line change in a provider.
    Answers (test seconds, test bytes, rebuild seconds, release seconds, release bytes, slowest)."""
    clone = clone_of(commit, scratch)
    release = timed(["cargo", "build", "--release", "-q", "-p", "mock-server", "--timings"], clone)
    release_size = directory_bytes(os.path.join(clone, "target"))
    slowest = slowest_units(clone)
    shutil.rmtree(clone, ignore_errors=True)
    clone = clone_of(commit, scratch)
    seconds = timed_test_build(clone)
    size = directory_bytes(os.path.join(clone, "target"))
    with open(os.path.join(clone, TOUCHED), "a") as source:
        source.write("\n// touched by bench/build_cost.py\n")
    rebuild = timed_test_build(clone)
    shutil.rmtree(clone, ignore_errors=True)
    return seconds, size, rebuild, release, release_size, slowest


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
    bare = []
    with tempfile.TemporaryDirectory(prefix="fintwin-build-") as scratch:
        for round_number in range(args.rounds):
            # Alternate which goes first: the first build of a run meets colder caches.
            order = [("bare", None)] + commits
            if round_number % 2:
                order.reverse()
            for label, commit in order:
                if commit is None:
                    bare.append(bare_build(scratch))
                else:
                    results[label].append(fresh_build(commit, scratch))
    bare_s = statistics.median(b[0] for b in bare)
    bare_b = statistics.median(b[1] for b in bare)
    print("## Builds of a fresh clone\n")
    print(
        "Measured by `bench/build_cost.py` in fresh clones with an empty `target/` (downloaded crates reused), "
        f"{args.rounds} round(s), everything built in turn in the same run (which goes first alternates), medians. "
        f"Baseline: a bare axum 0.8 + tokio project (the throughput baseline's server alone, on our lockfile's "
        f"versions), `cargo build --release` fresh: **{bare_s:.0f} s**, `target/` {bare_b / 1e9:.2f} GB.\n"
    )
    print("| commit | `cargo build --release -p mock-server` (the README's first command) | vs baseline | goal | `target/` | vs baseline |")
    print("|---|---|---|---|---|---|")
    for label, _ in commits:
        runs = results[label]
        release = statistics.median(run[3] for run in runs)
        release_b = statistics.median(run[4] for run in runs)
        print(f"| {label} | {release:.0f} s | **{release / bare_s:.1f}x** | ≤ 4x | {release_b / 1e9:.2f} GB | {release_b / bare_b:.1f}x |")
    slowest = results["HEAD"][-1][5]
    if slowest:
        print("\nThe slowest units of HEAD's release build (`--timings`, last round; units overlap on two cores): "
              + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in slowest) + ".")
    print(f"\n| commit | `cargo test --workspace --no-run` | vs baseline | `target/` | vs baseline | rebuild after a one-line change in `{TOUCHED}` |")
    print("|---|---|---|---|---|---|")
    medians = {}
    for label, _ in commits:
        runs = results[label]
        median = tuple(statistics.median(run[k] for run in runs) for k in range(3))
        medians[label] = median
        print(f"| {label} | {median[0]:.0f} s | {median[0] / bare_s:.1f}x | {median[1] / 1e9:.2f} GB | {median[1] / bare_b:.1f}x | {median[2]:.0f} s |")
    if args.base:
        (base_s, base_b, base_r), (head_s, head_b, head_r) = medians[args.base], medians["HEAD"]
        print(
            f"\nHEAD against {args.base}: fresh build **{head_s / base_s:.2f}x** the time, **{head_b / base_b:.2f}x** "
            f"the size; rebuild **{head_r / base_r:.2f}x** the time."
        )
    print()


if __name__ == "__main__":
    main()
