"""The engine's numbers in plain words: criteria labels, each pair's factors, the certificate,
and the engine's problems and reasons in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jumelage import messages as engine_messages
from maillage.core.textfit import thresholds

# Plain-language names and help for each weight, in the order of the form.
CRITERIA: dict[str, tuple[Any, Any]] = {
    "fit": (
        gettext_lazy("Besoins et expertise"),
        gettext_lazy(
            "Ce que la personne mentorée décrit de ses besoins rejoint-il l’expertise du côté "
            "mentor ? Comparé par le sens des textes, même écrits avec d’autres mots."
        ),
    ),
    "themes": (
        gettext_lazy("Thèmes en commun"),
        gettext_lazy("Le volet et les thèmes déclarés des deux côtés."),
    ),
    "style": (
        gettext_lazy("Styles de travail complémentaires"),
        gettext_lazy("Un style structuré avec un style intuitif."),
    ),
    "ranking": (
        gettext_lazy("Choix exprimés"),
        gettext_lazy("Quand les participant·es se classent les un·es les autres."),
    ),
    "preference": (
        gettext_lazy("Préférences déclarées"),
        gettext_lazy("Les préférences d’inclusion qu’une personne a choisi d’indiquer."),
    ),
    "shared_themes": (
        gettext_lazy("Thèmes partagés dans le groupe"),
        gettext_lazy(
            "Les personnes mentorées d’un même groupe ont des thèmes en commun : les rencontres "
            "collectives servent à chacune."
        ),
    ),
}
PAIR_CRITERIA = ("fit", "themes", "style", "ranking", "preference")
# Participants read how well a criterion matched in words, never its number (the coordination
# keeps the numbers). Needs against expertise use the text fit's calibrated thresholds; the
# other criteria are shares from 0 to 1, cut in thirds.
FIT_WORDS = {
    "good": gettext_lazy("correspond bien"),
    "partly": gettext_lazy("correspond en partie"),
    "little": gettext_lazy("correspond peu"),
}


@dataclass
class Factor:
    name: str
    label: str
    help: str
    raw: float
    weight: float
    contribution: float
    fit_kind: str = "semantic"  # the text encoder's kind, for the "fit" criterion's thresholds

    @property
    def percent(self) -> int:
        return round(100 * self.raw)

    @property
    def level(self) -> str:
        """ "good", "partly" or "little": how well this criterion matched, for words."""
        high, low = thresholds(self.fit_kind) if self.name == "fit" else (2 / 3, 1 / 3)
        if self.raw >= high:
            return "good"
        return "partly" if self.raw >= low else "little"

    @property
    def words(self) -> str:
        return str(FIT_WORDS[self.level])


def pair_factors(
    pair: dict[str, Any], weights: dict[str, float], *, fit_kind: str = "semantic"
) -> list[Factor]:
    """Each criterion of one mentor–mentee pair: its value (0–1), weight and contribution,
    largest contribution first; criteria with weight 0 are left out."""
    out = []
    for name in PAIR_CRITERIA:
        weight = float(weights.get(name, 0.0))
        if weight <= 0:
            continue
        label, help_text = CRITERIA[name]
        out.append(
            Factor(
                name=name,
                label=str(label),
                help=str(help_text),
                raw=float(pair.get("raw", {}).get(name, 0.0)),
                weight=weight,
                contribution=float(pair.get("criteria", {}).get(name, 0.0)),
                fit_kind=fit_kind,
            )
        )
    return sorted(out, key=lambda f: (-f.contribution, PAIR_CRITERIA.index(f.name)))


def principal(factors: list[Factor], n: int = 2) -> list[Factor]:
    """The factors that weighed most in the decision (those that contributed something)."""
    return [f for f in factors if f.contribution > 0][:n]


def certificate_text(certificate: dict[str, Any]) -> str:
    """What the certificate proves, for a coordinator."""
    gap = certificate.get("gap")
    if certificate.get("status") == "optimal" or gap == 0:
        return _("Optimal : aucune autre formation de groupes ne fait mieux selon vos critères.")
    if gap is not None:
        percent = number_format(100 * float(gap), decimal_pos=1)
        return _(
            "Écart prouvé d’au plus %(gap)s %% : aucune autre formation de groupes ne ferait "
            "mieux que d’autant selon vos critères."
        ) % {"gap": percent}
    return _(
        "Groupes valides selon toutes les règles ; l’écart avec la meilleure formation possible "
        "n’a pas pu être prouvé dans le temps alloué."
    )


def engine_message(entry: dict[str, Any]) -> str:
    """An engine problem or reason, rendered again in the reader's language when the engine
    knows its code (params keep the raw ids and labels), else as stored."""
    lang = (translation.get_language() or "fr")[:2]
    code = entry.get("code", "")
    if code in engine_messages.TEMPLATES:
        return engine_messages.render(code, entry.get("params", {}), lang)
    return str(entry.get("message", code))
