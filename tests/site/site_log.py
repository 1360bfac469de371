"""A small decision log for the site tests: every page kind has something to show, and one title is hostile."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

from conftest import GitRepo, memo_text

REPO = Path(__file__).resolve().parents[2]
SCRIPT_TITLE = "<script>alert(1)</script>"
OLD, NEW, SCRIPT, WAITING_OLD, WAITING_NEW, RETIRED, OVERDUE = (
    "D-0000A1",
    "D-0000A2",
    "D-0000A3",
    "D-0000A4",
    "D-0000A5",
    "D-0000A6",
    "D-0000A7",
)


def _day(today: datetime.date, days_ago: int) -> str:
    return (today - datetime.timedelta(days=days_ago)).isoformat()


def write_site_log(repo: GitRepo, today: datetime.date) -> None:
    """Seven memos: a supersession pair, a hostile title, two proposals, a retired memo, an overdue review."""

    def d(days_ago: int) -> str:
        return _day(today, days_ago)

    repo.add_memo(OLD, title="Host billing on MySQL", dri="Bo Sand", date=d(400), decided_on=d(340), tags=["billing"])
    repo.add_memo(
        NEW,
        title="Move billing to Postgres",
        dri="Ana Ruiz <ana@example.com>",
        date=d(40),
        decided_on=d(35),
        supersedes=[OLD],
        inputs=[
            "Platform team review",
            {"who": "Finance forecast", "link": "https://example.com/forecast"},
            {"who": "A pasted link", "link": "javascript:alert(2)"},
        ],
        escalation={"trigger": "hosting cost exceeds $50k a year", "to": "Chen Park"},
        review_by=d(-300),
        tags=["billing", "databases"],
    )
    repo.add_memo(SCRIPT, title=SCRIPT_TITLE, dri="Ana Ruiz", date=d(30), decided_on=d(29), tags=["<b>bold</b>"])
    repo.add_memo(
        WAITING_OLD,
        title="Adopt a weekly on-call rotation",
        status="proposed",
        dri="Dara Lind",
        date=d(20),
        decided_on=None,
    )
    repo.add_memo(WAITING_NEW, title="Fund a search team", status="proposed", dri="TBD", date=d(3), decided_on=None)
    repo.add_memo(
        RETIRED,
        title="Freeze mobile releases in December",
        status="retired",
        dri="Dara Lind",
        date=d(500),
        decided_on=d(499),
        closed_on=d(100),
        reason="the release train replaced the freeze",
    )
    repo.add_memo(
        OVERDUE, title="Keep the EU region warm", dri="Dara Lind", date=d(200), decided_on=d(199), review_by=d(10)
    )


def copy_site_config(repo: GitRepo) -> None:
    """This project's mkdocs.yml and hand-written docs, so the fixture site is built like the real one."""
    shutil.copy(REPO / "mkdocs.yml", repo.root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", repo.root / "docs")


# Memo bodies that ran script in Chromium when the site was built, though a check of each line for
# tags, handlers and "javascript:" let them through.
SCRIPT_BODIES = {
    "attribute on the next line": '<img src=x\nonerror="alert(1)">',
    "attribute joined by a blockquote": "> <img src=x\n> onerror=alert(1)>",
    "entity in the scheme": '<a href="jav&#x61;script:alert(1)">plan</a>',
    "named entity for the colon": '<a href="javascript&colon;alert(1)">plan</a>',
    "fence indented one space": " ```html\n<script>alert(1)</script>\n ```",
    "fence with a free-text info string": "```not a fence at all\n<script>alert(1)</script>\n```",
    "backslash-escaped backticks": "\\`<script>alert(1)</script>\\`",
    "markdown link": "[plan](javascript:alert(1))",
    "markdown link with an entity": "[plan](jav&#x61;script:alert(1))",
    "reference link": "See [the plan][p].\n\n[p]: javascript:alert(1)",
    "attribute list": "Read this.\n{: onclick=alert(1) }",
    "attribute list on a code span": "`plan`{: onmouseover=alert(1)}",
    "comment that a browser ends early": "<!--> <img src=x onerror=alert(1)> -->",
    "data URL": "[plan](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
}


# The bodies of issue 16 that ran script, hid the banner or broke a command on the site as it was.
_MUTATION = '<{0}><p title="</{0}><img src=x onerror=alert(1)>"></{0}>'
HOSTILE_BODIES = {
    "forged placeholder": (
        "```\n<!-- decide:html -->\n<img src=x onerror=alert(1)>\n<!-- /decide:html -->\n```\n\n<!-- decide:block 1 -->"
    ),
    **{
        f"mutation through <{tag}>": _MUTATION.format(tag)
        for tag in ("noscript", "textarea", "title", "xmp", "noembed", "noframes")
    },
    "svg onload": "<svg onload=alert(1)><circle r=5 /></svg>",
    "style that hides the banner": "<style>.decide-banner { display: none !important }</style>\n\nStill current.",
    "style attribute that covers the banner": (
        'Still current.\n{: style="position:fixed;inset:0;background:#fff;z-index:1000" }'
    ),
    "classes of the theme": "Still current.\n{: .md-dialog .md-dialog--active }",
    "a declaration the HTML parser choked on": "<div><![x]>",
}


def write_script_bodies(repo: GitRepo) -> dict[str, str]:
    """One memo per entry of SCRIPT_BODIES, the snippet under "## Context"; returns each memo's ID by name."""
    ids = {}
    for number, (name, snippet) in enumerate(SCRIPT_BODIES.items()):
        memo_id = f"D-0000S{number:X}"
        repo.add_memo(memo_id, title=f"Body with {name}", body=f"\n## Context\n\n{snippet}\n")
        ids[name] = memo_id
    return ids


# Markdown and HTML that would run script if any page let Markdown read a front-matter value.
ATTACK = (
    "[Read the plan](javascript:alert(document.domain)) <img src=x onerror=alert(2)> `x`{: onclick=alert(3)} "
    "[plan](jav&#x61;script:alert(4)) <javascript:alert(5)> ![i](javascript:alert(6)) {: onmouseover=alert(7) }"
)
HOSTILE_DRIS = (
    "[Ana](javascript:alert(1))",
    "Bo {: onclick=alert(1) }",
    "`Chen`{onclick=alert(1)}",
    '<img src=x onerror="alert(1)">',
    "Dara <javascript:alert(1)>",
    ATTACK,
)


def write_hostile_log(repo: GitRepo, today: datetime.date) -> None:
    """Memos whose every field holds ATTACK or a hostile DRI, placed so that every page and every group shows them.

    Most are invalid, so only a plain build (which warns) publishes them.
    """

    def d(days_ago: int) -> str:
        return _day(today, days_ago)

    everything = {
        "tags": [ATTACK, "<b>bold</b>"],
        "aliases": [ATTACK],
        "inputs": [ATTACK, {"who": ATTACK, "what": ATTACK, "link": "javascript:alert(1)"}],
        "escalation": {"trigger": ATTACK, "to": ATTACK},
        "reason": ATTACK,
        "reviews": [{"date": ATTACK, "by": ATTACK, "note": ATTACK}],
        "imported": {"from": ATTACK, "source": ATTACK},
        "x-note": ATTACK,
    }
    proposed = {"status": "proposed", "decided_on": None}
    repo.add_memo("D-0000H0", title=ATTACK, dri=HOSTILE_DRIS[0], date=d(40), **proposed, **everything)
    for n in range(6):  # one DRI over the limit of five open proposals
        repo.add_memo(f"D-0000H{n + 1}", title=f"Open {n} {ATTACK}", dri=HOSTILE_DRIS[1], date=d(3), **proposed)
    repo.add_memo(
        "D-0000H7",
        title=ATTACK,
        dri=HOSTILE_DRIS[2],
        date=d(90),
        decided_on=d(80),
        escalation=None,
        **{k: v for k, v in everything.items() if k != "escalation"},
    )
    repo.add_memo("D-0000H8", title=ATTACK, dri=HOSTILE_DRIS[3], date=d(60), decided_on=d(50), review_by=d(5))
    repo.add_memo(
        "D-0000H9", title=f"New {ATTACK}", dri=HOSTILE_DRIS[4], date=d(20), decided_on=d(19), supersedes=["D-0000H8"]
    )
    repo.add_memo(
        "D-0000HA",
        title=ATTACK,
        dri=HOSTILE_DRIS[5],
        status="retired",
        date=ATTACK,
        decided_on=ATTACK,
        closed_on=ATTACK,
        review_by=ATTACK,
        **{k: v for k, v in everything.items() if k != "reason"},
        reason=ATTACK,
    )
    repo.add_memo("D-0000HB", title="A status", status=ATTACK, dri=HOSTILE_DRIS[0], date=d(10), decided_on=d(9))
    repo.write(
        "decisions/D-0000HC-an-id.md",
        memo_text(ATTACK, title="An ID", dri=HOSTILE_DRIS[0], date=d(8), decided_on=d(7), supersedes=[ATTACK]),
    )
