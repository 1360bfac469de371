"""Shared fixtures: real git repositories in temporary directories, memo files, and a CLI runner."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from decide.cli import main
from decide.ids import filename, new_id

DEFAULTS: dict[str, Any] = {
    "title": "Adopt Postgres for billing",
    "status": "decided",
    "date": "2026-01-05",
    "decided_on": "2026-01-09",
    "dri": "Ana Ruiz <ana@example.com>",
    "inputs": ["Platform team review"],
    "escalation": {"trigger": "cost exceeds $50k a year", "to": "CTO"},
}
BODY = (
    "\n## Context\n\nWhy.\n\n## Options considered\n\nA, B.\n\n## Decision\n\nWe use A.\n\n## Consequences\n\nMore A.\n"
)


def memo_text(memo_id: str, body: str = BODY, **fields: Any) -> str:
    """A memo's text: DEFAULTS overridden by ``fields`` (a value of None drops the field), rendered as YAML."""
    import yaml

    data = {"id": memo_id, **DEFAULTS, **fields}
    data = {k: v for k, v in data.items() if v is not None}
    front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return f"---\n{front}---\n{body}"


def git(cwd: Path, *args: str) -> str:
    """Run git for real and return its stdout."""
    done = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return done.stdout


@dataclass
class GitRepo:
    """A real git repository in a temporary directory, with helpers to write memos and commit."""

    root: Path

    @property
    def decisions(self) -> Path:
        return self.root / "decisions"

    def git(self, *args: str) -> str:
        return git(self.root, *args)

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", newline="")
        return path

    def add_memo(self, memo_id: str | None = None, *, body: str = BODY, **fields: Any) -> Path:
        """Write a valid memo (DEFAULTS overridden by ``fields``) named after its ID and title."""
        memo_id = memo_id or new_id(set())
        title = fields.get("title") or DEFAULTS["title"]
        return self.write(f"decisions/{filename(memo_id, title)}", memo_text(memo_id, body, **fields))

    def commit(self, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def branch(self, name: str, start: str = "HEAD") -> None:
        self.git("checkout", "-q", "-b", name, start)

    def checkout(self, name: str) -> None:
        self.git("checkout", "-q", name)


def init_repo(root: Path) -> GitRepo:
    """``git init -b main`` with an identity and no signing, so commits work on any machine."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Ana Ruiz")
    git(root, "config", "user.email", "ana@example.com")
    git(root, "config", "commit.gpgsign", "false")
    (root / "decisions").mkdir(exist_ok=True)
    return GitRepo(root)


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    """An empty git repository with a decisions/ folder."""
    return init_repo(tmp_path / "repo")


@pytest.fixture
def invoke(repo: GitRepo) -> Callable[..., Result]:
    """Run the CLI in ``repo``: ``invoke("validate", "--format", "json")``. Shows the output when a test fails."""

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        result = CliRunner().invoke(
            main, ["--root", str(repo.root), *args], input=input, env=env, catch_exceptions=False
        )
        print(f"$ decide {' '.join(args)}\n[exit {result.exit_code}]\n{result.stdout}\n[stderr]\n{result.stderr}")
        return result

    return run
