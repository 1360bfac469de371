"""Lifecycle commands on real memo files in real git repositories."""

from __future__ import annotations

import contextlib
import datetime
import difflib
import errno
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import GitRepo, memo_text

from decide.config import load_config
from decide.draft import Draft
from decide.errors import CannotRun, Refused, UsageError
from decide.lifecycle import accept, next_review, reject, retire, review, supersede
from decide.memo import Input, Review, load

A, B, C = "D-7KQ2MX", "D-3ND8WZ", "D-9PF4RT"
TODAY = datetime.date.today().isoformat()
PROPOSED = {"status": "proposed", "decided_on": None}

# Comments, odd key order, quoted values and keys, a flow mapping, CRLF line endings and a body.
ODD = (
    "---\r\n"
    "# Billing database: see the capacity review first.\r\n"
    "title: 'Adopt Postgres: billing'\r\n"
    f"id: {A}\r\n"
    'dri: "Ana Ruiz"   # the one person\r\n'
    "status: proposed  # becomes decided\r\n"
    "date: '2026-01-05'\r\n"
    "inputs:\r\n"
    "  - who: Platform team\r\n"
    '    what: "capacity review"\r\n'
    'escalation: {trigger: "cost exceeds $50k", to: CTO}\r\n'
    "tags: [billing, 'db']\r\n"
    '"review_by": 2026-06-01 # first look\r\n'
    "---\r\n"
    "\r\n"
    "## Context\r\n"
    "\r\n"
    "status: proposed is not front-matter here.\r\n"
    "---\r\n"
)


def changed(before: bytes, after: bytes) -> tuple[list[bytes], list[bytes]]:
    """The lines removed from ``before`` and the lines added in ``after``."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    removed: list[bytes] = []
    added: list[bytes] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


def test_accept_review_retire_change_only_their_lines_byte_for_byte(repo: GitRepo) -> None:
    path = repo.write(f"decisions/{A}-adopt-postgres-billing.md", ODD)
    config = load_config(repo.root)
    before = path.read_bytes()

    accept(config, A, "2026-02-01")
    after_accept = path.read_bytes()
    assert changed(before, after_accept) == (
        [b"status: proposed  # becomes decided\r\n"],
        [b"status: decided  # becomes decided\r\n", b"decided_on: 2026-02-01\r\n"],
    )

    # review_by was 120 days after decided_on, so the next review comes 120 days after this one.
    review(config, A, Review("2026-05-20", by="Bo Sand", note="Still: fine"))
    after_review = path.read_bytes()
    assert changed(after_accept, after_review) == (
        [b'"review_by": 2026-06-01 # first look\r\n'],
        [
            b'"review_by": 2026-09-17 # first look\r\n',
            b"reviews:\r\n",
            b"  - date: 2026-05-20\r\n",
            b"    due: 2026-06-01\r\n",
            b"    by: Bo Sand\r\n",
            b'    note: "Still: fine"\r\n',
        ],
    )

    retire(config, A, "Moved to the managed service", "2026-10-01")
    after_retire = path.read_bytes()
    assert changed(after_review, after_retire) == (
        [b"status: decided  # becomes decided\r\n"],
        [
            b"status: retired  # becomes decided\r\n",
            b"closed_on: 2026-10-01\r\n",
            b"reason: Moved to the managed service\r\n",
        ],
    )
    assert after_retire.count(b"\n") == after_retire.count(b"\r\n")
    assert after_retire.endswith(before[before.index(b"---\r\n\r\n## Context") + 3 :])


def test_accept_prints_what_changed(repo: GitRepo, invoke) -> None:
    path = repo.add_memo(A, **PROPOSED)
    result = invoke("accept", A.lower())
    assert result.exit_code == 0
    assert result.stdout == (
        f'{A} "Adopt Postgres for billing": proposed -> decided\n'
        f"  file: decisions/{path.name}\n"
        "  status: decided\n"
        f"  decided_on: {TODAY}\n"
    )
    memo = load(path, repo.root).memo
    assert memo is not None and (memo.status, memo.decided_on) == ("decided", TODAY)


def test_accept_is_refused_while_dri_is_tbd_and_inputs_and_escalation_are_missing(repo: GitRepo, invoke) -> None:
    path = repo.add_memo(A, dri="TBD", inputs=[], escalation=None, **PROPOSED)
    before = path.read_bytes()
    result = invoke("accept", A)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {A} cannot be accepted yet; edit decisions/{path.name} (nothing was written):\n"
        "  dri: is TBD; name the one person who decides\n"
        "  inputs: none listed; add who was consulted\n"
        "  escalation: missing; add its trigger and who it goes to\n"
    )
    assert path.read_bytes() == before


def test_a_tbd_dri_with_an_email_is_still_tbd(repo: GitRepo, invoke) -> None:
    repo.add_memo(A, dri="TBD <x@example.com>", **PROPOSED)
    result = invoke("accept", A)
    assert result.exit_code == 1
    assert "  dri: is TBD; name the one person who decides\n" in result.stderr


def test_accepting_an_already_decided_memo_is_refused(repo: GitRepo, invoke) -> None:
    path = repo.add_memo(A)
    before = path.read_bytes()
    result = invoke("accept", A)
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {A} is already decided (on 2026-01-09); nothing was changed\n",
    )
    assert path.read_bytes() == before


def test_an_unknown_id_is_a_usage_error_naming_the_close_ids(repo: GitRepo, invoke) -> None:
    repo.add_memo(A)
    repo.add_memo(B, title="Hire a second SRE")
    result = invoke("review", "D-7KQ2MZ")
    assert (result.exit_code, result.stderr) == (2, f"Error: no memo with ID D-7KQ2MZ; did you mean {A}?\n")
    assert invoke("retire", "D-ZZZZZZ", "--reason", "x").stderr == (
        "Error: no memo with ID D-ZZZZZZ; 'decide list' shows every ID\n"
    )


def test_reject_closes_a_proposal_with_its_reason(repo: GitRepo) -> None:
    path = repo.add_memo(A, **PROPOSED)
    change = reject(load_config(repo.root), A, "  Too costly this year ", "2026-02-01")
    assert change.fields_changed == (
        ("status", "rejected"),
        ("closed_on", "2026-02-01"),
        ("reason", "Too costly this year"),
    )
    memo = load(path, repo.root).memo
    assert memo is not None and (memo.status, memo.closed_on, memo.reason) == (
        "rejected",
        "2026-02-01",
        "Too costly this year",
    )


@pytest.mark.parametrize(
    ("verb", "fields", "message"),
    [
        ("reject", {}, f"{A} is decided; to end a decision that no longer holds, use decide retire"),
        ("retire", PROPOSED, f"{A} is proposed; to close a proposal, use decide reject"),
        ("review", PROPOSED, f"{A} is proposed; accept it first with decide accept"),
        (
            "retire",
            {"status": "rejected", "closed_on": "2026-01-10", "reason": "no"},
            f"{A} is rejected; only a decided memo can be retired",
        ),
        (
            "reject",
            {"status": "rejected", "closed_on": "2026-01-10", "reason": "no"},
            f"{A} is already rejected (on 2026-01-10); nothing was changed",
        ),
    ],
)
def test_a_command_is_refused_in_the_wrong_status(repo: GitRepo, verb: str, fields: dict, message: str) -> None:
    path = repo.add_memo(A, **fields)
    before = path.read_bytes()
    config = load_config(repo.root)
    calls = {
        "reject": lambda: reject(config, A, "why", "2026-02-01"),
        "retire": lambda: retire(config, A, "why", "2026-02-01"),
        "review": lambda: review(config, A, Review("2026-02-01")),
    }
    with pytest.raises(Refused) as refused:
        calls[verb]()
    assert str(refused.value) == message
    assert path.read_bytes() == before


def test_an_empty_reason_is_a_usage_error(repo: GitRepo) -> None:
    repo.add_memo(A, **PROPOSED)
    with pytest.raises(UsageError, match="--reason is empty; say in a sentence why"):
        reject(load_config(repo.root), A, "  ", "2026-02-01")


def test_review_records_the_review_and_moves_review_by_to_next(repo: GitRepo, invoke) -> None:
    path = repo.add_memo(A, review_by="2026-03-01")
    next_date = (datetime.date.today() + datetime.timedelta(days=90)).isoformat()
    result = invoke("review", A, "--next", next_date, "--note", "Costs still low")
    assert result.exit_code == 0
    memo = load(path, repo.root).memo
    assert memo is not None
    assert memo.review_by == next_date
    assert memo.reviews == (Review(TODAY, by="Ana Ruiz <ana@example.com>", note="Costs still low", due="2026-03-01"),)
    assert f"  review_by: {next_date}\n" in result.stdout


def test_review_with_a_next_date_not_after_today_is_a_usage_error(repo: GitRepo, invoke) -> None:
    repo.add_memo(A)
    result = invoke("review", A, "--next", TODAY)
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: --next {TODAY} is not after the review ({TODAY}); give a later date\n",
    )


def test_the_next_review_keeps_the_memos_rhythm_or_defaults_to_a_year(repo: GitRepo) -> None:
    from decide.index import build_index

    repo.add_memo(A, review_by="2026-04-09", reviews=[{"date": "2026-01-09"}])  # 90 days after the last review
    repo.add_memo(B, title="Hire a second SRE")  # no review_by
    entries = {
        e.id: e for e in build_index(m for m in [load(p, repo.root).memo for p in repo.decisions.iterdir()] if m)
    }
    assert next_review(entries[A], "2026-05-01") == "2026-07-30"
    assert next_review(entries[B], "2026-05-01") == "2027-05-01"


def test_supersede_prefills_the_new_memo_and_leaves_the_old_one_untouched(repo: GitRepo, invoke) -> None:
    old = repo.add_memo(
        A,
        inputs=[{"who": "Platform team", "what": "capacity review", "link": "https://example.com/r"}, "Finance"],
        tags=["billing", "db"],
    )
    before = old.read_bytes()
    result = invoke("supersede", A, "Move billing to managed Postgres", "--no-edit", "--tag", "cloud")
    assert result.exit_code == 0
    new_id = result.stdout.split(" ", 1)[0]
    new_path = next(repo.decisions.glob(f"{new_id}-*.md"))
    memo = load(new_path, repo.root).memo
    assert memo is not None
    assert (memo.dri, memo.supersedes, memo.tags, memo.status) == (
        "Ana Ruiz <ana@example.com>",
        (A,),
        ("cloud",),
        "proposed",
    )
    assert memo.inputs == (Input("Platform team", "capacity review", "https://example.com/r"), Input("Finance"))
    assert memo.escalation is not None and (memo.escalation.trigger, memo.escalation.to) == (
        "cost exceeds $50k a year",
        "CTO",
    )
    assert old.read_bytes() == before
    assert invoke("show", A, "--format", "json").stdout.count('"status": "superseded"') == 1
    assert result.stdout == (
        f'{new_id} "Move billing to managed Postgres": new, proposed\n'
        f"  file: decisions/{new_path.name}\n"
        f"  supersedes: {A}\n"
    )


def test_superseding_a_rejected_memo_is_refused(repo: GitRepo, invoke) -> None:
    repo.add_memo(A, status="rejected", decided_on=None, closed_on="2026-01-10", reason="too costly")
    result = invoke("supersede", A, "Try again", "--no-edit")
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {A} is rejected; there is no decision to replace; write a new memo with decide new\n",
    )
    assert len(list(repo.decisions.iterdir())) == 1


def test_superseding_a_superseded_memo_is_refused_naming_the_successor(repo: GitRepo) -> None:
    repo.add_memo(A)
    repo.add_memo(B, title="Managed Postgres", supersedes=[A])
    with pytest.raises(Refused) as refused:
        supersede(load_config(repo.root), A, Draft(title="Third try", dri="", date="2026-02-01"))
    assert str(refused.value) == f"{A} is superseded by {B}, which replaces it; nothing was changed"


def test_a_hand_edited_inconsistent_memo_is_refused_and_left_alone(repo: GitRepo, invoke) -> None:
    path = repo.add_memo(A, decided_on=None)  # status decided without decided_on
    before = path.read_bytes()
    for args in (("accept", A), ("retire", A, "--reason", "x"), ("review", A)):
        result = invoke(*args)
        assert result.exit_code == 1
        assert result.stderr == (
            f"Error: decisions/{path.name} is not consistent as it stands; fix it by hand first (nothing was written):\n"
            f"  decisions/{path.name}:1: decided_on: missing (required once decided); "
            'add "decided_on: YYYY-MM-DD", the day the DRI made the call\n'
        )
    assert path.read_bytes() == before


def test_a_change_that_would_make_the_memo_invalid_is_refused(repo: GitRepo) -> None:
    path = repo.add_memo(A, date="2026-03-01", **PROPOSED)
    before = path.read_bytes()
    with pytest.raises(Refused) as refused:
        accept(load_config(repo.root), A, "2026-02-01")
    assert str(refused.value) == (
        f"accept would leave decisions/{path.name} invalid, so nothing was written:\n"
        f"  decisions/{path.name}:12: decided_on: 2026-02-01 is before the memo was opened (2026-03-01); "
        "it cannot be decided before it exists"
    )
    assert path.read_bytes() == before


def test_an_unreadable_memo_is_named_rather_than_reported_unknown(repo: GitRepo, invoke) -> None:
    path = repo.write(f"decisions/{A}-broken.md", "---\ntitle: [unclosed\n---\n")
    result = invoke("accept", A)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: {A} cannot be read; fix it first (nothing was written):\n  decisions/{path.name}:"
    )


def test_commit_commits_exactly_the_changed_file(repo: GitRepo, invoke) -> None:
    path = repo.add_memo(A, **PROPOSED)
    repo.commit("log")
    repo.write("notes.txt", "staged but not part of the change\n")
    repo.git("add", "notes.txt")
    result = invoke("accept", A, "--commit")
    assert result.exit_code == 0
    assert repo.git("log", "-1", "--format=%s").strip() == f'decide: accept {A} "Adopt Postgres for billing"'
    assert repo.git("show", "--name-only", "--format=", "HEAD").split() == [f"decisions/{path.name}"]
    assert repo.git("diff", "--cached", "--name-only").split() == ["notes.txt"]
    sha = repo.git("rev-parse", "--short=7", "HEAD").strip()
    assert result.stdout.endswith(f'  committed {sha}: decide: accept {A} "Adopt Postgres for billing"\n')


def test_commit_of_a_superseding_memo_adds_the_new_file(repo: GitRepo, invoke) -> None:
    repo.add_memo(A)
    repo.commit("log")
    result = invoke("supersede", A, "Managed Postgres", "--no-edit", "--commit")
    new_id = result.stdout.split(" ", 1)[0]
    assert repo.git("log", "-1", "--format=%s").strip() == f'decide: supersede {A} with {new_id} "Managed Postgres"'
    assert repo.git("show", "--name-status", "--format=", "HEAD").split() == [
        "A",
        f"decisions/{new_id}-managed-postgres.md",
    ]


def test_commit_outside_a_git_repository_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "decisions").mkdir()
    path = tmp_path / "decisions" / f"{A}-adopt.md"
    path.write_text(memo_text(A, **PROPOSED), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(CannotRun, match="is not in a git repository; run 'git init' there, or leave out --commit"):
        accept(load_config(tmp_path), A, "2026-02-01", commit=True)
    assert path.read_bytes() == before


def test_a_read_only_memo_is_left_intact(repo: GitRepo, invoke) -> None:
    path = repo.add_memo(A, **PROPOSED)
    before = path.read_bytes()
    path.chmod(0o444)
    result = invoke("accept", A)
    assert (result.exit_code, result.stderr) == (
        3,
        f"Error: decisions/{path.name} is read-only; nothing was written (make it writable with chmod u+w)\n",
    )
    assert path.read_bytes() == before


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` made read-only for real: chmod, plus the immutable flag when running as root (root ignores modes)."""
    as_root = os.geteuid() == 0
    folder.chmod(0o555)
    if as_root and (shutil.which("chattr") is None or subprocess.run(["chattr", "+i", folder], check=False).returncode):
        folder.chmod(0o755)
        pytest.skip("running as root without chattr: a read-only directory cannot be made")
    try:
        yield
    finally:
        if as_root:
            subprocess.run(["chattr", "-i", folder], check=True)
        folder.chmod(0o755)


def test_a_read_only_directory_leaves_the_memo_intact(repo: GitRepo, invoke) -> None:
    path = repo.add_memo(A, **PROPOSED)
    before = path.read_bytes()
    with read_only(repo.decisions):
        result = invoke("accept", A)
    assert result.exit_code == 3
    assert result.stderr.startswith(f"Error: cannot write in {repo.decisions}: ")
    assert path.read_bytes() == before
    assert [p.name for p in repo.decisions.iterdir()] == [path.name]


@contextlib.contextmanager
def small_disk(folder: Path) -> Iterator[None]:
    """A real 64 KB tmpfs mounted on ``folder`` (mounting needs root on Linux; skipped otherwise)."""
    if sys.platform != "linux" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root on Linux")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], check=False).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def fill(path: Path) -> None:
    """Write to ``path`` until the disk is full."""
    with path.open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"x" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


def test_a_full_disk_leaves_the_memo_intact(repo: GitRepo, invoke) -> None:
    with small_disk(repo.decisions):
        path = repo.add_memo(A, **PROPOSED)
        before = path.read_bytes()
        fill(repo.decisions / "filler")
        result = invoke("accept", A)
        assert (result.exit_code, result.stderr) == (
            3,
            f"Error: cannot write {path}: No space left on device; nothing was changed\n",
        )
        assert path.read_bytes() == before
        assert sorted(p.name for p in repo.decisions.iterdir()) == sorted([path.name, "filler"])


def test_every_lifecycle_command_is_documented() -> None:
    guide = (Path(__file__).parents[1] / "docs" / "lifecycle.md").read_text(encoding="utf-8")
    for command in ("accept", "reject", "retire", "supersede", "review", "due", "stats"):
        assert f"decide {command}" in guide


def test_a_memo_is_found_by_its_alias(repo: GitRepo, invoke) -> None:
    path = repo.add_memo(A, aliases=["ADR-0007"], **PROPOSED)
    repo.add_memo(B, title="Hire a second SRE")
    assert invoke("accept", "ADR-0007").exit_code == 0
    memo = load(path, repo.root).memo
    assert memo is not None and memo.status == "decided"


def test_a_successor_found_by_its_mention_blocks_retiring_the_old_memo(repo: GitRepo) -> None:
    repo.add_memo(A)
    repo.add_memo(B, title="Hire a second SRE")  # does not mention A: not read
    repo.add_memo(C, title="Managed Postgres", supersedes=[A])
    with pytest.raises(Refused, match=f"^{A} is superseded by {C}, which replaces it; nothing was changed$"):
        retire(load_config(repo.root), A, "why", "2026-02-01")


# A decide process that imports everything, says it is ready, then waits for the start signal, so that the
# processes of a race read the log at the same moment (starting a Python process takes far longer than a write).
RACER = """
import sys, time
from pathlib import Path
from decide.cli import run
ready, start = Path(sys.argv[1]), Path(sys.argv[2])
ready.touch()
while not start.exists():
    time.sleep(0.001)
sys.argv = ["decide", *sys.argv[3:]]
run()
"""


def race(repo: GitRepo, *commands: tuple[str, ...]) -> list[subprocess.CompletedProcess[str]]:
    """Run each of ``commands`` as its own decide process, all released at once; their outcomes in order."""
    flags = Path(tempfile.mkdtemp(dir=repo.root.parent))
    start = flags / "start"
    ready = [flags / f"ready-{n}" for n in range(len(commands))]
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(flag), str(start), "--root", str(repo.root), *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for flag, command in zip(ready, commands, strict=True)
    ]
    while not all(flag.exists() for flag in ready):
        if any(racer.poll() is not None for racer in racers):
            break
    start.touch()
    outcomes = []
    for racer, command in zip(racers, commands, strict=True):
        stdout, stderr = racer.communicate(timeout=120)
        outcomes.append(subprocess.CompletedProcess(command, racer.returncode, stdout, stderr))
    return outcomes


def test_two_supersedes_of_one_memo_at_once_one_wins_and_the_other_is_refused(repo: GitRepo, invoke) -> None:
    repo.add_memo(A)
    first, second = race(
        repo,
        ("supersede", A, "Move billing to Postgres", "--no-edit"),
        ("supersede", A, "Move billing to SQLite", "--no-edit"),
    )
    outcomes = sorted([first, second], key=lambda done: done.returncode)
    assert [done.returncode for done in outcomes] == [0, 1], [done.stderr for done in outcomes]
    winner = outcomes[0].stdout.split(" ", 1)[0]
    assert outcomes[1].stderr == f"Error: {A} is superseded by {winner}, which replaces it; nothing was changed\n"
    assert len(list(repo.decisions.glob("*.md"))) == 2
    assert invoke("validate").exit_code == 0


def test_two_reviews_at_once_are_both_kept(repo: GitRepo, invoke) -> None:
    path = repo.add_memo(A, review_by="2027-01-09")
    notes = []
    for turn in range(3):  # a race lost by chance in one round is all but certain to show in three
        notes += [f"costs held {turn}", f"traffic held {turn}"]
        outcomes = race(repo, ("review", A, "--note", notes[-2]), ("review", A, "--note", notes[-1]))
        assert [done.returncode for done in outcomes] == [0, 0], [done.stderr for done in outcomes]
    memo = load(path, repo.root).memo
    assert memo is not None
    assert sorted(review.note for review in memo.reviews) == sorted(notes)
    assert invoke("validate").exit_code == 0


def test_a_command_that_waits_too_long_for_the_log_is_refused_and_writes_nothing(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    import decide.files

    path = repo.add_memo(A, **PROPOSED)
    before = path.read_bytes()
    hold = (
        "import sys, time; from pathlib import Path; from decide.files import log_lock\n"
        "with log_lock(Path(sys.argv[1])):\n    Path(sys.argv[2]).touch(); time.sleep(60)\n"
    )
    held = repo.root.parent / "held"
    holder = subprocess.Popen([sys.executable, "-c", hold, str(repo.root), str(held)])
    try:
        while not held.exists():
            assert holder.poll() is None, "the process holding the lock ended early"
        monkeypatch.setattr(decide.files, "LOCK_TIMEOUT", 0.2)
        with pytest.raises(Refused) as refused:
            accept(load_config(repo.root), A, TODAY)
    finally:
        holder.kill()
        holder.wait()
    assert str(refused.value) == (
        f"another decide command has been changing the log for 0.2 s (it holds {repo.root / '.git' / 'decide.lock'}); "
        "nothing was written: run the command again once it has finished"
    )
    assert path.read_bytes() == before
    assert accept(load_config(repo.root), A, TODAY).after_status == "decided", "a killed holder leaves no lock behind"
