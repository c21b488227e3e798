"""The pilot's questionnaires (seed 000, section 1.4) and the indicators programs publish (seed 002).

Monthly: progress on each of the mentee's objectives, success factors, difficulties, general
appreciation. Final: learning, objectives reached, appreciation of the program, recommendations.
The three published indicators are standard questions tagged with `indicator`, so that every
program computes them the same way.
"""

from __future__ import annotations

from typing import Any

YES_NO_MAYBE = [
    {"value": "yes", "fr": "Oui", "en": "Yes"},
    {"value": "maybe", "fr": "Peut-être", "en": "Maybe"},
    {"value": "no", "fr": "Non", "en": "No"},
]

SATISFACTION_ENDS = {
    "scale_low_fr": "Très insatisfait·e",
    "scale_low_en": "Very dissatisfied",
    "scale_high_fr": "Très satisfait·e",
    "scale_high_en": "Very satisfied",
}

PROGRESS_ENDS = {
    "scale_low_fr": "Aucune progression",
    "scale_low_en": "No progress",
    "scale_high_fr": "Objectif atteint",
    "scale_high_en": "Objective reached",
}

SATISFACTION: dict[str, Any] = {
    "kind": "scale",
    "label_fr": "Dans l’ensemble, êtes-vous satisfait·e de votre expérience dans le programme ?",
    "label_en": "Overall, how satisfied are you with your experience in the program?",
    "required": True,
    "indicator": "satisfaction",
    "theme": "appreciation",
    **SATISFACTION_ENDS,
}

WOULD_MENTOR_AGAIN: dict[str, Any] = {
    "kind": "single",
    "label_fr": "Seriez-vous mentor·e à nouveau ?",
    "label_en": "Would you be a mentor again?",
    "audience": "mentors",
    "required": True,
    "choices": YES_NO_MAYBE,
    "indicator": "would_mentor_again",
    "theme": "appreciation",
}

WOULD_RECOMMEND: dict[str, Any] = {
    "kind": "single",
    "label_fr": "Recommanderiez-vous le programme à une autre organisation ?",
    "label_en": "Would you recommend the program to another organization?",
    "required": True,
    "choices": YES_NO_MAYBE,
    "indicator": "would_recommend",
    "theme": "appreciation",
}

MONTHLY: dict[str, Any] = {
    "kind": "monthly",
    "title_fr": "Suivi mensuel",
    "title_en": "Monthly follow-up",
    "intro_fr": (
        "Quelques minutes pour faire le point sur le mois : la progression des objectifs, ce qui "
        "aide et ce qui freine. Vos réponses restent confidentielles et servent à améliorer "
        "le programme."
    ),
    "intro_en": (
        "A few minutes to look back on the month: progress on the objectives, what helps and "
        "what gets in the way. Your answers stay confidential and help improve the program."
    ),
    "questions": [
        {
            "kind": "objective_progress",
            "label_fr": "Où en est la progression de chacun des objectifs de départ ?",
            "label_en": "How far along is each of the starting objectives?",
            "help_fr": "Pour les mentor·es : les objectifs de vos personnes mentorées.",
            "help_en": "For mentors: your mentees’ objectives.",
            "required": True,
            "theme": "objectives",
            **PROGRESS_ENDS,
        },
        {
            "kind": "long_text",
            "label_fr": "Qu’est-ce qui a aidé à avancer ce mois-ci (facteurs de succès) ?",
            "label_en": "What helped you move forward this month (success factors)?",
            "theme": "success_factors",
        },
        {
            "kind": "long_text",
            "label_fr": "Quelles difficultés avez-vous rencontrées ?",
            "label_en": "What difficulties did you encounter?",
            "theme": "difficulties",
        },
        {
            "kind": "scale",
            "label_fr": "Votre appréciation générale du programme ce mois-ci",
            "label_en": "Your general appreciation of the program this month",
            "required": True,
            "theme": "appreciation",
            **SATISFACTION_ENDS,
        },
        {
            "kind": "long_text",
            "label_fr": "Un commentaire pour l’équipe de coordination ?",
            "label_en": "Any comment for the coordination team?",
            "theme": "comment",
        },
    ],
}

FINAL: dict[str, Any] = {
    "kind": "final",
    "title_fr": "Évaluation finale",
    "title_en": "Final evaluation",
    "intro_fr": (
        "Le programme se termine : merci de nous dire ce que vous en retirez. Ces réponses "
        "préparent l’entrevue d’évaluation finale et le bilan du programme, qui ne nomme personne."
    ),
    "intro_en": (
        "The program is ending: please tell us what you take from it. These answers prepare the "
        "final evaluation interview and the program’s report, which names no one."
    ),
    "questions": [
        {
            "kind": "long_text",
            "label_fr": "Qu’avez-vous appris pendant le mentorat ?",
            "label_en": "What did you learn during the mentoring?",
            "required": True,
            "theme": "learning",
        },
        {
            "kind": "objective_progress",
            "label_fr": "Dans quelle mesure chaque objectif a-t-il été atteint ?",
            "label_en": "To what extent was each objective reached?",
            "required": True,
            "theme": "objectives",
            **PROGRESS_ENDS,
        },
        {
            "kind": "long_text",
            "label_fr": "Qu’avez-vous apprécié ou moins apprécié du programme ?",
            "label_en": "What did you appreciate, or less so, about the program?",
            "theme": "appreciation",
        },
        SATISFACTION,
        WOULD_MENTOR_AGAIN,
        WOULD_RECOMMEND,
        {
            "kind": "long_text",
            "label_fr": "Vos recommandations pour améliorer un programme de maillage et mentorat",
            "label_en": "Your recommendations to improve a networking and mentoring program",
            "theme": "recommendations",
        },
    ],
}

TEMPLATES = {"monthly": MONTHLY, "final": FINAL}
