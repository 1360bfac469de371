"""Coordination figures from memo files whose right answers are worked out by hand below."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from conftest import GitRepo

from decide.config import load_config
from decide.decisions import load_log
from decide.index import build_index
from decide.site.coordination import render_coordination
from decide.stats import Latency, Reviews, compute_stats, gather_stats, render_stats_text

A, B, C, D, E, F, G, H, K, J = (
    "D-7KQ2MX",
    "D-3ND8WZ",
    "D-9PF4RT",
    "D-4HJ6KA",
    "D-5MN7PB",
    "D-6QR8SC",
    "D-8TV9WD",
    "D-2XY3ZE",
    "D-1BCDEF",
    "D-0GHJKM",
)
TODAY = "2026-03-01"


def write_log(repo: GitRepo) -> None:
    """Latency in days: A 2, B 10, C 1, D 20, E 4 (F is imported, so left out). Sorted: 1 2 4 10 20."""
    repo.add_memo(A, date="2026-01-01", decided_on="2026-01-03", dri="Ana Ruiz <ana@example.com>")
    repo.add_memo(B, title="Hire an SRE", date="2026-01-01", decided_on="2026-01-11", dri="Bo Sand")
    repo.add_memo(
        C,
        title="Keep the monolith",
        date="2026-01-05",
        decided_on="2026-01-06",
        dri="Ana Ruiz",
        review_by="2026-02-25",  # passed on 2026-03-01: overdue now
        reviews=[{"date": "2026-02-01", "due": "2026-02-01"}, {"date": "2026-02-20", "due": "2026-02-10"}],
    )
    repo.add_memo(D, title="Old cache plan", date="2026-01-10", decided_on="2026-01-30", dri="Chen Park")
    repo.add_memo(
        E,
        title="New cache plan",
        date="2026-02-01",
        decided_on="2026-02-05",
        supersedes=[D],
        reviews=[{"date": "2026-02-06"}],
    )
    repo.add_memo(
        F,
        title="Use ADRs",
        date="2025-06-01",
        decided_on="2025-06-01",
        dri="Bo Sand",
        imported={"from": "adr-tools"},
    )
    repo.add_memo(G, title="Price in euros", date="2026-02-25", status="proposed", decided_on=None)  # 4 days old
    repo.add_memo(H, title="Drop IE11", date="2026-02-10", status="proposed", decided_on=None)  # 19 days old
    repo.add_memo(K, title="Open an office", date="2025-11-01", status="proposed", decided_on=None)  # 120 days old
    repo.add_memo(
        J,
        title="Rewrite in Rust",
        date="2026-01-20",
        status="rejected",
        decided_on=None,
        closed_on="2026-01-21",
        reason="no",
    )


def entries(repo: GitRepo):
    return build_index(load_log(load_config(repo.root)).memos)


def test_the_figures_for_the_whole_log(repo: GitRepo) -> None:
    write_log(repo)
    stats = compute_stats(entries(repo), "", TODAY)
    assert stats.memos == 10
    # median of 1 2 4 10 20 is 4; nearest-rank p90 is the ceil(0.9 * 5) = 5th value, 20.
    assert stats.latency == Latency(decisions=5, median=4, p90=20)
    # decided (with decided_on): A C E for Ana, B F for Bo, D for Chen: 6 decisions, Ana carries 3 of 6.
    assert stats.per_dri == (("Ana Ruiz", 3), ("Bo Sand", 2), ("Chen Park", 1))
    assert stats.busiest_share == 0.5
    assert stats.open_by_age == (
        ("0-7 days", 1),
        ("8-14 days", 0),
        ("15-30 days", 1),
        ("31-90 days", 0),
        ("over 90 days", 1),
    )
    assert stats.reviews == Reviews(on_time=1, late=1, undated=1, overdue_now=1)
    # D is superseded; six memos were decided at some point.
    assert (stats.superseded, stats.ever_decided) == (1, 6)
    assert stats.supersession_rate == 1 / 6


def test_since_keeps_only_memos_opened_on_or_after_it(repo: GitRepo) -> None:
    write_log(repo)
    stats = compute_stats(entries(repo), "2026-01-05", TODAY)
    # In scope: C D E G H J. Latency C 1, D 20, E 4: median 4, p90 the 3rd of 3 values.
    assert stats.memos == 6
    assert stats.latency == Latency(decisions=3, median=4, p90=20)
    assert stats.per_dri == (("Ana Ruiz", 2), ("Chen Park", 1))
    assert stats.busiest_share == 2 / 3
    assert [count for _label, count in stats.open_by_age] == [1, 0, 1, 0, 0]
    assert (stats.superseded, stats.ever_decided) == (1, 3)


def test_an_even_number_of_decisions_has_the_mean_of_the_middle_two_as_median(repo: GitRepo) -> None:
    repo.add_memo(A, date="2026-01-01", decided_on="2026-01-02")  # 1
    repo.add_memo(B, title="Hire an SRE", date="2026-01-01", decided_on="2026-01-04")  # 3
    stats = compute_stats(entries(repo), "", TODAY)
    assert stats.latency == Latency(decisions=2, median=2, p90=3)


def test_an_empty_log_has_no_figures_rather_than_zeroes(repo: GitRepo) -> None:
    stats = compute_stats((), "", TODAY)
    assert (stats.latency, stats.busiest_share, stats.supersession_rate) == (Latency(0, None, None), None, None)
    assert "Latency, opened -> decided: median n/a, p90 n/a (0 decisions)" in render_stats_text(stats)


def commit_at(repo: GitRepo, day: str, message: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{day}T12:00:00", "GIT_COMMITTER_DATE": f"{day}T12:00:00"}
    subprocess.run(["git", "add", "-A"], cwd=repo.root, check=True)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo.root, check=True, env=env)


def test_dates_that_disagree_with_git_history_are_noted(repo: GitRepo) -> None:
    late = repo.add_memo(A, date="2026-01-01")
    commit_at(repo, "2026-01-10", "backfilled nine days late")
    repo.add_memo(B, title="Hire an SRE", date="2026-01-05", decided_on="2026-01-06")
    commit_at(repo, "2026-01-06", "one day late is normal")
    early = repo.add_memo(C, title="Keep the monolith", date="2026-02-01", decided_on="2026-02-02")
    commit_at(repo, "2026-01-20", "dated in the future")
    old = repo.add_memo(D, title="Old name", date="2026-01-01", decided_on="2026-01-02")
    commit_at(repo, "2026-01-01", "on time")
    repo.git("mv", f"decisions/{old.name}", f"decisions/{D}-new-name.md")
    commit_at(repo, "2026-02-15", "renamed: still first added on 2026-01-01")
    repo.add_memo(E, title="Not committed yet", date="2025-01-01", decided_on="2025-01-02")
    stats = gather_stats(load_config(repo.root), "", TODAY)
    assert [(n.path, n.message) for n in stats.date_notes] == [
        (f"decisions/{late.name}", "first committed 2026-01-10, 9 days after its date 2026-01-01"),
        (f"decisions/{early.name}", "dated 2026-02-01, after it was first committed on 2026-01-20"),
    ]
    assert stats.history_note == ""


def test_a_shallow_clone_says_the_dates_were_not_checked(repo: GitRepo, tmp_path: Path) -> None:
    repo.add_memo(A)
    repo.commit("one")
    repo.add_memo(B, title="Hire an SRE")
    repo.commit("two")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True)
    stats = gather_stats(load_config(clone), "", TODAY)
    assert stats.date_notes == ()
    assert stats.history_note == (
        "dates not checked against git history: this is a shallow clone; "
        "fetch the whole history (GitHub Actions: fetch-depth: 0)"
    )


def test_outside_git_the_figures_still_come_with_a_note(tmp_path: Path) -> None:
    from conftest import memo_text

    (tmp_path / "decisions").mkdir()
    (tmp_path / "decisions" / f"{A}-x.md").write_text(memo_text(A), encoding="utf-8")
    stats = gather_stats(load_config(tmp_path), "", TODAY)
    assert stats.latency.decisions == 1
    assert (
        stats.history_note
        == f"dates not checked against git history: {tmp_path} is not in a git repository; run 'git init' there"
    )


def test_stats_command_prints_the_figures(repo: GitRepo, invoke) -> None:
    repo.add_memo(A, date="2026-01-01", decided_on="2026-01-03", review_by="2026-06-01")
    repo.add_memo(B, title="Hire an SRE", date="2026-01-01", decided_on="2026-01-11", dri="Bo Sand", supersedes=[A])
    commit_at(repo, "2026-01-11", "log")
    result = invoke("stats", "--since", "2026-01-01")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[1:5] == [
        "Latency, opened -> decided: median 6 days, p90 10 days (2 decisions)",
        "Decisions per DRI (the busiest carries 50%):",
        "     1  Ana Ruiz",
        "     1  Bo Sand",
    ]
    assert "Supersession: 1 of 2 decisions superseded (50%)" in lines
    assert "Dates that disagree with git history:" in lines
    document = json.loads(invoke("stats", "--format", "json").stdout)
    assert (document["latency"], document["supersession_rate"]) == ({"decisions": 2, "median": 6, "p90": 10}, 0.5)


def test_stats_rejects_a_bad_since_date(repo: GitRepo, invoke) -> None:
    result = invoke("stats", "--since", "2026-02-30")
    assert result.exit_code == 2
    assert "'2026-02-30' is not a date; write YYYY-MM-DD (e.g. 2026-02-28)" in result.stderr


def test_the_coordination_page_draws_bars_in_inline_svg(repo: GitRepo) -> None:
    write_log(repo)
    page = render_coordination(compute_stats(entries(repo), "", TODAY))
    assert page.startswith("# Coordination\n\n10 memos (all memos), as of 2026-03-01.\n")
    assert "median **4 days**, 90th percentile **20 days**" in page
    svgs = [line for line in page.splitlines() if line.startswith("<svg")]
    assert len(svgs) == 3 and all(s.endswith("</svg>") for s in svgs)
    # Bars scale to the largest value: 330 px for Ana's 3, so 220 for Bo's 2 and 110 for Chen's 1.
    assert re.findall(r'<rect x="180" y="\d+" width="(\d+)"', svgs[0]) == ["330", "220", "110"]
    assert "<script" not in page and "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_chart_labels_are_escaped() -> None:
    from decide.site.chart import bar_chart

    svg = bar_chart([("<b>Ana</b> & co", 2)], "Load <1>")
    assert "<title>Load &lt;1&gt;</title>" in svg
    assert "&lt;b&gt;Ana&lt;/b&gt; &amp; co" in svg and "<b>" not in svg
