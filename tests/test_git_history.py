"""When each file of a folder first appeared in git: renames followed, also when the whole folder was moved."""

from __future__ import annotations

from conftest import GitRepo

from decide.git import first_added

TEXT = "Date: 2019-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nEnough words that git sees the same file after a move.\n"


def commit_as(repo: GitRepo, who: str, date: str, message: str) -> None:
    name, email = who.split(" <")
    repo.git("add", "-A")
    repo.git(
        "-c",
        f"user.name={name}",
        "-c",
        f"user.email={email.rstrip('>')}",
        "commit",
        "-q",
        "-m",
        message,
        "--date",
        f"{date}T12:00:00",
    )


def moved_log(repo: GitRepo) -> None:
    """Ana writes two records in doc/adr; Bo moves doc/ to docs/; Chen moves the log again; Dee adds one after."""
    repo.write("doc/adr/0001-record-decisions.md", "# 1. Record decisions\n\n" + TEXT)
    commit_as(repo, "Ana Ruiz <ana@example.com>", "2019-01-01", "ADR 1")
    repo.write("doc/adr/0002-use-postgres.md", "# 2. Use Postgres\n\n" + TEXT)
    commit_as(repo, "Ana Ruiz <ana@example.com>", "2019-02-01", "ADR 2")
    repo.git("mv", "doc", "docs")
    commit_as(repo, "Bo Sand <bo@example.com>", "2021-05-05", "Move the docs")
    repo.git("mv", "docs/adr", "docs/decisions-log")
    repo.git("mv", "docs/decisions-log/0002-use-postgres.md", "docs/decisions-log/0002-use-postgres-for-billing.md")
    commit_as(repo, "Chen Lind <chen@example.com>", "2022-06-06", "Rename the log")
    repo.write("docs/decisions-log/0003-use-kafka.md", "# 3. Use Kafka\n\n" + TEXT)
    commit_as(repo, "Dee Park <dee@example.com>", "2023-03-03", "ADR 3")


def test_files_moved_with_their_folder_keep_their_first_author_and_date(repo: GitRepo) -> None:
    moved_log(repo)
    assert first_added(repo.root / "docs" / "decisions-log") == {
        "0001-record-decisions.md": ("2019-01-01", "Ana Ruiz <ana@example.com>"),
        "0002-use-postgres-for-billing.md": ("2019-02-01", "Ana Ruiz <ana@example.com>"),
        "0003-use-kafka.md": ("2023-03-03", "Dee Park <dee@example.com>"),
    }


def test_a_file_that_was_new_in_the_move_commit_is_dated_by_it(repo: GitRepo) -> None:
    repo.write("doc/adr/0001-record-decisions.md", "# 1. Record decisions\n\n" + TEXT)
    commit_as(repo, "Ana Ruiz <ana@example.com>", "2019-01-01", "ADR 1")
    repo.git("mv", "doc", "docs")
    repo.write("docs/adr/0002-new.md", "# 2. Something else entirely\n\nNothing like the first one.\n")
    commit_as(repo, "Bo Sand <bo@example.com>", "2021-05-05", "Move the docs, add one")
    assert first_added(repo.root / "docs" / "adr") == {
        "0001-record-decisions.md": ("2019-01-01", "Ana Ruiz <ana@example.com>"),
        "0002-new.md": ("2021-05-05", "Bo Sand <bo@example.com>"),
    }


def test_outside_git_and_before_the_first_commit_there_is_no_history(repo: GitRepo, tmp_path) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    assert first_added(outside) == {}
    repo.write("adr/0001-a.md", TEXT)
    assert first_added(repo.root / "adr") == {}
