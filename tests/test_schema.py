"""The schema: one contract, shipped with the package, fast for valid memos, explicit for invalid ones."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from conftest import DEFAULTS, GitRepo
from jsonschema import Draft202012Validator, FormatChecker

from decide.config import Config
from decide.errors import CannotRun
from decide.memo import parse
from decide.schema import Checker, is_date, load_schemas, packaged_schema_text
from decide.validate import validate

ROOT = Path(__file__).resolve().parents[1]


def test_the_packaged_schema_is_identical_to_the_repo_schema() -> None:
    assert packaged_schema_text() == (ROOT / "schema" / "decision.schema.json").read_text(encoding="utf-8")


def test_the_schema_is_valid_draft_2020_12() -> None:
    document = json.loads(packaged_schema_text())
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(document)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2026-02-28", True),
        ("2024-02-29", True),
        ("2026-02-30", False),
        ("2026-1-2", False),
        ("20260102", False),
        ("2026-13-01", False),
        ("2026-01-02T00:00", False),
        (17, True),
    ],
)
def test_is_date(value: object, ok: bool) -> None:
    assert is_date(value) is ok


VARIANTS: dict[str, list[object]] = {
    "status": ["decided", "proposed", "superseded", None],
    "dri": ["Ana", "", ["a"]],
    "inputs": [["x"], [], [{"who": "x", "link": "u"}], [{"what": "y"}], None],
    "escalation": [{"trigger": "abc", "to": "CTO"}, {"trigger": "abc"}, None],
    "review_by": ["2027-01-01", "2027-02-30", None],
    "tags": [["a"], ["a", "a"], "a"],
    "imported": [None, {"from": "madr"}, {"from": "other"}],
}


def _corpus() -> list[dict[str, object]]:
    keys = list(VARIANTS)
    corpus = []
    for values in itertools.product(*(VARIANTS[k] for k in keys)):
        data = {"id": "D-AAAAAA", "title": "A title", "date": "2026-01-05", "decided_on": "2026-01-06"}
        data.update({k: v for k, v in zip(keys, values, strict=True) if v is not None})
        corpus.append(data)
    return corpus


def test_the_fast_path_agrees_with_jsonschema_on_every_variant() -> None:
    schemas = load_schemas(Config(root=ROOT / "nowhere"))
    checker = Checker(schemas)
    full = Draft202012Validator(schemas[0].document, format_checker=FormatChecker())
    corpus = _corpus()
    assert len(corpus) > 1000, len(corpus)
    valid = 0
    for data in corpus:
        memo = parse("---\nx-a: b\n---\n", "m.md").memo
        assert memo is not None
        memo = type(memo)(memo.path, data, "", 3)
        expected = not list(full.iter_errors(data))
        assert (checker.check(memo) == []) is expected, data
        valid += expected
    assert 0 < valid < len(corpus)


def test_a_repo_schema_extends_the_packaged_one(repo: GitRepo) -> None:
    extension = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "required": ["tags"],
        "properties": {"x-cost-centre": {"type": "string", "pattern": "^CC-[0-9]+$"}},
    }
    repo.write("schema/decision.schema.json", json.dumps(extension))
    path = repo.add_memo("D-AAAAAA", **{"x-cost-centre": "marketing"})
    found = [str(p) for p in validate(Config(root=repo.root)).problems]
    assert found == [
        f"decisions/{path.name}:1: tags: missing; add 'tags' (rule from schema/decision.schema.json)",
        f"decisions/{path.name}:13: x-cost-centre: 'marketing' does not match '^CC-[0-9]+$' (rule from schema/decision.schema.json)",
    ]


def test_every_unknown_and_every_missing_field_is_its_own_problem(repo: GitRepo) -> None:
    repo.write("schema/decision.schema.json", json.dumps({"required": ["tags", "review_by"]}))
    path = repo.add_memo("D-AAAAAA", tags=None, review_by=None, stauts="decided", titel="x")
    found = [str(p) for p in validate(Config(root=repo.root)).problems]
    assert found == [
        f"decisions/{path.name}:1: review_by: missing; add 'review_by' (rule from schema/decision.schema.json)",
        f"decisions/{path.name}:1: tags: missing; add 'tags' (rule from schema/decision.schema.json)",
        f'decisions/{path.name}:13: stauts: unknown field; did you mean "status"?',
        f'decisions/{path.name}:14: titel: unknown field; did you mean "title"?',
    ]


@pytest.mark.parametrize(
    ("extension", "fields", "expected"),
    [
        (
            {"dependentRequired": {"x-a": ["tags"]}},
            {"x-a": "y"},
            "1: tags: missing (required with x-a); add 'tags'",
        ),
        (
            {"dependentSchemas": {"x-a": {"required": ["review_by"]}}},
            {"x-a": "y"},
            "1: review_by: missing; add 'review_by'",
        ),
        (
            {"properties": {"x-meta": {"properties": {"owner": {"type": "string"}}, "unevaluatedProperties": False}}},
            {"x-meta": {"owner": "Ana", "extra": "1"}},
            "13: x-meta: Unevaluated properties are not allowed ('extra' was unexpected)",
        ),
        (
            {"properties": {"x-pair": {"prefixItems": [{"type": "string"}, {"enum": ["low", "high"]}]}}},
            {"x-pair": ["cost", "huge"]},
            '15: x-pair[1]: the text "huge" is not one of: low, high',
        ),
    ],
)
def test_a_repo_schema_may_use_draft_2020_12_keywords(
    repo: GitRepo, extension: dict[str, object], fields: dict[str, object], expected: str
) -> None:
    repo.write("schema/decision.schema.json", json.dumps(extension))
    path = repo.add_memo("D-AAAAAA", **fields)
    found = [str(p) for p in validate(Config(root=repo.root)).problems]
    assert found == [f"decisions/{path.name}:{expected} (rule from schema/decision.schema.json)"]
    keeps_every_rule = {
        "x-a": "y",
        "tags": ["a"],
        "review_by": "2027-01-01",
        "x-meta": {"owner": "Ana"},
        "x-pair": ["cost", "low"],
    }
    repo.add_memo("D-AAAAAA", **keeps_every_rule)
    assert validate(Config(root=repo.root)).problems == ()


def test_an_unreadable_repo_schema_cannot_run(repo: GitRepo) -> None:
    repo.write("schema/decision.schema.json", "{ not json")
    repo.add_memo("D-AAAAAA")
    with pytest.raises(CannotRun, match=r"^schema/decision.schema.json:1: the schema is not valid JSON: "):
        validate(Config(root=repo.root))


def test_a_repo_schema_that_is_not_a_json_schema_cannot_run(repo: GitRepo) -> None:
    repo.write("schema/decision.schema.json", json.dumps({"type": "no-such-type"}))
    repo.add_memo("D-AAAAAA", dri="Sales team")
    with pytest.raises(
        CannotRun, match=r"^schema/decision.schema.json: the schema is not a valid JSON Schema at 'type': "
    ):
        validate(Config(root=repo.root))


def test_a_format_other_than_date_names_its_format(repo: GitRepo) -> None:
    extension = {"properties": {"x-a": {"format": "email"}, "x-b": {"format": "date"}}}
    repo.write("schema/decision.schema.json", json.dumps(extension))
    path = repo.add_memo("D-AAAAAA", **{"x-a": "hello", "x-b": "2026-02-30"})
    assert [str(p) for p in validate(Config(root=repo.root)).problems] == [
        f'decisions/{path.name}:13: x-a: "hello" is not a valid email (rule from schema/decision.schema.json)',
        f'decisions/{path.name}:14: x-b: "2026-02-30" is not a real date; write YYYY-MM-DD (e.g. 2026-02-28) (rule from schema/decision.schema.json)',
    ]


UNRESOLVABLE = (
    'schema/decision.schema.json: cannot resolve "$ref": "{}"; refer only to definitions in this file, '
    'such as "#/$defs/name" (schemas are never fetched over the network)'
)


@pytest.mark.parametrize(
    ("extension", "ref"),
    [
        ({"$ref": "#/$defs/nope"}, "#/$defs/nope"),
        ({"properties": {"x-a": {"items": {"$ref": "other.json"}}}}, "other.json"),
        ({"properties": {"x-a": {"$ref": "#/x-own"}}, "x-own": {"$ref": "#/nowhere"}}, "#/nowhere"),
    ],
)
def test_a_repo_schema_with_a_ref_that_leads_nowhere_cannot_run(
    repo: GitRepo, invoke, extension: dict[str, object], ref: str
) -> None:
    repo.write("schema/decision.schema.json", json.dumps(extension))
    repo.add_memo("D-AAAAAA", **{"x-a": ["y"]})
    result = invoke("validate")
    assert (result.exit_code, result.stdout, result.stderr) == (3, "", f"Error: {UNRESOLVABLE.format(ref)}\n")


def test_a_ref_to_another_server_is_never_fetched(repo: GitRepo, invoke) -> None:
    import http.server
    import threading

    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"{}")

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/x.json"
        repo.write("schema/decision.schema.json", json.dumps({"properties": {"x-a": {"$ref": url}}}))
        repo.add_memo("D-AAAAAA", **{"x-a": "y"})
        result = invoke("validate")
    finally:
        server.shutdown()
        server.server_close()
    assert (result.exit_code, result.stderr) == (3, f"Error: {UNRESOLVABLE.format(url)}\n")
    assert asked == []


def test_defaults_used_by_the_tests_are_valid() -> None:
    assert set(DEFAULTS) <= set(json.loads(packaged_schema_text())["properties"])


@pytest.mark.slow
def test_an_installed_wheel_finds_its_schema_outside_the_checkout(tmp_path: Path) -> None:
    import subprocess
    import sys

    target = tmp_path / "site-packages"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(ROOT)],
        check=True,
        capture_output=True,
    )
    shipped = target / "decide" / "data" / "decision.schema.json"
    assert shipped.read_text(encoding="utf-8") == packaged_schema_text()
    code = "from decide.schema import packaged_schema_text as t; import decide; print(decide.__file__, len(t()))"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target)},
        capture_output=True,
        text=True,
        check=True,
    )
    location, size = done.stdout.split()
    assert location.startswith(str(target))
    assert int(size) == len(packaged_schema_text())
