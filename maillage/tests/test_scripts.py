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


def test_a_python_without_venv_says_what_to_install_where_apt_cannot(tmp_path):
    # Debian's bare python3 has no ensurepip (python3-venv); no apt-get here to install it.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python = bin_dir / "python3"
    python.write_text(
        "#!" + BASH + "\n"
        'case "$2" in\n'
        '  "import ensurepip") exit 1 ;;\n'
        "  *version_info*print*) echo 3.11 ;;\n"
        "esac\n"
        "exit 0\n"
    )
    python.chmod(0o755)
    script = ROOT / "scripts" / "venv.sh"
    result = _bash(
        "-c",
        f". {script} run; echo went-on",
        cwd=tmp_path,
        env={"PATH": str(bin_dir), "PYTHON": str(python)},
    )
    assert result.returncode == 1 and "went-on" not in result.stdout
    assert "sudo apt-get install python3-venv" in result.stderr
    assert not (tmp_path / ".venv").exists()  # nothing half-made left behind
