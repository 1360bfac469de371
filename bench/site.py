"""Time ``decide build`` against a bare MkDocs Material build of the same memo files, in one run.

python bench/site.py [--counts 1000 10000] [--search-at 10000] [--chromium /usr/bin/chromium]

For each count: build time and peak memory of both builds, and their search index sizes; at
``--search-at`` memos, the time from typing a DRI's name in the search box to the first result
in headless Chromium, for both sites. Targets: decide build <= 1.3x bare at 1,000; 10,000 memos
in <= 60 s and <= 500 MB; first search result <= 1 s.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from generate import as_users_run, write_log

REPO = Path(__file__).resolve().parent.parent
_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter(); subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)
BARE_CONFIG = """\
site_name: Bare
docs_dir: pages
site_dir: site-bare
theme:
  name: material
  font: false
plugins:
  - search
nav:
  - Home: index.md
validation:
  omitted_files: ignore
"""
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def measure(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall-clock seconds and peak resident memory (MB) of one command, run in its own process."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], cwd=cwd, env=env, check=True, capture_output=True, text=True
    )
    seconds, kilobytes = out.stdout.split()
    return float(seconds), int(kilobytes) / 1024


def prepare(root: Path, count: int) -> None:
    """``count`` memos, this project's mkdocs.yml and docs, and a bare site over copies of the same memo files."""
    write_log(root, count)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(root / "decisions", root / "pages")
    (root / "pages" / "index.md").write_text("# Decisions\n")
    (root / "bare.yml").write_text(BARE_CONFIG)


def build_both(root: Path, rounds: int) -> dict[str, Any]:
    decide = [str(Path(sys.executable).parent / "decide"), "build"]
    bare = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", "bare.yml"]
    runs: dict[str, list[tuple[float, float]]] = {"bare": [], "decide": []}
    for _ in range(rounds):  # alternate, so both see the same machine load
        runs["bare"].append(measure(bare, root))
        runs["decide"].append(measure(decide, root))
    result: dict[str, Any] = {}
    for name, site in (("bare", "site-bare"), ("decide", "site")):
        seconds = min(s for s, _ in runs[name])
        result[name] = {
            "seconds": round(seconds, 2),
            "peak_mb": round(max(m for _, m in runs[name]), 1),
            "search_index_mb": round((root / site / "search" / "search_index.json").stat().st_size / 1e6, 2),
        }
    result["ratio"] = round(result["decide"]["seconds"] / result["bare"]["seconds"], 2)
    return result


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def first_result(site: Path, query: str, chromium: str) -> dict[str, float]:
    """Seconds from entering ``query`` (right after the page loaded) to the first search result.

    The query is pasted and one key released, so the one search made is for the whole query:
    typed key by key, the first result shown could be that of its first letter.
    """
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=chromium, args=FLAGS, headless=True
            )
            page = context.new_page()
            start = time.perf_counter()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
            loaded = time.perf_counter()
            page.locator("input.md-search__input").click()
            typed = time.perf_counter()
            page.keyboard.insert_text(query)  # the whole query, then one key released: one search, no prefixes
            page.keyboard.press("End")
            page.locator(".md-search-result__item").first.wait_for(timeout=120_000)
            done = time.perf_counter()
            context.close()
    finally:
        server.shutdown()
        server.server_close()
    return {
        "from_typing_s": round(done - typed, 2),
        "from_navigation_s": round(done - start, 2),
        "load_s": round(loaded - start, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--search-at", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=2, help="builds of each kind at counts up to 2,000 (best kept)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    as_users_run()
    report: dict[str, Any] = {}
    for count in args.counts:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            prepare(root, count)
            report[count] = build_both(root, args.rounds if count <= 2000 else 1)
            if count == args.search_at and Path(args.chromium).exists():
                report[count]["first_result_decide"] = first_result(root / "site", "Ana Ruiz", args.chromium)
                report[count]["first_result_bare"] = first_result(root / "site-bare", "Ana Ruiz", args.chromium)
        print(json.dumps({count: report[count]}), flush=True)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
