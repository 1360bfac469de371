"""A stand-in for GitHub's ``gh`` CLI (a remote service), for the due workflow's tests: it keeps issues in a JSON file.

Each call is appended to ``$FAKE_GH_LOG`` (one JSON list of arguments a line); the issues and
labels live in ``$FAKE_GH_STATE``. Only the calls the workflow makes are known; any other call
fails, so a change to the workflow's calls shows up here.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

LIST_JQ = ".[] | [.number, .state, .title] | @tsv"


def main(args: list[str]) -> int:
    with open(os.environ["FAKE_GH_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps(args) + "\n")
    if not os.environ.get("GH_TOKEN") or not os.environ.get("GH_REPO"):
        print(
            "gh: To use GitHub CLI in a GitHub Actions workflow, set the GH_TOKEN environment variable.",
            file=sys.stderr,
        )
        return 4
    state_path = Path(os.environ["FAKE_GH_STATE"])
    state = json.loads(state_path.read_text(encoding="utf-8")) if state_path.exists() else {"issues": [], "labels": []}
    code = _call(state, args)
    state_path.write_text(json.dumps(state, indent=1), encoding="utf-8")
    return code


def _call(state: dict[str, Any], args: list[str]) -> int:
    if args[:2] == ["label", "create"]:
        if args[2] not in state["labels"]:
            state["labels"].append(args[2])
        return 0
    if args[0] != "issue" or len(args) < 2:
        return _unknown(args)
    verb, rest = args[1], args[2:]
    options = _options(rest)
    if verb == "list":
        return _list(state, options, args)
    if verb == "create":
        return _create(state, options)
    issue = next((i for i in state["issues"] if str(i["number"]) == rest[0]), None)
    if issue is None:
        print(f"GraphQL: Could not resolve to an issue or pull request with the number of {rest[0]}.", file=sys.stderr)
        return 1
    return _change(issue, verb, options, args)


def _list(state: dict[str, Any], options: dict[str, str], args: list[str]) -> int:
    if options.get("--jq") != LIST_JQ or options.get("--state") != "all":
        return _unknown(args)
    for issue in state["issues"]:
        if options["--label"] in issue["labels"]:
            print(f"{issue['number']}\t{issue['state']}\t{issue['title']}")
    return 0


def _create(state: dict[str, Any], options: dict[str, str]) -> int:
    number = max((i["number"] for i in state["issues"]), default=0) + 1
    body = Path(options["--body-file"]).read_text(encoding="utf-8")
    issue = {"number": number, "title": options["--title"], "state": "OPEN", "labels": [options["--label"]]}
    state["issues"].append({**issue, "body": body, "comments": []})
    print(f"https://github.com/{os.environ['GH_REPO']}/issues/{number}")
    return 0


def _change(issue: dict[str, Any], verb: str, options: dict[str, str], args: list[str]) -> int:
    if verb == "view" and options.get("--json") == "body" and options.get("--jq") == ".body":
        print(issue["body"])
    elif verb == "edit":
        issue["body"] = Path(options["--body-file"]).read_text(encoding="utf-8")
    elif verb == "comment":
        issue["comments"].append(options["--body"])
    elif verb == "reopen":
        issue["state"] = "OPEN"
    elif verb == "close":
        issue["state"] = "CLOSED"
        issue["comments"].append(options.get("--comment", ""))
    else:
        return _unknown(args)
    return 0


def _options(rest: list[str]) -> dict[str, str]:
    return {rest[i]: rest[i + 1] for i in range(len(rest) - 1) if rest[i].startswith("--")}


def _unknown(args: list[str]) -> int:
    print(f"fake gh: a call the tests do not know: {args}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
