"""decide import: one memo per record, the source left untouched, idempotent, and a log that validates."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import GitRepo

from decide.adr.folder import ImportOptions, import_folder
from decide.adr.importer import ImportPlan, Outcome
from decide.adr.report import render_report, render_summary
from decide.config import Config, load_config
from decide.decisions import load_log
from decide.errors import CannotRun, Refused, UsageError
from decide.memo import load
from decide.validate import validate

FIXTURES = Path(__file__).parent / "fixtures"
Invoke = Callable[..., Result]


def copy_fixture(repo: GitRepo, fmt: str, *, commit: bool = True) -> Path:
    folder = repo.root / "doc" / "adr"
    shutil.copytree(FIXTURES / fmt, folder)
    if commit:
        repo.commit("ADRs")
    return folder


def hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def by_name(plan: ImportPlan) -> dict[str, Outcome]:
    return {o.source.rsplit("/", 1)[-1]: o for o in plan.outcomes}


def memo_for(config: Config, outcome: Outcome) -> str:
    return (config.decisions_dir / outcome.filename).read_text(encoding="utf-8")


@pytest.fixture
def adr_tools(repo: GitRepo) -> tuple[Config, Path, ImportPlan]:
    folder = copy_fixture(repo, "adr-tools")
    config = load_config(repo.root)
    return config, folder, import_folder(config, folder)


def test_imported_log_passes_validate(adr_tools: tuple[Config, Path, ImportPlan]) -> None:
    config, _folder, plan = adr_tools
    report = validate(config)
    assert report.problems == ()
    assert report.files == len(plan.memos) == 11


def test_source_folder_is_untouched(repo: GitRepo) -> None:
    folder = copy_fixture(repo, "adr-tools")
    before = hashes(folder)
    import_folder(load_config(repo.root), folder)
    assert hashes(folder) == before
    assert repo.git("status", "--porcelain", "doc") == ""


def test_second_run_imports_nothing_twice(adr_tools: tuple[Config, Path, ImportPlan]) -> None:
    config, folder, first = adr_tools
    files = sorted(config.decisions_dir.iterdir())
    second = import_folder(config, folder)
    assert second.memos == ()
    assert sorted(config.decisions_dir.iterdir()) == files
    outcomes = by_name(second)
    imported = {name: o.id for name, o in by_name(first).items() if o.result == "imported"}
    assert {name: o.id for name, o in outcomes.items() if o.result == "already imported"} == imported
    assert (
        render_report(second, decisions="decisions", dry_run=False)
        .splitlines()[-2]
        .startswith(
            f"Already imported (11): 0001-record-architecture-decisions.md as {imported['0001-record-architecture-decisions.md']}, "
        )
    )


def test_dry_run_writes_nothing(repo: GitRepo) -> None:
    folder = copy_fixture(repo, "adr-tools")
    config = load_config(repo.root)
    plan = import_folder(config, folder, ImportOptions(dry_run=True))
    assert list(config.decisions_dir.iterdir()) == []
    assert len(plan.memos) == 11
    assert "Would be imported (11):" in render_report(plan, decisions="decisions", dry_run=True).splitlines()
    assert render_summary(plan, dry_run=True) == (
        "13 file(s): 11 would be imported, 2 skipped, 0 already imported; 12 need a human (dry run: nothing written)"
    )


def test_superseded_by_becomes_supersedes_on_the_newer_memo(adr_tools: tuple[Config, Path, ImportPlan]) -> None:
    config, _folder, plan = adr_tools
    outcomes = by_name(plan)
    older, newer = outcomes["0002-use-mysql.md"], outcomes["0004-use-postgres.md"]
    memos = {m.id: m for m in load_log(config).memos}
    assert memos[newer.id].supersedes == (older.id,)
    assert memos[older.id].status == "decided"
    assert memos[older.id].supersedes == ()


def test_messy_cases_each_get_a_clear_line(adr_tools: tuple[Config, Path, ImportPlan]) -> None:
    _config, _folder, plan = adr_tools
    lines = render_report(plan, decisions="decisions", dry_run=False).splitlines()
    ids = {name: o.id for name, o in by_name(plan).items()}
    assert lines[0] == "format: detected adr-tools (11 of 11 record files look like it)"
    for expected in [
        "Skipped: fix the record, then import again (2):",
        "  0011-latin-1-menu.md: file: is not UTF-8 (byte 0xe9 on line 1); save it as UTF-8 and import again",
        "  0012-empty.md: file: is empty; nothing to import",
        "Check the status (1):",
        f'  {ids["0009-nightly-builds.md"]} 0009-nightly-builds.md: two statuses (accepted, deprecated) in "Accepted Deprecated"; imported as retired: check it',
        "Fix links in the body (2):",
        f'  {ids["0010-keep-the-cache.md"]} 0010-keep-the-cache.md: "0098-drop-the-cache.md" does not exist; fix or remove the link',
        f"  {ids['0008-adopt-kafka.md']} 0008-adopt-kafka.md: 0008 is also the number of 0008-adopt-rabbitmq.md; kept the alias 0008-adopt-kafka instead, so 'decide show 8' finds neither",
        "Notes, nothing to do:",
        '  status read from prose (1 file): 0003-deploy-on-fridays.md: "Accepted (2019-03-05) after the architecture review" read as accepted',
        "Ignored, not records (1): doc/adr/README.md",
    ]:
        assert expected in lines
    date = next(n for n in by_name(plan)["0006-rejected-without-date.md"].notes if n.field == "date")
    assert date.message.startswith("no date in the record; used the date of its first git commit (")


def test_decided_record_without_decider_names_the_git_author_for_a_human_to_confirm(
    adr_tools: tuple[Config, Path, ImportPlan],
) -> None:
    config, _folder, plan = adr_tools
    outcome = by_name(plan)["0001-record-architecture-decisions.md"]
    assert [(n.field, n.message, n.needs_human) for n in outcome.notes] == [
        (
            "dri",
            "names no decider; the DRI is Ana Ruiz <ana@example.com>, who committed the file first: confirm the DRI",
            True,
        )
    ]
    assert "\ndri: Ana Ruiz <ana@example.com>\n" in memo_for(config, outcome)
    assert plan.exit_code == 1


def test_memo_keeps_body_aliases_and_origin(adr_tools: tuple[Config, Path, ImportPlan]) -> None:
    config, folder, plan = adr_tools
    outcome = by_name(plan)["0007-split-the-monolith.md"]
    text = memo_for(config, outcome)
    original = (folder / "0007-split-the-monolith.md").read_text(encoding="utf-8")
    fridays = by_name(plan)["0003-deploy-on-fridays.md"].filename
    body = original.removeprefix("# 7. Split the monolith\n").replace("(0003-deploy-on-fridays.md)", f"({fridays})")
    assert text.endswith("---\n" + body)  # byte for byte, but for the link to the record that is a memo now
    parsed = load(config.decisions_dir / outcome.filename, config.root)
    assert parsed.memo is not None
    assert (parsed.memo.title, parsed.memo.aliases) == ("Split the monolith", ("0007",))
    assert (parsed.memo.imported_from, parsed.memo.imported_source) == (
        "adr-tools",
        "doc/adr/0007-split-the-monolith.md",
    )
    assert (parsed.memo.date, parsed.memo.decided_on) == ("2019-06-01", "2019-06-01")


def test_crlf_record_becomes_a_crlf_memo_with_the_body_byte_for_byte(
    adr_tools: tuple[Config, Path, ImportPlan],
) -> None:
    config, folder, plan = adr_tools
    outcome = by_name(plan)["0004-use-postgres.md"]
    raw = (folder / "0004-use-postgres.md").read_bytes()
    written = (config.decisions_dir / outcome.filename).read_bytes()
    mysql = by_name(plan)["0002-use-mysql.md"].filename.encode()
    body = raw.removeprefix(b"# 4. Use Postgres\r\n").replace(b"(0002-use-mysql.md)", b"(" + mysql + b")")
    assert written.endswith(b"---\r\n" + body)
    assert b"\n" not in written.replace(b"\r\n", b"")


def test_status_date_in_prose_becomes_decided_on(adr_tools: tuple[Config, Path, ImportPlan]) -> None:
    config, _folder, plan = adr_tools
    text = memo_for(config, by_name(plan)["0003-deploy-on-fridays.md"])
    assert "\ndate: 2019-03-03\ndecided_on: 2019-03-05\n" in text


def test_non_ascii_title_is_kept_and_the_file_name_is_ascii(adr_tools: tuple[Config, Path, ImportPlan]) -> None:
    config, _folder, plan = adr_tools
    outcome = by_name(plan)["0005-café-für-alle.md"]
    assert outcome.filename == f"{outcome.id}-cafe-fur-alle-kaffeemaschine-im-buro.md"
    assert '\ntitle: "Café für alle: Kaffeemaschine im Büro ☕"\n' in memo_for(config, outcome)


def test_madr_folder(repo: GitRepo) -> None:
    folder = copy_fixture(repo, "madr")
    config = load_config(repo.root)
    plan = import_folder(config, folder)
    outcomes = by_name(plan)
    assert validate(config).problems == ()
    several = memo_for(config, outcomes["0002-use-yaml-front-matter.md"])
    assert (
        "\ndri: Ana Ruiz\ninputs:\n  - Bo Sand (decider)\n  - Platform team (consulted)\n  - Dee Park (informed)\n"
        in several
    )
    proposed = memo_for(config, outcomes["0004-host-on-our-own-kubernetes.md"])
    assert "\nstatus: proposed\n" in proposed
    assert "\ndri: TBD\ninputs:\n  - Ana Ruiz (decider)\n  - Bo Sand (decider)\n" in proposed
    assert f"\nsupersedes:\n  - {outcomes['0003-host-on-heroku.md'].id}\n" in proposed
    assert outcomes["0005-broken-front-matter.md"].result == "skipped"
    assert outcomes["0001-use-markdown-architectural-decision-records.md"].notes == ()


def test_log4brains_folder(repo: GitRepo) -> None:
    folder = copy_fixture(repo, "log4brains", commit=False)
    config = load_config(repo.root)
    plan = import_folder(config, folder, ImportOptions(dri="Ana Ruiz"))
    outcomes = by_name(plan)
    assert validate(config).problems == ()
    react = memo_for(config, outcomes["20200926-use-react.md"])
    assert "\ndate: 2020-09-26\n" in react
    assert "\ndri: Ana Ruiz\n" in react
    assert '\naliases:\n  - "20200926-use-react"\n' in react
    assert "\ntags:\n  - frontend\n" in react
    newer = memo_for(config, outcomes["20201015-use-web-components.md"])
    assert f"\nsupersedes:\n  - {outcomes['20201001-use-jquery-plugins.md'].id}\n" in newer
    assert (
        "Ignored, not records (2): doc/adr/index.md, doc/adr/template.md"
        in render_report(plan, decisions="decisions", dry_run=False).splitlines()
    )


def test_outside_git_a_decided_record_without_decider_is_skipped(repo: GitRepo) -> None:
    folder = copy_fixture(repo, "log4brains", commit=False)
    plan = import_folder(load_config(repo.root), folder)
    outcome = by_name(plan)["20200926-use-react.md"]
    assert outcome.result == "skipped"
    assert outcome.notes[-1].message == (
        "names no decider, and git does not know who added the file; pass --dri NAME to name the DRI of a decided record"
    )


def test_links_to_a_skipped_record_are_named_on_both_sides(repo: GitRepo) -> None:
    repo.write(
        "adr/0001-a.md",
        "# 1. Use A\n\n* Status: superseded by [2](0002-b.md)\n* Deciders: Ana Ruiz\n* Date: 2020-01-01\n",
    )
    repo.write("adr/0002-b.md", "# 2. Use B\n\n* Status: accepted\n* Date: 2020-02-01\n")
    repo.write(
        "adr/0003-c.md",
        "# 3. Use C\n\n* Status: accepted, supersedes [2](0002-b.md)\n* Deciders: Bo\n* Date: 2020-03-01\n",
    )
    config = load_config(repo.root)
    outcomes = by_name(import_folder(config, repo.root / "adr", ImportOptions(fmt="madr")))
    assert outcomes["0002-b.md"].result == "skipped"
    not_imported = '"0002-b.md" is a record that was not imported; the link will not work'
    assert [n.message for n in outcomes["0001-a.md"].notes[-2:]] == [
        "superseded by 0002-b.md, which was not imported; import it to show this memo as superseded",
        not_imported,
    ]
    assert [n.message for n in outcomes["0003-c.md"].notes[-2:]] == [
        "0002-b.md was not imported, so this memo does not supersede it",
        not_imported,
    ]
    assert validate(config).problems == ()


def test_clean_import_exits_0_and_a_second_run_too(repo: GitRepo) -> None:
    folder = repo.root / "adr"
    repo.write("adr/0001-use-git.md", "# 1. Use git\n\n* Status: accepted\n* Deciders: Ana Ruiz\n* Date: 2020-01-01\n")
    config = load_config(repo.root)
    assert import_folder(config, folder).exit_code == 0
    again = import_folder(config, folder)
    assert ([o.result for o in again.outcomes], again.exit_code) == (["already imported"], 0)


def test_existing_alias_is_not_taken_twice(repo: GitRepo) -> None:
    repo.add_memo("D-AAAAAA", aliases=["7"])
    folder = copy_fixture(repo, "adr-tools")
    config = load_config(repo.root)
    plan = import_folder(config, folder)
    outcome = by_name(plan)["0007-split-the-monolith.md"]
    assert [n.message for n in outcome.notes if n.field == "number"] == [
        "the alias 0007 already names another memo; none kept"
    ]
    assert validate(config).problems == ()


def test_unsafe_html_in_a_body_skips_the_record_with_the_reason(repo: GitRepo) -> None:
    repo.write(
        "adr/0001-embed.md",
        "# 1. Embed a widget\n\n* Status: proposed\n* Date: 2020-01-01\n\n<script>alert(1)</script>\n",
    )
    plan = import_folder(load_config(repo.root), repo.root / "adr")
    outcome = plan.outcomes[0]
    assert outcome.result == "skipped"
    assert outcome.notes[-1].message == (
        "the <script> element and everything in it would be dropped from the site; "
        "remove it, or put it in a code block to show it as text"
    )


def test_missing_folder_cannot_run(repo: GitRepo) -> None:
    with pytest.raises(CannotRun, match=r"nope: no such folder; give the folder that holds the ADRs \(e.g. doc/adr\)"):
        import_folder(load_config(repo.root), repo.root / "nope")


def test_file_instead_of_folder_is_a_usage_error(repo: GitRepo) -> None:
    path = repo.write("adr.md", "# x\n")
    with pytest.raises(UsageError, match=r"adr\.md is a file; give the folder"):
        import_folder(load_config(repo.root), path)


def test_decisions_folder_itself_is_refused(repo: GitRepo) -> None:
    with pytest.raises(UsageError, match="is the decisions folder itself"):
        import_folder(load_config(repo.root), repo.decisions)


def test_folder_without_records_is_refused(repo: GitRepo) -> None:
    repo.write("adr/README.md", "# Nothing\n")
    with pytest.raises(
        Refused, match=r"no ADR records here \(file names like 0001-title.md, adr-001-title.md or 2023-05-15-title.md\)"
    ):
        import_folder(load_config(repo.root), repo.root / "adr", ImportOptions(fmt="adr-tools"))


def test_cli_import_then_show_by_old_number(repo: GitRepo, invoke: Invoke) -> None:
    folder = copy_fixture(repo, "adr-tools")
    result = invoke("import", str(folder))
    assert result.exit_code == 1
    assert result.stderr == "13 file(s): 11 imported, 2 skipped, 0 already imported; 12 need a human\n"
    for key in ("7", "0007", "ADR-7"):
        shown = invoke("show", key)
        assert shown.exit_code == 0
        assert shown.stdout.splitlines()[0].endswith(": Split the monolith")
    assert invoke("show", "8").exit_code == 2


def test_cli_json_report(repo: GitRepo, invoke: Invoke) -> None:
    folder = copy_fixture(repo, "madr")
    result = invoke("import", str(folder), "--from", "madr", "--dry-run", "--format", "json")
    report = json.loads(result.stdout)
    assert next(iter(report)) == "version"
    assert (report["version"], report["format"], report["detected"], report["dry_run"], report["exit_code"]) == (
        1,
        "madr",
        "madr (as asked)",
        True,
        1,
    )
    broken = next(f for f in report["files"] if f["source"] == "doc/adr/0005-broken-front-matter.md")
    assert (broken["result"], broken["needs_human"], broken["notes"][0]["field"]) == ("skipped", True, "front-matter")
    assert report["ignored"] == ["doc/adr/adr-template.md"]
    assert list(repo.decisions.iterdir()) == []


def test_cli_exit_codes(repo: GitRepo, invoke: Invoke) -> None:
    missing = invoke("import", str(repo.root / "nope"))
    assert (missing.exit_code, missing.stderr) == (
        3,
        f"Error: {repo.root / 'nope'}: no such folder; give the folder that holds the ADRs (e.g. doc/adr)\n",
    )
    assert invoke("import", str(repo.root), "--from", "jira").exit_code == 2
    bad_dri = invoke("import", str(repo.root), "--dri", "Platform team")
    assert (bad_dri.exit_code, bad_dri.stderr) == (
        2,
        'Error: --dri: "Platform team" is a group ("team"); name one person (e.g. "Ana Ruiz")\n',
    )


@pytest.mark.parametrize("fixture", ["adr-tools", "madr", "madr4", "madr2-meetings", "nygard", "dated"])
def test_the_data_checked_is_what_validate_reads_back_from_the_memo(
    repo: GitRepo, fixture: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import checks each memo's front-matter as data instead of parsing its own YAML again: the two must agree."""
    from decide.adr import folder as adr_folder
    from decide.memo import parse as parse_memo

    seen: dict[str, dict[str, object]] = {}
    real = adr_folder._checker

    def recording(config: Config):  # the real check, noting what it was given
        check = real(config)

        def record(data, body, name):
            seen[name] = dict(data)
            return check(data, body, name)

        return record

    monkeypatch.setattr(adr_folder, "_checker", recording)
    plan = import_folder(load_config(repo.root), copy_fixture(repo, fixture), ImportOptions(dry_run=True))
    assert plan.memos
    for memo in plan.memos:
        parsed = parse_memo(memo.text, f"decisions/{memo.filename}")
        assert parsed.memo is not None
        assert dict(parsed.memo.data) == seen[memo.filename]
