"""The two commands of the README (./run, ./test) and the scripts they share."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASH = shutil.which("bash") or "/bin/bash"
SCRIPTS = ["run", "test", *sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("scripts/*.sh"))]


def _bash(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BASH, *args], cwd=kwargs.pop("cwd", ROOT), capture_output=True, text=True, **kwargs
    )


def test_every_script_parses():
    for script in SCRIPTS:
        result = _bash("-n", script)
        assert result.returncode == 0, f"{script}: {result.stderr}"


def test_run_help_lists_the_switches_without_installing_anything():
    result = _bash("run", "--help", timeout=30)
    assert result.returncode == 0
    for switch in ("--empty", "--dev", "MAILLAGE_DEMO=0", "MAILLAGE_DEBUG=1", "MAILLAGE_PORT"):
        assert switch in result.stdout


def test_run_refuses_an_unknown_switch():
    result = _bash("run", "--bogus", timeout=30)
    assert result.returncode == 2 and "--bogus" in result.stderr


def test_without_apt_nor_the_libraries_it_says_what_to_install_and_goes_on(tmp_path):
    # No dpkg on the PATH and no .venv here: a Fedora or a Mac without Pango.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "cat").symlink_to(shutil.which("cat"))
    script = ROOT / "scripts" / "system.sh"
    result = _bash("-c", f". {script}; echo went-on", cwd=tmp_path, env={"PATH": str(bin_dir)})
    assert result.returncode == 0
    assert "went-on" in result.stdout
    for line in ("libpango-1.0-0", "sudo dnf install pango", "brew install pango"):
        assert line in result.stderr
