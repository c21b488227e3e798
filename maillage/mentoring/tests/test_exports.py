"""Groups, meetings, time entries and needs download as CSV/XLSX with the rows of their page:
same access (404 for anyone else, another group's members included), same visibility, formula
cells neutralised."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.core.models import AuditEntry
from maillage.core.tests.downloads import csv_rows, xlsx_rows
from maillage.mentoring import services
from maillage.mentoring.models import ActionPlan, Meeting, TimeEntry

from .conftest import later

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("America/Toronto")
FORMULA = '=HYPERLINK("https://exemple.org/vol","Cliquez")'


def url(name, group, *args):
    return reverse(f"mentoring:{name}", args=[group.program_id, group.pk, *args])


@pytest.fixture
def running(group, mentor, mentee):
    """A held meeting on 10 July 2026 and some time between meetings."""
    meeting = services.schedule_meeting(
        group=group,
        by=mentor,
        starts_at=datetime(2026, 7, 10, 10, tzinfo=TZ),
        duration_minutes=90,
    )
    services.record_meeting(meeting=meeting, by=mentor, present=[mentor, mentee])
    services.log_time(
        group=group,
        person=mentor,
        on=date(2026, 7, 12),
        minutes=45,
        kind=TimeEntry.Kind.PREPARATION,
        note=FORMULA,
    )
    services.log_time(
        group=group,
        person=mentee,
        on=date(2026, 7, 13),
        minutes=60,
        kind=TimeEntry.Kind.ACTION_PLAN,
    )
    return group


# --- Groups list ------------------------------------------------------------------------------


def test_the_coordinator_downloads_the_groups_list(client, running, coordinator, other_member):
    login(client, coordinator)
    rows = csv_rows(
        client.get(reverse("mentoring:groups_export", args=[running.program_id, "csv"]))
    )
    assert rows[0] == [
        "Groupe",
        "Côté mentor",
        "Personnes mentorées",
        "Entente",
        "Rencontres tenues",
        "Prochaine rencontre",
        "Heures utilisées",
        "Heures restantes",
    ]
    logistique = next(r for r in rows[1:] if r[0] == "Logistique")
    # 1.5 h in the meeting and 0.75 h of preparation on the mentor side; the mentee's hour
    # is noted but does not draw on the bank.
    assert logistique == [
        "Logistique",
        "Marc Mentor",
        "Nadia Deuxième, Élise Mentorée",
        "À accepter",
        "1",
        "",
        "2.25",
        "17.75",
    ]
    assert {r[0] for r in rows[1:]} == {"Logistique", "Synergies"}


def test_a_member_downloads_only_their_own_group(client, running, other_member):
    login(client, other_member)
    rows = csv_rows(
        client.get(reverse("mentoring:groups_export", args=[running.program_id, "csv"]))
    )
    assert [r[0] for r in rows[1:]] == ["Synergies"]


def test_the_groups_list_is_404_outside_the_program(client, running, outsider):
    login(client, outsider)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("mentoring:groups_export", args=[running.program_id, fmt]))
        assert response.status_code == 404


def test_my_groups_list_mine_with_their_program(client, running, mentor):
    login(client, mentor)
    rows = xlsx_rows(client.get(reverse("mentoring:mine_export", args=["xlsx"])))
    assert rows[0][:2] == ["Groupe", "Programme"]
    assert [list(r[:3]) for r in rows[1:]] == [["Logistique", "Programme A", "Marc Mentor"]]


def test_my_groups_is_404_without_a_person(client, db, django_user_model):
    user = django_user_model.objects.create_user(username="compte-seul", password="x")
    client.force_login(user)
    assert client.get(reverse("mentoring:mine_export", args=["csv"])).status_code == 404


# --- Meetings ---------------------------------------------------------------------------------


def test_the_meetings_come_out_as_the_group_page_lists_them(client, running, mentor):
    upcoming = services.schedule_meeting(
        group=running,
        by=mentor,
        starts_at=later(days=3),
        duration_minutes=60,
        mode=Meeting.Mode.IN_PERSON,
    )
    login(client, mentor)
    response = client.get(url("meetings_export", running, "csv"))
    rows = csv_rows(response)
    assert rows[0] == ["Date", "Type", "Format", "Statut"]
    # Upcoming first, then past: as on the page.
    assert rows[1][1:] == ["Rencontre collective", "En personne (visite)", "Prévue"]
    assert rows[1][0].startswith(upcoming.starts_at.astimezone(TZ).date().isoformat())
    assert rows[2] == ["2026-07-10 10:00", "Rencontre collective", "En ligne", "Tenue"]
    assert len(rows) == 3
    assert "rencontres" in response["Content-Disposition"]


def test_a_planned_meeting_in_the_past_says_it_is_to_be_recorded(client, group, mentor):
    services.schedule_meeting(
        group=group, by=mentor, starts_at=datetime(2026, 1, 5, 9, tzinfo=TZ), duration_minutes=60
    )
    login(client, mentor)
    rows = csv_rows(client.get(url("meetings_export", group, "csv")))
    assert rows[1] == [
        "2026-01-05 09:00",
        "Rencontre collective",
        "En ligne",
        "Prévue (à consigner)",
    ]


def test_a_mentee_does_not_get_anothers_individual_meeting(
    client, group, mentor, mentee, second_mentee
):
    services.schedule_meeting(
        group=group,
        by=mentor,
        starts_at=later(days=2),
        duration_minutes=60,
        kind=Meeting.Kind.INDIVIDUAL,
        individual_with=group.members.get(role__person=mentee),
    )
    login(client, second_mentee)
    assert csv_rows(client.get(url("meetings_export", group, "csv")))[1:] == []
    login(client, mentee)
    rows = csv_rows(client.get(url("meetings_export", group, "csv")))
    assert rows[1][1] == "Rencontre individuelle (Élise Mentorée)"


# --- Hours bank -------------------------------------------------------------------------------


def test_the_time_entries_come_out_with_formulas_neutralised(client, running, coordinator):
    login(client, coordinator)
    page = client.get(url("hours", running)).content.decode()
    assert url("hours_export", running, "csv") in page
    rows = csv_rows(client.get(url("hours_export", running, "csv")))
    assert rows[0] == [
        "Date",
        "Personne",
        "Type",
        "Heures",
        "Compte dans la banque",
        "Précision",
    ]
    assert rows[1:] == [
        ["2026-07-13", "Élise Mentorée", "Plan d’action", "1", "non", ""],
        ["2026-07-12", "Marc Mentor", "Préparation de contenu", "0.75", "oui", "'" + FORMULA],
        ["2026-07-10", "Élise Mentorée", "Rencontre", "1.5", "non", ""],
        ["2026-07-10", "Marc Mentor", "Rencontre", "1.5", "oui", ""],
    ]


def test_the_time_entries_open_in_a_spreadsheet_as_text_and_numbers(client, running, mentee):
    login(client, mentee)
    rows = xlsx_rows(client.get(url("hours_export", running, "xlsx")))
    preparation = next(r for r in rows if r[2] == "Préparation de contenu")
    assert preparation[3] == 0.75
    assert preparation[5] == "'" + FORMULA


# --- Action plan ------------------------------------------------------------------------------


@pytest.fixture
def plan_member(group, mentor, mentee):
    member = group.members.get(role__person=mentee)
    plan = services.plan_for(member=member)
    first = services.add_need(plan=plan, by=mentee, text="Réduire les pertes au froid")
    services.add_need(plan=plan, by=mentee, text="@SUM(A1:A9) Trouver des bénévoles")
    services.decide_need(need=first, by=mentor, inside=True)
    return member


def test_the_needs_come_out_in_priority_order(client, group, plan_member, mentor):
    login(client, mentor)
    rows = csv_rows(client.get(url("plan_export", group, plan_member.pk, "csv")))
    assert rows[0] == ["#", "Besoin", "Expertise du côté mentor", "Statut"]
    assert rows[1][:2] == ["1", "Réduire les pertes au froid"]
    assert rows[1][2].startswith("dans l’expertise — décidé par Marc Mentor")
    assert rows[1][3] == "À travailler"
    assert rows[2][:2] == ["2", "'@SUM(A1:A9) Trouver des bénévoles"]
    assert len(rows) == 3


def test_the_needs_open_in_a_spreadsheet(client, group, plan_member, coordinator):
    login(client, coordinator)
    rows = xlsx_rows(client.get(url("plan_export", group, plan_member.pk, "xlsx")))
    assert rows[1][0] == 1
    assert rows[2][1] == "'@SUM(A1:A9) Trouver des bénévoles"


def test_an_observer_without_the_groups_consent_gets_no_needs(client, group, plan_member, observer):
    login(client, observer)
    assert client.get(url("plan_export", group, plan_member.pk, "csv")).status_code == 404
    services.update_group_settings(group=group, hours_bank=group.hours_bank, observer_allowed=True)
    assert client.get(url("plan_export", group, plan_member.pk, "csv")).status_code == 200


def test_an_export_does_not_create_a_plan(client, group, mentee, mentor):
    member = group.members.get(role__person=mentee)
    login(client, mentor)
    rows = csv_rows(client.get(url("plan_export", group, member.pk, "csv")))
    assert rows[1:] == []
    assert not ActionPlan.objects.filter(mentee=member).exists()


# --- Access, formats, audit -------------------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "other_member", "committee_member"])
def test_group_exports_are_404_outside_the_group(client, running, plan_member, who, request):
    login(client, request.getfixturevalue(who))
    for name, args in (
        ("meetings_export", []),
        ("hours_export", []),
        ("plan_export", [plan_member.pk]),
    ):
        for fmt in ("csv", "xlsx"):
            assert client.get(url(name, running, *args, fmt)).status_code == 404, name


def test_an_unknown_format_is_404(client, running, coordinator):
    login(client, coordinator)
    assert client.get(url("hours_export", running, "pdf")).status_code == 404


def test_a_group_export_enters_the_programs_audit_trail(client, running, coordinator):
    login(client, coordinator)
    client.get(url("meetings_export", running, "csv"))
    entry = AuditEntry.objects.get(action="export")
    assert entry.program_id == running.program_id
    assert entry.changes["kind"] == "rencontres"
    assert entry.changes["rows"] == 1


@pytest.mark.parametrize("who", ["mentee", "mentor"])
def test_participants_download_words_not_scores(client, request, group, plan_member, who):
    # The plan's page shows participants the fit in words; its download must not show more.
    login(client, request.getfixturevalue(who))
    rows = csv_rows(client.get(url("plan_export", group, plan_member.pk, "csv")))
    second = rows[2][2]
    assert "(suggestion)" in second and "score" not in second


def test_the_coordination_downloads_the_score(client, group, plan_member, coordinator):
    login(client, coordinator)
    rows = csv_rows(client.get(url("plan_export", group, plan_member.pk, "csv")))
    assert "score 0," in rows[2][2]
