"""The merged log: qualified IDs, supersession derived across repositories, links across repositories judged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import memo_text

from decide.errors import UsageError
from decide.ids import filename
from decide.memo import Memo, parse
from decide.org.manifest import Source
from decide.org.merge import OrgIndex, OrgRepo, find_org_entry, merge_logs

A, B, C = "D-7KQ2MX", "D-3ND8WZ", "D-9PF4RT"


def memo(memo_id: str, **fields: Any) -> Memo:
    path = f"decisions/{filename(memo_id, fields.get('title', 'Adopt Postgres for billing'))}"
    parsed = parse(memo_text(memo_id, **fields), path).memo
    assert parsed is not None
    return parsed


def test_an_id_two_repositories_share_stays_two_memos() -> None:
    entries, problems = merge_logs([("payments", [memo(A)]), ("billing", [memo(A, title="Bill monthly")])])
    assert problems == ()
    assert [(e.id, e.repo, e.local_id, e.title) for e in entries] == [
        (f"payments:{A}", "payments", A, "Adopt Postgres for billing"),
        (f"billing:{A}", "billing", A, "Bill monthly"),
    ]


def test_a_memo_superseded_from_another_repository_shows_as_superseded() -> None:
    entries, problems = merge_logs(
        [
            ("payments", [memo(A), memo(B, title="Local successor", supersedes=[C]), memo(C, title="Old")]),
            ("platform", [memo(A, title="One billing for all", supersedes=[f"payments:{A}"])]),
        ]
    )
    assert problems == ()
    by_id = {e.id: e for e in entries}
    assert by_id[f"payments:{A}"].status == "superseded"
    assert by_id[f"payments:{A}"].superseded_by == (f"platform:{A}",)
    assert by_id[f"platform:{A}"].supersedes == (f"payments:{A}",)
    assert by_id[f"payments:{C}"].superseded_by == (f"payments:{B}",)  # a plain ID names its own repository
    assert by_id[f"platform:{A}"].status == "decided"


def test_links_across_repositories_are_judged() -> None:
    _entries, problems = merge_logs(
        [
            ("payments", [memo(A), memo(B, title="Cycle one", supersedes=[f"platform:{B}"])]),
            (
                "platform",
                [
                    memo(A, title="Points nowhere", supersedes=["payments:D-7KQ2MY"]),
                    memo(B, title="Cycle two", supersedes=[f"payments:{B}"]),
                    memo(C, title="Second successor", supersedes=[f"payments:{B}"]),
                ],
            ),
        ]
    )
    assert [str(p) for p in problems] == [
        f"payments/decisions/{B}-cycle-one.md:13: supersedes: supersession cycle payments:{B} -> platform:{B} -> "
        f"payments:{B}; a memo cannot replace its own successor",
        f"platform/decisions/{B}-cycle-two.md:13: supersedes: supersession cycle platform:{B} -> payments:{B} -> "
        f"platform:{B}; a memo cannot replace its own successor",
        f"platform/decisions/{A}-points-nowhere.md:13: supersedes: payments:D-7KQ2MY does not exist; "
        f'did you mean "payments:{A}"?',
        f"platform/decisions/{C}-second-successor.md:13: supersedes: payments:{B} is already superseded by "
        f"platform:{B} (platform/decisions/{B}-cycle-two.md); supersede platform:{B} instead",
    ]


def index_of(*logs: tuple[str, list[Memo]]) -> OrgIndex:
    entries, problems = merge_logs(logs)
    repos = tuple(OrgRepo(Source(name, f"https://example.com/{name}.git"), None) for name, _memos in logs)
    return OrgIndex(repos, entries, problems)


def test_an_id_is_found_qualified_in_any_case_or_alone_when_one_repository_has_it() -> None:
    index = index_of(("payments", [memo(A), memo(B, title="Hire")]), ("billing", [memo(A, title="Bill")]))
    assert find_org_entry(index, f"Payments:{A.lower()}").id == f"payments:{A}"
    assert find_org_entry(index, B).id == f"payments:{B}"
    with pytest.raises(UsageError) as caught:
        find_org_entry(index, A)
    assert (
        str(caught.value) == f"{A} names memos in 2 repositories: billing:{A}, payments:{A}; name one, e.g. billing:{A}"
    )


def test_an_unknown_id_or_repository_gets_a_hint() -> None:
    index = index_of(("payments", [memo(A)]))
    with pytest.raises(UsageError) as caught:
        find_org_entry(index, "paymnts:D-7KQ2MX")
    assert str(caught.value) == "no repository named 'paymnts' in decide-org.toml; did you mean \"payments\"?"
    with pytest.raises(UsageError) as caught:
        find_org_entry(index, "payments:D-7KQ2MY")
    assert (
        str(caught.value) == f"no memo with ID payments:D-7KQ2MY in the organisation's log; did you mean payments:{A}?"
    )


def test_an_imported_adrs_number_finds_it_in_its_repository() -> None:
    index = index_of(("payments", [memo(A, aliases=["0007"])]), ("billing", [memo(B, aliases=["0003"])]))
    assert find_org_entry(index, "payments:7").id == f"payments:{A}"
    assert find_org_entry(index, "ADR-3").id == f"billing:{B}"


def test_the_merged_entries_read_as_index_entries_with_their_repository(tmp_path: Path) -> None:
    entries, _problems = merge_logs([("payments", [memo(A)])])
    data = entries[0].to_dict()
    assert list(data)[:4] == ["id", "repo", "local_id", "title"]
    assert (data["id"], data["repo"], data["local_id"], data["path"]) == (
        f"payments:{A}",
        "payments",
        A,
        f"decisions/{A}-adopt-postgres-for-billing.md",
    )


def test_a_link_into_a_repository_not_fetched_is_not_judged_and_one_outside_the_manifest_is_named() -> None:
    log = [memo(A, supersedes=["legacy:D-3ND8WZ", "paymnts:D-3ND8WZ"])]
    _entries, problems = merge_logs([("platform", log)], left_out={"legacy"}, known={"platform", "legacy", "payments"})
    assert [str(p) for p in problems] == [
        f"platform/decisions/{A}-adopt-postgres-for-billing.md:13: supersedes: paymnts:D-3ND8WZ names the repository "
        "'paymnts', which is not in decide-org.toml; did you mean \"payments\"?"
    ]
