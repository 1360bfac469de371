"""The one exception tree; each class carries the exit code the CLI uses."""

from __future__ import annotations


class DecideError(Exception):
    """Something stops the command; the message says what to do about it."""

    exit_code = 3


class UsageError(DecideError):
    """The command was called wrongly (bad option value, unknown ID)."""

    exit_code = 2


class CannotRun(DecideError):
    """The command cannot run here: no repo, no decisions/, unreadable schema, missing base ref."""

    exit_code = 3


class Refused(DecideError):
    """The command looked and refused: the memo is not in a state that allows it."""

    exit_code = 1


EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_CANNOT_RUN = 3
