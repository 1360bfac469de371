"""Benchmark the core commands as whole processes against a floor measured in the same run.

    python bench/cli.py --count 10000 --repeat 5

The floor is a bare Python script that reads every memo and parses its front-matter with
PyYAML's C loader: the least any validator must do. The floor for ``--help`` is a Python that
imports click and nothing else. Figures are medians of --repeat runs.
decide runs from a regular (not editable) install of this checkout in a throwaway virtual
environment, as users get it: an editable install adds an import hook to every process start.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import as_users_run, init_git, write_log

FLOOR = """
import os, sys, yaml
folder = sys.argv[1]
for name in os.listdir(folder):
    if name.endswith(".md"):
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            text = handle.read()
        front = text.split("\\n---\\n", 1)[0][4:]
        yaml.load(front, Loader=yaml.CSafeLoader)
"""


def timed(command: list[str], cwd: Path, repeat: int) -> float:
    """Median wall time of ``command`` over ``repeat`` runs (after one warm-up run)."""
    subprocess.run(command, cwd=cwd, capture_output=True, check=False)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


REPO = Path(__file__).resolve().parents[1]
# What the installed ``decide`` command runs (``python -m decide`` adds runpy's imports).
CONSOLE_SCRIPT = "import sys; sys.argv[0] = 'decide'; from decide.cli import run; run()"


def installed_python(folder: Path) -> str:
    """A venv with this checkout installed from a wheel; its dependencies come from the running environment."""
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python*/site-packages"))
    deps = [p for p in sys.path if p.endswith("site-packages")]
    (site / "_bench_deps.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(REPO)]
    subprocess.run(pip, check=True, capture_output=True)
    return str(venv / "bin" / "python")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    as_users_run()
    with tempfile.TemporaryDirectory() as tmp:
        python = installed_python(Path(tmp))
        decide = [python, "-c", CONSOLE_SCRIPT]
        root = Path(tmp) / "repo"
        write_log(root, args.count)
        init_git(root)
        rows = {
            "python -c pass (process start)": timed([python, "-c", "pass"], root, args.repeat),
            "floor: read + C-parse every memo": timed([python, "-c", FLOOR, "decisions"], root, args.repeat),
            "python -c 'import click' (--help floor)": timed([python, "-c", "import click"], root, args.repeat),
            "decide --help": timed([*decide, "--help"], root, args.repeat),
            "decide validate": timed([*decide, "validate"], root, args.repeat),
            "decide index": timed([*decide, "index"], root, args.repeat),
            "decide list": timed([*decide, "list"], root, args.repeat),
        }
    floor = rows["floor: read + C-parse every memo"]
    print(f"{args.count} memos, median of {args.repeat} runs")
    for name, seconds in rows.items():
        print(f"  {name:<36} {seconds * 1000:8.0f} ms   {seconds / floor:5.2f}x floor")


if __name__ == "__main__":
    main()
