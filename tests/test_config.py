"""Configuration: [tool.decide] in pyproject.toml or decide.toml, defaults, and refusing what it does not know."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GitRepo

from decide.config import Config, find_root, load_config
from decide.errors import CannotRun


def test_without_configuration_the_defaults_apply(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config == Config(root=tmp_path)
    assert (config.decisions, config.roster, config.base) == ("decisions", "decisions/people.yml", None)
    assert (config.proposal_age_limit, config.dri_load_limit) == (14, 5)
    assert config.decisions_dir == tmp_path / "decisions"
    assert config.roster_path == tmp_path / "decisions" / "people.yml"


def test_pyproject_tool_decide_sets_every_key(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.decide]\ndecisions = "adr"\nschema = "adr/schema.json"\n'
        'roster = "adr/team.yml"\nbase = "origin/main"\nproposal_age_limit = 30\ndri-load-limit = 2\n',
        encoding="utf-8",
    )
    config = load_config(tmp_path)
    assert config == Config(tmp_path, "adr", "adr/schema.json", "adr/team.yml", "origin/main", 30, 2)


def test_decide_toml_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.decide]\nproposal_age_limit = 30\n", encoding="utf-8")
    (tmp_path / "decide.toml").write_text("proposal-age-limit = 7\n", encoding="utf-8")
    assert load_config(tmp_path).proposal_age_limit == 7


def test_a_pyproject_without_the_table_gives_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert load_config(tmp_path) == Config(root=tmp_path)


def test_an_unknown_key_is_refused_with_a_did_you_mean_hint(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.decide]\nproposal-age-limt = 30\n", encoding="utf-8")
    with pytest.raises(CannotRun) as refused:
        load_config(tmp_path)
    assert str(refused.value) == (
        "pyproject.toml [tool.decide]: unknown key 'proposal-age-limt'; did you mean \"proposal_age_limit\"?; "
        "known keys: base, decisions, dri_load_limit, proposal_age_limit, roster, schema"
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("dri_load_limit = -1", "decide.toml: dri_load_limit must be a whole number of at least 0, not -1"),
        ("dri_load_limit = true", "decide.toml: dri_load_limit must be a whole number of at least 0, not True"),
        ('proposal_age_limit = "14"', "decide.toml: proposal_age_limit must be a whole number of at least 0, not '14'"),
        ("decisions = 3", "decide.toml: decisions must be a string, not 3"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused(tmp_path: Path, line: str, message: str) -> None:
    (tmp_path / "decide.toml").write_text(line + "\n", encoding="utf-8")
    with pytest.raises(CannotRun) as refused:
        load_config(tmp_path)
    assert str(refused.value) == message


def test_broken_toml_is_refused_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "decide.toml").write_text("decisions = \n", encoding="utf-8")
    with pytest.raises(CannotRun, match=r"^decide.toml: cannot read the configuration: "):
        load_config(tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "tool = 5\n",
            "pyproject.toml: tool must be a table (such as [tool.decide]), not 5; fix the 'tool = …' line",
        ),
        (
            "[tool]\ndecide = 5\n",
            'pyproject.toml [tool.decide]: must be a table of settings (such as decisions = "decisions"), not 5; '
            "fix the 'decide = …' line under [tool]",
        ),
        (
            "[[tool.decide]]\ndecisions = 'adr'\n",
            'pyproject.toml [tool.decide]: must be a table of settings (such as decisions = "decisions"), '
            "not [{'decisions': 'adr'}]; fix the 'decide = …' line under [tool]",
        ),
    ],
)
def test_a_pyproject_whose_tool_decide_is_not_a_table_cannot_run(
    repo: GitRepo, invoke, text: str, message: str
) -> None:
    repo.write("pyproject.toml", text)
    result = invoke("validate")
    assert (result.exit_code, result.stderr) == (3, f"Error: {message}\n")


def test_find_root_walks_up_to_the_repository(repo: GitRepo) -> None:
    inner = repo.root / "src" / "pkg"
    inner.mkdir(parents=True)
    assert find_root(inner) == repo.root


def test_the_cli_reports_a_bad_configuration_with_exit_3(repo: GitRepo, invoke) -> None:
    repo.write("decide.toml", "dri_load_limt = 3\n")
    result = invoke("due")
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: decide.toml: unknown key 'dri_load_limt'; did you mean \"dri_load_limit\"?")


def test_the_limits_reach_due(repo: GitRepo, invoke) -> None:
    repo.write("decide.toml", "proposal_age_limit = 0\n")
    repo.add_memo("D-7KQ2MX", date="2020-01-01", status="proposed", decided_on=None)
    assert "Proposals open too long (1):" in invoke("due").stdout
