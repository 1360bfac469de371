"""Importing ADR logs written by other tools, in the order it runs.

``names``, ``dates``, ``people`` and ``relations`` read what a record's file name, dates, deciders and
status say -> ``formats`` (parse a record, whatever tool wrote it) -> ``fields`` (status, dates, DRI,
title into memo fields) -> ``supersedes`` (supersede and amend links made consistent) -> ``links``
(links in bodies to the new memos, images to copy) -> ``importer`` (the plan, pure) -> ``folder``
(reading the folder and git, writing) -> ``report`` (what a person reads, and JSON).
"""
