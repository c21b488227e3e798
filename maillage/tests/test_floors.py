"""The floor plan holds (maillage/floors.py), and the check fails when it should."""

from __future__ import annotations

from pathlib import Path

from maillage import floors


def test_no_app_imports_a_higher_floor():
    assert [str(p) for p in floors.wrong_way_imports()] == []


def test_every_app_has_a_floor():
    apps = {p.name for p in floors.ROOT.iterdir() if (p / "apps.py").exists()}
    assert apps == set(floors.floor_of())


def _app(root: Path, name: str, files: dict[str, str]) -> None:
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "apps.py").write_text("")
    for path, text in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text)


def test_it_fails_on_an_import_of_a_higher_floor(tmp_path):
    _app(tmp_path, "core", {"views.py": "from maillage.programs.models import Program\n"})
    _app(tmp_path, "programs", {"models.py": "from maillage.core.models import Person\n"})
    found = floors.wrong_way_imports(tmp_path, engine=None)
    assert [(p.path, p.line, p.importer, p.imported) for p in found] == [
        ("maillage/core/views.py", 1, "core", "programs")
    ]


def test_it_finds_the_import_hidden_in_a_function(tmp_path):
    _app(
        tmp_path,
        "programs",
        {"health.py": "def check():\n    from maillage.alerts import checks\n    return checks\n"},
    )
    found = floors.wrong_way_imports(tmp_path, engine=None)
    assert [(p.path, p.line, p.imported) for p in found] == [
        ("maillage/programs/health.py", 2, "alerts")
    ]


def test_it_finds_a_relative_import_that_climbs_out_of_the_app(tmp_path):
    _app(tmp_path, "intake", {"services.py": "from ..matching import services\n"})
    found = floors.wrong_way_imports(tmp_path, engine=None)
    assert [(p.importer, p.imported) for p in found] == [("intake", "matching")]


def test_same_floor_apps_read_each_other_only_as_planned(tmp_path):
    _app(tmp_path, "selection", {"models.py": "from maillage.intake.models import Application\n"})
    _app(tmp_path, "intake", {"models.py": "import maillage.selection.models\n"})
    found = floors.wrong_way_imports(tmp_path, engine=None)
    assert [(p.importer, p.imported) for p in found] == [("intake", "selection")]


def test_tests_and_migrations_are_left_out(tmp_path):
    wrong = "from maillage.reports.models import Report\n"
    _app(tmp_path, "core", {"tests/test_x.py": wrong, "migrations/0001_x.py": wrong})
    assert floors.wrong_way_imports(tmp_path, engine=None) == []


def test_a_new_app_without_a_floor_is_reported(tmp_path):
    _app(tmp_path, "gazette", {"models.py": "from maillage.core.models import Person\n"})
    found = floors.wrong_way_imports(tmp_path, engine=None)
    assert [(p.importer, p.imported) for p in found] == [
        ("gazette", "(no floor in maillage.floors)")
    ]


def test_the_engine_imports_no_django(tmp_path):
    engine = tmp_path / "jumelage"
    engine.mkdir()
    (engine / "fit.py").write_text("import numpy\nfrom django.conf import settings\n")
    (tmp_path / "maillage").mkdir()
    found = floors.wrong_way_imports(tmp_path / "maillage", engine=engine)
    assert [(p.path, p.imported) for p in found] == [("jumelage/fit.py", "django")]


def test_the_command_exits_1_and_lists_them(tmp_path, monkeypatch, capsys):
    _app(tmp_path, "core", {"views.py": "from maillage.programs import selectors\n"})
    _app(tmp_path, "programs", {})
    monkeypatch.setattr(floors, "ROOT", tmp_path)
    monkeypatch.setattr(floors, "ENGINE", tmp_path / "none")
    monkeypatch.setattr(floors.wrong_way_imports, "__defaults__", (tmp_path, None))
    assert floors.main() == 1
    assert "maillage/core/views.py:1: core imports programs" in capsys.readouterr().out
