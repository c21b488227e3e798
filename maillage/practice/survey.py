"""The satisfaction questionnaire of a community of practice, taken from evaluation's template.

Evaluation's questionnaires belong to a program; a community of practice belongs to a network,
so its questionnaire is not stored: it is evaluation's standard questions (`defaults`: the
satisfaction scale with its words, « would you recommend », the comment) as unsaved `Question`
objects, asked and checked by evaluation's own `AnswerForm` and template. Answers are kept in
`Feedback.answers` under each question's key; the results apply the small-cell rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.evaluation import defaults
from maillage.evaluation.models import Question
from maillage.reports.suppression import small_cell_k

# Key in `Feedback.answers` → evaluation's question, worded for a meeting of peers.
SPECS: dict[str, dict[str, Any]] = {
    "satisfaction": {
        **defaults.SATISFACTION,
        "label_fr": "Dans l’ensemble, êtes-vous satisfait·e de cette rencontre ?",
        "label_en": "Overall, how satisfied are you with this meeting?",
    },
    "would_recommend": {
        **defaults.WOULD_RECOMMEND,
        "label_fr": "Recommanderiez-vous cette communauté de pratique à une collègue ?",
        "label_en": "Would you recommend this community of practice to a colleague?",
    },
    "comment": {
        "kind": "long_text",
        "label_fr": "Qu’aimeriez-vous aborder ou changer la prochaine fois ?",
        "label_en": "What would you like to discuss or change next time?",
        "required": False,
    },
}
FIELDS = ("kind", "label_fr", "label_en", "required", "choices", "indicator", "theme")
SCALE = ("scale_low_fr", "scale_low_en", "scale_high_fr", "scale_high_en")


def questions() -> list[Question]:
    """Unsaved questions numbered 1, 2, 3 (AnswerForm names its fields after `pk`)."""
    made = []
    for number, spec in enumerate(SPECS.values(), start=1):
        made.append(Question(pk=number, **{k: v for k, v in spec.items() if k in FIELDS + SCALE}))
    return made


def keyed(values: dict[Question, Any]) -> dict[str, Any]:
    """AnswerForm's values by question → the stored answers by key."""
    keys = list(SPECS)
    return {keys[q.pk - 1]: value for q, value in values.items() if value not in (None, "", [])}


@dataclass(frozen=True)
class Result:
    label: str
    respondents: int
    satisfied: str  # « 80 % » or « x » (hidden: too few answers)
    recommend: str
    hidden: bool

    @property
    def respondents_label(self) -> str:
        if self.hidden:
            return _("moins de %(k)d réponses") % {"k": small_cell_k()}
        return ngettext("%(n)d réponse", "%(n)d réponses", self.respondents) % {
            "n": self.respondents
        }


def result(label: str, answers: list[dict[str, Any]]) -> Result:
    """Shares of « satisfied or very satisfied » (4 or 5) and « would recommend: yes » among
    those who answered. Under k answers nothing is shown but that there were few: a share of
    three people says who thought what."""
    n = len(answers)
    if n < small_cell_k():
        return Result(label, n, "x", "x", hidden=True)

    def share(test) -> str:  # noqa: ANN001
        count = sum(1 for a in answers if test(a))
        return f"{round(100 * count / n)}\u00a0%"

    return Result(
        label,
        n,
        share(lambda a: int(a.get("satisfaction") or 0) >= 4),
        share(lambda a: a.get("would_recommend") == "yes"),
        hidden=False,
    )
