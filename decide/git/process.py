"""Running git: the one way decide starts a git process, and the one error path (``GitFailed``, a ``CannotRun``).

Every verb in ``decide.git`` runs the git binary through ``run`` (wait for the answer) or
``Pending`` (git works in the background while Python goes on). gitpython is not used: importing
it costs 150 ms or more, about as much as a whole ``decide check`` (see the memo on the git layer).
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Generic, TypeVar

from decide.errors import CannotRun

FETCH_DEPTH_HINT = "in GitHub Actions: actions/checkout with fetch-depth: 0; in GitLab CI: GIT_DEPTH: 0"
T = TypeVar("T")


class GitFailed(CannotRun):
    """A git command failed; the message carries git's own words."""


def run(root: Path, *args: str, ok: Sequence[int] = (0,)) -> bytes:
    """git's output for ``args``, run in ``root``; GitFailed with git's own last words when the exit code is not in ``ok``."""
    try:
        done = subprocess.run(["git", *args], cwd=root, stdin=subprocess.DEVNULL, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise CannotRun(_NO_GIT) from exc
    return _output(args, done.returncode, done.stdout, done.stderr, ok)


_NO_GIT = "git is not installed or not on PATH; install git"


def run_remote(root: Path, *args: str, timeout: float) -> bytes:
    """``run`` for a command that talks to a remote (clone, fetch, a lazy blob fetch): it never waits on a prompt.

    git is told not to ask for a user name or password (a CI job or a pool of fetches has nobody
    to answer), and a command still running after ``timeout`` seconds is stopped and fails.
    """
    import os

    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=root,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
            env=env,
            timeout=timeout,
        )
    except FileNotFoundError as exc:
        raise CannotRun(_NO_GIT) from exc
    except subprocess.TimeoutExpired as exc:
        raise GitFailed(f"git {args[0]} gave no answer in {timeout:g} s; is the remote reachable?") from exc
    if done.returncode:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        # A remote's failure ends with advice ("Please make sure you have the correct access rights ...");
        # its first fatal or error line is what went wrong.
        first = next((line for line in said if line.startswith(("fatal:", "error:"))), said[-1] if said else "")
        raise GitFailed(f"git {args[0]} failed: {first or f'exit {done.returncode}'}")
    return done.stdout


def _output(args: Sequence[str], code: int, out: bytes, err: bytes, ok: Sequence[int]) -> bytes:
    if code not in ok:
        said = err.decode("utf-8", "replace").strip().splitlines()
        raise GitFailed(f"git {args[0]} failed: {said[-1] if said else f'exit {code}'}")
    return out


class Pending(Generic[T]):
    """A git command running in the background, so git works on one core while Python goes on with the other.

    A thread reads its output as it comes, so git never waits for a reader. ``result()`` waits
    and parses it; ``cancel()`` stops a command whose answer is not needed.
    """

    def __init__(
        self,
        root: Path,
        args: Sequence[str],
        parse: Callable[[bytes], T],
        ok: Sequence[int] = (0,),
        stdin: bytes | None = None,
    ) -> None:
        self._args, self._parse, self._ok = tuple(args), parse, ok
        self._out = self._err = b""
        try:
            self._process = subprocess.Popen(
                ["git", *args],
                cwd=root,
                stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except FileNotFoundError as exc:
            raise CannotRun(_NO_GIT) from exc
        self._reader = threading.Thread(target=self._read, args=(stdin,), daemon=True)
        self._reader.start()

    def _read(self, stdin: bytes | None) -> None:
        self._out, self._err = self._process.communicate(stdin)

    def result(self) -> T:
        self._reader.join()
        return self._parse(_output(self._args, self._process.returncode, self._out, self._err, self._ok))

    def cancel(self) -> None:
        self._process.kill()
        self._reader.join()


class Ready(Generic[T]):
    """An answer known without asking git, in the shape of ``Pending``."""

    def __init__(self, value: T) -> None:
        self._value = value

    def result(self) -> T:
        return self._value

    def cancel(self) -> None:
        pass
