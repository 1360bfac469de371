"""Entry point for ``python -m decide``."""

from decide.cli import run

run()
