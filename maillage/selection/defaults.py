"""The seven selection criteria of the pilot (seed 000, Tableau 2), equally weighted."""

from __future__ import annotations

PILOT_CRITERIA: list[tuple[str, str]] = [
    (
        "Objectifs d’accès universel à une offre alimentaire de qualité",
        "Aims at universal access to quality food",
    ),
    (
        "Relié à l’optimisation du réemploi alimentaire en milieu communautaire",
        "Related to optimizing food re-use in community settings",
    ),
    (
        "Projet de qualité (maturité, stratégies, viabilité, complémentarité, innovation)",
        "Quality of the project (maturity, strategies, viability, complementarity, innovation)",
    ),
    ("À une étape où le mentorat aidera", "At a stage where mentoring will help"),
    ("Ouverture à revoir ses façons de faire", "Open to revising how things are done"),
    (
        "Potentiel d’avoir un impact substantiel dans le milieu (volumes d’aliments, liens, expertise…)",
        "Potential for substantial impact locally (food volumes, ties, expertise…)",
    ),
    (
        "Contexte intersectoriel en alimentation, partenariat",
        "Intersectoral food context, partnership",
    ),
]
