"""decide: decision records with one DRI each, kept in git."""

__version__ = "0.1.0"
DISTRIBUTION = "decide-log"  # the name pip knows it by; "decide" on PyPI is an unrelated project
