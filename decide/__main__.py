"""Entry point for ``python -m decide``."""

from decide.cli import main

main()
