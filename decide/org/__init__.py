"""The organisation's decision log: many repositories, one view.

Read in order: ``manifest`` (``decide-org.toml``: which repositories) -> ``store`` (where their
fetched copies live) -> ``fetch`` (a partial, sparse clone of each log folder, validated, swapped
in) -> ``merge`` (one typed index with repository-qualified IDs, links across repositories
judged) -> ``views`` (what ``decide org list``, ``show``, ``due`` and ``stats`` print).
"""
