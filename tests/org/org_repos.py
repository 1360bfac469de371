"""Real repositories for the organisation's tests: working repositories, the bare ones they push to (served by file:// URLs), an aggregator."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from conftest import GitRepo, git, init_repo

OLD = {"date": "2020-01-01", "decided_on": "2020-01-02", "review_by": "2020-06-01"}  # a review long overdue


@dataclass
class Source:
    """A team's repository: ``work`` where memos are written, ``bare`` the remote the aggregator fetches."""

    name: str
    work: GitRepo
    bare: Path

    @property
    def url(self) -> str:
        return self.bare.as_uri()

    def push(self, message: str = "change") -> None:
        self.work.commit(message)
        self.work.git("push", "-q", "origin", "HEAD:main")


def make_source(base: Path, name: str, *, folder: str = "decisions") -> Source:
    """A repository with a first commit and a bare copy that allows partial clones (as GitHub does)."""
    work = init_repo(base / "work" / name)
    if folder != "decisions":
        work.write("decide.toml", f'decisions = "{folder}"\n')
    work.write("README.md", f"# {name}\n")
    work.commit("start")
    bare = base / "remotes" / f"{name}.git"
    bare.parent.mkdir(parents=True, exist_ok=True)
    git(base, "clone", "-q", "--bare", str(work.root), str(bare))
    git(bare, "config", "uploadpack.allowFilter", "true")
    git(bare, "config", "uploadpack.allowAnySHA1InWant", "true")
    work.git("remote", "add", "origin", str(bare))
    return Source(name, work, bare)


def make_aggregator(base: Path, manifest: str) -> GitRepo:
    agg = init_repo(base / "aggregator")
    agg.write("decide-org.toml", manifest)
    agg.commit("manifest")
    return agg


def manifest_for(*sources: Source, extra: str = "") -> str:
    return "".join(f'[[repo]]\nname = "{s.name}"\nurl = "{s.url}"\n{extra}\n' for s in sources)
