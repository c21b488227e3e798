"""Retention periods (Law 25, s. 23): each rule destroys or anonymizes exactly what is past due
on the day and nothing younger, writes the destruction log with counts and no names, finds
nothing more the second time, and a dry run changes nothing."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from maillage.conftest import login, make_person
from maillage.core.models import AuditEntry, Person
from maillage.evaluation.models import (
    Answer,
    FinalInterview,
    Invitation,
    ObserverNote,
    Question,
    Round,
)
from maillage.evaluation.services import create_questionnaire_from_template
from maillage.intake.models import Application
from maillage.mentoring.models import Group, GroupMember, Meeting, MeetingNote
from maillage.privacy import retention
from maillage.privacy import urls as privacy_urls
from maillage.privacy.errors import PrivacyError
from maillage.privacy.models import DestructionLog, Incident, PrivacyRequest
from maillage.privacy.receivers import apply_retention_daily
from maillage.privacy.services import apply_retention, file_request
from maillage.programs.models import Program, ProgramInvitation, Role
from maillage.programs.services import assign_role, create_program
from maillage.selection.models import Decision
from maillage.selection.tests.conftest import make_application

# The real day: what the fixtures write now is then young for every rule.
TODAY = timezone.localdate()
MIDNIGHT = timezone.make_aware(datetime.combine(TODAY, datetime.min.time()))
PAGE = "/confidentialite/conservation/"


def cutoff(days: int) -> datetime:
    """The first moment a rule of `days` keeps: anything before it is past due on TODAY."""
    return MIDNIGHT - timedelta(days=days)


JUST_DUE = timedelta(minutes=-1)  # one minute before the cut-off: past due
JUST_KEPT = timedelta(0)  # at the cut-off: still within its period


@pytest.fixture
def officer(db, outsider):
    outsider.user.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    return outsider


def new_program(coordinator, org_a, title: str) -> Program:
    return create_program(
        by=coordinator, title=title, theme="Réemploi", coordinating_organization=org_a
    )


def close_at(*programs_and_moments: tuple[Program, datetime]) -> None:
    """Closed after their data was written (a closed program refuses new roles)."""
    for program, moment in programs_and_moments:
        Program.objects.filter(pk=program.pk).update(status=Program.Status.CLOSED, closed_at=moment)
        program.refresh_from_db()


def application_at(program, received: datetime, **extra) -> Application:
    application = make_application(program, received=received, **extra)
    return application


def counts(outcomes) -> dict[str, int]:
    return {outcome.rule.key: outcome.count for outcome in outcomes}


def test_unconfirmed_submissions_past_30_days_are_erased_and_nothing_younger(program_a):
    assert program_a.forms.exists()
    due = application_at(program_a, cutoff(30) + JUST_DUE, email="a@ex.org", contact="Aline Due")
    kept = application_at(program_a, cutoff(30) + JUST_KEPT, email="b@ex.org")
    confirmed = application_at(program_a, cutoff(30) + JUST_DUE, email="c@ex.org")
    Application.objects.filter(pk=confirmed.pk).update(confirmation_sent_at=cutoff(31))
    outcomes = counts(apply_retention(today=TODAY))
    assert outcomes["unconfirmed_submissions"] == 1
    assert not Application.objects.filter(pk=due.pk).exists()
    assert Application.objects.filter(pk__in=[kept.pk, confirmed.pk]).count() == 2
    # The trail says an application was deleted, not whose it was.
    assert not AuditEntry.objects.filter(object_repr__contains="Aline").exists()
    assert not AuditEntry.objects.filter(changes__icontains="a@ex.org").exists()
    log = DestructionLog.objects.get(rule="unconfirmed_submissions")
    assert (log.action, log.count, log.by, log.request) == ("erase", 1, None, None)


def _decide(application, outcome: str, at: datetime) -> None:
    Decision.objects.create(
        application=application, outcome=outcome, reason="Hors territoire", decided_at=at
    )
    Application.objects.filter(pk=application.pk).update(status=outcome)


def test_applications_not_retained_are_anonymized_a_year_after_the_decision(program_a):
    old = application_at(program_a, cutoff(400), email="vieux@ex.org", contact="Vieux Refus")
    young = application_at(program_a, cutoff(400), email="jeune@ex.org", contact="Jeune Refus")
    selected = application_at(program_a, cutoff(400), email="retenu@ex.org")
    _decide(old, "declined", cutoff(365) + JUST_DUE)
    _decide(young, "declined", cutoff(365) + JUST_KEPT)
    _decide(selected, "selected", cutoff(365) + JUST_DUE)
    assert counts(apply_retention(today=TODAY))["applications_not_retained"] == 1
    old.refresh_from_db()
    assert (old.contact_name, old.email, old.organization_name, old.answers) == ("", "", "", {})
    assert old.region is not None and old.status == "declined"  # the selection's figures stay
    assert old.decision.reason == ""
    assert Application.objects.get(pk=young.pk).email == "jeune@ex.org"
    assert Application.objects.get(pk=selected.pk).email == "retenu@ex.org"
    entries = AuditEntry.objects.filter(model="intake.Application")
    assert not [e for e in entries if "vieux@ex.org" in str(e.changes) + e.object_repr]


def test_applications_left_pending_follow_their_program_closing(coordinator, org_a, program_a):
    closed_long = new_program(coordinator, org_a, "Édition 2028")
    closed_recently = new_program(coordinator, org_a, "Édition 2029")
    close_at((closed_long, cutoff(365) + JUST_DUE), (closed_recently, cutoff(365) + JUST_KEPT))
    due = application_at(closed_long, cutoff(500), email="due@ex.org")
    kept = application_at(closed_recently, cutoff(500), email="kept@ex.org")
    still_open = application_at(program_a, cutoff(500), email="open@ex.org")
    for application in (due, kept, still_open):  # reviewed: not an unconfirmed submission
        Application.objects.filter(pk=application.pk).update(status="in_review")
    assert counts(apply_retention(today=TODAY))["applications_left_pending"] == 1
    assert Application.objects.get(pk=due.pk).email == ""
    assert set(Application.objects.exclude(pk=due.pk).values_list("email", flat=True)) >= {
        "kept@ex.org",
        "open@ex.org",
    }


def _notes_of(
    program, coordinator, suffix: str
) -> tuple[FinalInterview, ObserverNote, MeetingNote]:
    mentee = make_person("Mentorée", suffix)
    role = assign_role(program=program, person=mentee, kind=Role.Kind.MENTEE)
    interview = FinalInterview.objects.create(
        program=program,
        participant=role,
        interviewer=coordinator,
        held_on=date(2028, 5, 1),
        learning="Elle a appris à négocier.",
        recommendations="Plus de visites.",
    )
    group = Group.objects.create(
        program=program,
        name=f"Groupe {suffix}",
        approved_at=timezone.now(),
        approved_by_name="Camille",
    )
    GroupMember.objects.create(group=group, role=role, side="mentee")
    meeting = Meeting.objects.create(group=group, starts_at=timezone.now())
    note = MeetingNote.objects.create(
        meeting=meeting, author=coordinator, text="Tension dans le groupe."
    )
    observation = ObserverNote.objects.create(
        program=program,
        observed_on=date(2028, 4, 1),
        observer=coordinator,
        notes="Absente deux fois.",
    )
    return interview, observation, note


def test_interview_and_confidential_notes_go_two_years_after_the_program_closed(coordinator, org_a):
    old = new_program(coordinator, org_a, "Ancien")
    recent = new_program(coordinator, org_a, "Récent")
    interview, observation, note = _notes_of(old, coordinator, "Ancienne")
    kept = _notes_of(recent, coordinator, "Récente")
    close_at((old, cutoff(730) + JUST_DUE), (recent, cutoff(730) + JUST_KEPT))
    assert counts(apply_retention(today=TODAY))["interview_notes"] == 3
    interview.refresh_from_db()
    assert (interview.learning, interview.recommendations) == ("", "")
    assert interview.held_on == date(2028, 5, 1)  # the interview still counts
    assert not ObserverNote.objects.filter(pk=observation.pk).exists()
    assert not MeetingNote.objects.filter(pk=note.pk).exists()
    assert FinalInterview.objects.get(pk=kept[0].pk).learning == "Elle a appris à négocier."
    assert ObserverNote.objects.filter(pk=kept[1].pk).exists()
    assert MeetingNote.objects.filter(pk=kept[2].pk).exists()
    assert not AuditEntry.objects.filter(changes__icontains="Tension").exists()


def _answered(program, person) -> tuple[Invitation, Answer, Answer]:
    questionnaire = create_questionnaire_from_template(program=program, kind="monthly")
    round_ = Round.objects.create(
        program=program,
        questionnaire=questionnaire,
        send_on=date(2028, 3, 1),
        closes_on=date(2028, 3, 15),
    )
    invitation = Invitation.objects.create(
        round=round_, person=person, role_kind="mentee", submitted_at=timezone.now()
    )
    scale = questionnaire.questions.filter(kind=Question.Kind.SCALE).first()
    text = questionnaire.questions.filter(
        kind__in=[Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT]
    ).first()
    figure = Answer.objects.create(invitation=invitation, question=scale, value=4, value_number=4)
    words = Answer.objects.create(
        invitation=invitation,
        question=text,
        value="Ma voisine Judith m’a aidée.",
        value_text="Ma voisine Judith m’a aidée.",
    )
    return invitation, figure, words


def test_questionnaire_answers_are_detached_and_kept_as_figures(coordinator, org_a):
    old = new_program(coordinator, org_a, "Ancien")
    recent = new_program(coordinator, org_a, "Récent")
    person = make_person("Rita", "Répondante")
    invitation, figure, words = _answered(old, person)
    kept, _figure, kept_words = _answered(recent, person)
    close_at((old, cutoff(730) + JUST_DUE), (recent, cutoff(730) + JUST_KEPT))
    token = invitation.token
    assert counts(apply_retention(today=TODAY))["questionnaire_answers"] == 1
    invitation.refresh_from_db()
    figure.refresh_from_db()
    words.refresh_from_db()
    assert invitation.person is None and invitation.group is None
    assert Invitation.from_token(token) is None  # the old link opens nothing
    assert (figure.value, figure.value_number) == (4, 4)
    assert (words.value, words.value_text) == (None, "")
    assert Invitation.objects.get(pk=kept.pk).person == person
    assert Answer.objects.get(pk=kept_words.pk).value_text.startswith("Ma voisine")


def test_expired_invitations_are_erased_a_month_after_their_link_expired(program_a, mentor):
    lifetime = timedelta(seconds=ProgramInvitation.LIFETIME)
    due = ProgramInvitation.objects.create(program=program_a, person=mentor)
    kept = ProgramInvitation.objects.create(program=program_a, person=make_person("Kim", "Invitée"))
    ProgramInvitation.objects.filter(pk=due.pk).update(created_at=cutoff(30) - lifetime + JUST_DUE)
    ProgramInvitation.objects.filter(pk=kept.pk).update(
        created_at=cutoff(30) - lifetime + JUST_KEPT
    )
    assert counts(apply_retention(today=TODAY))["expired_invitations"] == 1
    assert list(ProgramInvitation.objects.values_list("pk", flat=True)) == [kept.pk]


def test_people_whose_programs_all_closed_three_years_ago_are_anonymized(
    client, coordinator, org_a, program_a
):
    days = 3 * 365
    old = new_program(coordinator, org_a, "Édition 2026")
    recent = new_program(coordinator, org_a, "Édition 2027")
    gone = make_person("Gaston", "Parti", phone="418 555-0199", expertise="Logistique du froid")
    assign_role(program=old, person=gone, kind=Role.Kind.MENTOR)
    still_recent = make_person("Rémi", "Récent")
    assign_role(program=old, person=still_recent, kind=Role.Kind.MENTOR)
    assign_role(program=recent, person=still_recent, kind=Role.Kind.MENTOR)
    still_open = make_person("Olga", "Ouverte")
    assign_role(program=old, person=still_open, kind=Role.Kind.MENTEE)
    assign_role(program=program_a, person=still_open, kind=Role.Kind.MENTEE)
    signs_in = make_person("Sylvie", "Toujours")
    assign_role(program=old, person=signs_in, kind=Role.Kind.COORDINATOR)
    type(signs_in.user).objects.filter(pk=signs_in.user_id).update(last_login=cutoff(days))
    close_at((old, cutoff(days) + JUST_DUE), (recent, cutoff(days) + JUST_KEPT))
    email = gone.email
    assert counts(apply_retention(today=TODAY))["people"] == 1
    gone.refresh_from_db()
    assert "Gaston" not in gone.full_name and gone.email == "" and gone.phone == ""
    assert gone.expertise == "" and gone.anonymized_at is not None
    assert gone.roles.count() == 1  # the program's counts hold
    assert not gone.user.is_active
    assert not gone.user.has_usable_password() and gone.user.email == ""
    assert not [e for e in AuditEntry.objects.all() if "Gaston" in e.object_repr + str(e.changes)]
    assert not [e for e in AuditEntry.objects.all() if email in e.object_repr + str(e.changes)]
    assert Person.objects.get(pk=still_recent.pk).first_name == "Rémi"
    assert Person.objects.get(pk=still_open.pk).first_name == "Olga"
    assert Person.objects.get(pk=signs_in.pk).first_name == "Sylvie"
    assert Person.objects.get(pk=coordinator.pk).anonymized_at is None  # their program A is open


def test_audit_entries_go_after_their_period_and_the_incident_register_stays(officer):
    old = AuditEntry.objects.create(action="view", model="core.Person", object_id="1")
    young = AuditEntry.objects.create(action="view", model="core.Person", object_id="2")
    AuditEntry.objects.filter(pk=old.pk).update(at=cutoff(3 * 365) + JUST_DUE)
    AuditEntry.objects.filter(pk=young.pk).update(at=cutoff(3 * 365) + JUST_KEPT)
    incident = Incident.objects.create(
        discovered_on=date(2026, 1, 5), description="Courriel mal adressé", data_concerned="Noms"
    )
    Incident.objects.filter(pk=incident.pk).update(recorded_at=cutoff(4 * 365))
    assert counts(apply_retention(today=TODAY))["audit_entries"] == 1
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=young.pk).exists()
    assert Incident.objects.filter(pk=incident.pk).exists()


@pytest.fixture
def a_bit_of_everything(coordinator, org_a, program_a):
    old = new_program(coordinator, org_a, "Ancien")
    person = make_person("Paula", "Passée")
    assign_role(program=old, person=person, kind=Role.Kind.MENTEE)
    _answered(old, person)
    _notes_of(old, coordinator, "Vieille")
    close_at((old, cutoff(4 * 365)))
    application_at(program_a, cutoff(60), email="spam@ex.org", contact="Sam Spam")
    declined = application_at(program_a, cutoff(400), email="non@ex.org", contact="Nora Non")
    _decide(declined, "declined", cutoff(400))
    return old


def test_the_log_has_counts_and_no_names_and_a_second_run_erases_nothing(a_bit_of_everything):
    first = counts(apply_retention(today=TODAY))
    assert first["people"] == 2 and first["unconfirmed_submissions"] == 1  # Paula and her mentee
    logs = list(DestructionLog.objects.all())
    assert {log.rule for log in logs} >= {"people", "interview_notes", "questionnaire_answers"}
    for log in logs:
        text = " ".join(str(getattr(log, f.attname)) for f in DestructionLog._meta.concrete_fields)
        for name in ("Paula", "Passée", "Sam", "Spam", "Nora", "@"):
            assert name not in text
    again = counts(apply_retention(today=TODAY))
    assert set(again.values()) == {0}
    assert DestructionLog.objects.count() == len(logs)


def test_a_dry_run_counts_and_changes_nothing(a_bit_of_everything):
    people = list(Person.objects.values_list("first_name", "email"))
    applications = list(Application.objects.values_list("pk", "email"))
    entries = AuditEntry.objects.count()
    dry = counts(apply_retention(today=TODAY, dry_run=True))
    assert dry["people"] == 2 and dry["unconfirmed_submissions"] == 1
    assert list(Person.objects.values_list("first_name", "email")) == people
    assert list(Application.objects.values_list("pk", "email")) == applications
    assert AuditEntry.objects.count() == entries
    assert not DestructionLog.objects.exists()
    assert counts(apply_retention(today=TODAY)) == dry  # what it announced is what it does


def test_a_log_entry_cannot_be_deleted_before_five_years(coordinator):
    log = DestructionLog.objects.create(rule="people", action="anonymize", count=2)
    with pytest.raises(PrivacyError), transaction.atomic():
        log.delete()
    with pytest.raises(PrivacyError), transaction.atomic():
        DestructionLog.objects.filter(pk=log.pk).delete()
    assert DestructionLog.objects.filter(pk=log.pk).exists()
    DestructionLog.objects.filter(pk=log.pk).update(
        done_at=timezone.now() - timedelta(days=5 * 366)
    )
    log.refresh_from_db()
    log.delete()
    assert not DestructionLog.objects.filter(pk=log.pk).exists()


def test_the_admin_cannot_delete_log_entries(rf, coordinator):
    from django.contrib.admin.sites import site

    admin = site._registry[DestructionLog]
    request = rf.get("/")
    request.user = coordinator.user
    assert not admin.has_delete_permission(
        request, DestructionLog(rule="people", action="erase", count=1)
    )
    assert "delete_selected" not in admin.get_actions(request)


def test_a_setting_changes_a_period_and_an_unknown_one_stops_the_start(settings, program_a):
    from maillage.privacy.checks import check_retention_settings

    application_at(program_a, cutoff(12), email="x@ex.org")
    assert counts(apply_retention(today=TODAY, dry_run=True))["unconfirmed_submissions"] == 0
    settings.MAILLAGE_RETENTION = {"unconfirmed_submissions": 10}
    assert counts(apply_retention(today=TODAY, dry_run=True))["unconfirmed_submissions"] == 1
    assert retention.rule_of("unconfirmed_submissions").period_words() == "10 jours"
    assert check_retention_settings() == []
    settings.MAILLAGE_RETENTION = {"peopel": 100}
    assert [e.id for e in check_retention_settings()] == ["privacy.E001"]


def test_the_daily_round_runs_it_once_a_day(program_a):
    application_at(program_a, timezone.now() - timedelta(days=90), email="old@ex.org")
    assert apply_retention_daily() == 1
    assert apply_retention_daily() is None
    assert DestructionLog.objects.get().rule == "unconfirmed_submissions"


def test_the_command_dry_run_changes_nothing(program_a):
    application_at(program_a, timezone.now() - timedelta(days=90), email="old@ex.org")
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "unconfirmed_submissions\terase\t30 days\twould: 1" in out.getvalue()
    assert Application.objects.filter(email="old@ex.org").exists()
    call_command("apply_retention", stdout=io.StringIO())
    assert not Application.objects.filter(email="old@ex.org").exists()


# --- The officer's page ----------------------------------------------------------------------


def test_the_page_is_404_for_anyone_but_the_officer(client, coordinator, mentor):
    assert reverse("privacy:retention") == PAGE
    for person in (coordinator, mentor):
        login(client, person)
        assert client.get(PAGE).status_code == 404
    client.logout()
    assert client.get(PAGE).status_code == 302


def test_the_officer_sees_rules_a_dry_run_and_the_log_from_home(client, officer, program_a):
    application_at(program_a, timezone.now() - timedelta(days=90), email="old@ex.org")
    DestructionLog.objects.create(rule="people", action="anonymize", count=3)
    login(client, officer)
    home = client.get(reverse("programs:dashboard")).content.decode()
    assert f'href="{PAGE}"' in home
    page = client.get(PAGE).content.decode()
    assert (
        "Durées de conservation" in page and "3 ans" in page and "MAILLAGE_RETENTION_PEOPLE" in page
    )
    assert "1 élément à traiter" in page
    assert Application.objects.filter(email="old@ex.org").exists()  # looking erases nothing
    assert "Tâche quotidienne de conservation" in page


def test_the_officer_filters_and_exports_the_log(client, officer):
    DestructionLog.objects.create(rule="people", action="anonymize", count=3)
    DestructionLog.objects.create(rule="audit_entries", action="erase", count=40)
    login(client, officer)
    page = client.get(PAGE, {"rule": "audit_entries"}).content.decode()
    assert "40" in page and "1 entrée" in page
    response = client.get(PAGE, {"action": "anonymize", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Moment", "Type de renseignements"]
    assert [row[2] for row in rows[1:]] == ["people"]
    assert AuditEntry.objects.filter(action="export", changes__kind="destruction-log").exists()
    assert client.get(PAGE, {"format": "xlsx"})["Content-Type"].startswith("application/vnd")


def test_the_privacy_page_states_the_periods_in_words(client):
    page = client.get(reverse("privacy:policy")).content.decode()
    assert "Durées de conservation" in page
    assert "3 ans à compter de la fin de leur dernier programme, puis anonymisation" in page


def test_a_deletion_request_is_answered_by_the_same_erasure_and_logged(client, officer, mentee):
    item = file_request(
        person=mentee, kind=PrivacyRequest.Kind.DELETION, details="", by=mentee.user
    )
    login(client, officer)
    page = client.get(reverse("privacy:register_item", args=[item.pk])).content.decode()
    assert "Effacer les renseignements de la personne" in page
    url = reverse("privacy:register_erase", args=[item.pk])
    client.post(url)
    client.post(url)  # a double click erases once
    mentee.refresh_from_db()
    assert mentee.anonymized_at is not None and mentee.email == ""
    log = DestructionLog.objects.get()
    assert (log.rule, log.count, log.by, log.request) == ("deletion_request", 1, officer.user, item)
    page = client.get(reverse("privacy:register_item", args=[item.pk])).content.decode()
    assert "Effacer les renseignements de la personne" not in page


def test_privacy_urls_are_404_for_people_who_are_not_the_officer(
    client, coordinator, mentee, outsider
):
    """The outsider walk of the privacy pages: every route with its parameters filled."""
    item = file_request(
        person=mentee, kind=PrivacyRequest.Kind.PORTABILITY, details="", by=mentee.user
    )
    incident = Incident.objects.create(
        discovered_on=date(2026, 1, 5), description="x", data_concerned="y"
    )
    open_to_all = {"privacy:policy", "privacy:my_requests"}
    urls = []

    for pattern in privacy_urls.urlpatterns:
        name = f"privacy:{pattern.name}"
        if name in open_to_all:
            continue
        kwargs = {}
        if "item_pk" in pattern.pattern.converters:
            kwargs["item_pk"] = incident.pk if "incident" in pattern.name else item.pk
        if "fmt" in pattern.pattern.converters:
            for fmt in ("csv", "json"):
                urls.append(reverse(name, kwargs={**kwargs, "fmt": fmt}))
            continue
        urls.append(reverse(name, kwargs=kwargs))
    assert PAGE in urls and len(urls) >= 8
    for person in (coordinator, mentee):
        login(client, person)
        for url in urls:
            assert client.get(url).status_code == 404, url
            assert client.post(url).status_code == 404, url
    assert Person.objects.get(pk=mentee.pk).anonymized_at is None


def test_an_anonymized_application_keeps_no_key_a_new_answer_could_match(program_a):
    """Erasure clears the duplicate check's stored keys with the values they come from: a new
    answer of the same organization is not tied to an erased one, and nothing of its name or
    address stays in the row."""
    from maillage.intake.services import find_duplicate_pk
    from maillage.privacy.erasure import anonymize_applications

    app = Application.objects.create(
        program=program_a, organization_name="Frigo Secret inc.", email="x@frigo-secret.example"
    )
    assert find_duplicate_pk(program=program_a, organization_name="frigo secret", email="") == (
        app.pk,
        "same_name",
    )
    anonymize_applications(Application.objects.filter(pk=app.pk))
    app.refresh_from_db()
    assert (app.organization_key, app.email_key, app.email_domain) == ("", "", "")
    for email, name in (
        ("x@frigo-secret.example", ""),
        ("", "Frigo Secret"),
        ("y@frigo-secret.example", ""),
    ):
        assert find_duplicate_pk(program=program_a, organization_name=name, email=email) == (
            None,
            "",
        )
