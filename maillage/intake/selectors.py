"""Reads that span several models: an application's answers as the coordinator reads them, and
the tables of the recruiting pages as they are shown and downloaded."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.models import AVAILABILITY_SLOTS, Language, Sector, Territory, WorkingStyle
from maillage.core.tables import local
from maillage.programs.models import Program

from .models import Application, InterestForm, PotentialMentor, Question

Table = tuple[list[str], list[list[Any]]]

UNANSWERED = "—"

# Answers copied to the person's matching profile on selection: the question's kind, and the
# values its choices must carry (the codes matching compares).
PROFILE_KINDS = {
    Question.Maps.LANGUAGES: Question.Kind.MULTIPLE,
    Question.Maps.AVAILABILITY: Question.Kind.MULTIPLE,
    Question.Maps.WORKING_STYLE: Question.Kind.CHOICE,
}
PROFILE_VALUES: dict[str, list[str]] = {
    Question.Maps.LANGUAGES: list(Language.values),
    Question.Maps.AVAILABILITY: [code for code, _label in AVAILABILITY_SLOTS],
    Question.Maps.WORKING_STYLE: list(WorkingStyle.values),
}


def profile_answers(application: Application) -> dict[str, Any]:
    """What the application's answers say of the applicant's matching profile (languages,
    availability, working style, position), in the person's fields, known codes only."""
    profile: dict[str, Any] = {}
    if application.form_id is None:
        return profile
    questions = application.form.questions.filter(
        maps_to__in=[*PROFILE_VALUES, Question.Maps.POSITION]
    )
    for question in questions:
        value = (application.answers or {}).get(question.key)
        if value in (None, "", []):
            continue
        if question.maps_to == Question.Maps.POSITION:
            profile["position"] = str(value).strip()[:200]
            continue
        known = PROFILE_VALUES[question.maps_to]
        values = [
            str(v) for v in (value if isinstance(value, list) else [value]) if str(v) in known
        ]
        if values:
            is_list = question.maps_to != Question.Maps.WORKING_STYLE
            profile[question.maps_to] = values if is_list else values[0]
    return profile


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
    if question.kind == Question.Kind.SECTOR:
        sector = Sector.objects.filter(code=value).first()
        return sector.name if sector else str(value)
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


# --- The tables of the recruiting pages, as downloaded (same rows, same columns) ------------


def forms_of(program: Program) -> QuerySet[InterestForm]:
    return program.forms.annotate(
        n_answers=Count("applications"),
        n_duplicates=Count("applications", filter=Q(applications__duplicate_of__isnull=False)),
    )


def forms_table(program: Program) -> Table:
    headers = [
        _("Formulaire"),
        _("Public visé"),
        _("Version du consentement"),
        _("Lien public"),
        _("Réponses"),
        _("Doublons possibles"),
        _("État"),
        _("Ferme le"),
    ]
    rows = [
        [
            f.title,
            f.get_audience_display(),
            f.consent_version,
            f.get_public_url(),
            f.n_answers,
            f.n_duplicates,
            _("Ouvert") if f.is_accepting() else _("Fermé"),
            local(f.closes_at),
        ]
        for f in forms_of(program)
    ]
    return headers, rows


def questions_table(form: InterestForm) -> Table:
    headers = [
        "#",
        _("Question (français)"),
        _("Question (anglais)"),
        _("Choix"),
        _("Type"),
        _("Obligatoire"),
        _("Remplit"),
    ]
    rows = [
        [
            position,
            q.label_fr,
            q.label_en,
            " · ".join(label for _value, label in q.choice_pairs()),
            q.get_kind_display(),
            _("Oui") if q.required else _("Non"),
            q.get_maps_to_display() if q.maps_to else "",
        ]
        for position, q in enumerate(form.questions.all(), start=1)
    ]
    return headers, rows


def potential_mentors_of(program: Program) -> QuerySet[PotentialMentor]:
    return (
        program.potential_mentors.select_related("person__organization", "track")
        .annotate(last_contact=Max("contacts__at"))
        .order_by("person__last_name", "person__first_name")
    )


def potential_mentors_table(program: Program) -> Table:
    headers = [
        _("Nom"),
        _("Organisation"),
        _("Expertise"),
        _("Thèmes"),
        _("Capacité"),
        _("Statut"),
        _("Dernier contact"),
    ]
    rows = [
        [
            m.person.full_name,
            str(m.person.organization or ""),
            m.expertise,
            ", ".join(m.themes or []),
            m.capacity,
            m.get_status_display(),
            timezone.localdate(m.last_contact).isoformat() if m.last_contact else "",
        ]
        for m in potential_mentors_of(program)
    ]
    return headers, rows


def contacts_table(mentor: PotentialMentor) -> Table:
    """A potential mentor's contact history, latest first, as on their page."""
    headers = [_("Date"), _("Moyen"), _("Résumé"), _("Par")]
    rows = [
        [
            local(c.at),
            c.get_channel_display(),
            c.summary,
            getattr(getattr(c.by, "person", None), "full_name", ""),
        ]
        for c in mentor.contacts.select_related("by__person")
    ]
    return headers, rows
