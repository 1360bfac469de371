"""Time ``decide import`` of N adr-tools records as a whole process, against baselines measured in the same run.

python bench/import_adr.py [--count 1000] [--repeat 3]

Baselines: ``python -c pass`` (process start) and a bare script that reads the N files (the floor
for any tool that looks at every record). The records live in a git repository, as ADR folders do,
so the import asks git once for the date and author of every file.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import PARAGRAPH, TOPICS, VERBS

TARGET_SECONDS = 5.0


def write_adr_tools(folder: Path, count: int, seed: int = 7) -> None:
    """``count`` adr-tools records; every 20th supersedes the one before it (both sides linked, as adr-tools does)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    names = []
    for n in range(1, count + 1):
        title = f"{rng.choice(VERBS)} {rng.choice(TOPICS)} plan {n}"
        names.append((f"{n:04d}-{title.lower().replace(' ', '-')}.md", title))
    for n, (name, title) in enumerate(names, start=1):
        status = "Accepted"
        if n % 20 == 19:
            status = f"Superseded by [{n + 1}. {names[n][1]}]({names[n][0]})"
        elif n % 20 == 0:
            status = f"Accepted\n\nSupersedes [{n - 1}. {names[n - 2][1]}]({names[n - 2][0]})"
        elif n % 7 == 0:
            status = "Proposed"
        date = f"{rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        context = PARAGRAPH * rng.randint(3, 8)
        (folder / name).write_text(
            f"# {n}. {title}\n\nDate: {date}\n\n## Status\n\n{status}\n\n## Context\n\n{context}\n\n"
            f"## Decision\n\nWe {title.lower()}.\n\n## Consequences\n\nSee the plan.\n",
            encoding="utf-8",
        )


def init_repo(root: Path) -> None:
    for args in (
        ["init", "-q", "-b", "main"],
        ["config", "user.name", "Ana Ruiz"],
        ["config", "user.email", "ana@example.com"],
        ["config", "commit.gpgsign", "false"],
        ["add", "-A"],
        ["commit", "-q", "-m", "ADRs"],
    ):
        subprocess.run(["git", *args], cwd=root, check=True)


def timed(command: list[str], cwd: Path, *, reset: Path | None = None, repeat: int = 3) -> tuple[float, int]:
    """Median wall time of ``repeat`` runs and the last exit code; ``reset`` is emptied before each run."""
    times, code = [], 0
    for _ in range(repeat):
        if reset is not None:
            shutil.rmtree(reset, ignore_errors=True)
            reset.mkdir()
        start = time.perf_counter()
        code = subprocess.run(command, cwd=cwd, capture_output=True, check=False).returncode
        times.append(time.perf_counter() - start)
    return statistics.median(times), code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        adr = root / "doc" / "adr"
        write_adr_tools(adr, args.count)
        init_repo(root)
        decisions = root / "decisions"
        python = sys.executable
        start, _ = timed([python, "-c", "pass"], root, repeat=args.repeat)
        floor_script = "import pathlib\nfor p in sorted(pathlib.Path('doc/adr').glob('*.md')): p.read_bytes()"
        floor, _ = timed([python, "-c", floor_script], root, repeat=args.repeat)
        command = [python, "-m", "decide", "import", "doc/adr"]
        first, code = timed(command, root, reset=decisions, repeat=args.repeat)
        written = len(list(decisions.glob("*.md")))
        again, again_code = timed(command, root, repeat=args.repeat)
    print(f"records: {args.count} adr-tools files, {written} memos written (exit {code}); median of {args.repeat}")
    print(f"python -c pass:        {start:.3f} s")
    print(f"floor (read files):    {floor:.3f} s")
    print(f"decide import:         {first:.3f} s  ({first / floor:.1f}x the floor; target <= {TARGET_SECONDS:.0f} s)")
    print(f"decide import, again:  {again:.3f} s  (all already imported, exit {again_code})")
    if first > TARGET_SECONDS:
        sys.exit(1)


if __name__ == "__main__":
    main()
