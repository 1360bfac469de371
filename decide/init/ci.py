"""Which CI a repository uses, and the workflow files decide init writes for it from the templates in ``decide/data/ci/``."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from decide import git

CI_KINDS = ("github", "gitlab", "none")
# The install line of each template names this token; decide init puts the source it runs from there.
REQUIREMENT_TOKEN = "@DECIDE_REQUIREMENT@"
GITHUB_WORKFLOW = ".github/workflows/decide.yml"
GITLAB_CI = ".gitlab-ci.yml"
GITLAB_INCLUDED = ".gitlab/decide.gitlab-ci.yml"


@dataclass(frozen=True)
class Workflow:
    """A CI file to write: where, from which template, and a few words on what it does."""

    path: str
    template: str
    what: str


def detect_ci(top: Path) -> str:
    """github or gitlab from the repository's files (``.github/``, ``.gitlab-ci.yml``), else its remotes; else none."""
    github, gitlab = (top / ".github").is_dir(), (top / GITLAB_CI).is_file()
    if github != gitlab:
        return "github" if github else "gitlab"
    remotes = git.run(top, "remote", "-v").decode("utf-8", "replace").casefold()
    if "gitlab" in remotes and "github" not in remotes:
        return "gitlab"
    if "github" in remotes or github:
        return "github"
    return "none"


def workflow_for(kind: str, top: Path) -> Workflow | None:
    """The file to write for ``kind``: GitLab's goes beside an existing ``.gitlab-ci.yml``, to be included by it."""
    if kind == "github":
        return Workflow(GITHUB_WORKFLOW, "github.yml", "pull-request gate and site")
    if kind == "gitlab":
        if (top / GITLAB_CI).exists():
            return Workflow(GITLAB_INCLUDED, "gitlab-ci.yml", "merge-request gate and site")
        return Workflow(GITLAB_CI, "gitlab-ci.yml", "merge-request gate and site")
    return None


def render_template(name: str, requirement: str) -> str:
    """A template from the package with the requirement that installs decide in CI filled in."""
    text = resources.files("decide").joinpath(f"data/ci/{name}").read_text(encoding="utf-8")
    return text.replace(REQUIREMENT_TOKEN, requirement)
