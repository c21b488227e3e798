"""The platform's text fit: which encoder reads free texts (needs, expertise), and the one table
of thresholds that says when a need is inside or outside a mentor's field.

The matching adapter, the action plans, the needs-drift alert and the health check all read
these, so that a need called "outside" on an action plan is one that counts as drift in the
follow-up.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from jumelage import fit as textfit

from .errors import DomainError

# Calibrated fit (jumelage.fit.calibrate) per encoder kind: (inside at or above, outside below).
# Calibrated for the encoders of issue 11 (lexical v2 with the glossary, semantic v2 = e5 + the
# lexical channel) by `python bench/fit_accuracy.py --calibrate` on the development set
# (jumelage/data/fit_dev_fr.json, 114 needs x 28 mentors) and the pilot's own pairs; figures in
# bench/fit-2026-12.md. The pilot's drift need (« choisir un équipement de transformation et
# respecter les normes du MAPAQ ») against the Synergies governance mentor scores 0.33 semantic
# and 0.16 lexical: outside. Right mentors: 2 % of the dev needs score below the semantic
# "outside" line, 2 % below the lexical one; the pilot's governance needs score 0.35-0.56
# semantic and 0.26-0.65 lexical: not outside. At or above "inside": 86 % (semantic) and 95 %
# (lexical) of the right mentors, 4 % of the best wrong mentors.
FIT_THRESHOLDS = {"semantic": (0.45, 0.34), "lexical": (0.40, 0.20)}

_in_use: ContextVar[Any] = ContextVar("maillage_textfit_encoder", default=None)


@contextmanager
def using_encoder(encoder: Any) -> Iterator[Any]:
    """Within: every text fit of the platform (action plans, alerts, health check, matching)
    reads with `encoder` rather than the setting's. A replay that must give the same figures on
    every machine fixes its encoder with this, whatever the platform uses."""
    token = _in_use.set(encoder)
    try:
        yield encoder
    finally:
        _in_use.reset(token)


def get_encoder() -> Any:
    """The platform-wide text encoder: settings.MATCHING_FIT_BACKEND ("auto" by default: the
    semantic model where installed, else the lexical one), or the one `using_encoder` chose."""
    chosen = _in_use.get()
    if chosen is not None:
        return chosen
    name = getattr(settings, "MATCHING_FIT_BACKEND", "auto")
    try:
        return textfit.get_encoder(name)
    except (ValueError, RuntimeError) as exc:
        raise DomainError(
            _("Le calcul de proximité des textes « %(name)s » n’est pas disponible : %(detail)s")
            % {"name": name, "detail": exc}
        ) from exc


def encoder_kind(encoder: Any) -> str:
    """ "lexical" or "semantic": the key of FIT_THRESHOLDS for this encoder."""
    return "lexical" if "lexical" in str(getattr(encoder, "name", "")) else "semantic"


def thresholds(kind: str) -> tuple[float, float]:
    """(inside, outside) for an encoder kind; the semantic ones when the kind is unknown."""
    return FIT_THRESHOLDS.get(kind, FIT_THRESHOLDS["semantic"])


def outside_threshold(kind: str) -> float:
    """Below this a need is outside the mentor's field (and counts as drift in the follow-up)."""
    return thresholds(kind)[1]
