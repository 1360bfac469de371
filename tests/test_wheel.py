"""The built wheel holds every sub-package and data file, and the command runs from it outside the checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("*.whl"))


def test_the_wheel_holds_every_package_and_its_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    sources = {p.relative_to(ROOT).as_posix() for p in (ROOT / "decide").rglob("*") if p.is_file()}
    shipped = {s for s in sources if "__pycache__" not in s}
    assert shipped - names == set()
    assert "decide/site/assets/decide.css" in names and "decide/data/decision.schema.json" in names


def test_the_installed_wheel_runs_every_command_help(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site-packages"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    code = (
        "import sys, decide; from decide.cli import commands\n"
        "assert decide.__file__.startswith(sys.argv[1]), decide.__file__\n"
        "print(' '.join(commands()))"
    )
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    names = subprocess.run(
        [sys.executable, "-c", code, str(target)], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert {"new", "validate", "check", "build", "import"} <= set(names)
    for name in ["--help", *(f"{n} --help" for n in names)]:
        done = subprocess.run(
            [sys.executable, "-m", "decide", *name.split()],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert (done.returncode, done.stderr) == (0, ""), name
        assert done.stdout.startswith("Usage: python -m decide"), name


def test_the_wheel_is_decide_log_with_the_one_version_of_the_package(wheel: Path) -> None:
    import decide

    assert wheel.name == f"decide_log-{decide.__version__}-py3-none-any.whl"
    archive = zipfile.ZipFile(wheel)
    metadata = archive.read(f"decide_log-{decide.__version__}.dist-info/METADATA").decode()
    assert f"Name: {decide.DISTRIBUTION}\n" in metadata and f"Version: {decide.__version__}\n" in metadata
    entry_points = archive.read(f"decide_log-{decide.__version__}.dist-info/entry_points.txt").decode()
    assert "decide = decide.cli:run" in entry_points


def test_the_version_is_written_once() -> None:
    import tomllib

    import decide

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "decide.__version__"}
    assert project["project"]["name"] == decide.DISTRIBUTION == "decide-log"
    done = subprocess.run([sys.executable, "-m", "decide", "--version"], capture_output=True, text=True, check=True)
    assert done.stdout == f"decide, version {decide.__version__}\n"
