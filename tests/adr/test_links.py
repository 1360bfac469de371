"""Links in record bodies: to other records rewritten to their memos, images kept and copied, broken ones named."""

from __future__ import annotations

from decide.adr.formats import Note
from decide.adr.links import Target, local_targets, resolve, rewrite_links

BODY = """\
See [DNS](0015-dns.md#decision), ![img](./0015-img01.png) and ![a](assets/x.png).
Also [moved](../adr/0015-dns.md), [web](https://example.com/0015-dns.md), `[code](0015-dns.md)`.
[ref]: <0015-dns.md>
<img src="assets/y.png" alt="y">
```
[fenced](0015-dns.md)
```
[skipped](0016-skipped.md) [readme](README.md) [up](../README.md) [svg](d.svg) [gone](nope.png) [same](same.png)
"""
FILES = {
    "0015-img01.png": "file",
    "assets/x.png": "file",
    "assets/y.png": "file",
    "README.md": "file",
    "d.svg": "file",
    "nope.png": "missing",
    "same.png": "same",
}


def test_resolve_relative_to_the_folder() -> None:
    assert resolve("../adr/x.md#a", "doc/adr") == Target("x.md", "#a")
    assert resolve("./img%20one.png?raw=1", "doc/adr") == Target("img one.png", "?raw=1")
    assert resolve("../x.png", "doc/adr") == Target("../x.png")
    assert [resolve(u, "doc/adr") for u in ("https://x.org", "#top", "/abs.png", "mailto:a@b.c")] == [None] * 4


def test_local_targets_skip_code() -> None:
    assert local_targets(BODY, "doc/adr") == {
        "0015-dns.md",
        "0015-img01.png",
        "assets/x.png",
        "assets/y.png",
        "0016-skipped.md",
        "README.md",
        "../README.md",
        "d.svg",
        "nope.png",
        "same.png",
    }


def test_links_to_records_point_to_memos_and_images_are_copied() -> None:
    memos = {"0015-dns.md": "D-AAAAAA-run-our-own-dns.md", "0016-skipped.md": ""}
    found = rewrite_links(BODY, "doc/adr", memos, FILES)
    assert found.body == BODY.replace("[DNS](0015-dns.md#", "[DNS](D-AAAAAA-run-our-own-dns.md#").replace(
        "[moved](../adr/0015-dns.md)", "[moved](D-AAAAAA-run-our-own-dns.md)"
    ).replace("[ref]: <0015-dns.md>", "[ref]: <D-AAAAAA-run-our-own-dns.md>")
    assert found.assets == ("0015-img01.png", "assets/x.png", "assets/y.png")
    assert found.notes == (
        Note("links", '"0016-skipped.md" is a record that was not imported; the link will not work', True),
        Note("links", '"README.md" is not a record; link to the page\'s address, or remove the link', True),
        Note(
            "links", '"../README.md" is outside the ADR folder; copy the file next to the memo and fix the link', True
        ),
        Note(
            "links",
            '"d.svg" is not a file the site publishes (images and PDFs); convert it or link to it elsewhere',
            True,
        ),
        Note("links", '"nope.png" does not exist; fix or remove the link', True),
    )


def test_a_different_file_already_beside_the_memos_is_never_overwritten() -> None:
    found = rewrite_links("![x](a.png)\n", "adr", {}, {"a.png": "clash"})
    assert (found.assets, [n.message for n in found.notes]) == (
        (),
        ['"a.png" decisions/a.png exists with other content; not copied: copy it under another name and fix the link'],
    )
