"""A closed program is read-only where it should be (`programs.services.ensure_open`): each
operational write of intake, selection, matching, mentoring, tools (and new evaluation rounds,
imports) is refused with one clear message; evaluation of what was done, the report, readers'
roles and a new edition still work; reopening lifts the freeze."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from maillage.conftest import make_person
from maillage.core.errors import DomainError
from maillage.core.models import AuditEntry
from maillage.core.services import update_profile
from maillage.evaluation import services as evaluation
from maillage.evaluation.models import Round
from maillage.intake import services as intake
from maillage.matching import services as matching
from maillage.mentoring import services as mentoring
from maillage.mentoring.models import GroupMember, TimeEntry
from maillage.portability import services as portability
from maillage.programs.models import Program, Role
from maillage.programs.services import (
    add_track,
    assign_role,
    close_program,
    duplicate_program,
    reopen_program,
    update_program,
    update_role_needs,
)
from maillage.reports import services as reports
from maillage.selection import services as selection
from maillage.tools import services as tools

pytestmark = pytest.mark.django_db

FROZEN = "Ce programme est terminé"


@pytest.fixture
def world(program_a, coordinator, mentor, mentee):
    """Program A at the end of its mentoring: an application, a group with a meeting, a round
    already sent; then closed."""
    form = program_a.forms.get()
    application = intake.submit_application(
        form=form,
        answers={
            **{q.key: "x" for q in form.questions.filter(required=True)},
            "organization": "La Cuisine",
            "region": "QC-03",
            "email": "a@cuisine.example",
        },
        consent=True,
        language="fr",
    )
    group = mentoring.create_group(
        program=program_a,
        mentor_roles=[program_a.roles.get(person=mentor, kind=Role.Kind.MENTOR)],
        mentee_roles=[program_a.roles.get(person=mentee, kind=Role.Kind.MENTEE)],
        approved_by=coordinator.user,
        name="Logistique",
    )
    meeting = mentoring.schedule_meeting(
        group=group,
        by=coordinator,
        starts_at=timezone.now() + timedelta(days=3),
        duration_minutes=90,
    )
    questionnaire = evaluation.create_questionnaire_from_template(program=program_a, kind="monthly")
    today = timezone.localdate()
    sent = Round.objects.create(
        program=program_a,
        questionnaire=questionnaire,
        send_on=today,
        closes_on=today + timedelta(days=14),
    )
    evaluation.invite_round(round=sent)
    sent.invitations.update(sent_at=timezone.now())
    close_program(program=program_a)
    return {
        "program": program_a,
        "form": form,
        "application": application,
        "group": group,
        "meeting": meeting,
        "round": sent,
        "mentee_member": group.members.get(side=GroupMember.Side.MENTEE),
    }


def _frozen_writes(w, coordinator, mentor, mentee):
    program, group, meeting = w["program"], w["group"], w["meeting"]
    form, application = w["form"], w["application"]
    mentee_role = program.roles.get(person=mentee, kind=Role.Kind.MENTEE)
    return {
        "programs: settings": lambda: update_program(program=program, title="Autre titre"),
        "programs: track": lambda: add_track(program=program, name="Nouveau volet"),
        "programs: a new mentee": lambda: assign_role(
            program=program, person=make_person("Nouvelle", "Mentorée"), kind=Role.Kind.MENTEE
        ),
        "programs: needs": lambda: update_role_needs(role=mentee_role, needs="Autre", by=None),
        "intake: form texts": lambda: intake.update_form_texts(form=form, title_fr="Autre"),
        "intake: open the form": lambda: intake.set_form_open(form=form, is_open=True),
        "intake: new form": lambda: intake.create_default_form(program=program),
        "intake: question": lambda: intake.add_question(form=form, kind="text", label_fr="Q ?"),
        "intake: potential mentor": lambda: intake.add_potential_mentor(
            program=program, first_name="Paul", last_name="Potentiel", email="paul@exemple.org"
        ),
        "intake: application": lambda: intake.submit_application(
            form=form, answers={}, consent=True, language="fr"
        ),
        "portability: import": lambda: portability.import_people(
            program=program, rows=[], skip_bad_rows=True, by=coordinator.user
        ),
        "selection: criterion": lambda: selection.add_criterion(program=program, label_fr="C"),
        "selection: decision": lambda: selection.decide_application(
            application=application, outcome="selected", reason="Oui", by=coordinator.user
        ),
        "selection: notices": lambda: selection.notify_pending(program=program),
        "matching: run": lambda: matching.run_matching(program=program, by=coordinator.user),
        "matching: settings": lambda: matching.update_matching_settings(
            program=program, weights={"sector": 1.0}
        ),
        "matching: exclusion": lambda: matching.declare_exclusion(
            program=program,
            mentor_key="R1",
            mentee_key="R2",
            reason="conflict",
            declared_by="coordinator",
            by=coordinator.user,
        ),
        "mentoring: group": lambda: mentoring.create_group(
            program=program,
            mentor_roles=[program.roles.get(person=mentor, kind=Role.Kind.MENTOR)],
            mentee_roles=[mentee_role],
            approved_by=coordinator.user,
        ),
        "mentoring: meeting": lambda: mentoring.schedule_meeting(
            group=group,
            by=coordinator,
            starts_at=timezone.now() + timedelta(days=10),
            duration_minutes=60,
        ),
        "mentoring: cancel a meeting": lambda: mentoring.cancel_meeting(
            meeting=meeting, by=coordinator, reason="Fin"
        ),
        "mentoring: time": lambda: mentoring.log_time(
            group=group, person=mentor, on=timezone.localdate(), minutes=30, kind="preparation"
        ),
        "mentoring: need": lambda: mentoring.add_need(
            plan=mentoring.plan_for(member=w["mentee_member"]), by=mentee, text="Un besoin"
        ),
        "mentoring: agreement": lambda: mentoring.generate_agreement(group=group, by=coordinator),
        "mentoring: group settings": lambda: mentoring.update_group_settings(
            group=group, hours_bank=Decimal("30"), observer_allowed=False
        ),
        "mentoring: update": lambda: mentoring.post_update(
            group=group, author=mentee, text="Où en sont mes besoins"
        ),
        "tools: tool": lambda: tools.add_tool(
            group=group, shared_by=mentor, title="Gabarit", type="template", url="https://a.b/c"
        ),
        "evaluation: new round": lambda: evaluation.save_round(
            program=program,
            questionnaire=w["round"].questionnaire,
            audience="both",
            send_on=timezone.localdate(),
            closes_on=timezone.localdate() + timedelta(days=7),
        ),
        "evaluation: planned rounds": lambda: evaluation.create_default_rounds(program=program),
    }


def test_each_frozen_write_is_refused_on_a_closed_program(world, coordinator, mentor, mentee):
    for name, write in _frozen_writes(world, coordinator, mentor, mentee).items():
        with pytest.raises(DomainError) as refused:
            write()
        # The public form says it takes no more answers; every other write says why and how.
        expected = "ne reçoit plus" if name == "intake: application" else FROZEN
        assert expected in refused.value.message, name


def test_the_refusal_is_the_callers_app_error_so_its_views_show_it(world, coordinator):
    from maillage.matching.errors import MatchingError
    from maillage.mentoring.errors import MentoringError

    with pytest.raises(MentoringError, match="Rouvrez-le"):
        mentoring.log_time(
            group=world["group"],
            person=coordinator,
            on=timezone.localdate(),
            minutes=10,
            kind="preparation",
        )
    with pytest.raises(MatchingError):
        matching.run_matching(program=world["program"], by=coordinator.user)


def test_nothing_was_written_by_the_refused_writes(world, coordinator, mentor, mentee):
    groups, meetings = world["group"].program.groups.count(), world["group"].meetings.count()
    for write in _frozen_writes(world, coordinator, mentor, mentee).values():
        with pytest.raises(DomainError):
            write()
    assert world["program"].groups.count() == groups
    assert world["group"].meetings.count() == meetings
    assert not TimeEntry.objects.filter(group=world["group"]).exists()
    assert Program.objects.get(pk=world["program"].pk).title == "Programme A"


def test_evaluation_of_what_was_done_stays_open(world, coordinator, mentee):
    program = world["program"]
    invitation = world["round"].invitations.get(person=mentee)
    question = invitation.questions().filter(kind="long_text").first()
    evaluation.save_answers(invitation=invitation, values={question: "Oui"}, submit=True)
    invitation.refresh_from_db()
    assert invitation.submitted_at is not None
    # A round already sent can be given more time.
    later = world["round"].closes_on + timedelta(days=7)
    sent = Round.objects.get(pk=world["round"].pk)
    evaluation.save_round(program=program, round=sent, closes_on=later)
    assert Round.objects.get(pk=world["round"].pk).closes_on == later
    role = program.roles.get(person=mentee, kind=Role.Kind.MENTEE)
    assert evaluation.record_interview(
        program=program, participant=role, interviewer=coordinator, held_on=date(2026, 12, 1)
    ).pk
    quote = evaluation.mark_quote(
        program=program,
        by=coordinator.user,
        passage="Oui",
        topic_fr="Retombées",
        answer=invitation.answers.get(question=question),
    )
    assert quote.pk


def test_the_report_readers_and_a_new_edition_stay_open(world, coordinator):
    program = world["program"]
    report = reports.get_or_create_draft(program=program, language="fr")
    reports.update_recommendations(report=report, text="Garder le comité.", by=coordinator.user)
    published = reports.publish_report(report=report, by=coordinator.user)
    assert published.is_published
    assert reports.start_new_version(report=published, by=coordinator.user).pk
    funder = make_person("Fanny", "Fondation")
    assert assign_role(program=program, person=funder, kind=Role.Kind.FUNDER).pk
    # People's contact details are theirs, not the program's.
    update_profile(person=funder, by=coordinator.user, phone="418 555-0101")
    copy, _carried = duplicate_program(
        source=program, by=coordinator.user, token=uuid.uuid4(), title="Programme A, 2e édition"
    )
    assert not copy.is_closed()


def test_the_daily_job_sends_no_new_round_of_a_closed_program(world):
    due = Round.objects.create(
        program=world["program"],
        questionnaire=world["round"].questionnaire,
        send_on=timezone.localdate(),
        closes_on=timezone.localdate() + timedelta(days=7),
    )
    evaluation.send_due_rounds()
    assert due.first_sent_at is None
    assert not due.invitations.exists()


def test_reopening_lifts_the_freeze_and_goes_back_to_the_stage_it_had(world, coordinator):
    program = world["program"]
    closing = AuditEntry.objects.get(action="program.closed", program_id=program.pk)
    stage = closing.changes["status"][0]
    reopen_program(program=program)
    program.refresh_from_db()
    assert program.status == stage
    assert not program.is_closed()
    meeting = mentoring.schedule_meeting(
        group=world["group"],
        by=coordinator,
        starts_at=timezone.now() + timedelta(days=10),
        duration_minutes=60,
    )
    assert meeting.pk


def test_a_stale_copy_of_the_program_cannot_write_past_the_closing(program_a):
    stale = Program.objects.get(pk=program_a.pk)
    close_program(program=program_a)
    assert stale.status != Program.Status.CLOSED
    with pytest.raises(DomainError, match=FROZEN):
        add_track(program=stale, name="Trop tard")
