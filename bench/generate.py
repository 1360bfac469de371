"""Generate N realistic decision memos into a folder (a git repo if asked), for benchmarks.

python bench/generate.py DIR --count 10000 [--git]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
from pathlib import Path

from decide.draft import BODY_TEMPLATE, Draft, render_draft
from decide.ids import filename, new_id

PEOPLE = [
    f"{first} {last}"
    for first in ("Ana", "Bo", "Chen", "Dara", "Eli", "Femi", "Gus", "Hana", "Ivo", "Jun")
    for last in ("Ruiz", "Sand", "Okafor", "Lind", "Park", "Novak")
]
TOPICS = [
    "billing",
    "pricing",
    "hiring",
    "on-call",
    "postgres",
    "vendor",
    "security",
    "roadmap",
    "support",
    "search",
    "mobile",
    "analytics",
    "onboarding",
    "refunds",
    "caching",
    "releases",
    "observability",
    "EU region",
]
VERBS = ["Adopt", "Retire", "Move", "Standardise", "Outsource", "Split", "Freeze", "Fund", "Pause", "Consolidate"]
PARAGRAPH = (
    "We weighed cost, time to ship and the load on the team. The numbers come from the last two quarters "
    "of incidents and the finance forecast. "
)


def make_drafts(count: int, seed: int = 7) -> list[tuple[str, Draft]]:
    """``count`` (id, draft) pairs: mostly decided, some proposed/rejected/retired, a few supersession chains."""
    rng = random.Random(seed)
    taken: set[str] = set()
    drafts: list[tuple[str, Draft]] = []
    for n in range(count):
        memo_id = new_id(taken)
        taken.add(memo_id)
        status = rng.choices(["decided", "proposed", "rejected", "retired"], [70, 20, 5, 5])[0]
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        date = f"{rng.randint(2019, 2025)}-{month:02d}-{day:02d}"
        supersedes = (drafts[-1][0],) if drafts and n % 20 == 0 else ()
        body = BODY_TEMPLATE.replace("<!--", "").replace("-->", "") + (PARAGRAPH * rng.randint(3, 8)) + "\n"
        drafts.append(
            (
                memo_id,
                Draft(
                    title=f"{rng.choice(VERBS)} {rng.choice(TOPICS)} plan {n}",
                    dri=f"{rng.choice(PEOPLE)} <p{rng.randint(1, 60)}@example.com>",
                    date=date,
                    status=status,
                    decided_on=date if status != "proposed" else "",
                    inputs=tuple(rng.sample(PEOPLE, 2)),
                    escalate_when=f"spend on {rng.choice(TOPICS)} exceeds ${rng.randint(5, 90)}k",
                    escalate_to=rng.choice(["CTO", "CFO", "VP Engineering", "COO"]),
                    review_by=f"{int(date[:4]) + 1}{date[4:]}",
                    tags=tuple(rng.sample(TOPICS, 2)),
                    supersedes=supersedes,
                    body=body,
                ),
            )
        )
    return drafts


def as_users_run() -> None:
    """Let the timed processes cache their bytecode, as an installed tool does.

    With ``PYTHONDONTWRITEBYTECODE`` set (some CI images set it), every run of a checkout's
    modules compiles them again, which is a cost users do not pay.
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def write_log(root: Path, count: int, *, seed: int = 7) -> list[Path]:
    """Write ``count`` memos into ``root/decisions`` and return their paths."""
    folder = root / "decisions"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for memo_id, draft in make_drafts(count, seed):
        path = folder / filename(memo_id, draft.title)
        path.write_text(render_draft(draft, memo_id), encoding="utf-8")
        paths.append(path)
    return paths


def init_git(root: Path) -> None:
    """Make ``root`` a git repo with everything committed on main."""
    for args in (
        ["init", "-q", "-b", "main"],
        ["config", "user.name", "Bench"],
        ["config", "user.email", "bench@example.com"],
        ["config", "commit.gpgsign", "false"],
        ["add", "-A"],
        ["commit", "-q", "-m", "log"],
    ):
        subprocess.run(["git", *args], cwd=root, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--git", action="store_true", help="also git init and commit")
    args = parser.parse_args()
    write_log(args.root, args.count)
    if args.git:
        init_git(args.root)


if __name__ == "__main__":
    main()
