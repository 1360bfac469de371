"""Time ``decide org fetch`` over local bare repositories, and measure merging an organisation's memos in memory.

1. N bare repositories (file:// URLs, filters allowed as on GitHub), M memos in all, each with
   other files beside its log. Baseline: a hand-made script's way, a plain ``git clone`` of every
   repository with the same number at once. Then ``decide org fetch`` (a whole process), then again
   after one repository changed: the incremental run must cost a small fraction of the full one.
2. Merging K memos (the fetched copies of N repositories) in memory: peak memory and time of
   ``load_org``, against loading the same memos with ``load_log`` alone, each in a fresh process.

python bench/org.py [--repos 200] [--memos 10000] [--merge-memos 100000] [--jobs 8] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from generate import as_users_run, init_git, write_log

DECIDE = [sys.executable, "-m", "decide"]


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def make_repos(base: Path, repos: int, memos: int) -> list[Path]:
    """``repos`` bare repositories with ``memos`` memos in all, and source files the log does not need."""
    bares = []
    for n in range(repos):
        work = base / "work" / f"team-{n:03d}"
        write_log(work, memos // repos + (1 if n < memos % repos else 0), seed=n)
        (work / "src").mkdir()
        for k in range(20):
            (work / "src" / f"module_{k}.py").write_text(
                f"# module {k} of team {n}\n" + "x = 1\n" * 2000, encoding="utf-8"
            )
        init_git(work)
        bare = base / "remotes" / f"team-{n:03d}.git"
        bare.parent.mkdir(parents=True, exist_ok=True)
        git(base, "clone", "-q", "--bare", str(work), str(bare))
        git(bare, "config", "uploadpack.allowFilter", "true")
        bares.append(bare)
    return bares


def make_aggregator(base: Path, bares: list[Path]) -> Path:
    agg = base / "aggregator"
    agg.mkdir()
    manifest = "".join(f'[[repo]]\nname = "{b.stem}"\nurl = "{b.as_uri()}"\n\n' for b in bares)
    (agg / "decide-org.toml").write_text(manifest, encoding="utf-8")
    init_git(agg)
    return agg


def plain_clones(base: Path, bares: list[Path], jobs: int) -> float:
    """The baseline: clone every repository whole, ``jobs`` at a time (what a hand-made aggregation script does)."""
    into = base / "plain"
    into.mkdir()
    start = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(lambda b: git(into, "clone", "-q", b.as_uri(), b.stem), bares))
    return time.perf_counter() - start


def org_fetch(agg: Path, jobs: int) -> tuple[float, int, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [*DECIDE, "-C", str(agg), "org", "fetch", "--jobs", str(jobs)], capture_output=True, text=True, check=False
    )
    return time.perf_counter() - start, done.returncode, done.stderr.strip().splitlines()[-1] if done.stderr else ""


def change_one(base: Path, bare: Path) -> None:
    """One team adds a memo and pushes."""
    work = base / "work" / bare.stem
    write_log(work, 1, seed=10_000)  # one more memo (a new random ID)
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "one more")
    git(work, "push", "-q", str(bare), "HEAD:main")


def make_copies(agg: Path, repos: int, memos: int, *, kept: bool) -> None:
    """Last good copies as decide org fetch leaves them, written directly (no git): for the merge in memory.

    ``kept``: with the validated memos kept beside each copy, as fetch leaves them; else only the files.
    """
    from decide.config import Config
    from decide.decisions import load_log
    from decide.org.store import STATE_VERSION, Copy, store_path, write_memos

    logs = store_path(agg) / "logs"
    manifest = []
    for n in range(repos):
        name, snapshot = f"team-{n:03d}", f"logs/team-{n:03d}@bench"
        count = memos // repos + (1 if n < memos % repos else 0)
        write_log(logs / f"team-{n:03d}@bench", count, seed=n)
        if kept:
            write_memos(logs / f"team-{n:03d}@bench", load_log(Config(logs / f"team-{n:03d}@bench")).memos)
        copy = Copy(
            name,
            f"file:///bench/{name}.git",
            "",
            "",
            "0" * 40,
            "decisions",
            "2026-01-01T00:00:00+00:00",
            count,
            snapshot,
        )
        state = {"version": STATE_VERSION, **copy.__dict__}
        (agg / ".decide-org" / "state" / f"{name}.json").write_text(json.dumps(state), encoding="utf-8")
        manifest.append(f'[[repo]]\nname = "{name}"\nurl = "file:///bench/{name}.git"\n')
    (agg / "decide-org.toml").write_text("\n".join(manifest), encoding="utf-8")


_MEASURE = """
import resource, sys, time
from pathlib import Path
from decide.org.manifest import load_manifest
from decide.org.merge import load_org, open_repo
from decide.decisions import load_log
agg = Path(sys.argv[1])
manifest = load_manifest(agg)
start = time.perf_counter()
if sys.argv[2] == "merge":
    index = load_org(manifest)
    count = len(index.entries)
else:
    logs = [load_log(open_repo(agg, s).config).memos for s in manifest.sources]
    count = sum(len(memos) for memos in logs)
seconds = time.perf_counter() - start
print(count, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def measure(agg: Path, what: str) -> tuple[int, float, float]:
    """Memos, seconds and peak memory (MB) of loading the copies in a fresh process: ``merge`` (load_org) or ``load`` only."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(agg), what], capture_output=True, text=True, check=True)
    count, seconds, peak_kb = out.stdout.split()
    return int(count), float(seconds), int(peak_kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=200)
    parser.add_argument("--memos", type=int, default=10_000)
    parser.add_argument("--merge-memos", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--keep", type=Path, help="build everything here and keep it")
    args = parser.parse_args()
    as_users_run()
    base = args.keep or Path(tempfile.mkdtemp(prefix="decide-bench-org-"))
    os.environ.update({"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "gc.auto", "GIT_CONFIG_VALUE_0": "0"})
    bares = make_repos(base, args.repos, args.memos)
    agg = make_aggregator(base, bares)
    plain = plain_clones(base, bares, args.jobs)
    full, code, summary = org_fetch(agg, args.jobs)
    print(f"{args.repos} repositories, {args.memos} memos, {args.jobs} at a time")
    print(f"plain git clone of each (baseline)  {plain:7.2f} s")
    print(
        f"decide org fetch, first run         {full:7.2f} s  {full / plain:.2f}x the baseline  (exit {code}: {summary})"
    )
    change_one(base, bares[len(bares) // 2])
    incremental, code, summary = org_fetch(agg, args.jobs)
    print(
        f"decide org fetch, one repo changed  {incremental:7.2f} s  {incremental / full:.2f}x the first run  (exit {code}: {summary})"
    )
    merge_root = base / "merge"
    merge_root.mkdir()
    make_copies(merge_root, args.repos, args.merge_memos, kept=True)
    loaded, load_s, load_mb = measure(merge_root, "load")
    print(f"load_log of {loaded} memos' files (baseline)   {load_s:7.2f} s  {load_mb:6.0f} MB peak")
    merged, merge_s, merge_mb = measure(merge_root, "merge")
    print(
        f"load_org, {merged} memos as fetch kept them  {merge_s:7.2f} s  {merge_mb:6.0f} MB peak  ({merge_s / load_s:.2f}x the time, {merge_mb / load_mb:.2f}x the memory)"
    )
    for snapshot in (merge_root / ".decide-org" / "logs").iterdir():
        (snapshot / ".decide-org-memos.json").unlink()
    merged, merge_s, merge_mb = measure(merge_root, "merge")
    print(
        f"load_org, {merged} memos from their files    {merge_s:7.2f} s  {merge_mb:6.0f} MB peak  ({merge_s / load_s:.2f}x the time, {merge_mb / load_mb:.2f}x the memory)"
    )
    if not args.keep:
        shutil.rmtree(base)


if __name__ == "__main__":
    main()
