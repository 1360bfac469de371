"""decide org fetch on real repositories served by file:// URLs: only the log folder travels, failures keep the last good copy."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import git, init_repo, memo_text
from org_repos import OLD, Source, make_aggregator, make_source, manifest_for

from decide.org.fetch import fetch_all
from decide.org.manifest import load_manifest
from decide.org.merge import load_org
from decide.org.store import STORE, clone_path, read_copy

A, B, C = "D-7KQ2MX", "D-3ND8WZ", "D-9PF4RT"


def fetch(agg_root: Path, *names: str):
    return fetch_all(load_manifest(agg_root), names=names)


def missing_blobs(clone: Path) -> set[str]:
    """Objects the partial clone knows of but has not fetched (listed without fetching them)."""
    out = git(clone, "rev-list", "--objects", "--all", "--missing=print")
    return {line[1:] for line in out.splitlines() if line.startswith("?")}


def blob_of(source: Source, path: str) -> str:
    return source.work.git("rev-parse", f"HEAD:{path}").strip()


def test_only_the_log_folder_and_its_configuration_are_fetched(tmp_path: Path) -> None:
    payments = make_source(tmp_path, "payments", folder="docs/decisions")
    payments.work.write("docs/decisions/people.yml", "- name: Ana Ruiz\n- name: Cy Berg\n  role: CTO\n")
    payments.work.write(f"docs/decisions/{A}-adopt.md", memo_text(A, title="Adopt", dri="Ana Ruiz"))
    payments.work.write("src/app.py", "print('hello')\n" * 1000)
    payments.work.write("docs/guide.md", "# Guide\n")
    payments.push()
    agg = make_aggregator(tmp_path, manifest_for(payments))
    (outcome,) = fetch(agg.root)
    assert outcome.describe() == f"payments: fetched commit {payments.work.git('rev-parse', 'HEAD')[:7]} (1 memo)"
    clone = clone_path(agg.root, "payments")
    assert missing_blobs(clone) == {blob_of(payments, p) for p in ("src/app.py", "docs/guide.md", "README.md")}
    assert git(clone, "config", "remote.origin.partialclonefilter").strip() == "blob:none"
    copy = read_copy(agg.root, "payments")
    assert copy is not None
    files = sorted(p.relative_to(copy.root(agg.root)).as_posix() for p in copy.root(agg.root).rglob("*") if p.is_file())
    assert files == [
        ".decide-org-memos.json",
        "decide.toml",
        f"docs/decisions/{A}-adopt.md",
        "docs/decisions/people.yml",
    ]
    assert agg.git("status", "--porcelain") == ""  # the store ignores itself: nothing to commit


def test_a_later_run_fetches_only_the_repository_that_changed(tmp_path: Path) -> None:
    payments, billing = make_source(tmp_path, "payments"), make_source(tmp_path, "billing")
    payments.work.add_memo(A)
    payments.push()
    billing.work.add_memo(B)
    billing.push()
    agg = make_aggregator(tmp_path, manifest_for(payments, billing))
    assert [o.state for o in fetch(agg.root)] == ["fetched", "fetched"]
    assert [o.state for o in fetch(agg.root)] == ["unchanged", "unchanged"]
    billing.work.add_memo(C, title="Keep the monolith")
    billing.work.write("src/big.txt", "x" * 50_000)
    billing.push()
    outcomes = fetch(agg.root)
    assert [o.state for o in outcomes] == ["unchanged", "fetched"]
    assert outcomes[1].copy is not None and outcomes[1].copy.memos == 2
    assert blob_of(billing, "src/big.txt") in missing_blobs(clone_path(agg.root, "billing"))
    assert [e.id for e in load_org(load_manifest(agg.root)).entries] == [
        f"payments:{A}",
        f"billing:{C}",
        f"billing:{B}",
    ]


def test_a_log_that_does_not_validate_keeps_the_last_good_copy(tmp_path: Path) -> None:
    payments = make_source(tmp_path, "payments")
    payments.work.add_memo(A)
    payments.push()
    agg = make_aggregator(tmp_path, manifest_for(payments))
    (good,) = fetch(agg.root)
    payments.work.add_memo(B, title="Hire", dri="Sales team")
    payments.work.add_memo(C, title="Drop", status="maybe")
    payments.push()
    (bad,) = fetch(agg.root)
    commit = payments.work.git("rev-parse", "HEAD")[:7]
    assert good.copy is not None and bad.copy == read_copy(agg.root, "payments") == good.copy
    assert bad.describe() == (
        f"payments: its log at commit {commit} does not validate (2 problem(s)); keeping the last good copy "
        f"(commit {good.copy.commit[:7]}, fetched {good.copy.fetched})"
    )
    assert [str(p) for p in bad.problems] == [
        f'decisions/{B}-hire.md:7: dri: "Sales team" is a group ("team"); name one person (e.g. "Ana Ruiz")',
        f'decisions/{C}-drop.md:4: status: the text "maybe" is not one of: proposed, decided, rejected, retired',
    ]
    assert [e.id for e in load_org(load_manifest(agg.root)).entries] == [f"payments:{A}"]


def test_a_repository_without_a_log(tmp_path: Path) -> None:
    tools = make_source(tmp_path, "tools")  # a README and nothing else
    agg = make_aggregator(tmp_path, manifest_for(tools))
    (outcome,) = fetch(agg.root)
    commit = tools.work.git("rev-parse", "HEAD")[:7]
    assert outcome.describe() == (
        f"tools: no log: there is no decisions/ folder on its default branch (commit {commit}); "
        'if its log is elsewhere, set dir = "…" for it in decide-org.toml; there is no earlier copy'
    )


def test_an_unreachable_repository_is_named_and_the_others_are_fetched(tmp_path: Path) -> None:
    payments = make_source(tmp_path, "payments")
    payments.work.add_memo(A)
    payments.push()
    gone = tmp_path / "remotes" / "gone.git"
    agg = make_aggregator(tmp_path, manifest_for(payments) + f'[[repo]]\nname = "gone"\nurl = "{gone.as_uri()}"\n')
    outcomes = fetch(agg.root)
    assert [o.state for o in outcomes] == ["fetched", "failed"]
    assert outcomes[1].describe() == (
        f"gone: cannot fetch {gone.as_uri()}: git clone failed: fatal: '{gone}' does not appear to be a git repository; "
        "there is no earlier copy"
    )
    assert not clone_path(agg.root, "gone").exists()


def test_a_branch_named_in_the_manifest_and_a_default_branch_called_master(tmp_path: Path) -> None:
    legacy = make_source(tmp_path, "legacy")
    legacy.work.git("branch", "-m", "master")
    legacy.work.add_memo(A)
    legacy.work.commit("on master")
    legacy.work.git("push", "-q", "origin", "master")
    git(legacy.bare, "symbolic-ref", "HEAD", "refs/heads/master")
    legacy.work.branch("release")
    legacy.work.add_memo(B, title="Only on release")
    legacy.work.commit("release")
    legacy.work.git("push", "-q", "origin", "release")
    agg = make_aggregator(tmp_path, manifest_for(legacy))
    fetch(agg.root)
    assert [e.id for e in load_org(load_manifest(agg.root)).entries] == [f"legacy:{A}"]
    agg.write("decide-org.toml", manifest_for(legacy, extra='branch = "release"\n'))
    (outcome,) = fetch(agg.root)
    assert outcome.state == "fetched"
    assert {e.id for e in load_org(load_manifest(agg.root)).entries} == {f"legacy:{A}", f"legacy:{B}"}


def test_the_manifest_dir_overrides_the_repository_and_a_moved_url_is_followed(tmp_path: Path) -> None:
    handbook = make_source(tmp_path, "handbook")
    handbook.work.write(f"handbook/log/{A}-adopt.md", memo_text(A, title="Adopt"))
    handbook.push()
    agg = make_aggregator(tmp_path, manifest_for(handbook, extra='dir = "handbook/log"\n'))
    (outcome,) = fetch(agg.root)
    assert outcome.copy is not None and outcome.copy.folder == "handbook/log"
    moved = tmp_path / "remotes" / "moved.git"
    handbook.bare.rename(moved)
    agg.write("decide-org.toml", '[[repo]]\nname = "handbook"\nurl = "../remotes/moved.git"\ndir = "handbook/log"\n')
    (again,) = fetch(agg.root)
    assert again.state == "fetched" and again.copy is not None and again.copy.url == str(moved)


def test_a_configuration_pointing_outside_the_repository_is_refused(tmp_path: Path) -> None:
    sly = make_source(tmp_path, "sly")
    sly.work.write("decide.toml", 'decisions = "../../.."\n')
    sly.push()
    agg = make_aggregator(tmp_path, manifest_for(sly))
    (outcome,) = fetch(agg.root)
    assert outcome.message == (
        "its configuration cannot be used: decide.toml: decisions must be a path inside the repository, "
        """such as "decisions", not '../../..'; fix it there, or set dir = "…" for it in decide-org.toml"""
    )


def test_a_fetch_stopped_half_way_leaves_nothing_in_the_way(tmp_path: Path) -> None:
    payments = make_source(tmp_path, "payments")
    payments.work.add_memo(A)
    payments.push()
    agg = make_aggregator(tmp_path, manifest_for(payments))
    partial = agg.root / STORE / "clones" / ".payments.partial"
    partial.mkdir(parents=True)
    (partial / "junk").write_text("half a clone", encoding="utf-8")
    (outcome,) = fetch(agg.root)
    assert outcome.state == "fetched" and not partial.exists()
    state = json.loads((agg.root / STORE / "state" / "payments.json").read_text(encoding="utf-8"))
    assert list(state)[:3] == ["version", "name", "url"]


def test_a_local_path_is_cloned_relative_to_the_aggregator(tmp_path: Path) -> None:
    team = init_repo(tmp_path / "team")
    team.add_memo(A, **OLD)
    team.commit("log")
    agg = make_aggregator(tmp_path, '[[repo]]\nname = "team"\nurl = "../team"\n')
    (outcome,) = fetch(agg.root)
    assert outcome.state == "fetched"


def test_a_commit_that_leaves_the_log_alone_is_not_validated_again(tmp_path: Path) -> None:
    payments = make_source(tmp_path, "payments")
    payments.work.add_memo(A)
    payments.push()
    agg = make_aggregator(tmp_path, manifest_for(payments))
    (first,) = fetch(agg.root)
    payments.work.write("src/app.py", "print(1)\n")
    payments.push()
    (second,) = fetch(agg.root)
    assert second.state == "unchanged"
    assert first.copy is not None and second.copy is not None
    assert (second.copy.commit, second.copy.snapshot) == (
        payments.work.git("rev-parse", "HEAD").strip(),
        first.copy.snapshot,
    )
    payments.work.write("decide.toml", "proposal-age-limit = 3\n")  # the configuration is part of the copy
    payments.push()
    (third,) = fetch(agg.root)
    assert third.state == "fetched"


def test_the_memos_kept_with_a_copy_merge_as_its_files_do(tmp_path: Path) -> None:
    payments = make_source(tmp_path, "payments")
    payments.work.add_memo(A, **OLD)
    payments.work.add_memo(B, title="Hire", supersedes=[A], aliases=["0007"])
    payments.push()
    agg = make_aggregator(tmp_path, manifest_for(payments))
    fetch(agg.root)
    kept = load_org(load_manifest(agg.root))
    copy = read_copy(agg.root, "payments")
    assert copy is not None
    (copy.root(agg.root) / ".decide-org-memos.json").unlink()
    assert load_org(load_manifest(agg.root)).entries == kept.entries
    assert [e.status for e in kept.entries] == ["decided", "superseded"]


def test_the_roster_follows_a_log_folder_the_manifest_names(tmp_path: Path) -> None:
    handbook = make_source(tmp_path, "handbook")
    handbook.work.write("handbook/log/people.yml", "- name: Bo Sand\n- name: Cy Berg\n  role: CTO\n")
    handbook.work.write(f"handbook/log/{A}-adopt.md", memo_text(A, title="Adopt"))  # DRI Ana Ruiz: not on it
    handbook.push()
    agg = make_aggregator(tmp_path, manifest_for(handbook, extra='dir = "handbook/log"\n'))
    (outcome,) = fetch(agg.root)
    assert [str(p) for p in outcome.problems] == [
        f'handbook/log/{A}-adopt.md:7: dri: "Ana Ruiz <ana@example.com>" is not in handbook/log/people.yml; '
        "add them there or name someone who is"
    ]
