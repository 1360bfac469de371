"""Time accept, due and stats on a generated log, against loading the log (what `decide list` does) in the same run.

python bench/lifecycle.py --count 10000
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from generate import init_git, write_log

from decide.config import load_config
from decide.decisions import load_log
from decide.due import find_due
from decide.git import first_added
from decide.index import build_index
from decide.lifecycle import accept
from decide.stats import compute_stats, gather_stats

TODAY = "2026-01-01"


def best(run: Callable[[], object], repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def per_file_log(root: Path, paths: list[Path]) -> float:
    """Seconds for one ``git log`` per file over ``paths`` (the slow way first-commit dates could be found)."""
    start = time.perf_counter()
    for path in paths:
        subprocess.run(
            ["git", "log", "--diff-filter=A", "--format=%as", "--", str(path)],
            cwd=root,
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = write_log(root, args.count)
        init_git(root)
        config = load_config(root)
        limits = {"proposal_age_limit": config.proposal_age_limit, "dri_load_limit": config.dri_load_limit}
        entries = build_index(load_log(config).memos)
        proposed = iter([e.id for e in entries if e.status == "proposed"])
        baseline = best(lambda: build_index(load_log(config).memos))
        rows = [
            ("load the log + index (baseline, = decide list)", baseline),
            ("accept one memo (load, check, edit, write)", best(lambda: accept(config, next(proposed), TODAY))),
            ("find_due on the loaded index", best(lambda: find_due(entries, TODAY, **limits))),
            ("due (load + find_due)", best(lambda: find_due(build_index(load_log(config).memos), TODAY, **limits))),
            ("compute_stats on the loaded index", best(lambda: compute_stats(entries, "", TODAY))),
            ("first-commit dates, one git log pass", best(lambda: first_added(config.decisions_dir))),
            ("stats (load + figures + git pass)", best(lambda: gather_stats(config, "", TODAY))),
        ]
        sample = paths[:20]
        per_file = per_file_log(root, sample) * len(paths) / len(sample)
        rows.append((f"first-commit dates, one git log per file (20 timed, x{len(paths) // len(sample)})", per_file))
    print(f"{args.count} memos; best of 3; ratio to the baseline")
    for name, seconds in rows:
        print(f"  {name:<68} {seconds * 1000:9.1f} ms  {seconds / baseline:6.2f}x")


if __name__ == "__main__":
    main()
