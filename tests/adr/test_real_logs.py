"""Imports of logs shaped like real teams' (tests/adr/fixtures/), one test per class of mistake issue 14 found.

Each test asserts the fields of the memos written, read back from disk as ``decide`` reads them.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import GitRepo

from decide.adr.folder import ImportOptions, import_folder
from decide.adr.importer import ImportPlan, Outcome
from decide.adr.report import LINE_MAX, render_report, report_dict
from decide.config import Config, load_config
from decide.decisions import load_log
from decide.index import build_index
from decide.memo import Memo, load
from decide.validate import validate

FIXTURES = Path(__file__).parent / "fixtures"
ANA = "Ana Ruiz <ana@example.com>"
Invoke = Callable[..., Result]


def copy_log(repo: GitRepo, fixture: str, into: str = "docs/adr", *, commit: bool = True) -> Path:
    folder = repo.root / into
    shutil.copytree(FIXTURES / fixture, folder)
    if commit:
        repo.commit(f"ADRs from {fixture}")
    return folder


def imported(repo: GitRepo, fixture: str, options: ImportOptions | None = None) -> tuple[Config, ImportPlan]:
    config = load_config(repo.root)
    plan = import_folder(config, copy_log(repo, fixture), options)
    assert validate(config).problems == ()
    return config, plan


def outcome(plan: ImportPlan, name: str) -> Outcome:
    return next(o for o in plan.outcomes if o.source.endswith("/" + name))


def memo(config: Config, plan: ImportPlan, name: str) -> Memo:
    parsed = load(config.decisions_dir / outcome(plan, name).filename, config.root)
    assert parsed.memo is not None
    return parsed.memo


def fields(config: Config, plan: ImportPlan, name: str, *keys: str) -> tuple[object, ...]:
    data = memo(config, plan, name).data
    return tuple(data.get(key) for key in keys)


# 1. Meetings and roles never become the DRI; decider lists with commas inside parentheses.


def test_meetings_and_roles_become_inputs_and_the_dri_is_left_to_confirm(repo: GitRepo) -> None:
    config, plan = imported(repo, "madr2-meetings")
    confirm = f"the DRI is {ANA}, who committed the file first: confirm the DRI"
    for name, group in [
        ("0001-use-standard-kubeconfig-mechanisms.md", "Architecture Meeting"),
        ("0002-plan-for-usage-without-wrapper-scripts.md", "arch meeting"),
        ("0003-run-tekton-on-the-management-cluster.md", "Cluster API management and Tekton meeting"),
        ("0004-prioritise-the-mobile-checkout.md", "product owner"),
    ]:
        assert fields(config, plan, name, "dri", "inputs", "needs_human") == (
            ANA,
            [f"{group} (decider)"],
            [f"dri: names no one person as decider ({group}); {confirm}"],
        )
    assert fields(config, plan, "0005-push-metrics-via-thanos.md", "dri", "inputs", "needs_human") == (
        "Ana Ruiz",
        ["Bo Sand (Security; on call; decider)"],
        ["dri: 2 deciders (Ana Ruiz, Bo Sand); the DRI is the first, Ana Ruiz: confirm the DRI"],
    )
    assert fields(config, plan, "0007-persist-dex.md", "dri", "inputs", "needs_human") == (
        "Ana Ruiz",
        ["Tekton meeting (decider)"],
        None,
    )
    assert fields(config, plan, "0008-use-a-single-ingress-controller.md", "status", "dri", "inputs") == (
        "proposed",
        "Chen Lind",
        ["Architecture Meeting (decider)"],
    )


def test_with_dri_given_a_meeting_is_an_input_and_nothing_is_left_to_confirm(repo: GitRepo) -> None:
    config, plan = imported(repo, "madr2-meetings", ImportOptions(dri="Dee Park"))
    assert fields(config, plan, "0001-use-standard-kubeconfig-mechanisms.md", "dri", "inputs", "needs_human") == (
        "Dee Park",
        ["Architecture Meeting (decider)"],
        None,
    )
    assert outcome(plan, "0006-do-not-persist-dex.md").notes[-1].message == (
        "names no one person as decider (Compliant Kubernetes Architecture Meeting); the DRI is Dee Park (--dri)"
    )


# 2. Git facts follow renames across folder moves.


def commit_as(repo: GitRepo, who: str, date: str, message: str) -> None:
    name, email = who.removesuffix(">").split(" <")
    repo.git("add", "-A")
    repo.git("-c", f"user.name={name}", "-c", f"user.email={email}", "commit", "-q", "-m", message, "--date", date)


def test_a_log_moved_from_doc_to_docs_by_someone_else_keeps_its_authors_and_dates(repo: GitRepo) -> None:
    copy_log(repo, "adr-tools", "doc/adr", commit=False)
    commit_as(repo, ANA, "2019-03-01T12:00:00", "ADRs")
    repo.git("mv", "doc", "docs")
    commit_as(repo, "Bo Sand <bo@example.com>", "2021-05-05T12:00:00", "Move the docs to docs/")
    config = load_config(repo.root)
    plan = import_folder(config, repo.root / "docs" / "adr")
    undated = memo(config, plan, "0006-rejected-without-date.md")
    assert (undated.date, undated.dri, undated.imported_source) == (
        "2019-03-01",
        ANA,
        "docs/adr/0006-rejected-without-date.md",
    )
    written = [memo(config, plan, o.source.rsplit("/", 1)[1]) for o in plan.outcomes if o.filename]
    assert {m.dri for m in written if m.status != "proposed"} == {ANA}
    assert outcome(plan, "0006-rejected-without-date.md").notes[0].message == (
        "no date in the record; used the date of its first git commit (2019-03-01)"
    )


# 3. MADR 2/3/4 statuses and supersession in all their written forms.


def test_madr4_supersession_without_links_and_partial_supersession_as_amends(repo: GitRepo) -> None:
    config, plan = imported(repo, "madr4")
    ids = {o.source.rsplit("/", 1)[1][:4]: o.id for o in plan.outcomes}
    assert fields(config, plan, "0057-storybook-on-the-vite-builder.md", "status", "supersedes", "imported") == (
        "decided",
        [ids["0045"], ids["0056"]],
        {
            "from": "madr",
            "source": "docs/adr/0057-storybook-on-the-vite-builder.md",
            "status": "accepted; supersedes ADR-0045",
        },
    )
    assert fields(config, plan, "0059-host-docs-on-github-pages.md", "status", "supersedes") == (
        "proposed",
        [ids["0058"]],
    )
    assert fields(config, plan, "0062-stream-events-over-grpc.md", "amends") == ([ids["0061"]],)
    entries = {e.id: e for e in build_index(load_log(config).memos)}
    assert [entries[ids[n]].status for n in ("0045", "0056", "0058", "0061")] == [
        "superseded",
        "superseded",
        "superseded",
        "decided",
    ]
    assert entries[ids["0061"]].amended_by == (ids["0062"],)
    assert fields(config, plan, "0060-drop-internet-explorer.md", "status") == ("rejected",)
    assert outcome(plan, "0060-drop-internet-explorer.md").notes[0].message == (
        '"rejected (see ADR-0019)" read as rejected'
    )


def test_madr3_deciders_and_madr2_superseded_by_link(repo: GitRepo) -> None:
    config, plan = imported(repo, "madr4")
    assert fields(config, plan, "0013-use-yaml-front-matter-for-meta-data.md", "dri", "status") == (
        "Oliver Kopp",
        "decided",
    )
    config2, plan2 = imported_elsewhere(repo, "madr2-meetings")
    dex = outcome(plan2, "0007-persist-dex.md").id
    assert fields(config2, plan2, "0007-persist-dex.md", "supersedes") == (
        [outcome(plan2, "0006-do-not-persist-dex.md").id],
    )
    assert dex


def imported_elsewhere(repo: GitRepo, fixture: str) -> tuple[Config, ImportPlan]:
    config = load_config(repo.root)
    plan = import_folder(config, copy_log(repo, fixture, f"other/{fixture}"))
    assert validate(config).problems == ()
    return config, plan


# 4. File-name styles; dated names are not numbers.


def test_adr_prefixed_names_are_numbered_records(repo: GitRepo, invoke: Invoke) -> None:
    config, plan = imported(repo, "adr-prefixed")
    assert [(o.result, memo(config, plan, o.source.rsplit("/", 1)[1]).aliases) for o in plan.outcomes] == [
        ("imported", ("001",)),
        ("imported", ("002",)),
        ("imported", ("003",)),
    ]
    assert invoke("show", "ADR-1").stdout.splitlines()[0].endswith(": Record architecture decisions")
    first = outcome(plan, "adr-001-record-architecture-decisions.md").filename
    assert f"see [ADR-001]({first})." in memo(config, plan, "adr-002-client-side-only.md").body


def test_upper_case_adr_names_with_date_and_status_sections(repo: GitRepo) -> None:
    config, plan = imported(repo, "adr-upper")
    auth = memo(config, plan, "ADR-0004-hosted-auth-boundary.md")
    assert (auth.title, auth.date, auth.status, auth.aliases) == (
        "Hosted Auth Boundary",
        "2024-06-17",
        "decided",
        ("0004",),
    )
    assert fields(config, plan, "ADR-0005-remote-oauth.md", "amends") == ([auth.id],)


def test_dated_names_are_dates_and_aliases_not_record_numbers(repo: GitRepo) -> None:
    config, plan = imported(repo, "dated")
    report = render_report(plan, decisions="decisions", dry_run=False)
    assert "number" not in report and "2023 is also" not in report
    assert [memo(config, plan, o.source.rsplit("/", 1)[1]).aliases for o in plan.outcomes] == [
        ("2023-05-15-use-kafka-streams",),
        ("2023-05-15-use-kafka",),
        ("2023-05-16-use-avro",),
        ("2023-09-01-use-protobuf",),
        ("20231001-use-schema-registry",),
    ]
    assert fields(config, plan, "2023-05-15-use-kafka.md", "date") == ("2023-05-09",)
    assert fields(config, plan, "2023-05-15-use-kafka-streams.md", "date") == ("2023-05-15",)
    assert fields(config, plan, "2023-09-01-use-protobuf.md", "supersedes") == (
        [outcome(plan, "2023-05-16-use-avro.md").id],
    )


# 5. Dates in common forms; ambiguous ones flagged; an option says the order.


def test_written_dates_are_read_and_never_called_missing(repo: GitRepo) -> None:
    config, plan = imported(repo, "dates")
    dates = {o.source.rsplit("/", 1)[1]: memo(config, plan, o.source.rsplit("/", 1)[1]).date for o in plan.outcomes}
    first_commit = repo.git("log", "-1", "--format=%ad", "--date=short").strip()
    assert dates == {
        "0001-dmy-slashes.md": "2023-05-15",
        "0002-dmy-two-digit-year.md": "2023-05-15",
        "0003-bold.md": "2026-03-16",
        "0004-bracketed.md": "2023-05-09",
        "0005-swapped-iso.md": "2023-10-13",
        "0006-ambiguous.md": "2023-06-05",  # the folder writes day first (15/05/2023)
        "0007-written-out.md": "2023-05-15",
        "0008-not-a-date.md": first_commit,
    }
    assert fields(config, plan, "0008-not-a-date.md", "needs_human") == (
        [
            f'date: "March 2019" is not a date (YYYY-MM-DD); used the date of its first git commit ({first_commit})',
            f"dri: names no decider; the DRI is {ANA}, who committed the file first: confirm the DRI",
        ],
    )
    assert "no date in the record" not in render_report(plan, decisions="decisions", dry_run=False)


def test_an_ambiguous_date_is_flagged_and_the_order_option_settles_it(repo: GitRepo) -> None:
    repo.write("adr/0001-a.md", "# 1. Use A\n\nDate: 05/06/2023\n\n## Status\n\nProposed\n")
    config = load_config(repo.root)
    dry = import_folder(config, repo.root / "adr", ImportOptions(dry_run=True))
    assert [n.message for n in dry.outcomes[0].notes] == [
        '"05/06/2023" is 5 June 2023 or 6 May 2023; read day first (2023-06-05): check it, or pass --date-order mdy'
    ]
    plan = import_folder(config, repo.root / "adr", ImportOptions(date_order="mdy"))
    assert (memo(config, plan, "0001-a.md").date, plan.outcomes[0].notes) == ("2023-05-06", ())


# 6. Links between records point to the new memos; images are copied beside them (the strict build is in
# test_build_of_an_imported_log below).


def test_links_are_rewritten_and_images_copied_without_touching_the_source(repo: GitRepo) -> None:
    config, plan = imported(repo, "nygard")
    dns = outcome(plan, "0015-dns.md").filename
    custody = memo(config, plan, "0012-use-the-custody-api.md")
    assert f"as [DNS]({dns}#decision) already assumes" in custody.body
    assert "![the diagram](assets/nomis.png)" in custody.body
    elite = memo(config, plan, "0016-use-the-elite2-api.md")
    assert f"[custody]: {outcome(plan, '0012-use-the-custody-api.md').filename}\n" in elite.body
    assert "(see `0015-dns.md`)" in memo(config, plan, "0017-use-managed-dns.md").body  # code stays code
    assert plan.assets == ("0015-img01.png", "assets/nomis.png")
    for asset in plan.assets:
        assert (config.decisions_dir / asset).read_bytes() == (repo.root / "docs/adr" / asset).read_bytes()
    assert repo.git("status", "--porcelain", "docs") == ""


def test_a_broken_link_is_a_to_do_and_a_different_image_is_never_overwritten(repo: GitRepo) -> None:
    repo.write(
        "adr/0001-a.md", "# 1. Use A\n\nDate: 2020-01-01\n\n## Status\n\nProposed\n\n![x](x.png) [g](0009-gone.md)\n"
    )
    repo.write("adr/x.png", b"\x89PNG one")
    repo.write("decisions/x.png", b"\x89PNG other")
    config = load_config(repo.root)
    plan = import_folder(config, repo.root / "adr")
    assert fields(config, plan, "0001-a.md", "needs_human") == (
        [
            'links: "x.png" decisions/x.png exists with other content; not copied: copy it under another name and fix the link',
            'links: "0009-gone.md" does not exist; fix or remove the link',
        ],
    )
    assert (config.decisions_dir / "x.png").read_bytes() == b"\x89PNG other"


# 7. The to-do survives the run: a marker in the memo, listed by due, reported again; dry-run IDs are real IDs.


def test_the_to_do_survives_until_someone_clears_it(repo: GitRepo, invoke: Invoke) -> None:
    folder = str(copy_log(repo, "madr2-meetings"))
    dry = json.loads(invoke("import", folder, "--dry-run", "--format", "json").stdout)
    first = json.loads(invoke("import", folder, "--format", "json").stdout)
    assert [(f["source"], f["id"], f["path"]) for f in dry["files"]] == [
        (f["source"], f["id"], f["path"]) for f in first["files"]
    ]
    assert first["summary"]["need_a_human"] == 6
    second = invoke("import", folder, "--format", "json")
    again = json.loads(second.stdout)
    assert (second.exit_code, again["summary"]["already_imported"], again["summary"]["need_a_human"]) == (1, 8, 6)
    assert [t["message"] for t in again["to_do"]] == [t["message"] for t in first["to_do"]]
    due = invoke("due").stdout
    assert due.count("see needs_human in the memo") == 6
    for path in repo.decisions.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text[: text.index("needs_human:")] + text[text.index("---\n", text.index("needs_human:")) :]
            if "needs_human:" in text
            else text,
            encoding="utf-8",
        )
    cleared = invoke("import", folder)
    assert (cleared.exit_code, cleared.stderr) == (
        0,
        "8 file(s): 0 imported, 0 skipped, 8 already imported; 0 need a human\n",
    )
    assert "Imported, still to check by hand" not in invoke("due").stdout


# 8. Titles cleaned, the original kept; 9. status as h1, partly superseded, amends, "Rejected (see …)".


def test_titles_are_cleaned_and_kept_as_written(repo: GitRepo) -> None:
    config, plan = imported(repo, "nygard")
    for name, title, written in [
        ("0023-drop-internet-explorer.md", "Drop Internet Explorer", "23 Drop Internet Explorer"),
        ("0024-rewrite-the-frontend.md", "Rewrite the frontend", "Architecture Decision Record: Rewrite the frontend"),
        (
            "0012-use-the-custody-api.md",
            "Use the Custody API to access NOMIS data",
            "12. Use the Custody API to access NOMIS data",
        ),
    ]:
        found = memo(config, plan, name)
        assert (found.title, found.data["imported"]["title"]) == (title, written)


def test_smaller_forms_keep_their_meaning(repo: GitRepo) -> None:
    config, plan = imported(repo, "nygard")
    ids = {o.source.rsplit("/", 1)[1][:4]: o.id for o in plan.outcomes}
    assert fields(config, plan, "0017-use-managed-dns.md", "status", "supersedes") == ("decided", [ids["0015"]])
    assert fields(config, plan, "0016-use-the-elite2-api.md", "amends") == ([ids["0012"]],)
    assert fields(config, plan, "0023-drop-internet-explorer.md", "amends") == ([ids["0019"]],)
    assert fields(config, plan, "0019-support-old-browsers.md", "status") == ("decided",)
    assert fields(config, plan, "0024-rewrite-the-frontend.md", "status") == ("rejected",)
    lines = render_report(plan, decisions="decisions", dry_run=False).splitlines()
    assert (
        '  status read from prose (1 file): 0024-rewrite-the-frontend.md: "Rejected (see 019)" read as rejected'
        in lines
    )


def test_site_generator_keys_are_said_once_for_the_whole_log(repo: GitRepo) -> None:
    _config, plan = imported(repo, "madr4")
    report = render_report(plan, decisions="decisions", dry_run=False)
    assert "  site-generator keys left out (6 files): layout, nav_order, parent\n" in report
    assert report.count("nav_order") == 1
    assert (
        '  fields left out (1 file): 0058-host-docs-on-read-the-docs.md: "impact: medium" has no place in a memo; left out\n'
        in report
    )


# 10. Reports a person reads: grouped, one line per item, short lines, size linear in what needs a human.


def test_report_size_grows_with_what_needs_a_human_not_with_the_log(repo: GitRepo) -> None:
    for n in range(1, 301):
        deciders = "Architecture Meeting" if n % 100 == 0 else "Ana Ruiz"
        repo.write(
            f"adr/{n:04d}-record-{n}.md",
            f"---\nstatus: accepted\ndate: 2024-01-01\ndecision-makers: {deciders}\nnav_order: {n}\n---\n# Record {n}\n",
        )
    repo.commit("300 records sharing a date")
    config = load_config(repo.root)
    plan = import_folder(config, repo.root / "adr")
    lines = render_report(plan, decisions="decisions", dry_run=False).splitlines()
    assert max(len(line) for line in lines) <= LINE_MAX
    assert [line for line in lines if line.startswith("Confirm the DRI")] == ["Confirm the DRI (3):"]
    assert len(lines) < 70  # 3 to-dos, 2 notes said once, 50 of the 300 imported named, and a few headings
    data = report_dict(plan, decisions="decisions", dry_run=False)
    assert len(data["to_do"]) == 3 and len(data["files"]) == 300
    assert [n["kind"] for n in data["notes"]] == ["deciders that are not one person", "site-generator keys left out"]


MKDOCS = """\
site_name: Decisions
docs_dir: docs
theme:
  name: material
  font: false
plugins:
  - decide
  - search
nav:
  - Home: index.md
  - Log: log.md
validation:
  omitted_files: ignore
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
"""


@pytest.mark.slow
def test_an_imported_log_with_links_and_images_builds_strict(repo: GitRepo, tmp_path: Path) -> None:
    from decide.site.build import build_site

    config = load_config(repo.root)
    plans = {
        fixture: import_folder(config, copy_log(repo, fixture, f"doc/{fixture}"))
        for fixture in ("nygard", "madr4", "madr2-meetings")
    }
    repo.write("mkdocs.yml", MKDOCS)
    repo.write("docs/.keep", "")
    site = build_site(repo.root, strict=True, site_dir=tmp_path / "site").site_dir
    nygard = plans["nygard"]
    for asset in ("assets/nomis.png", "0015-img01.png", "0013-example.png"):
        assert (site / "decisions" / asset).is_file()
    custody = (
        site / "decisions" / outcome(nygard, "0012-use-the-custody-api.md").filename.removesuffix(".md") / "index.html"
    ).read_text()
    dns = outcome(nygard, "0015-dns.md").filename.removesuffix(".md")
    elite = outcome(nygard, "0016-use-the-elite2-api.md")
    assert f'href="../{dns}/#decision"' in custody
    assert 'src="../assets/nomis.png"' in custody
    assert (
        f'<dt data-search-exclude>Amended by</dt><dd><a href="../../decisions/{elite.filename.removesuffix(".md")}/">{elite.id}: Use the Elite2 API</a></dd>'
        in custody
    )
    assert '<p class="admonition-title">To check</p>' in custody
