"""The package's layout holds: no import cycles, each heavy or outside library only in its own place, modules of a readable size."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "decide"
PIPELINES = ("decide.check", "decide.adr", "decide.site", "decide.cli", "decide.git", "decide.init", "decide.org")
# An outside module, and the only modules of decide that may import it.
CONFINED = {
    "click": ("decide.cli",),
    "mkdocs": ("decide.site.plugin", "decide.site.build"),
    "jinja2": ("decide.site.plugin",),
    "markupsafe": ("decide.site.plugin",),
    "subprocess": ("decide.git.process",),
    "git": (),  # gitpython: decide drives the git binary through decide.git.process
    # The CommonMark parser judges a closed memo's Decision section, and is imported nowhere else.
    "markdown_it": ("decide.check.frozen",),
    "mdit_py_plugins": ("decide.check.frozen",),
}
# Which of the packages each part of decide may import (core modules are always allowed).
# The site's body module is what a memo body becomes: validation judges bodies with it.
MAY_IMPORT = {
    "core": ("decide.git", "decide.site.body", "decide.site.html"),
    "decide.git": (),
    "decide.check": ("decide.git", "decide.site.body", "decide.site.html"),
    "decide.adr": ("decide.git", "decide.site.body", "decide.site.html"),
    # decide init asks git where the repository's top is and which remotes it has.
    "decide.init": ("decide.git",),
    # The organisation's log fetches with git and validates fetched logs as decide validate does.
    "decide.org": ("decide.git", "decide.site.body", "decide.site.html"),
    "decide.site": ("decide.git", "decide.site", "decide.cli"),
    "decide.cli": PIPELINES,
}
MAX_LINES = 400
# Named modules at the top, besides __init__ and __main__: the core ideas every command shares.
MAX_TOP_MODULES = 22


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _imports(tree: ast.AST, here: str, is_package: bool) -> Iterator[str]:
    """Every module ``here`` imports at run time, at the top or inside a function (not under TYPE_CHECKING)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from (name for child in node.orelse for name in _imports(child, here, is_package))
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.split(".")[: len(here.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)
        else:
            yield from _imports(node, here, is_package)


@cache
def graph() -> dict[str, set[str]]:
    """Module -> the modules of decide it imports, and the outside modules (top-level names) it imports."""
    known = modules()
    edges: dict[str, set[str]] = {}
    for name, path in known.items():
        found = set()
        for target in _imports(ast.parse(path.read_text(encoding="utf-8")), name, path.name == "__init__.py"):
            if target in known:
                found.add(target)
            elif not target.startswith("decide"):
                found.add(target.split(".")[0])
        edges[name] = found - {name}
    return edges


def _area(module: str) -> str:
    if module == "decide.__main__":  # ``python -m decide`` is the command line
        return "decide.cli"
    return next((p for p in PIPELINES if module == p or module.startswith(p + ".")), "core")


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start] & edges.keys())))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(edges[child] & edges.keys()))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def test_the_import_graph_has_no_cycle() -> None:
    assert _cycles(graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("outside", sorted(CONFINED))
def test_an_outside_library_is_imported_only_where_it_belongs(outside: str) -> None:
    allowed = CONFINED[outside]
    users = sorted(m for m, targets in graph().items() if outside in targets)
    assert [m for m in users if not any(m == a or m.startswith(a + ".") for a in allowed)] == []


def test_each_part_imports_only_the_parts_below_it() -> None:
    wrong = []
    for module, targets in graph().items():
        area = _area(module)
        allowed = MAY_IMPORT[area]
        for target in targets:
            if not target.startswith("decide") or _area(target) in ("core", area):
                continue
            if not any(target == a or target.startswith(a + ".") for a in allowed):
                wrong.append(f"{module} -> {target}")
    assert wrong == []


def test_only_the_plugin_reads_the_command_line_from_outside_it() -> None:
    users = {m for m, targets in graph().items() if any(_area(t) == "decide.cli" for t in targets)}
    assert {m for m in users if _area(m) != "decide.cli"} <= {"decide.site.plugin"}


def test_the_layering_check_sees_an_import_inside_a_function() -> None:
    assert "decide.site.build" in graph()["decide.cli.site"]


def test_no_module_is_over_400_lines() -> None:
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in modules().items()}
    assert {name: size for name, size in sizes.items() if size > MAX_LINES} == {}


def test_the_top_of_the_package_stays_small() -> None:
    top = [path.name for path in PACKAGE.glob("*.py") if not path.name.startswith("__")]
    assert len(top) <= MAX_TOP_MODULES, sorted(top)


def test_every_folder_of_the_package_is_a_package() -> None:
    folders = {p.parent for p in PACKAGE.rglob("*.py")}
    assert [f for f in folders if not (f / "__init__.py").is_file()] == []


def test_every_test_file_name_is_unique() -> None:
    """pytest imports test files by their base name: two of one name in different folders cannot both run."""
    names = [p.name for p in (PACKAGE.parent / "tests").rglob("test_*.py")]
    assert sorted({n for n in names if names.count(n) > 1}) == []
