"""Git: the only module that talks to it. Git failures become DecideErrors that say what to do.

The reading verbs behind ``decide check`` run the git binary directly: importing gitpython
costs about 100 ms, a third of the whole check's budget, and each verb is one git process
either way. gitpython is imported only inside the verbs that use it.

Paths given to and returned by these verbs are relative to ``root`` (git runs there, with
``--relative`` or ``./`` paths), so a log in a subdirectory of a repository works.
"""

from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from decide.errors import CannotRun

if TYPE_CHECKING:
    import git

FETCH_DEPTH_HINT = "in GitHub Actions: actions/checkout with fetch-depth: 0"
T = TypeVar("T")


class GitFailed(CannotRun):
    """A git command failed; the message carries git's own words."""


@dataclass(frozen=True)
class RepoInfo:
    """Where git keeps its data for this checkout, and whether the history is cut short."""

    git_dir: Path
    shallow: bool
    prefix: str = ""  # where ``root`` is inside the repository: "" at the top, else "sub/dir/"


@dataclass(frozen=True)
class FileChange:
    """A memo file changed since a base commit: status A, M, D or R; ``old_name`` is set for R."""

    status: str
    name: str
    old_name: str = ""


def _run(root: Path, *args: str, ok: Sequence[int] = (0,)) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=root, stdin=subprocess.DEVNULL, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise CannotRun(_NO_GIT) from exc
    return _output(args, done.returncode, done.stdout, done.stderr, ok)


_NO_GIT = "git is not installed or not on PATH; install git"


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


def describe_repo(root: Path) -> RepoInfo:
    """The git directory shared by all worktrees, and whether this is a shallow clone."""
    try:
        out = _run(root, "rev-parse", "--git-common-dir", "--is-shallow-repository", "--show-prefix")
    except GitFailed as exc:
        raise CannotRun(f"{root} is not in a git repository; run 'git init' there") from exc
    git_dir, shallow, prefix = [*out.decode("utf-8", "surrogateescape").splitlines(), ""][:3]
    return RepoInfo(git_dir=(root / git_dir).resolve(), shallow=shallow == "true", prefix=prefix)


def resolve_commit(root: Path, ref: str) -> str | None:
    """The commit ``ref`` names, or None when there is no such ref here."""
    out = _run(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}", ok=(0, 1, 128))
    return out.decode().strip() or None


def merge_base(root: Path, one: str, other: str) -> str | None:
    """The best common ancestor of two commits, or None when they share no history here; GitFailed if one is missing."""
    return _run(root, "merge-base", "--end-of-options", one, other, ok=(0, 1)).decode().strip() or None


def changed_files(root: Path, base: str, folder: str, *, staged: bool, prefix: str = "") -> list[FileChange]:
    """Memo files (``folder/*.md``) that differ between ``base`` and the working tree, or the index if ``staged``.

    The working tree includes untracked files that are not ignored. Renames are detected (``-M``).
    Two quick comparisons (the index against ``base``, then one ``git status`` for the working
    tree against the index and untracked files) stand in for one slow diff: diffing the working
    tree with a commit other than HEAD walks the whole tree. Both run at once. ``prefix`` is
    ``RepoInfo.prefix``: git status names paths from the top of the repository.
    """
    return ChangedFiles(root, base, folder, staged=staged, prefix=prefix).result()


class ChangedFiles:
    """``changed_files`` with git working in the background: the index's answer comes first.

    ``in_index()`` is the index against the base, which is often the whole answer (in CI, the
    working tree is the commit); ``result()`` waits for ``git status`` and adds the working tree.
    """

    def __init__(self, root: Path, base: str, folder: str, *, staged: bool, prefix: str = "") -> None:
        diff = ["diff", "--no-ext-diff", "--relative", "--name-status", "-M", "-z", "--cached", "--end-of-options"]
        diff += [base, "--", f"{folder}/"]
        self._cached = Pending(root, diff, lambda out: _parse_name_status(out, folder))
        status = ["--no-optional-locks", "status", "--porcelain", "-z", "--no-renames", "--untracked-files=all"]
        status += ["--", f"{folder}/"]
        self._worktree = None if staged else Pending(root, status, partial(_parse_status, folder=f"{prefix}{folder}"))

    def in_index(self) -> list[FileChange]:
        return self._cached.result()

    def result(self) -> list[FileChange]:
        return self.in_index() if self._worktree is None else combine_changes(self.in_index(), self._worktree.result())


def _parse_status(raw: bytes, folder: str) -> list[FileChange]:
    """Working tree against index from ``git status --porcelain -z --no-renames``: M, D, or A.

    A is an untracked file (``??``) or one added with ``git add -N`` (`` A``): the index holds
    only the intent to add it, and a diff of the index leaves it out.
    """
    changes = []
    for entry in raw.decode("utf-8", "surrogateescape").split("\0"):
        code, path = entry[:2], entry[3:]
        name = _name_in(path, folder)
        if not name or code[1] == " ":
            continue
        changes.append(FileChange("A" if code in ("??", " A") else "D" if code[1] == "D" else "M", name))
    return changes


def combine_changes(first: Sequence[FileChange], second: Sequence[FileChange]) -> list[FileChange]:
    """Changes base -> working tree, from base -> index (``first``) and index -> working tree (``second``: M, D, A)."""
    present = {c.name: c for c in first if c.status != "D"}
    gone = {c.name: c for c in first if c.status == "D"}
    for change in second:
        name = change.name
        if change.status == "M":
            present.setdefault(name, change)
        elif change.status == "A":
            present[name] = FileChange("M", name) if gone.pop(name, None) else change
        else:
            was = present.pop(name, None)
            if was is None or was.status != "A":
                old = was.old_name if was is not None and was.status == "R" else name
                gone[old] = FileChange("D", old)
    return sorted([*present.values(), *gone.values()], key=lambda c: (c.name, c.status))


def _parse_name_status(raw: bytes, folder: str) -> list[FileChange]:
    fields = raw.decode("utf-8", "surrogateescape").split("\0")
    changes = []
    at = 0
    while at < len(fields) - 1:
        status, path = fields[at][:1], fields[at + 1]
        if status in "RC":
            changes.append(_moved(status, _name_in(path, folder), _name_in(fields[at + 2], folder)))
            at += 3
        else:
            changes.append(FileChange(status if status in "AD" else "M", _name_in(path, folder)))
            at += 2
    return [c for c in changes if c.name]


def _moved(status: str, old: str, new: str) -> FileChange:
    """A rename or copy as seen from the folder: a move in or out of it is an addition or a deletion."""
    if status == "C" or not old:
        return FileChange("A", new)
    return FileChange("R", new, old) if new else FileChange("D", old)


def _name_in(path: str, folder: str) -> str:
    """The file name when ``path`` is a memo file directly in ``folder``, else ``""``."""
    head, _, name = path.rpartition("/")
    return name if head == folder and name.endswith(".md") and "\n" not in name else ""


def index_names(root: Path, folder: str) -> list[str]:
    """The names of the memo files directly in ``folder`` in the index, sorted."""
    out = _run(root, "ls-files", "-z", "--cached", "--", f"{folder}/")
    return sorted(
        {name for name in (_name_in(p, folder) for p in out.decode("utf-8", "surrogateescape").split("\0")) if name}
    )


def nested_files(root: Path, folder: str, prefixes: Sequence[str], *, staged: bool) -> list[str]:
    """Paths of the ``.md`` files in subfolders of ``folder`` whose names start with one of ``prefixes``. One git call.

    Those in the index, and unless ``staged`` those untracked in the working tree (not ignored).
    """
    if not prefixes:
        return []
    specs = [f":(glob){folder}/**/{prefix}*.md" for prefix in prefixes]
    untracked = [] if staged else ["--others", "--exclude-standard"]
    out = _run(root, "ls-files", "-z", "--cached", *untracked, "--", *specs)
    paths = out.decode("utf-8", "surrogateescape").split("\0")
    return sorted({path for path in paths if path and not _name_in(path, folder)})


def blob_shas(root: Path, rev: str, folder: str) -> dict[str, str]:
    """File name -> blob SHA of every memo file in ``folder`` at ``rev`` (empty when it has no such folder). One git call."""
    return start_blob_shas(root, rev, folder).result()


def start_blob_shas(root: Path, rev: str, folder: str) -> Pending[dict[str, str]]:
    """``blob_shas``, running in the background."""
    return Pending(root, ["ls-tree", "-z", "--end-of-options", f"{rev}:./{folder}"], _parse_tree, ok=(0, 128))


# ls-tree -z entries: "<mode> <type> <sha>\t<name>\0"; one expression over them all beats a loop.
_TREE_BLOB = re.compile(r"(?:^|\0)\d{6} blob ([0-9a-f]+)\t([^\0]*?\.md)(?=\0)")


def _parse_tree(raw: bytes) -> dict[str, str]:
    return {name: sha for sha, name in _TREE_BLOB.findall(raw.decode("utf-8", "surrogateescape"))}


def read_blobs(root: Path, specs: Sequence[str]) -> list[bytes | None]:
    """The content of each object named in ``specs`` (``REV:./path``, ``:./path`` for the index, a SHA); None when missing.

    One ``git cat-file --batch`` for all of them.
    """
    return start_read_blobs(root, specs).result()


def start_read_blobs(root: Path, specs: Sequence[str]) -> Pending[list[bytes | None]] | Ready[list[bytes | None]]:
    """``read_blobs``, running in the background."""
    return _start_batch(root, specs, lambda found: [item[1] if item else None for item in found])


def _start_batch(
    root: Path, specs: Sequence[str], then: Callable[[list[tuple[str, bytes] | None]], T]
) -> Pending[T] | Ready[T]:
    """One ``git cat-file --batch`` for ``specs``; ``result()`` is ``then`` of what ``_parse_batch`` makes of it."""
    if not specs:
        return Ready(then([]))
    stdin = "".join(f"{s}\n" for s in specs).encode("utf-8", "surrogateescape")
    return Pending(root, ["cat-file", "--batch"], lambda out: then(_parse_batch(out, len(specs))), stdin=stdin)


def _parse_batch(out: bytes, count: int) -> list[tuple[str, bytes] | None]:
    """(object id, content) of each of the ``count`` objects asked of ``cat-file --batch``, or None when missing."""
    found: list[tuple[str, bytes] | None] = []
    at = 0
    for _ in range(count):
        end = out.index(b"\n", at)
        header = out[at:end].split()
        if len(header) == 3 and header[2].isdigit():
            size = int(header[2])
            found.append((header[0].decode(), out[end + 1 : end + 1 + size]))
            at = end + 1 + size + 1
        else:
            found.append(None)
            at = end + 1
    return found


def grep_names(root: Path, rev: str, folder: str, words: Sequence[str]) -> set[str]:
    """Names of the memo files in ``folder`` at ``rev`` containing any of ``words`` (fixed strings, whole words). One git call."""
    return start_grep_names(root, rev, folder, words).result()


def start_grep_names(root: Path, rev: str, folder: str, words: Sequence[str]) -> Pending[set[str]]:
    """``grep_names``, running in the background."""
    args = [arg for word in words for arg in ("-e", word)]

    def parse(out: bytes) -> set[str]:
        paths = (p.removeprefix(f"{rev}:") for p in out.decode("utf-8", "surrogateescape").split("\0") if p)
        return {name for name in (_name_in(p, folder) for p in paths) if name}

    # One thread: grepping a commit's blobs is bound by unpacking them, and threads only contend (measured: 70 vs 100 ms).
    # git grep (2.39) takes no --end-of-options before a revision; ``rev`` is a commit ID here, never a name typed in.
    return Pending(
        root, ["grep", "--threads=1", "-l", "-z", "-F", "-w", *args, rev, "--", f"{folder}/"], parse, ok=(0, 1)
    )


def other_branches(root: Path) -> list[str]:
    """Local and remote-tracking branches (full ref names) whose tip is not already part of HEAD's history.

    HEAD's own upstream and the remote-tracking branch it pushes to are left out: they are this
    branch as it was pushed, and after an amend or a rebase they hold its memos as they were then.
    """
    return start_other_branches(root)()


def start_other_branches(root: Path) -> Callable[[], list[str]]:
    """``other_branches``, with git working in the background; call the result for the answer."""
    fmt = "--format=%(refname)%00%(symref)"
    others = Pending(root, ["for-each-ref", fmt, "--no-merged", "HEAD", "refs/heads", "refs/remotes"], _rows)
    own = Pending(root, ["for-each-ref", "--points-at=HEAD", _UPSTREAMS, "refs/heads"], _own_upstreams)
    return lambda: [name for name, symref in others.result() if not symref and name not in own.result()]


_UPSTREAMS = "--format=%(HEAD)%00%(upstream)%00%(push)"


def _own_upstreams(out: bytes) -> set[str]:
    """The full names of ``@{upstream}`` and ``@{push}`` of the branch HEAD is on (none on a detached HEAD)."""
    for current, upstream, push in _rows(out):
        if current == "*":
            return {upstream, push} - {""}
    return set()


def _rows(out: bytes) -> list[list[str]]:
    """``for-each-ref`` output whose fields are separated by %00, one row per line."""
    return [line.split("\0") for line in out.decode("utf-8", "surrogateescape").splitlines()]


def short_ref(name: str) -> str:
    """``refs/remotes/origin/x`` -> ``origin/x``, ``refs/heads/x`` -> ``x``."""
    return name.removeprefix("refs/heads/").removeprefix("refs/remotes/")


def find_names(root: Path, revs: Sequence[str], folder: str, prefixes: Sequence[str]) -> list[frozenset[str]]:
    """For each of ``revs``, the memo file names in ``folder`` that start with one of ``prefixes``. One git call.

    The folder's tree objects are searched for the prefixes rather than parsed: a branch's
    10,000 entries cost one regular expression that starts with a literal, not 10,000 Python steps.
    """
    return start_find_names(root, revs, folder, prefixes).result()


def start_find_names(
    root: Path, revs: Sequence[str], folder: str, prefixes: Sequence[str]
) -> Pending[list[frozenset[str]]] | Ready[list[frozenset[str]]]:
    """``find_names``, running in the background."""
    if not prefixes:
        return Ready([frozenset[str]() for _ in revs])
    entry = re.compile(rb" ((?:" + b"|".join(re.escape(p.encode()) for p in prefixes) + rb")[^\0/]*\.md)\0")

    def names_in(trees: list[tuple[str, bytes] | None]) -> list[frozenset[str]]:
        scanned: dict[str, frozenset[str]] = {}
        result = []
        for found in trees:
            if found is None:
                result.append(frozenset[str]())
                continue
            tree_id, tree = found
            if tree_id not in scanned:
                # An entry is "<mode> <name>\0<20-byte id>"; folders (mode 40000) named *.md are not memos.
                names = (
                    m.group(1) for m in entry.finditer(tree) if tree[max(m.start() - 6, 0) : m.start()] in _FILE_MODES
                )
                scanned[tree_id] = frozenset(name.decode("utf-8", "surrogateescape") for name in names)
            result.append(scanned[tree_id])
        return result

    return _start_batch(root, [f"{rev}:./{folder}" for rev in revs], names_in)


_FILE_MODES = frozenset({b"100644", b"100755", b"120000", b"160000"})


def git_identity(root: Path) -> str | None:
    """``Name <email>`` from git's ``user.name``/``user.email`` (repo, then global), or None when unset."""
    import git

    runner = git.Git(root)
    name = _config(runner, "user.name")
    email = _config(runner, "user.email")
    if name and email:
        return f"{name} <{email}>"
    return name or None


def _config(runner: git.Git, key: str) -> str:
    import git

    try:
        return str(runner.config("--get", key)).strip()
    except git.GitCommandError:
        return ""
    except git.GitCommandNotFound as exc:
        raise CannotRun("git is not installed or not on PATH; install git") from exc


def _open(root: Path) -> git.Repo:
    import git

    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise CannotRun(f"{root} is not in a git repository; run 'git init' there") from exc
    except git.GitCommandNotFound as exc:
        raise CannotRun("git is not installed or not on PATH; install git") from exc


def check_can_commit(root: Path) -> None:
    """Refuse early (before anything is written) when a commit could not be made here."""
    try:
        repo = _open(root)
    except CannotRun as exc:
        raise CannotRun(f"{exc}, or leave out --commit") from exc
    if repo.bare:
        raise CannotRun(f"{root} is a bare git repository; run decide in a working tree")
    identity = git_identity(root)
    if not identity or "<" not in identity:
        raise CannotRun('git does not know who you are; run git config user.name "Your Name" and user.email')


def commit_file(root: Path, path: Path, message: str) -> str:
    """Commit exactly ``path`` (new or changed) with ``message``, leaving anything else staged as it was; the new SHA."""
    import git

    repo = _open(root)
    try:
        repo.git.add("--", str(path))
        repo.git.commit("-q", "-m", message, "--only", "--", str(path))
        return str(repo.head.commit.hexsha)
    except git.GitCommandError as exc:
        detail = (exc.stderr or str(exc)).strip().removeprefix("stderr:").strip(" '")
        raise CannotRun(
            f"{path.name} was written but not committed: git commit failed: {detail}; commit it yourself"
        ) from exc


def first_added(folder: Path) -> dict[str, tuple[str, str]]:
    """For each file directly in ``folder`` (by name): ``(date, "Name <email>")`` of the commit that first added it.

    Follows renames, so a memo moved to a new name keeps its first date. One ``git log`` pass for the
    whole folder (one call per file takes a minute at 10,000 files). Empty outside git.
    """
    import git

    try:
        out = str(
            git.Git(folder)(c="core.quotepath=off").log(
                "--diff-filter=AR",
                "--name-status",
                "-M",
                "-z",
                "--reverse",
                "--date=short",
                "--format=%x01%ad\t%an <%ae>",
                "--relative",
                "--",
                ".",
            )
        )
    except (git.GitCommandError, git.GitCommandNotFound):
        return {}  # not a repository, no commits yet, or no git: there is no history to draw on
    return {name: origin for name, origin in _parse_first_added(out).items() if "/" not in name}


def _parse_first_added(out: str) -> dict[str, tuple[str, str]]:
    first: dict[str, tuple[str, str]] = {}
    commit = ("", "")
    tokens = iter(out.split("\0"))
    for raw in tokens:
        token = raw.strip("\n")
        if token.startswith("\x01"):
            date, _tab, author = token[1:].partition("\t")
            commit = (date, author)
        elif token.startswith("A"):
            first.setdefault(next(tokens), commit)
        elif token.startswith("R"):
            old, new = next(tokens), next(tokens)
            first.setdefault(new, first.get(old, commit))
    return first
