"""decide org on three real repositories and one aggregator: every memo, qualified IDs, what is due from each."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import GitRepo, memo_text
from org_repos import OLD, Source, make_aggregator, make_source, manifest_for

from decide.cli import main
from decide.org.store import fetch_lock

A, B, C, D = "D-7KQ2MX", "D-3ND8WZ", "D-9PF4RT", "D-4HJ6KA"
LATE = (datetime.date.today() - datetime.date(2020, 6, 1)).days


def decide(agg: GitRepo, *args: str) -> Result:
    result = CliRunner().invoke(main, ["--root", str(agg.root), *args], catch_exceptions=False)
    print(f"$ decide {' '.join(args)}\n[exit {result.exit_code}]\n{result.stdout}\n[stderr]\n{result.stderr}")
    return result


@pytest.fixture
def org(tmp_path: Path) -> tuple[GitRepo, dict[str, Source]]:
    """payments and billing both have a memo D-7KQ2MX; billing keeps its log in docs/decisions; platform supersedes across."""
    payments = make_source(tmp_path, "payments")
    roster = "- name: Ana Ruiz\n  handle: ana\n  email: ana@example.com\n- name: Cy Berg\n  role: CTO\n"
    payments.work.write("decisions/people.yml", roster)
    payments.work.add_memo(A, **OLD)
    payments.work.add_memo(B, title="Cache in Redis")
    payments.push()
    billing = make_source(tmp_path, "billing", folder="docs/decisions")
    billing.work.write(f"docs/decisions/{A}-bill-monthly.md", memo_text(A, title="Bill monthly", dri="Bo Sand", **OLD))
    billing.push()
    platform = make_source(tmp_path, "platform")
    platform.work.add_memo(C, title="One cache for everyone", supersedes=[f"payments:{B}"], dri="@ana", **OLD)
    platform.push()
    sources = {s.name: s for s in (payments, billing, platform)}
    return make_aggregator(tmp_path, manifest_for(payments, billing, platform)), sources


def commit_of(source: Source) -> str:
    return source.work.git("rev-parse", "HEAD")[:7]


def test_every_memo_of_three_repositories_in_one_list_with_qualified_ids(org) -> None:
    agg, sources = org
    fetched = decide(agg, "org", "fetch")
    assert fetched.exit_code == 0
    assert fetched.stdout == "".join(
        f"{name}: fetched commit {commit_of(s)} ({n})\n"
        for (name, s), n in zip(sources.items(), ("2 memos", "1 memo", "1 memo"), strict=True)
    )
    assert fetched.stderr == "3 of 3 repositories up to date (3 fetched)\n"
    listed = json.loads(decide(agg, "org", "list", "--format", "json").stdout)
    assert listed["version"] == 1
    assert sorted((d["id"], d["title"], d["status"]) for d in listed["decisions"]) == [
        (f"billing:{A}", "Bill monthly", "decided"),
        (f"payments:{B}", "Cache in Redis", "superseded"),
        (f"payments:{A}", "Adopt Postgres for billing", "decided"),
        (f"platform:{C}", "One cache for everyone", "decided"),
    ]
    text = decide(agg, "org", "list").stdout
    assert text.splitlines()[0].split() == ["ID", "STATUS", "DATE", "DRI", "TITLE"]
    assert {line.split()[0] for line in text.splitlines()[1:]} == {
        f"billing:{A}",
        f"payments:{A}",
        f"payments:{B}",
        f"platform:{C}",
    }


def test_an_id_two_repositories_share_is_two_memos(org) -> None:
    agg, _sources = org
    decide(agg, "org", "fetch")
    payments = decide(agg, "org", "show", f"payments:{A}")
    billing = decide(agg, "org", "show", f"billing:{A}")
    assert payments.stdout.startswith(f"payments:{A}: Adopt Postgres for billing\nrepository:    payments (commit ")
    assert billing.stdout.startswith(f"billing:{A}: Bill monthly\nrepository:    billing (commit ")
    assert billing.stdout.rstrip().endswith("## Consequences\n\nMore A.")
    ambiguous = decide(agg, "org", "show", A)
    assert (ambiguous.exit_code, ambiguous.stderr) == (
        2,
        f"Error: {A} names memos in 2 repositories: billing:{A}, payments:{A}; name one, e.g. billing:{A}\n",
    )
    assert decide(agg, "org", "list", "--repo", "billing").stdout.count(f"billing:{A}") == 1


def test_org_due_lists_an_overdue_review_from_each_repository(org) -> None:
    agg, _sources = org
    decide(agg, "org", "fetch")
    result = decide(agg, "org", "due", "--fail")
    assert result.exit_code == 1
    assert result.stdout == (
        "Reviews overdue (3):\n"
        f'  billing:{A} "Bill monthly" (DRI Bo Sand): review was due 2020-06-01, {LATE} days late\n'
        f'  payments:{A} "Adopt Postgres for billing" (DRI Ana Ruiz): review was due 2020-06-01, {LATE} days late\n'
        f'  platform:{C} "One cache for everyone" (DRI @ana): review was due 2020-06-01, {LATE} days late\n'
    )
    document = json.loads(decide(agg, "org", "due", "--format", "json").stdout)
    assert list(document)[:2] == ["version", "today"]
    item = document["overdue_reviews"][1]
    assert (item["repo"], item["dri"], item["dri_handle"], item["dri_email"]) == (
        "payments",
        "Ana Ruiz",
        "@ana",
        "ana@example.com",
    )


def test_org_due_by_dri_writes_a_digest_per_person(org, tmp_path: Path) -> None:
    agg, _sources = org
    decide(agg, "org", "fetch")
    out = tmp_path / "digests"
    assert decide(agg, "org", "due", "--by-dri", "--format", "markdown", "--output-dir", str(out)).exit_code == 0
    assert (out / "index.tsv").read_text(encoding="utf-8") == (
        "Decisions needing attention: @ana\tana.md\t@ana\nDecisions needing attention: Bo Sand\tbo-sand.md\t\n"
    )
    ana = (out / "ana.md").read_text(encoding="utf-8")
    assert f"| payments:{A} |" in ana and f"| platform:{C} |" in ana  # @ana in platform is Ana of payments' roster


def test_one_unreachable_source_the_others_are_fetched_exit_1_naming_it(org) -> None:
    agg, sources = org
    gone = agg.root.parent / "remotes" / "gone.git"
    agg.write(
        "decide-org.toml", manifest_for(*sources.values()) + f'[[repo]]\nname = "gone"\nurl = "{gone.as_uri()}"\n'
    )
    result = decide(agg, "org", "fetch")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[3] == (
        f"gone: cannot fetch {gone.as_uri()}: git clone failed: fatal: '{gone}' does not appear to be a git repository; "
        "there is no earlier copy"
    )
    assert result.stderr == "3 of 4 repositories up to date (3 fetched); 1 failed: gone\n"
    listed = decide(agg, "org", "list")
    assert listed.exit_code == 0 and len(listed.stdout.splitlines()) == 5
    assert listed.stderr == "Warning: gone: not fetched yet; run 'decide org fetch gone'\n"


def test_a_link_across_repositories_that_does_not_hold_fails_the_fetch(org) -> None:
    agg, sources = org
    platform = sources["platform"]
    platform.work.add_memo(D, title="Also replaces the cache", supersedes=[f"payments:{B}"])
    platform.push()
    result = decide(agg, "org", "fetch")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[3:] == [
        "1 link(s) across repositories do not hold:",
        f"  platform/decisions/{C}-one-cache-for-everyone.md:13: supersedes: payments:{B} is already superseded by "
        f"platform:{D} (platform/decisions/{D}-also-replaces-the-cache.md); supersede platform:{D} instead",
    ]
    checked = decide(agg, "org", "validate")
    assert checked.exit_code == 1 and checked.stderr == "1 link problem(s) across 5 memo(s) in 3 repositories\n"


def test_org_stats_counts_every_repository(org) -> None:
    agg, _sources = org
    decide(agg, "org", "fetch")
    text = decide(agg, "org", "stats").stdout
    assert text.startswith("Memos: 4 (all memos, as of ")
    assert "Memos per repository:\n     2  payments (commit " in text
    document = json.loads(decide(agg, "org", "stats", "--format", "json").stdout)
    assert document["version"] == 1 and [r["memos"] for r in document["repositories"]] == [2, 1, 1]
    assert decide(agg, "org", "stats", "--format", "markdown").stdout.startswith(
        "## Coordination across the organisation: 4 memos"
    )


def test_before_any_fetch_the_read_commands_say_what_to_do(org) -> None:
    agg, _sources = org
    result = decide(agg, "org", "list")
    assert (result.exit_code, result.stderr) == (
        3,
        "Error: no repository has been fetched yet; run 'decide org fetch' first\n",
    )


def test_a_second_fetch_at_the_same_time_is_refused(org) -> None:
    agg, _sources = org
    with fetch_lock(agg.root):
        result = decide(agg, "org", "fetch")
    assert (result.exit_code, result.stderr) == (
        3,
        f"Error: another decide org fetch is running in {agg.root}; wait for it to finish\n",
    )


def test_an_unknown_repository_name_is_a_usage_error(org) -> None:
    agg, _sources = org
    result = decide(agg, "org", "fetch", "paymnts")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: no repository named 'paymnts' in decide-org.toml; did you mean \"payments\"?\n",
    )


def test_a_broken_manifest_is_named_with_every_problem(tmp_path: Path) -> None:
    agg = make_aggregator(tmp_path, '[[repo]]\nname = "Pay Ments"\nurl = "x"\n[[repo]]\nname = "billing"\n')
    result = decide(agg, "org", "fetch")
    assert result.exit_code == 3
    assert result.stderr == (
        "Error: decide-org.toml has 2 problem(s); fix them and run again:\n"
        "  decide-org.toml:2: repo[0] (Pay Ments).name: 'Pay Ments' is not a short name; use lowercase letters, "
        "digits, '-', '_' and '.', starting and ending with a letter or digit (e.g. \"pay-ments\")\n"
        '  decide-org.toml:4: repo[1] (billing).url: missing; add url = "https://github.com/acme/payments.git" '
        "(any git URL, file:// or a local path)\n"
    )


def test_progress_shows_on_a_terminal_and_not_in_a_pipe(org) -> None:
    agg, _sources = org
    leader, follower = os.openpty()
    done = subprocess.run(
        [sys.executable, "-m", "decide", "-C", str(agg.root), "org", "fetch", "--jobs", "2"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=follower,
        timeout=120,
        check=False,
    )
    os.close(follower)
    terminal = os.read(leader, 65536).decode()
    os.close(leader)
    assert done.returncode == 0
    assert "\rfetching: 1 of 3 repositories, last " in terminal and "\rfetching: 3 of 3 repositories" in terminal
    assert terminal.endswith("\r\x1b[K3 of 3 repositories up to date (0 fetched)\r\n") or "(3 fetched)" in terminal
    assert "fetching" not in done.stdout.decode()
    piped = decide(agg, "org", "fetch")  # CliRunner's stderr is no terminal
    assert "fetching" not in piped.stderr


def test_list_and_show_as_markdown_and_json(org) -> None:
    agg, sources = org
    sources["billing"].work.write(
        f"docs/decisions/{B}-ship.md", memo_text(B, title="Ship <b>fast</b> | @everyone", dri="Bo Sand")
    )
    sources["billing"].push()
    decide(agg, "org", "fetch")
    table = decide(agg, "org", "list", "--repo", "billing", "--format", "markdown").stdout
    assert table.splitlines()[:2] == [
        "| ID | Repository | Title | Status | DRI | Date | Tags |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    assert f"| billing:{B} | billing | Ship &lt;b&gt;fast&lt;/b&gt; \\| @\u2060everyone | decided | Bo Sand |" in table
    shown = json.loads(decide(agg, "org", "show", f"billing:{B}", "--format", "json").stdout)
    assert list(shown) == ["version", "decision", "commit", "body"]
    assert (shown["decision"]["repo"], shown["decision"]["local_id"]) == ("billing", B)
    assert shown["body"].startswith("\n## Context")
    page = decide(agg, "org", "show", f"payments:{B}", "--format", "markdown").stdout
    assert page.startswith(
        f"# payments:{B}: Cache in Redis\n\n| Field | Value |\n| --- | --- |\n| Repository | payments \\(commit "
    )
    assert f"| Superseded by | platform:{C} |" in page
