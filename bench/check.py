"""Time `decide check` on a 10,000-memo log, against `decide validate` of the changed files and process start.

The branch adds 5 memos (one supersedes an old one) and edits 2 (review_by, allowed on decided
memos). Each command runs as a whole process, several times; the medians are compared in the
same run. decide check keeps nothing between runs, so each run costs what it costs on a fresh
CI clone.

python bench/check.py [--count 10000] [--runs 7] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import as_users_run, init_git, make_drafts, write_log

from decide.draft import Draft, render_draft
from decide.ids import filename, id_from_filename, new_id

DECIDE = [sys.executable, "-m", "decide"]


def make_branch(root: Path, paths: list[Path]) -> list[Path]:
    """Branch ``feature``: 5 new memos and 2 edited ones; returns the changed files."""
    git(root, "checkout", "-q", "-b", "feature")
    taken = {id_from_filename(p.name) for p in paths}
    changed = []
    for n, (_old_id, draft) in enumerate(make_drafts(5, seed=99)):
        memo_id = new_id(taken)
        supersedes = (id_from_filename(paths[-1].name) or "",) if n == 0 else ()
        fresh = Draft(**{**draft.__dict__, "status": "decided", "decided_on": draft.date, "supersedes": supersedes})
        path = root / "decisions" / filename(memo_id, fresh.title)
        path.write_text(render_draft(fresh, memo_id), encoding="utf-8")
        changed.append(path)
    edited = [p for p in paths if "status: decided" in p.read_text(encoding="utf-8")][:2]
    for path in edited:
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^review_by: (\d{4})", r"review_by: 2099", text, count=1, flags=re.M), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "feature")
    return changed + edited


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True)


def timed(commands: dict[str, list[str]], root: Path, runs: int) -> dict[str, tuple[float, int]]:
    """Median wall time of ``runs`` whole-process runs of each command, and its last exit code.

    The commands take turns, so a slower or faster spell of the machine falls on all of them alike.
    """
    times: dict[str, list[float]] = {name: [] for name in commands}
    codes = dict.fromkeys(commands, 0)
    for _ in range(runs):
        for name, command in commands.items():
            start = time.perf_counter()
            codes[name] = subprocess.run(command, cwd=root, capture_output=True, check=False).returncode
            times[name].append(time.perf_counter() - start)
    return {name: (statistics.median(times[name]), codes[name]) for name in commands}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    args = parser.parse_args()
    as_users_run()
    root = args.keep or Path(tempfile.mkdtemp(prefix="decide-bench-check-"))
    # No automatic gc in the background (it would run during the timings); one explicit gc below.
    os.environ.update({"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "gc.auto", "GIT_CONFIG_VALUE_0": "0"})
    paths = write_log(root, args.count)
    init_git(root)
    git(root, "gc", "-q")  # a clone's objects are packed
    changed = make_branch(root, paths)
    subprocess.run([*DECIDE, "check", "--base", "main"], cwd=root, capture_output=True, check=False)  # warm up
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "decide validate <7 changed>": [*DECIDE, "validate", *map(str, changed)],
        "decide check": [*DECIDE, "check", "--base", "main"],
    }
    results = timed(commands, root, args.runs)
    for name, (seconds, code) in results.items():
        print(f"{name:<32} {seconds * 1000:7.0f} ms  (exit {code})")
    start, validate = results["python -c pass"][0], results["decide validate <7 changed>"][0]
    check = results["decide check"][0]
    print(
        f"decide check: {check / validate:.2f}x validate; {(check - start) / (validate - start):.2f}x validate without process start"
    )
    if not args.keep:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
