"""The floor plan: each app imports only apps on lower floors (../shared/CONVENTIONS.md).

A lower floor that must react to a higher one sends a signal (as `programs.signals` does) or
lets the higher floor orchestrate; it never imports it, not even inside a function. Apps on the
same floor do not import each other, except where `SAME_FLOOR` says who may read whom.

    python -m maillage.floors        # lists every wrong-way import, exit 1 if there is one

`./test` runs it, and `maillage/tests/test_floors.py` proves it fails when it should. Tests and
migrations are left out: a test may build data from any floor.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

# Lowest first. `jumelage` (floor 0, the engine) imports no Django and no app at all.
FLOORS: list[tuple[str, ...]] = [
    ("core",),
    ("programs",),
    ("intake", "selection", "inclusion", "training"),
    ("matching",),
    ("mentoring", "tools"),
    ("alerts", "evaluation"),
    ("reports",),
    ("measurement",),
    # The network above programs (issue 15) and accreditation (issue 16): each reads a network
    # from `measurement` and a program's record from the floors below, never one another.
    ("directory", "resources", "practice", "governance", "accreditation"),
    ("portability", "demo", "privacy"),
]

# Same-floor reads that are part of the plan: (importer, imported). Never both ways.
SAME_FLOOR = {
    ("selection", "intake"),  # selection ranks and decides the applications intake received
    ("tools", "mentoring"),  # a shared tool can be given to a mentoring group
    ("privacy", "portability"),  # the officer answers a portability request with its export
    ("inclusion", "intake"),  # inclusion counts the applicants and the selected people
}

ROOT = Path(__file__).resolve().parent
ENGINE = ROOT.parent / "jumelage"


@dataclass(frozen=True)
class WrongWay:
    path: str
    line: int
    importer: str
    imported: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.importer} imports {self.imported}"


def floor_of() -> dict[str, int]:
    return {app: number for number, apps in enumerate(FLOORS, start=1) for app in apps}


def allowed(importer: str, imported: str) -> bool:
    floors = floor_of()
    if floors[imported] < floors[importer]:
        return True
    return floors[imported] == floors[importer] and (importer, imported) in SAME_FLOOR


def imported_modules(tree: ast.AST, package: str) -> list[tuple[str, int]]:
    """Every module an `import` or `from … import` names, at any depth (functions included),
    relative imports resolved against `package` (the dotted package of the file)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((module, node.lineno))
            # `from maillage import intake` imports the app itself.
            found += [(f"{module}.{alias.name}", node.lineno) for alias in node.names]
    return found


def _skipped(relative: Path) -> bool:
    return (
        "tests" in relative.parts
        or "migrations" in relative.parts
        or relative.name == "conftest.py"
    )


def wrong_way_imports(root: Path = ROOT, engine: Path | None = ENGINE) -> list[WrongWay]:
    """The imports of `root`'s apps (and of the engine at `engine`) that break the floor plan.

    An app folder under `root` that has no floor is reported too: a new app gets its floor
    before its first import.
    """
    floors = floor_of()
    problems: list[WrongWay] = []
    for folder in sorted(p for p in root.iterdir() if (p / "apps.py").exists()):
        if folder.name not in floors:
            problems.append(WrongWay(folder.name, 0, folder.name, "(no floor in maillage.floors)"))
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        app = relative.parts[0]
        if app not in floors or _skipped(relative):
            continue
        package = ".".join(("maillage", *relative.parts[:-1]))
        for module, line in imported_modules(ast.parse(path.read_text()), package):
            parts = module.split(".")
            if parts[0] != "maillage" or len(parts) < 2 or parts[1] not in floors:
                continue
            if parts[1] != app and not allowed(app, parts[1]):
                problems.append(WrongWay(f"maillage/{relative}", line, app, parts[1]))
    if engine is not None and engine.exists():
        for path in sorted(engine.rglob("*.py")):
            relative = path.relative_to(engine)
            if "tests" in relative.parts:
                continue
            package = ".".join(("jumelage", *relative.parts[:-1]))
            for module, line in imported_modules(ast.parse(path.read_text()), package):
                top = module.split(".")[0]
                if top in ("django", "maillage"):
                    problems.append(WrongWay(f"jumelage/{relative}", line, "jumelage", top))
    return list(dict.fromkeys(problems))


def main() -> int:
    problems = wrong_way_imports()
    for problem in problems:
        print(problem)
    if problems:
        print(f"Imports against the floor plan (maillage/floors.py): {len(problems)}.")
        return 1
    print(f"Floors: {len(FLOORS)} floors, no wrong-way import.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
