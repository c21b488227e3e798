"""The ``jumelage`` command: solve, check, fit.

Exit codes: 0 success; 1 ``check`` found violations; 2 bad input (unreadable file, invalid JSON,
schema errors, contradictions), each problem on its own line in plain language.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any

from jumelage import MODES, __version__, schemas, solve
from jumelage.messages import plural
from jumelage.model import InstanceError, Problem, Result, load_instance


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except InstanceError as exc:
        _print_problems(exc.problems)
        return 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad option is one plain line on stderr (exit 2), not usage + error."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message}\n")


def _seconds(text: str) -> float:
    """--time-limit: a finite number of seconds above 0."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"a number of seconds above 0, not {text!r}")
    return value


def _positive(text: str) -> int:
    """--top: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"a whole number of at least 1, not {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="jumelage",
        description="Moteur de jumelage de Maillage / Maillage matching engine.",
    )
    parser.add_argument("--version", action="version", version=f"jumelage {__version__}")
    sub = parser.add_subparsers(required=True, metavar="{solve,check,fit}")

    p = sub.add_parser("solve", help="form the groups of an instance; writes the result JSON")
    p.add_argument("instance", type=Path)
    p.add_argument("--mode", choices=MODES, default="exact")
    p.add_argument("--time-limit", type=_seconds, default=30.0, metavar="S")
    p.add_argument("--seed", type=int, default=0, metavar="N")
    p.add_argument("--lang", choices=("fr", "en"), default="fr")
    p.add_argument("-o", "--output", type=Path, help="result file (default: standard output)")
    _cache_options(p)
    p.set_defaults(run=_solve)

    p = sub.add_parser("check", help="re-check a result: rules, capacities, scores, stability")
    p.add_argument("instance", type=Path)
    p.add_argument("result", type=Path)
    p.add_argument("--lang", choices=("fr", "en"), default="fr")
    p.set_defaults(run=_check)

    p = sub.add_parser("fit", help="best mentors for each need, by text fit (JSON lines)")
    p.add_argument("file", type=Path)
    p.add_argument("--top", type=_positive, default=3)
    p.add_argument("--backend", choices=("auto", "lexical", "semantic"), default="auto")
    p.add_argument("--lang", choices=("fr", "en"), default="fr")
    _cache_options(p)
    p.set_defaults(run=_fit)
    return parser


def _cache_options(p: argparse.ArgumentParser) -> None:
    """The text-vector cache (jumelage.vector_cache): on by default, in $JUMELAGE_CACHE_DIR or
    $XDG_CACHE_HOME/jumelage."""
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="text vectors kept here between runs (default: $JUMELAGE_CACHE_DIR, "
        "else $XDG_CACHE_HOME/jumelage)",
    )
    group.add_argument(
        "--no-cache", action="store_true", help="encode every text, read and store no vector"
    )


def _use_cache(args: argparse.Namespace) -> None:
    from jumelage import vector_cache

    if args.no_cache:
        vector_cache.configure(None)
    elif args.cache_dir is not None:
        vector_cache.configure(args.cache_dir)


def _read_json(path: Path, schema: str, lang: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InstanceError(
            [Problem.make("unreadable_file", {"path": str(path), "detail": detail}, lang)]
        ) from exc
    try:
        data = json.loads(text)
    except RecursionError as exc:
        detail = "imbrication trop profonde" if lang == "fr" else "nested too deeply"
        raise InstanceError(
            [Problem.make("invalid_json", {"path": str(path), "detail": detail}, lang)]
        ) from exc
    except json.JSONDecodeError as exc:
        detail = (
            f"{exc.msg} (ligne {exc.lineno}, colonne {exc.colno})"
            if lang == "fr"
            else (f"{exc.msg} (line {exc.lineno}, column {exc.colno})")
        )
        raise InstanceError(
            [Problem.make("invalid_json", {"path": str(path), "detail": detail}, lang)]
        ) from exc
    if schema != "instance":  # load_instance checks the instance schema itself
        code = "invalid_result" if schema == "result" else "invalid_value"
        problems = [
            Problem.make(
                "missing_field" if exp == "required" else code,
                {"path": where, "expected": exp},
                lang,
            )
            for where, exp in schemas.errors(data, schema)
        ]
        if problems:
            raise InstanceError(problems)
    return data


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(f"[{problem.code}] {problem.message}", file=sys.stderr)


def _dump(data: Any) -> str:
    """The result JSON: the top-level keys on their own lines and one line per group or
    unmatched person. Same data as ``json.dumps(indent=2)``, but each line goes through the
    C encoder (``indent`` makes Python fall back to its pure-Python one: 20 s at 100,000
    mentees)."""
    if not isinstance(data, dict):
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    parts = []
    for key, value in data.items():
        name = json.dumps(key, ensure_ascii=False)
        if isinstance(value, list) and value:
            items = ",\n".join("    " + json.dumps(x, ensure_ascii=False) for x in value)
            parts.append(f"  {name}: [\n{items}\n  ]")
        else:
            text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            parts.append(f"  {name}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _writable(path: Path, lang: str) -> None:
    """Fail before the solve, not after it, when the result file cannot be written."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir() or not folder.is_dir() or not os.access(folder, os.W_OK):
        detail = (
            (
                "dossier absent ou non accessible en écriture"
                if lang == "fr"
                else "no such folder, or not writable"
            )
            if not path.is_dir()
            else ("c'est un dossier" if lang == "fr" else "it is a folder")
        )
        raise InstanceError(
            [Problem.make("unwritable_file", {"path": str(path), "detail": detail}, lang)]
        )


def _gc_paused(run):
    """Run a command without Python's cyclic garbage collector: reading an instance creates a
    few objects per person (100,000 x 50,000: some millions), and each full collection walks
    all of them again (3 of the 10 s of CPU that reading, loading and ``build_problem`` took
    there). The engine makes no reference cycles worth collecting in a one-shot command; the
    collector is switched back on after (the API callers, the tests)."""

    def paused(args: argparse.Namespace) -> int:
        was = gc.isenabled()
        gc.disable()
        try:
            return run(args)
        finally:
            if was:
                gc.enable()

    return paused


@_gc_paused
def _solve(args: argparse.Namespace) -> int:
    started = time.monotonic()
    _use_cache(args)
    if args.output:
        _writable(args.output, args.lang)
    inst = load_instance(_read_json(args.instance, "instance", args.lang), lang=args.lang)
    # --time-limit covers the whole run: what loading took and what writing will take come
    # off the solver's share (the solvers then keep their own margin for the explanations)
    budget = solve_budget(args.time_limit, time.monotonic() - started, len(inst.mentees))
    if args.mode == "exact":
        result = solve(inst, mode="exact", time_limit=budget, seed=args.seed, lang=args.lang)
    else:
        result = solve(inst, mode=args.mode, time_limit=budget, seed=args.seed)
    text = _dump(result.to_dict())
    if args.output:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            params = {"path": str(args.output), "detail": exc.strerror or str(exc)}
            raise InstanceError([Problem.make("unwritable_file", params, args.lang)]) from exc
    else:
        sys.stdout.write(text)
    return 0


def solve_budget(limit: float, spent: float, n_mentees: int) -> float:
    """The solver's share of ``--time-limit``: the limit less the time spent loading and a
    reserve for building and writing the result (0.04 ms a mentee, 20 % of the limit at most:
    about 4 x what the dump and the write take, 1 s at 100,000 mentees; the large mode keeps its
    own share for building the result), never below 5 % of the limit (the solvers' mandatory
    work runs anyway)."""
    reserve = min(0.2 * limit, 0.05 + 4e-5 * n_mentees)
    return max(limit - spent - reserve, 0.05 * limit)


@_gc_paused
def _check(args: argparse.Namespace) -> int:
    from jumelage.check import check

    inst = load_instance(_read_json(args.instance, "instance", args.lang), lang=args.lang)
    result = Result.from_dict(_read_json(args.result, "result", args.lang))
    problems = check(inst, result, lang=args.lang)
    if problems:
        for problem in problems:
            print(f"[{problem.code}] {problem.message}")
        return 1
    print(_ok_line(result, args.lang))
    return 0


def _ok_line(result: Result, lang: str) -> str:
    """The one line `check` prints when nothing is wrong; each count agrees with its noun."""
    groups = len(result.groups)
    matched = sum(len(g.mentees) for g in result.groups)
    objective = result.certificate.objective
    if lang == "fr":
        return (
            f"OK : {groups} {plural(groups, 'groupe', 'groupes', 'fr')}, "
            f"{matched} {plural(matched, 'mentoré jumelé', 'mentorés jumelés', 'fr')}, "
            f"objectif {objective}, aucune règle enfreinte."
        )
    return (
        f"OK: {groups} {plural(groups, 'group', 'groups', 'en')}, "
        f"{matched} {plural(matched, 'mentee', 'mentees', 'en')} matched, "
        f"objective {objective}, no rule broken."
    )


def _fit(args: argparse.Namespace) -> int:
    data = _read_json(args.file, "fit", args.lang)
    _use_cache(args)
    try:
        from jumelage.fit import fit_matrix, top_k
        from jumelage.vector_cache import cached_encoder

        encoder = cached_encoder(args.backend)
    except (ImportError, ValueError, RuntimeError, OSError) as exc:
        params = {"backend": args.backend, "detail": str(exc)}
        raise InstanceError([Problem.make("fit_backend_unavailable", params, args.lang)]) from exc
    mentors, needs = data["mentors"], data["needs"]
    try:  # the cached encoder loads its model only for the texts it has not stored
        scores = fit_matrix(encoder, [n["text"] for n in needs], [m["text"] for m in mentors])
    except (ImportError, RuntimeError, OSError) as exc:
        params = {"backend": args.backend, "detail": str(exc)}
        raise InstanceError([Problem.make("fit_backend_unavailable", params, args.lang)]) from exc
    for need, best in zip(needs, top_k(scores, args.top), strict=True):
        top = [{"mentor": mentors[c]["id"], "score": round(s, 4)} for c, s in best]
        print(json.dumps({"need": need["id"], "top": top}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
