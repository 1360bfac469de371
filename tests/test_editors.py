"""The editor set-up docs/adopting.md promises: the schema's $id resolves offline, and remark checks front-matter as documented."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import init_repo, memo_text
from referencing import Registry, Resource

from decide.schema import packaged_schema_text

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "docs" / "adopting.md").read_text(encoding="utf-8")
EDITORS = PAGE.split("## Checking front-matter while you type", 1)[1]
BIN = Path(sys.executable).parent
# Every keyword of JSON Schema draft-07 (validation, applicators, annotations) plus $defs, which Ajv 8 reads in any draft.
DRAFT_07 = {
    "$schema",
    "$id",
    "$ref",
    "$comment",
    "$defs",
    "definitions",
    "title",
    "description",
    "default",
    "examples",
    "readOnly",
    "writeOnly",
    "type",
    "enum",
    "const",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "items",
    "additionalItems",
    "maxItems",
    "minItems",
    "uniqueItems",
    "contains",
    "maxProperties",
    "minProperties",
    "required",
    "properties",
    "patternProperties",
    "additionalProperties",
    "dependencies",
    "propertyNames",
    "if",
    "then",
    "else",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "format",
}


def keywords(node: Any, under_properties: bool = False) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if not under_properties:
                yield key
            yield from keywords(value, key in ("properties", "patternProperties", "$defs", "definitions"))
    elif isinstance(node, list):
        for item in node:
            yield from keywords(item)


def test_the_schema_id_is_a_name_that_resolves_offline() -> None:
    document = json.loads(packaged_schema_text())
    assert document["$id"] == "urn:decide-log:schema:decision:v1"
    registry: Registry[Any] = Resource.from_contents(document) @ Registry()
    resolved = registry.resolver().lookup("urn:decide-log:schema:decision:v1#/$defs/date")
    assert resolved.contents["format"] == "date"
    assert (ROOT / "schema" / "decision.schema.json").read_text(encoding="utf-8") == packaged_schema_text()


def test_the_schema_uses_only_keywords_the_editors_validator_knows() -> None:
    assert set(keywords(json.loads(packaged_schema_text()))) - DRAFT_07 == set()


def test_decide_schema_prints_the_schema_it_checks_with() -> None:
    done = subprocess.run([sys.executable, "-m", "decide", "schema"], capture_output=True, text=True, check=True)
    assert done.stdout == packaged_schema_text()


def documented_setup() -> tuple[list[str], dict[str, Any]]:
    commands = re.search(r"```sh\n(npm install .*?)\n```", EDITORS, flags=re.DOTALL)
    remarkrc = re.search(r"```json\n(.*?)\n```", EDITORS, flags=re.DOTALL)
    assert commands and remarkrc
    return commands.group(1).splitlines(), json.loads(remarkrc.group(1))


def test_the_documented_remarkrc_reads_the_file_decide_schema_writes() -> None:
    commands, remarkrc = documented_setup()
    (written,) = [line.split("> ", 1)[1] for line in commands if line.startswith("decide schema > ")]
    rule = dict(p for p in remarkrc["plugins"] if isinstance(p, list))["remark-lint-frontmatter-schema"]
    assert list(rule["schemas"]) == [written] and not written.startswith("schema/")
    assert rule["schemas"][written] == ["decisions/*.md"]


BAD = """\
---
id: D-1AAAAA
title: Adopt Postgres for billing
status: decidd
date: 12/05/2026
dri: Ana Ruiz
tag: [billing]
---

## Context
"""


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("npm") is None, reason="needs Node.js and npm, as the editor set-up does")
def test_remark_checks_front_matter_as_the_docs_set_it_up(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    commands, remarkrc = documented_setup()
    (repo.root / ".vscode").mkdir()
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "npm_config_audit": "false"}
    for command in commands:  # the page's commands, word for word
        done = subprocess.run(
            ["bash", "-c", command], cwd=repo.root, env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, f"{command}: {done.stderr[-2000:]}"
    repo.write(".remarkrc.json", json.dumps(remarkrc))
    repo.write("decisions/D-1AAAAA-adopt-postgres-for-billing.md", BAD)
    repo.write("decisions/D-2BBBBB-pick-a-queue.md", memo_text("D-2BBBBB", title="Pick a queue"))
    done = subprocess.run(
        ["npx", "--no-install", "remark", "decisions", "--no-color", "--quiet"],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    report = done.stderr
    assert "D-2BBBBB-pick-a-queue.md" not in report  # a valid memo: nothing to say
    found = re.findall(r"^\s*(\d+):\d+(?:-\d+:\d+)?\s+warning\s+(.*)$", report, flags=re.MULTILINE)
    by_line = {int(line): text for line, text in found}
    assert "allowed values" in by_line[4] and "decided" in by_line[4]  # status: decidd
    assert 'format "date"' in by_line[5]  # 12/05/2026
    assert re.search(r"^\s+warning\s+Must NOT have additional properties", report, flags=re.MULTILINE)  # tag:
    assert "JSON schema malformed" not in report
