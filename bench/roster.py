"""Time validating a log against a large roster, against validating the same log without one, in the same run.

    python bench/roster.py --people 20000 --memos 300

Every memo names someone on the roster as its DRI and a role on it as whom it escalates to; one memo
names someone who is not on it, so one "did you mean" hint is looked for among all the names.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
from pathlib import Path

from generate import make_drafts
from lifecycle import best

from decide.config import load_config
from decide.decisions import load_log
from decide.draft import render_draft
from decide.ids import filename
from decide.memo import Memo
from decide.roster import Roster, check_people, load_roster
from decide.validate import validate


def write_log(root: Path, people: int, memos: int) -> None:
    folder = root / "decisions"
    folder.mkdir(parents=True)
    for number, (memo_id, generated) in enumerate(make_drafts(memos)):
        who = f"Person {number * 61 % people:05d} <p{number * 61 % people}@example.com>"
        if number == memos - 1:
            who = "Persn 00017"
        draft = dataclasses.replace(generated, dri=who, escalate_to=f"Role {number % 50}")
        (folder / filename(memo_id, draft.title)).write_text(render_draft(draft, memo_id), encoding="utf-8")
    roster = "".join(
        f"- name: Person {n:05d}\n  handle: p{n}\n  email: p{n}@example.com\n  role: Role {n % 50}\n"
        for n in range(people)
    )
    (root / "people.yml").write_text(roster, encoding="utf-8")


def check_all(memos: tuple[Memo, ...], roster: Roster | None) -> None:
    for memo in memos:
        check_people(memo, roster)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--memos", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_log(root, args.people, args.memos)
        (root / "decide.toml").write_text('roster = "none.yml"\n', encoding="utf-8")
        baseline = best(lambda: validate(load_config(root)), args.repeat)
        (root / "decide.toml").write_text('roster = "people.yml"\n', encoding="utf-8")
        config = load_config(root)
        memos = load_log(config).memos
        rows = {
            "validate, no roster (baseline)": baseline,
            "validate with the roster": best(lambda: validate(config), args.repeat),
            "read the roster": best(lambda: load_roster(config), args.repeat),
            "read it and check every memo": best(lambda: check_all(memos, load_roster(config)), args.repeat),
        }
    print(f"{args.people} people, {args.memos} memos, best of {args.repeat}")
    for name, seconds in rows.items():
        print(f"  {name:<34} {seconds * 1000:8.0f} ms   {seconds / baseline:5.2f}x baseline")


if __name__ == "__main__":
    main()
