"""Where this decide was installed from, so CI and pre-commit install the same one (PEP 610's direct_url.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import metadata

from decide import DISTRIBUTION, __version__


@dataclass(frozen=True)
class Source:
    """What CI installs (a pip requirement), the pre-commit repository and rev (empty: local hooks), and what to warn about."""

    requirement: str
    hook_repo: str = ""
    hook_rev: str = ""
    warning: str = ""


def installed_source() -> Source:
    """The source of the decide that is running.

    Run from a checkout, the build's own ``decide_log.egg-info`` comes first on the path; it
    records no source, so the first record that does is the one pip wrote.
    """
    found = (d.read_text("direct_url.json") for d in metadata.distributions(name=DISTRIBUTION))
    return source_from(next((text for text in found if text), None), __version__)


def source_from(direct_url: str | None, version: str) -> Source:
    """The source a ``direct_url.json`` describes; None (installed from an index) gives the released version."""
    released = Source(f"{DISTRIBUTION}=={version}")
    try:
        data = json.loads(direct_url) if direct_url else {}
    except json.JSONDecodeError:
        data = {}
    url = data.get("url", "") if isinstance(data, dict) else ""
    if not isinstance(url, str) or not url:
        return released
    vcs = data.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and isinstance(vcs.get("commit_id"), str):
        return _from_git(url, vcs["commit_id"], data.get("subdirectory"))
    if "archive_info" in data and url.startswith(("https://", "http://")):
        return Source(f"{DISTRIBUTION} @ {url}")
    return Source(
        released.requirement,
        warning=(
            f"decide was installed from a folder on this machine ({url}), which CI cannot reach, so CI installs "
            f"{released.requirement} from PyPI; if it is not published there, change the install line to "
            f'"{DISTRIBUTION} @ git+URL@COMMIT" (the repository you got decide from)'
        ),
    )


def _from_git(url: str, commit: str, subdirectory: object) -> Source:
    requirement = f"{DISTRIBUTION} @ git+{url}@{commit}"
    hook_repo = url
    if isinstance(subdirectory, str) and subdirectory:
        requirement += f"#subdirectory={subdirectory}"
        hook_repo = ""  # pre-commit reads .pre-commit-hooks.yaml at the top of a repository only
    warning = ""
    if url.startswith("file:"):
        warning = (
            f"decide was installed from a git repository on this machine ({url}), which CI cannot reach; "
            "change the install line to a URL CI can clone"
        )
    return Source(requirement, hook_repo=hook_repo, hook_rev=commit if hook_repo else "", warning=warning)
