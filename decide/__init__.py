"""decide: decision records with one DRI each, kept in git."""

__version__ = "0.1.0"
