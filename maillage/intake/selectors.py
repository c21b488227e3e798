"""Reads that span several models: an application's answers as the coordinator reads them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from maillage.core.models import Territory

from .models import Application, Question

UNANSWERED = "—"


def display_value(question: Question | None, value: Any) -> str:
    """One answer as text in the active language (choice labels, region names, yes/no)."""
    if value in (None, "", []):
        return UNANSWERED
    if question is None:
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    if question.kind == Question.Kind.YES_NO:
        return {"yes": _("Oui"), "no": _("Non")}.get(str(value), str(value))
    if question.kind == Question.Kind.REGION:
        territory = Territory.objects.filter(code=value).first()
        return territory.name if territory else str(value)
    if question.has_choices():
        labels = dict(question.choice_pairs())
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(str(v), str(v)) for v in values)
    return str(value)


def _humanise(key: str) -> str:
    return key.replace("_", " ").replace("-", " ").strip().capitalize() or key


def answers_for_display(application: Application) -> list[tuple[str, str]]:
    """(label, value) in the active language, in the form's question order.

    Answers to questions deleted since the application came in are kept, at the end, under
    their key: the applicant wrote them and the coordinator may still need them.
    """
    answers = dict(application.answers or {})
    questions = list(application.form.questions.all()) if application.form_id else []
    rows = [(q.label, display_value(q, answers.pop(q.key, None))) for q in questions]
    rows += [(_humanise(key), display_value(None, value)) for key, value in answers.items()]
    return rows
