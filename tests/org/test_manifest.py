"""decide-org.toml: read with every problem named, each with its line, the field and how to fix it."""

from __future__ import annotations

from pathlib import Path

import pytest

from decide.org.manifest import Manifest, ManifestError, Source, clean_folder, find_aggregator, parse_manifest

ROOT = Path("/agg")


def problems(text: str) -> list[str]:
    with pytest.raises(ManifestError) as caught:
        parse_manifest(text, ROOT)
    return [str(p) for p in caught.value.problems]


def test_a_manifest_is_read_with_its_optional_keys() -> None:
    text = (
        '[[repo]]\nname = "payments"\nurl = "https://github.com/acme/payments.git"\nbranch = "main"\n'
        'dir = "./docs/decisions/"\n\n[[repo]]\nname = "billing"\nurl = "../billing"\n'
    )
    assert parse_manifest(text, ROOT) == Manifest(
        ROOT,
        (
            Source("payments", "https://github.com/acme/payments.git", "main", "docs/decisions"),
            Source("billing", "../billing"),
        ),
    )


def test_a_duplicate_name_names_both_lines() -> None:
    text = '[[repo]]\nname = "payments"\nurl = "a"\n\n[[repo]]\nname = "payments"\nurl = "b"\n'
    assert problems(text) == [
        'decide-org.toml:6: repo[1].name: "payments" is also the name of repo[0] (line 2); give each repository its own name'
    ]


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("Pay Ments", ' (e.g. "pay-ments")'),
        ("pay:ments", ' (e.g. "pay-ments")'),
        ("-payments", ' (e.g. "payments")'),
        ("payments/", ' (e.g. "payments")'),
        ("über", ' (e.g. "uber")'),
    ],
)
def test_a_malformed_name_says_what_a_name_may_hold(name: str, hint: str) -> None:
    assert problems(f'[[repo]]\nname = "{name}"\nurl = "a"\n') == [
        f"decide-org.toml:2: repo[0] ({name}).name: {name!r} is not a short name; use lowercase letters, digits, "
        f"'-', '_' and '.', starting and ending with a letter or digit{hint}"
    ]


def test_every_problem_in_one_run_each_with_its_line() -> None:
    text = (
        'dri-load-limt = 3\n\n[[repo]]\nname = "payments"\n\n[[repo]]\nnmae = "billing"\nurl = "b"\n'
        'branch = "-x"\ndir = "../../etc"\n'
    )
    assert problems(text) == [
        'decide-org.toml:1: dri-load-limt: unknown key; did you mean "dri_load_limit"?',
        'decide-org.toml:3: repo[0] (payments).url: missing; add url = "https://github.com/acme/payments.git" '
        "(any git URL, file:// or a local path)",
        'decide-org.toml:6: repo[1].name: missing; add name = "payments", the short name that qualifies its IDs '
        "(payments:D-7KQ2MX)",
        'decide-org.toml:7: repo[1].nmae: unknown key; did you mean "name"?; known keys: name, url, branch, dir',
        "decide-org.toml:9: repo[1].branch: '-x' is not a branch name; write one such as main, or leave branch out "
        "for the default",
        "decide-org.toml:10: repo[1].dir: '../../etc' must be a folder inside the repository, such as docs/decisions "
        "(no '..', not absolute)",
    ]


def test_a_value_of_the_wrong_type() -> None:
    assert problems('[[repo]]\nname = "payments"\nurl = 7\n') == [
        "decide-org.toml:3: repo[0] (payments).url: must be a string, not 7"
    ]


def test_no_repositories() -> None:
    assert problems("# nothing yet\n") == [
        'decide-org.toml:1: repo: no repositories; add one [[repo]] with name = "payments" and '
        'url = "https://github.com/acme/payments.git" per repository'
    ]


def test_a_repo_key_that_is_not_a_table() -> None:
    assert problems('repo = "payments"\n') == [
        'decide-org.toml:1: repo: must be [[repo]] tables: [[repo]] with name = "payments" and '
        'url = "https://github.com/acme/payments.git"'
    ]


def test_not_toml_names_the_line() -> None:
    (problem,) = problems('[[repo]]\nname = "payments\nurl = "a"\n')
    assert problem.startswith("decide-org.toml:2: is not valid TOML: ")


def test_the_error_lists_every_problem() -> None:
    with pytest.raises(ManifestError) as caught:
        parse_manifest('[[repo]]\nname = "a"\n[[repo]]\nname = "a"\nurl = "x"\n', ROOT)
    assert str(caught.value) == (
        "decide-org.toml has 2 problem(s); fix them and run again:\n"
        '  decide-org.toml:1: repo[0] (a).url: missing; add url = "https://github.com/acme/payments.git" '
        "(any git URL, file:// or a local path)\n"
        '  decide-org.toml:4: repo[1].name: "a" is also the name of repo[0] (line 2); give each repository its own name'
    )
    assert caught.value.exit_code == 3


def test_the_aggregator_is_found_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / "decide-org.toml").write_text("", encoding="utf-8")
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert find_aggregator(tmp_path / "a" / "b") == tmp_path.resolve()


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("docs/decisions", "docs/decisions"),
        ("./log/", "log"),
        ("", ""),
        ("..", None),
        ("a/../..", None),
        ("/etc", None),
        ("C:/x", None),
    ],
)
def test_a_folder_stays_inside_its_repository(text: str, cleaned: str | None) -> None:
    assert clean_folder(text) == cleaned
