"""Reads for exports: a program's people and applications as tables, a person's own data."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.utils import timezone

from maillage.core.models import AVAILABILITY_SLOTS, Person, Sector, Territory
from maillage.core.tables import Table, local, yes_no
from maillage.evaluation.models import Answer, FinalInterview, Quote
from maillage.inclusion.selectors import person_data as inclusion_data
from maillage.intake.models import Application, PotentialMentor, Question
from maillage.mentoring.models import (
    AgreementAcceptance,
    GroupMessage,
    MeetingNote,
    TimeEntry,
    UpdateMessage,
    UpdateReply,
)
from maillage.programs.models import Program
from maillage.selection.models import Review
from maillage.tools.models import Tool

from .vocabulary import APPLICATION_COLUMNS, PEOPLE_COLUMNS


def slot_labels(codes: list[str]) -> str:
    labels = dict(AVAILABILITY_SLOTS)
    return ", ".join(str(labels.get(code, code)) for code in codes)


def people_table(program: Program) -> Table:
    """One line per role: a person who mentors and sits on the committee has two lines."""
    roles = program.roles.select_related(
        "person__organization__territory__parent", "person__organization__sector", "track", "team"
    ).order_by("person__last_name", "person__first_name", "kind")
    rows = []
    for role in roles:
        person = role.person
        organization = person.organization
        region = organization.region() if organization else None
        rows.append(
            [
                person.first_name,
                person.last_name,
                person.email,
                person.phone,
                organization.name if organization else "",
                region.name if region else "",
                organization.sector.name if organization and organization.sector_id else "",
                person.position,
                yes_no(person.can_decide),
                person.language,
                ", ".join(person.languages or []),
                person.get_working_style_display() if person.working_style else "",
                slot_labels(person.availability or []),
                role.get_kind_display(),
                role.track.name if role.track else "",
                role.team.name if role.team else "",
            ]
        )
    return [column.header() for column in PEOPLE_COLUMNS], rows


def question_keys(program: Program) -> list[str]:
    """Every question key of the program's forms, in form then question order, once each."""
    keys: list[str] = []
    for key in (
        Question.objects.filter(form__program=program)
        .order_by("form__audience", "form_id", "order", "id")
        .values_list("key", flat=True)
    ):
        if key not in keys:
            keys.append(key)
    return keys


def answer_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def applications_table(program: Program) -> Table:
    keys = question_keys(program)
    # Region and sector answers are stored as codes (« QC-03 »); a person reads the name, and
    # the import reads it back.
    names = {
        Question.Kind.REGION: {
            t.code: t.name for t in Territory.objects.filter(kind=Territory.Kind.REGION)
        },
        Question.Kind.SECTOR: {s.code: str(s.name) for s in Sector.objects.all()},
    }
    names_of_key = {
        key: names[kind]
        for key, kind in Question.objects.filter(
            form__program=program, kind__in=list(names)
        ).values_list("key", "kind")
    }
    applications = program.applications.select_related("region", "track").order_by(
        "submitted_at", "id"
    )
    rows = []
    for app in applications:
        answers = app.answers if isinstance(app.answers, dict) else {}
        rows.append(
            [
                app.pk,
                local(app.submitted_at),
                app.language,
                app.organization_name,
                app.contact_name,
                app.email,
                app.phone,
                app.region.name if app.region else "",
                app.get_status_display(),
                app.track.name if app.track else "",
                app.duplicate_of_id or "",
                yes_no(app.consent_given),
                app.consent_version or "",
                app.consent_language,
                local(app.consent_at),
                *[
                    names_of_key[key].get(value, value)
                    if key in names_of_key and isinstance(value, str)
                    else answer_text(value)
                    for key, value in ((key, answers.get(key)) for key in keys)
                ],
            ]
        )
    return [column.header() for column in APPLICATION_COLUMNS] + keys, rows


def person_data(person: Person | None) -> dict[str, Any]:
    """Everything Maillage holds about one person, and nothing about anyone else (Law 25).

    Applications are theirs when linked to them or sent from their e-mail address. Reviews they
    wrote name the application by number only: the applicant's data is not theirs to take.
    """
    if person is None:
        return {
            "person": None,
            "roles": [],
            "applications": [],
            "potential_mentor": [],
            "reviews_written": [],
            "mentoring": {},
            "evaluation": {},
            "inclusion": [],
            "tools_shared": [],
        }
    organization = person.organization
    region = organization.region() if organization else None
    data: dict[str, Any] = {
        "generated_at": timezone.now().isoformat(),
        "person": {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "phone": person.phone,
            "organization": organization.name if organization else None,
            "organization_region": region.name if region else None,
            "position": person.position,
            "can_decide": person.can_decide,
            "language": person.language,
            "languages": person.languages,
            "working_style": person.working_style,
            "availability": person.availability,
            "availability_labels": slot_labels(person.availability or []),
            "expertise": person.expertise,
            "created_at": person.created_at.isoformat(),
            "updated_at": person.updated_at.isoformat(),
        },
        "roles": [
            {
                "program": role.program.title,
                "role": role.kind,
                "role_label": role.get_kind_display(),
                "track": role.track.name if role.track else None,
                "team": role.team.name if role.team else None,
                "capacity": role.capacity,
                "since": role.created_at.isoformat(),
            }
            for role in person.roles.select_related("program", "track", "team")
        ],
        "applications": [application_data(app) for app in applications_of(person)],
        "potential_mentor": [
            {
                "program": record.program.title,
                "expertise": record.expertise,
                "themes": record.themes,
                "capacity": record.capacity,
                "status": record.status,
                "status_label": record.get_status_display(),
                "suggested_by": record.suggested_by,
                "track": record.track.name if record.track else None,
                "contacts": [
                    {"at": c.at.isoformat(), "channel": c.channel, "summary": c.summary}
                    for c in record.contacts.all()
                ],
            }
            for record in PotentialMentor.objects.filter(person=person).select_related(
                "program", "track"
            )
        ],
        "reviews_written": [
            {
                "program": review.application.program.title,
                "application_number": review.application_id,
                "comment": review.comment,
                "scores": [
                    {"criterion": score.criterion.label, "score": score.value}
                    for score in review.scores.select_related("criterion")
                ],
                "created_at": review.created_at.isoformat(),
                "updated_at": review.updated_at.isoformat(),
            }
            for review in Review.objects.filter(reviewer=person).select_related(
                "application__program"
            )
        ],
        "mentoring": mentoring_data(person),
        "evaluation": evaluation_data(person),
        # What they chose to declare (inclusion), while they keep it: a withdrawal erases it.
        "inclusion": inclusion_data(person),
        "tools_shared": [
            {
                "program": tool.group.program.title,
                "title": tool.title,
                "description": tool.description,
                "theme": tool.theme,
                "type": tool.type,
                "link": tool.url,
                "file_name": tool.original_name if tool.file else None,
                "reuse": tool.reuse,
                "created_at": tool.created_at.isoformat(),
            }
            for tool in Tool.objects.filter(shared_by=person).select_related("group__program")
        ],
    }
    return data


def mentoring_data(person: Person) -> dict[str, Any]:
    """What the person wrote or logged in their mentoring groups (not what others wrote)."""
    return {
        "agreements_accepted": [
            {
                "group": a.agreement.group.name,
                "version": a.version,
                "at": a.accepted_at.isoformat(),
                # Given outside Maillage and recorded by the coordination: how, and by whom.
                "how": a.how_text(),
                "recorded_by": a.recorded_by.full_name if a.recorded_by else "",
            }
            for a in AgreementAcceptance.objects.filter(person=person).select_related(
                "agreement__group", "recorded_by"
            )
        ],
        "time_entries": [
            {
                "group": t.group.name,
                "date": t.date.isoformat(),
                "minutes": t.minutes,
                "kind": t.kind,
                "note": t.note,
            }
            for t in TimeEntry.objects.filter(person=person).select_related("group")
        ],
        "updates_written": [
            {"group": u.group.name, "kind": u.kind, "text": u.text, "at": u.created_at.isoformat()}
            for u in UpdateMessage.objects.filter(author=person).select_related("group")
        ],
        "group_messages_written": [
            {
                "group": m.group.name,
                "text": m.text,
                "at": m.created_at.isoformat(),
                "edited_at": m.edited_at.isoformat() if m.edited_at else None,
                "withdrawn_at": m.deleted_at.isoformat() if m.deleted_at else None,
            }
            for m in GroupMessage.objects.filter(author=person).select_related("group")
        ],
        "replies_written": [
            {"answer": r.answer, "comment": r.comment, "at": r.created_at.isoformat()}
            for r in UpdateReply.objects.filter(person=person)
        ],
        "meeting_notes_written": [
            {
                "meeting": n.meeting.starts_at.isoformat(),
                "text": n.text,
                "at": n.created_at.isoformat(),
            }
            for n in MeetingNote.objects.filter(author=person).select_related("meeting")
        ],
    }


def evaluation_data(person: Person) -> dict[str, Any]:
    """The person's questionnaire answers, their final interviews and their quotes."""
    return {
        "answers": [
            {
                "questionnaire": a.invitation.round.questionnaire.title(person.language),
                "round_sent_on": a.invitation.round.send_on.isoformat(),
                "question": a.question.label(person.language),
                "answer": a.value,
            }
            for a in Answer.objects.filter(invitation__person=person).select_related(
                "invitation__round__questionnaire", "question"
            )
        ],
        "final_interviews": [
            {
                "held_on": i.held_on.isoformat(),
                "learning": i.learning,
                "objectives": i.objectives,
                "appreciation": i.appreciation,
                "recommendations": i.recommendations,
                "validated_at": i.validated_at.isoformat() if i.validated_at else None,
            }
            for i in FinalInterview.objects.filter(participant__person=person)
        ],
        "quotes": [
            {
                "passage": q.passage,
                "status": q.status,
                "consented_at": q.consented_at.isoformat() if q.consented_at else None,
            }
            for q in Quote.objects.filter(speaker__person=person)
        ],
    }


def applications_of(person: Person) -> list[Application]:
    query = Q(person=person)
    if person.email:
        query |= Q(email__iexact=person.email)
    return list(
        Application.objects.filter(query).select_related("program", "region", "track").distinct()
    )


def application_data(app: Application) -> dict[str, Any]:
    try:
        decision = app.decision
    except ObjectDoesNotExist:
        decision = None
    return {
        "number": app.pk,
        "program": app.program.title,
        "received_at": app.submitted_at.isoformat(),
        "language": app.language,
        "organization": app.organization_name,
        "contact": app.contact_name,
        "email": app.email,
        "phone": app.phone,
        "region": app.region.name if app.region else None,
        "status": app.status,
        "status_label": app.get_status_display(),
        "track": app.track.name if app.track else None,
        "answers": app.answers,
        "consent_given": app.consent_given,
        "consent_version": app.consent_version,
        "consent_language": app.consent_language,
        "consent_at": app.consent_at.isoformat() if app.consent_at else None,
        "decision": (
            {"outcome": decision.outcome, "reason": decision.reason} if decision else None
        ),
    }
