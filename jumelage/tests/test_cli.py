from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PILOT = Path(__file__).resolve().parents[1] / "examples" / "pilot.json"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "jumelage", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def _lexical_pilot(tmp_path: Path) -> Path:
    data = json.loads(PILOT.read_text(encoding="utf-8"))
    data["fit"] = {"backend": "lexical"}  # no model to load: keeps the test fast
    path = tmp_path / "pilot.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_solve_then_check_exit_zero(tmp_path):
    instance = _lexical_pilot(tmp_path)
    out = tmp_path / "result.json"
    solved = _run("solve", str(instance), "--seed", "1", "-o", str(out))
    assert solved.returncode == 0, solved.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["certificate"]["status"] == "optimal" and len(result["groups"]) == 2
    checked = _run("check", str(instance), str(out))
    assert checked.returncode == 0 and checked.stdout.startswith("OK")


def test_solve_writes_to_stdout_in_english(tmp_path):
    solved = _run("solve", str(_lexical_pilot(tmp_path)), "--lang", "en", "--time-limit", "5")
    assert solved.returncode == 0
    assert json.loads(solved.stdout)["mode"] == "exact"


def test_check_exits_one_on_a_tampered_result(tmp_path):
    instance = _lexical_pilot(tmp_path)
    out = tmp_path / "result.json"
    _run("solve", str(instance), "-o", str(out))
    result = json.loads(out.read_text(encoding="utf-8"))
    result["certificate"]["objective"] += 1
    out.write_text(json.dumps(result), encoding="utf-8")
    checked = _run("check", str(instance), str(out))
    assert checked.returncode == 1
    assert "score_mismatch" in checked.stdout


def test_bad_json_exits_two_with_a_plain_message(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json", encoding="utf-8")
    solved = _run("solve", str(bad))
    assert solved.returncode == 2
    assert "JSON" in solved.stderr and "Traceback" not in solved.stderr


def test_missing_file_exits_two(tmp_path):
    solved = _run("solve", str(tmp_path / "nowhere.json"))
    assert solved.returncode == 2 and "Traceback" not in solved.stderr


def test_contradictory_input_exits_two_listing_each_problem(tmp_path):
    data = json.loads(_lexical_pilot(tmp_path).read_text(encoding="utf-8"))
    data["locks"] = [
        {"mentor": "M-LOG", "mentee": "E-INCONNU"},
        {"mentor": "M-SYN", "mentee": "E-SAG"},
    ]
    data["forbidden"] = [{"mentor": "M-SYN", "mentee": "E-SAG"}]
    path = tmp_path / "contradiction.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    solved = _run("solve", str(path))
    assert solved.returncode == 2
    lines = solved.stderr.strip().splitlines()
    assert len(lines) == 2 and "[unknown_id]" in lines[0] and "[lock_and_forbid]" in lines[1]


def test_fit_prints_one_json_line_per_need(tmp_path):
    path = tmp_path / "fit.json"
    path.write_text(
        json.dumps(
            {
                "mentors": [
                    {"id": "A", "text": "transport réfrigéré et logistique"},
                    {"id": "B", "text": "gouvernance et partenariats"},
                ],
                "needs": [{"id": "n1", "text": "camion réfrigéré, logistique", "extra": 1}],
            }
        ),
        encoding="utf-8",
    )
    fitted = _run("fit", str(path), "--top", "2", "--backend", "lexical")
    assert fitted.returncode == 0, fitted.stderr
    (line,) = fitted.stdout.strip().splitlines()
    row = json.loads(line)
    assert row["need"] == "n1" and [t["mentor"] for t in row["top"]] == ["A", "B"]


def test_time_limit_is_a_promise_with_a_certified_answer(tmp_path):
    """A small --time-limit on a mid-size instance: the run ends (loading and writing are part
    of the limit), with a result whose certificate `check` accepts (a valid bound)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from generate import generate

    instance = tmp_path / "mid.json"
    instance.write_text(json.dumps(generate(3000, 1500, seed=4, shared_themes_weight=0.3)))
    for mode in ("large", "exact"):
        out = tmp_path / f"{mode}.json"
        run = _run("solve", str(instance), "--mode", mode, "--time-limit", "1", "-o", str(out))
        assert run.returncode == 0, run.stderr
        cert = json.loads(out.read_text(encoding="utf-8"))["certificate"]
        assert cert["bound"] >= cert["objective"]
        checked = _run("check", str(instance), str(out))
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_solve_budget_takes_loading_and_writing_off_the_limit():
    from jumelage.cli import solve_budget

    assert solve_budget(60.0, 10.0, 100_000) == 60.0 - 10.0 - (0.05 + 4.0)
    assert solve_budget(1.0, 0.2, 10_000) == 1.0 - 0.2 - 0.2  # the reserve is 20 % at most
    assert solve_budget(1.0, 5.0, 10) == 0.05  # never nothing: the mandatory work runs
