"""What needs attention: found from real memo files, rendered as text, JSON and the site's page."""

from __future__ import annotations

import datetime
import json

from conftest import GitRepo

from decide.config import load_config
from decide.decisions import load_log
from decide.due import DueItem, find_due, render_due_text
from decide.index import build_index
from decide.site.html import fences

A, B, C, D, E, F, G, H = "D-7KQ2MX", "D-3ND8WZ", "D-9PF4RT", "D-4HJ6KA", "D-5MN7PB", "D-6QR8SC", "D-8TV9WD", "D-2XY3ZE"
PROPOSED = {"status": "proposed", "decided_on": None}


def write_log(repo: GitRepo) -> None:
    """A log seen on 2026-03-01 with a 14-day proposal limit and one open proposal allowed per DRI."""
    repo.write("decide.toml", "dri-load-limit = 1\n")
    repo.add_memo(A, review_by="2026-02-01")  # 28 days late
    repo.add_memo(B, title="Hire a second SRE", dri="Bo Sand", review_by="2026-02-27")  # 2 days late
    repo.add_memo(C, title="Keep the monolith", review_by="2026-03-01")  # due today: not late yet
    repo.add_memo(D, title="Price in euros", date="2026-02-10", **PROPOSED)  # open 19 days
    repo.add_memo(E, title="Drop IE11", dri="Ana Ruiz", date="2026-02-15", **PROPOSED)  # open 14 days: the limit
    repo.add_memo(
        F,
        title="Use ADRs",
        decided_on="2025-12-01",
        date="2025-12-01",
        inputs=None,
        escalation=None,
        imported={"from": "adr-tools", "source": "doc/adr/0001.md"},
    )
    repo.add_memo(G, title="Old cache plan", review_by="2026-01-15")  # superseded: never due
    repo.add_memo(H, title="New cache plan", supersedes=[G])
    repo.add_memo(
        "D-0ABCDE", title="Rejected idea", status="rejected", decided_on=None, closed_on="2026-01-10", reason="no"
    )


def report_for(repo: GitRepo, today: str = "2026-03-01"):
    config = load_config(repo.root)
    return find_due(
        build_index(load_log(config).memos),
        today,
        proposal_age_limit=config.proposal_age_limit,
        dri_load_limit=config.dri_load_limit,
    )


def test_everything_due_is_found_in_its_group(repo: GitRepo) -> None:
    write_log(repo)
    report = report_for(repo)
    assert [(i.id, i.days) for i in report.overdue_reviews] == [(A, 28), (B, 2)]
    assert [(i.id, i.days) for i in report.stale_proposals] == [(D, 19)]
    assert report.no_escalation == (
        DueItem(
            F,
            "Use ADRs",
            f"decisions/{F}-use-adrs.md",
            "Ana Ruiz",
            90,
            "decided 2025-12-01, 90 days ago (imported from adr-tools); add escalation: trigger and to",
            dri_email="ana@example.com",
        ),
    )
    assert [(d.dri, d.open, d.limit, d.ids) for d in report.overloaded] == [("Ana Ruiz", 2, 1, (D, E))]
    assert report.count == 5


def test_the_text_names_the_memo_the_dri_and_how_late(repo: GitRepo) -> None:
    write_log(repo)
    assert render_due_text(report_for(repo)) == (
        "Reviews overdue (2):\n"
        f'  {A} "Adopt Postgres for billing" (DRI Ana Ruiz): review was due 2026-02-01, 28 days late\n'
        f'  {B} "Hire a second SRE" (DRI Bo Sand): review was due 2026-02-27, 2 days late\n'
        "Proposals open too long (1):\n"
        f'  {D} "Price in euros" (DRI Ana Ruiz): open since 2026-02-10, 19 days (5 days over the 14-day limit)\n'
        "Decided without an escalation path (1):\n"
        f'  {F} "Use ADRs" (DRI Ana Ruiz): decided 2025-12-01, 90 days ago (imported from adr-tools); '
        "add escalation: trigger and to\n"
        "DRIs with too many open proposals (1):\n"
        f"  Ana Ruiz: 2 open proposals, limit 1: {D}, {E}\n"
    )


def test_a_day_later_the_proposal_at_the_limit_is_due_too(repo: GitRepo) -> None:
    write_log(repo)
    report = report_for(repo, "2026-03-02")
    assert [(i.id, i.days, i.detail) for i in report.stale_proposals] == [
        (D, 20, "open since 2026-02-10, 20 days (6 days over the 14-day limit)"),
        (E, 15, "open since 2026-02-15, 15 days (1 day over the 14-day limit)"),
    ]
    assert [i.id for i in report.overdue_reviews] == [A, B, C]


def test_due_fail_exits_1_in_a_repo_with_overdue_reviews(repo: GitRepo, invoke) -> None:
    today = datetime.date.today()
    month_ago, yesterday = (today - datetime.timedelta(days=n) for n in (30, 1))
    repo.add_memo(A, date="2020-01-01", decided_on="2020-01-02", review_by=month_ago.isoformat())
    repo.add_memo(
        B, title="Hire a second SRE", date="2020-01-01", decided_on="2020-01-02", review_by=yesterday.isoformat()
    )
    repo.commit("log")
    result = invoke("due", "--fail")
    assert result.exit_code == 1
    assert result.stdout == (
        "Reviews overdue (2):\n"
        f'  {A} "Adopt Postgres for billing" (DRI Ana Ruiz): review was due {month_ago}, 30 days late\n'
        f'  {B} "Hire a second SRE" (DRI Ana Ruiz): review was due {yesterday}, 1 day late\n'
    )
    assert invoke("due").exit_code == 0


def test_due_fail_exits_0_when_nothing_is_due(repo: GitRepo, invoke) -> None:
    repo.add_memo(A)
    result = invoke("due", "--fail")
    assert (result.exit_code, result.stdout) == (0, f"Nothing needs attention on {datetime.date.today()}.\n")


def test_due_json_lists_the_groups_and_the_count(repo: GitRepo, invoke) -> None:
    repo.add_memo(A, review_by="2020-02-01")
    document = json.loads(invoke("due", "--format", "json").stdout)
    assert document["count"] == 1
    assert [i["id"] for i in document["overdue_reviews"]] == [A]
    assert (document["stale_proposals"], document["no_escalation"], document["overloaded"]) == ([], [], [])


def site_page(repo: GitRepo, today: str = "2026-03-01", **options: int) -> str:
    """The site's "Needs attention" page of the log in ``repo`` on ``today``."""
    from decide.site.html import Linker, SiteContext
    from decide.site.pages import SiteOptions, render_attention

    config = load_config(repo.root)
    day = datetime.date.fromisoformat(today)
    limits = {"proposal_age_limit": config.proposal_age_limit, "dri_load_limit": config.dri_load_limit}
    ctx = SiteContext(build_index(load_log(config).memos), day, Linker(), config.proposal_age_limit)
    return render_attention(ctx, SiteOptions(today=day, **limits), **options)


def test_the_needs_attention_page_links_each_memo_and_dri_and_escapes_titles(repo: GitRepo) -> None:
    START = fences()[0]
    write_log(repo)
    repo.add_memo("D-1BCDEF", title="Ship <b>fast</b> | now", review_by="2026-02-28")
    page = site_page(repo)
    assert (
        f'\n# Needs attention\n\n{START}\n<p>As of <time datetime="2026-03-01">2026-03-01</time>, the day this site was built: 6 items.</p>\n'
        in page
    )
    assert page.index("## Reviews overdue") < page.index("## Proposals open too long")
    assert (
        '<tr><td data-label="Decision"><a href="../decisions/D-1BCDEF-ship-b-fast-b-now/" class="decide-id">D-1BCDEF</a> '
        'Ship &lt;b&gt;fast&lt;/b&gt; | now</td><td data-label="DRI"><a href="../people/ana-ruiz/">Ana Ruiz</a></td>'
        '<td data-label="What is due" data-sort="1">review was due 2026-02-28, 1 day late</td></tr>'
    ) in page
    assert (
        f'<tr><td data-label="DRI"><a href="../people/ana-ruiz/">Ana Ruiz</a></td><td data-label="Open proposals">2</td>'
        f'<td data-label="Limit">1</td><td data-label="Decisions"><a href="../decisions/{D}-price-in-euros/">{D}</a>, '
        f'<a href="../decisions/{E}-drop-ie11/">{E}</a></td></tr>'
    ) in page


def test_the_needs_attention_page_says_when_nothing_is_due(repo: GitRepo) -> None:
    START, END = fences()
    page = site_page(repo)
    assert page.endswith(
        f'# Needs attention\n\n{START}\n<p>As of <time datetime="2026-03-01">2026-03-01</time>, the day this site was built: 0 items.</p>\n{END}\n\n'
        f"{START}\n<p>Nothing needs attention.</p>\n{END}\n"
    )


def test_the_site_page_shows_a_limited_number_per_group_and_says_how_many_more(repo: GitRepo) -> None:
    for n in range(5):
        repo.add_memo(f"D-AAAAA{n}", date="2025-01-01", decided_on="2025-01-02", review_by="2025-06-01")
    text = site_page(repo, "2026-01-01", limit=2)
    assert text.count('class="decide-id">D-AAAAA') == 2
    assert "<p>…and 3 more: run <code>decide due</code> for the full list.</p>" in text
    assert site_page(repo, "2026-01-01").count('class="decide-id">D-AAAAA') == 5


def test_imported_memos_still_to_check_are_listed_until_the_marker_is_removed(repo: GitRepo, invoke) -> None:
    imported = {"from": "madr", "source": "docs/adr/0003-use-kafka.md"}
    repo.add_memo(
        A,
        title="Use Kafka",
        date="2026-02-01",
        decided_on="2026-02-01",
        imported=imported,
        needs_human=["dri: names no decider; the DRI is Ana Ruiz, who committed the file first: confirm the DRI"],
    )
    repo.add_memo(
        B,
        title="Use Redis",
        status="proposed",
        decided_on=None,
        date="2026-02-20",
        imported=imported | {"source": "docs/adr/0004-use-redis.md"},
        needs_human=["status: no status; imported as proposed: set the status by hand", "date: check it"],
    )
    report = report_for(repo)
    assert [(i.id, i.days, i.detail) for i in report.needs_human] == [
        (A, 28, "1 item to check (dri); see needs_human in the memo"),
        (B, 9, "2 items to check (status, date); see needs_human in the memo"),
    ]
    assert render_due_text(report).endswith(
        "Imported, still to check by hand (2):\n"
        f'  {A} "Use Kafka" (DRI Ana Ruiz): 1 item to check (dri); see needs_human in the memo\n'
        f'  {B} "Use Redis" (DRI Ana Ruiz): 2 items to check (status, date); see needs_human in the memo\n'
    )
    assert [i["id"] for i in json.loads(invoke("due", "--format", "json").stdout)["needs_human"]] == [A, B]
    assert "## Imported, still to check by hand\n" in site_page(repo)
