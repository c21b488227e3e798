"""jumelage: the matching engine of Maillage, as plain Python (no Django).

It forms mentoring groups (one mentor side, up to k mentees) from participants, hard rules and
weights, proves how good they are (the optimum, or a bound and the gap) and says why.

    from jumelage import load_instance, solve
    result = solve(load_instance(data), mode="exact")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jumelage.model import ENGINE_VERSION, InstanceError, Problem, load_instance

if TYPE_CHECKING:
    from jumelage.model import Instance, Result

__version__ = ENGINE_VERSION
__all__ = ["InstanceError", "Problem", "__version__", "load_instance", "solve"]

MODES = ("exact", "large", "stable")


def solve(
    instance: Instance,
    *,
    mode: str = "exact",
    time_limit: float = 30.0,
    seed: int = 0,
    lang: str = "fr",
) -> Result:
    """Solve ``instance`` in ``mode`` ("exact", "large" or "stable"). Deterministic for the same
    instance and seed. Raises :class:`InstanceError` for an unknown or missing mode, or a time
    limit that is not a finite number of seconds above 0."""
    import math

    if not (isinstance(time_limit, int | float) and math.isfinite(time_limit) and time_limit > 0):
        params = {"path": "time_limit", "expected": "> 0 (seconds)"}
        raise InstanceError([Problem.make("invalid_value", params, lang)])
    if mode == "exact":
        from jumelage import solve_exact

        return solve_exact.solve(instance, time_limit=time_limit, seed=seed, lang=lang)
    if mode not in MODES:
        raise InstanceError([Problem.make("unknown_mode", {"mode": mode}, lang)])
    try:  # the other modes live in their own modules, loaded only when asked for
        module = __import__(f"jumelage.solve_{mode}", fromlist=["solve"])
    except ImportError as exc:
        raise InstanceError(
            [Problem.make("mode_unavailable", {"mode": mode, "detail": str(exc)}, lang)]
        ) from exc
    return module.solve(instance, time_limit=time_limit, seed=seed, lang=lang)
