"""Validation: the schema, the rules a schema cannot say, and the rules across memos."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from decide.config import Config
from decide.decisions import load_log, md_names, memo_names, mentioning
from decide.ids import ID_PATTERN, id_from_filename, is_qualified
from decide.index import replaces
from decide.memo import Memo
from decide.person import is_tbd, why_not_one_person
from decide.problem import Problem
from decide.roster import check_people, load_roster
from decide.schema import Checker, load_schemas, parse_date
from decide.site.body import DEFAULT_CHECK, BodyCheck
from decide.suggest import did_you_mean
from decide.yaml_lines import FieldPath, label


@dataclass(frozen=True)
class Ref:
    """What the rules across memos need to know of one memo.

    The lines are those of its ``id``, ``supersedes`` and ``aliases`` fields; a Ref made from a file
    name alone (``loaded=False``) has none and says 1, the opening ``---``, as ``Memo.line_of`` does.
    """

    path: str
    id: str
    supersedes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    line_of_supersedes: int = 1
    loaded: bool = True
    line_of_id: int = 1
    line_of_aliases: int = 1
    replaces: bool = True  # False for a rejected memo, which supersedes nothing (``decide.index.replaces``)
    amends: tuple[str, ...] = ()
    line_of_amends: int = 1

    @classmethod
    def of(cls, memo: Memo) -> Ref:
        return cls(
            memo.path,
            memo.id,
            memo.supersedes,
            memo.aliases,
            memo.line_of(("supersedes",)),
            line_of_id=memo.line_of(("id",)),
            line_of_aliases=memo.line_of(("aliases",)),
            replaces=replaces(memo.status),
            amends=memo.amends,
            line_of_amends=memo.line_of(("amends",)),
        )


@dataclass(frozen=True)
class Report:
    """The outcome of a validation run; ``notes`` are said but are not problems (a link this log cannot check)."""

    memos: tuple[Memo, ...]
    problems: tuple[Problem, ...]
    files: int
    notes: tuple[Problem, ...] = ()


def validate(config: Config, paths: Sequence[Path] | None = None) -> Report:
    """Validate the given memo files (default: the whole log) and report every problem in every file.

    With explicit paths, the rules across memos compare them with the other memos' IDs
    (taken from their file names, which validation keeps equal to the IDs).
    """
    names = memo_names(config)
    named = _named(paths or ())
    targets = None if paths is None else list(named.values())
    log = load_log(config, targets)
    checker = Checker(load_schemas(config))
    bodies = BodyCheck(config.root)
    roster = load_roster(config)
    problems = list(log.problems) + list(roster.problems if roster else ())
    for memo in log.memos:
        problems.extend(checker.check(memo))
        problems.extend(check_memo(memo, bodies))
        problems.extend(check_people(memo, roster))
    refs = [Ref.of(memo) for memo in log.memos]
    if paths is None:
        problems.extend(check_log(refs))
    else:
        folder = config.decisions_dir.resolve()
        prefix = config.decisions_dir.relative_to(config.root).as_posix()
        others = [_ref_from_name(name, prefix) for name in names if (folder, name) not in named]
        own = {r.path for r in refs}
        problems.extend(p for p in check_log(refs + [r for r in others if r]) if p.path in own)
    files = len(names) if targets is None else len(targets)
    notes = tuple(note for memo in log.memos for note in outside_links(memo))
    return Report(log.memos, tuple(sorted(set(problems))), files, notes)


def outside_links(memo: Memo) -> list[Problem]:
    """A note for each memo this one supersedes in another repository (``payments:D-7KQ2MX``): outside this log."""
    line = memo.line_of(("supersedes",))
    return [
        Problem(
            memo.path,
            line,
            "supersedes",
            f"{target} is in another repository ({target.partition(':')[0]}), outside this log; "
            "'decide org validate' in the organisation's aggregator checks it",
        )
        for target in memo.supersedes
        if is_qualified(target)
    ]


def _named(paths: Iterable[Path]) -> dict[tuple[Path, str], Path]:
    """Each file to validate once, keyed by its real folder and its name; a folder stands for the memos in it.

    ``F``, ``./F`` and ``/abs/F`` are one file. Only folders are resolved (a memo that is a symbolic
    link must stay one, to be reported), once each: resolving each of 10,000 paths costs about a second.
    """
    folders: dict[Path, Path] = {}
    named: dict[tuple[Path, str], Path] = {}
    for path in paths:
        files = [path / name for name in md_names(path)] if _is_folder(path) else [path]
        for file in files:
            if file.parent not in folders:
                folders[file.parent] = file.parent.resolve()
            named.setdefault((folders[file.parent], file.name), file)
    return named


def _is_folder(path: Path) -> bool:
    """A folder given to validate; one named ``*.md`` is a memo that is not a file, and is reported as such."""
    return not path.name.endswith(".md") and path.is_dir()


def check_links(config: Config, memo: Memo, names: Sequence[str]) -> list[Problem]:
    """The rules across memos for ``memo``, about to be written: what it supersedes exists and is not superseded yet.

    ``names`` are the file names in the log. Only the memos that mention a target are read (the
    one named for it, and any successor listing it); every other memo is known by the ID in its
    file name, as when validate is given paths. The messages are validate's.
    """
    if not memo.supersedes:
        return []
    folder = config.decisions_dir
    prefix = folder.relative_to(config.root).as_posix()
    nearby = load_log(config, mentioning([folder / name for name in names], memo.supersedes)).memos
    read = {m.path for m in nearby}
    others = [_ref_from_name(name, prefix) for name in names if f"{prefix}/{name}" not in read]
    refs = [Ref.of(m) for m in nearby] + [r for r in others if r] + [Ref.of(memo)]
    return [p for p in check_log(refs) if p.path == memo.path]


def _ref_from_name(name: str, folder: str) -> Ref | None:
    memo_id = id_from_filename(name)
    return Ref(f"{folder}/{name}", memo_id, loaded=False) if memo_id else None


def check_memo(memo: Memo, bodies: BodyCheck = DEFAULT_CHECK) -> list[Problem]:
    """The rules on one memo that the JSON Schema cannot express.

    ``bodies`` renders the body the way the site does (``decide.site.body``); by default with
    MkDocs' built-in Markdown extensions and attr_list, as no ``mkdocs.yml`` is known here.
    """
    problems = [Problem(memo.path, memo.line_of(at), label(at), m) for at, m in _field_rules(memo)]
    problems.extend(bodies.problems(memo))
    return problems


def _field_rules(memo: Memo) -> Iterator[tuple[FieldPath, str]]:
    name = memo.path.rpartition("/")[2]
    if memo.id and id_from_filename(name) != memo.id:
        yield ("id",), f'{memo.id} does not match the file name; rename the file to start with "{memo.id}-"'
    yield from _person_rules(memo)
    yield from _date_rules(memo)
    if memo.id and memo.id in memo.supersedes:
        yield ("supersedes",), "a memo cannot supersede itself"


def _person_rules(memo: Memo) -> Iterator[tuple[FieldPath, str]]:
    dri = memo.dri
    if is_tbd(dri):
        if memo.status and memo.status != "proposed":
            yield (
                ("dri",),
                f"TBD is allowed only while proposed; name the one person who decided this {memo.status} memo",
            )
    elif dri:
        why = why_not_one_person(dri)
        if why:
            yield ("dri",), why
    escalation = memo.escalation
    if escalation and escalation.to:
        why = why_not_one_person(escalation.to, allow_groups=True)
        if why:
            yield (
                ("escalation", "to"),
                why.replace("name one DRI and list the others under inputs", "name the one person or role it goes to"),
            )


def _date_rules(memo: Memo) -> Iterator[tuple[FieldPath, str]]:
    opened = parse_date(memo.date)
    decided, review, closed = (parse_date(memo.data.get(k)) for k in ("decided_on", "review_by", "closed_on"))
    if opened and decided and decided < opened:
        yield (
            ("decided_on",),
            f"{decided} is before the memo was opened ({opened}); it cannot be decided before it exists",
        )
    if opened and review and review <= opened:
        yield ("review_by",), f"{review} is not after the memo was opened ({opened}); pick a later review date"
    if opened and closed and closed < opened:
        yield ("closed_on",), f"{closed} is before the memo was opened ({opened}); it cannot be closed before it exists"
    if memo.decided_on and memo.status == "proposed":
        yield ("decided_on",), 'is set but status is proposed; set "status: decided" or remove decided_on'
    if memo.closed_on and memo.status not in ("rejected", "retired"):
        yield ("closed_on",), "is set but the memo is not rejected or retired; remove it or change the status"


def check_log(refs: Iterable[Ref], *, qualified: bool = False) -> Iterator[Problem]:
    """Rules across memos: unique IDs and aliases, supersedes and amends targets exist, no cycles, superseded once.

    ``qualified``: the refs are an organisation's, every ID and target qualified by its repository
    (``payments:D-7KQ2MX``). In one repository's log a qualified target is outside it and not judged.
    """
    refs = [r for r in refs if r.id]
    by_id: dict[str, list[Ref]] = defaultdict(list)
    for ref in refs:
        by_id[ref.id].append(ref)
    yield from _duplicates(by_id)
    yield from _alias_clashes(refs, by_id)
    yield from _supersession(refs, by_id, is_qualified if qualified else ID_PATTERN.match)
    yield from _amendments(refs, by_id)


def _amendments(refs: list[Ref], by_id: dict[str, list[Ref]]) -> Iterator[Problem]:
    for ref in refs:
        for target in ref.amends:
            if target == ref.id:
                yield Problem(ref.path, ref.line_of_amends, "amends", "a memo cannot amend itself")
            elif ID_PATTERN.match(target) and target not in by_id:
                hint = did_you_mean(target, by_id)
                yield Problem(ref.path, ref.line_of_amends, "amends", f"{target} does not exist{hint}")


def _duplicates(by_id: dict[str, list[Ref]]) -> Iterator[Problem]:
    for memo_id, same in by_id.items():
        for ref in same:
            others = ", ".join(o.path for o in same if o is not ref)
            if others:
                yield Problem(
                    ref.path,
                    ref.line_of_id,
                    "id",
                    f"{memo_id} is also the ID of {others}; give one of them a new ID (decide new prints a fresh one)",
                )


def _alias_clashes(refs: list[Ref], by_id: dict[str, list[Ref]]) -> Iterator[Problem]:
    owners: dict[str, list[Ref]] = defaultdict(list)
    for ref in refs:
        for alias in ref.aliases:
            owners[alias].append(ref)
    for alias, same in owners.items():
        for ref in same:
            clash = [o.path for o in same if o is not ref] + [o.path for o in by_id.get(alias, [])]
            if clash:
                yield Problem(
                    ref.path,
                    ref.line_of_aliases,
                    "aliases",
                    f'"{alias}" also names {", ".join(clash)}; an alias must point to one memo',
                )


def _supersession(refs: list[Ref], by_id: dict[str, list[Ref]], judged: Callable[[str], object]) -> Iterator[Problem]:
    successors: dict[str, list[Ref]] = defaultdict(list)
    for ref in refs:
        for target in ref.supersedes:
            if not judged(target):
                continue  # the schema reports IDs that are not IDs; a memo in another repository is not here
            if target not in by_id:
                hint = did_you_mean(target, by_id)
                yield Problem(ref.path, ref.line_of_supersedes, "supersedes", f"{target} does not exist{hint}")
            elif target != ref.id and ref.replaces:
                successors[target].append(ref)
    for target, newer in successors.items():
        for ref in newer[1:]:
            yield Problem(
                ref.path,
                ref.line_of_supersedes,
                "supersedes",
                f"{target} is already superseded by {newer[0].id} ({newer[0].path}); supersede {newer[0].id} instead",
            )
    yield from _cycles(refs, by_id)


def _cycles(refs: list[Ref], by_id: dict[str, list[Ref]]) -> Iterator[Problem]:
    graph = {r.id: [t for t in r.supersedes if t in by_id and t != r.id] for r in refs if r.replaces}
    reported: set[str] = set()
    for cycle in _find_cycles(graph):
        for memo_id in cycle:
            if memo_id in reported:
                continue
            reported.add(memo_id)
            at = cycle.index(memo_id)
            loop = " -> ".join([*cycle[at:], *cycle[:at], memo_id])
            ref = by_id[memo_id][0]
            yield Problem(
                ref.path,
                ref.line_of_supersedes,
                "supersedes",
                f"supersession cycle {loop}; a memo cannot replace its own successor",
            )


def _find_cycles(graph: dict[str, list[str]]) -> Iterator[list[str]]:
    """Each cycle found by a depth-first walk (iterative, so a long chain cannot overflow the stack)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    for start in sorted(graph):
        if start in state:
            continue
        path: list[str] = [start]
        stack = [iter(graph.get(start, ()))]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                yield path[path.index(nxt) :]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(graph.get(nxt, ())))
