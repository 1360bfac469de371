"""Time ``decide import`` of N records of each ADR format against the time to read and parse them, in the same run.

python bench/import_adr.py [--count 10000] [--repeat 3] [--formats adr-tools,madr2,madr4,log4brains]

For each format, N records are written into ``doc/adr`` of a git repository (as ADR folders are) and
committed. The floor is a bare Python process that reads every record and parses it: the
front-matter with PyYAML's C loader where there is one, the lines otherwise (what any tool that
looks at every record must do). ``decide import`` runs as a whole process into an empty
decisions folder; the ratio of the medians of wall time is the figure (target: at most 5x). CPU
time is printed too (steadier on a busy machine), and the dry run, which writes nothing (creating
10,000 files costs what the disk makes it cost). The report's size
is printed with the number of records that need a human: it must grow with those, not with the log.
Records share dates (N records over one year), one in 50 names a meeting as decider, every 20th
supersedes the one before it, and every 10th links to another record.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from generate import PARAGRAPH, TOPICS, VERBS, as_users_run

TARGET_RATIO = 5.0
FORMATS = ("adr-tools", "madr2", "madr4", "log4brains")
FLOOR = """\
import pathlib, re, sys, yaml
field = re.compile(r"^\\s*(?:[*-]\\s+)?(\\w+)\\s*:\\s*(.*)$")
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.md")):
    text = path.read_bytes().decode("utf-8")
    if text.startswith("---"):
        end = text.index("\\n---", 3)
        yaml.load(text[4:end], Loader=yaml.CSafeLoader)
    [field.match(line) for line in text.splitlines()]
"""


def record(fmt: str, n: int, names: list[str], rng: random.Random) -> str:
    """The text of record ``n`` (1-based) in ``fmt``; ``names`` are all the file names, for links."""
    title = names[n - 1].split("-", 1)[1].removesuffix(".md").replace("-", " ").capitalize()
    date = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    status = "accepted" if n % 7 else "proposed"
    later = f"[{n + 1}]({names[n]})" if n % 20 == 19 and n < len(names) else ""
    if later:
        status = f"superseded by {later}"
    decider = "Architecture Meeting" if n % 50 == 0 else rng.choice(("Ana Ruiz", "Bo Sand", "Chen Lind"))
    link = f" See [the earlier record]({names[n // 2]})." if n % 10 == 0 else ""
    body = f"## Context\n\n{PARAGRAPH * rng.randint(3, 8)}{link}\n\n## Decision\n\nWe {title.lower()}.\n"
    if fmt == "adr-tools":
        return f"# {n}. {title}\n\nDate: {date}\n\n## Status\n\n{status.capitalize()}\n\n{body}"
    if fmt == "madr4":
        quoted = status.replace('"', "'")
        return f'---\nstatus: "{quoted}"\ndate: {date}\ndecision-makers: [{decider}]\nnav_order: {n}\n---\n\n# {title}\n\n{body}'
    return f"# {title}\n\n* Status: {status}\n* Deciders: {decider}\n* Date: {date}\n\n{body}"


def write_log(root: Path, fmt: str, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    folder = root / "doc" / "adr"
    folder.mkdir(parents=True)
    names = []
    for n in range(1, count + 1):
        slug = f"{rng.choice(VERBS)}-{rng.choice(TOPICS)}-plan-{n}".lower().replace(" ", "-")
        prefix = f"2024{(n % 12) + 1:02d}{(n % 28) + 1:02d}" if fmt == "log4brains" else f"{n:04d}"
        names.append(f"{prefix}-{slug}.md")
    for n, name in enumerate(names, start=1):
        (folder / name).write_text(record(fmt, n, names, rng), encoding="utf-8")
    for args in (
        ["init", "-q", "-b", "main"],
        ["config", "user.name", "Ana Ruiz"],
        ["config", "user.email", "ana@example.com"],
        ["config", "commit.gpgsign", "false"],
        ["add", "-A"],
        ["commit", "-q", "-m", "ADRs"],
    ):
        subprocess.run(["git", *args], cwd=root, check=True)


@dataclass(frozen=True)
class Timing:
    """Medians of wall and CPU (user + system) time of a whole process, its last stdout and exit code."""

    wall: float
    cpu: float
    out: bytes
    code: int


def timed(command: list[str], cwd: Path, *, reset: Path | None = None, repeat: int = 3) -> Timing:
    """``repeat`` runs of ``command``; ``reset`` is emptied before each. CPU time is steadier on a busy machine."""
    walls, cpus, out, code = [], [], b"", 0
    for _ in range(repeat):
        if reset is not None:
            shutil.rmtree(reset, ignore_errors=True)
            reset.mkdir()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, capture_output=True, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        out, code = done.stdout, done.returncode
    return Timing(statistics.median(walls), statistics.median(cpus), out, code)


def measure(fmt: str, count: int, repeat: int) -> float:
    """Print one format's figures; the ratio of the import to the floor."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        write_log(root, fmt, count)
        decisions = root / "decisions"
        python = sys.executable
        floor = timed([python, "-c", FLOOR, "doc/adr"], root, repeat=repeat)
        command = [python, "-m", "decide", "import", "doc/adr"]
        dry = timed([*command, "--dry-run"], root, reset=decisions, repeat=repeat)
        first = timed(command, root, reset=decisions, repeat=repeat)
        written = len(list(decisions.glob("*.md")))
        needing = sum(1 for p in decisions.glob("*.md") if "\nneeds_human:" in p.read_text(encoding="utf-8"))
        again = timed(command, root, repeat=repeat)
    print(f"{fmt}: {count} records, {written} memos written (exit {first.code}), {needing} need a human")
    print(f"  floor (read and parse): {floor.wall:7.3f} s wall  {floor.cpu:7.3f} s CPU")
    for label, run in (("decide import", first), ("  --dry-run", dry), ("  again", again)):
        ratio = f"{run.wall / floor.wall:5.1f}x  {run.cpu / floor.cpu:5.1f}x CPU"
        print(f"  {label:<21} {run.wall:7.3f} s wall  {run.cpu:7.3f} s CPU  ({ratio} the floor)")
    per, lines = len(first.out) / max(needing, 1), first.out.count(b"\n")
    print(f"  report: {len(first.out)} bytes, {lines} lines ({per:.0f} bytes a record needing a human)")
    return first.wall / floor.wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default=",".join(FORMATS))
    args = parser.parse_args()
    as_users_run()
    ratios = {fmt: measure(fmt, args.count, args.repeat) for fmt in args.formats.split(",")}
    worst = max(ratios, key=lambda fmt: ratios[fmt])
    print(f"worst: {worst} at {ratios[worst]:.1f}x the floor (median of {args.repeat} runs each)")
    if ratios[worst] > TARGET_RATIO:
        sys.exit(1)


if __name__ == "__main__":
    main()
