"""The package runs as a process: ``python -m decide``."""

import subprocess
import sys


def test_python_m_decide_help_lists_every_command() -> None:
    done = subprocess.run([sys.executable, "-m", "decide", "--help"], capture_output=True, text=True, check=True)
    for command in (
        "new",
        "validate",
        "list",
        "show",
        "index",
        "accept",
        "reject",
        "retire",
        "supersede",
        "review",
        "due",
        "stats",
        "import",
        "check",
        "owners",
    ):
        assert f"  {command} " in done.stdout
    assert "Exit codes: 0 ok, 1 findings" in done.stdout
