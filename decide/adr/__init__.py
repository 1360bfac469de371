"""Importing ADR logs written by other tools, in the order it runs.

``formats`` (detect the tool and parse its records) -> ``fields`` (status, dates, DRI, title into
memo fields) -> ``supersedes`` (links between records made consistent) -> ``importer`` (plan,
write, report).
"""
