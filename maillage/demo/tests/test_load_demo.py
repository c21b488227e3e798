"""load_demo: two editions of the demo program, the same people in both, loaded once.

The current edition stops at matching (its walk-through starts there); the 2025 edition is the
pilot replayed to its end, so follow-up, evaluation and the report have something to show.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from maillage.alerts.models import Alert
from maillage.conftest import fresh, shared_data
from maillage.core.models import Organization, Person
from maillage.demo.editions import DEMO_TITLE, PAST_DEMO_TITLE, build_demo
from maillage.evaluation.models import FinalInterview, Invitation, Quote
from maillage.intake.models import Application
from maillage.mentoring.models import Meeting
from maillage.programs.models import Program, Role
from maillage.reports.models import Report

pytestmark = pytest.mark.django_db


def _load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Program,
            Person,
            get_user_model(),
            Organization,
            Role,
            Application,
            Meeting,
            Alert,
            Invitation,
            Report,
        )
    }


@pytest.fixture(scope="module")
def first_load(django_db_setup, django_db_blocker, tmp_path_factory):
    """Loaded once for the module (each test runs in its own savepoint), the way a database
    that has the current edition only gets the past one: `load_demo` itself builds the current
    edition then the past one, so the data is the same as a load from scratch (which
    test_loading_sends_no_email runs)."""
    with shared_data(django_db_blocker, tmp_path_factory.mktemp("uploads")):
        build_demo()
        people = set(Person.objects.values_list("email", flat=True))
        output = _load()
        yield {
            "people": people,
            "output": output,
            "current": Program.objects.get(title=DEMO_TITLE),
            "past": Program.objects.get(title=PAST_DEMO_TITLE),
        }


@pytest.fixture
def loaded(first_load, db):
    return fresh(first_load["current"]), fresh(first_load["past"])


def test_twice_changes_nothing_the_second_time(loaded):
    before = _counts()
    assert "already loaded" in _load()
    assert _counts() == before
    assert before["Program"] == 2


def test_the_people_are_the_same_in_both_editions(loaded):
    current, past = loaded
    assert not Person.objects.values("email").annotate(n=Count("pk")).filter(n__gt=1).exists()

    def cast(program):
        return {
            (r.kind, r.person.email)
            for r in program.roles.exclude(kind=Role.Kind.COORDINATOR).select_related("person")
        }

    assert cast(current) == cast(past)
    camille = Person.objects.get(email="camille.gagnon@demo.maillage.org")
    assert set(
        camille.roles.filter(kind=Role.Kind.COORDINATOR).values_list("program", flat=True)
    ) == {
        current.pk,
        past.pk,
    }


def test_the_current_edition_stays_at_matching(loaded):
    current, _past = loaded
    assert current.status == Program.Status.MATCHING
    assert (current.start_date.year, current.end_date.year) == (2026, 2026)
    assert current.applications.count() == 10
    assert current.groups.count() == 0
    assert current.roles.filter(kind=Role.Kind.MENTEE).count() == 4


def test_the_past_edition_is_replayed_evaluated_and_reported(loaded):
    _current, past = loaded
    assert past.status == Program.Status.CLOSED
    assert sorted(past.groups.values_list("name", flat=True)) == ["Logistique", "Synergies"]
    held = Meeting.objects.filter(group__program=past, status=Meeting.Status.HELD)
    assert held.count() == 9
    assert Alert.objects.filter(program=past, resolved_at__isnull=True).exists()
    assert Invitation.objects.filter(round__program=past, submitted_at__isnull=False).exists()
    assert FinalInterview.objects.filter(
        program=past, status=FinalInterview.Status.VALIDATED
    ).exists()
    assert Quote.objects.filter(program=past, consented_at__isnull=False).exists()
    reports = {r.language: r for r in Report.objects.filter(program=past)}
    assert sorted(reports) == ["en", "fr"]
    assert all(r.is_published for r in reports.values())
    report = reports["fr"]
    assert report.published_at.date() > past.end_date
    # Rounds closed on their own dates: nothing left to send or remind.
    assert not past.evaluation_rounds.filter(closes_on__gt=report.published_at.date()).exists()


def test_a_database_loaded_with_the_current_edition_only_gets_the_past_one(first_load, db):
    people = first_load["people"]
    assert "Demo data loaded" in first_load["output"]
    past = Program.objects.get(title=PAST_DEMO_TITLE)
    assert set(Person.objects.filter(roles__program=past).values_list("email", flat=True)) <= people
    assert not Person.objects.values("email").annotate(n=Count("pk")).filter(n__gt=1).exists()


def test_the_funder_reads_the_published_report_the_coordinator_can_start_a_new_version(
    loaded, client
):
    _current, past = loaded
    url = reverse("reports:report", args=[past.pk])
    client.force_login(get_user_model().objects.get(username="robert.morin@demo.maillage.org"))
    page = client.get(url)
    assert page.status_code == 200
    assert "Publié le 30 janvier 2026" in page.content.decode()
    assert client.get(url, {"lang": "en"}).status_code == 200  # the English version it offers
    client.force_login(get_user_model().objects.get(username="camille.gagnon@demo.maillage.org"))
    page = client.get(url).content.decode()
    assert reverse("reports:new_version", args=[past.pk]) in page


def test_the_current_edition_is_being_trained_the_past_one_has_a_half_done_path(loaded):
    """The cohort now at matching follows the micro-trainings (the 2025 edition trained in a
    room, with no record: its dossier lacks that evidence); the 2025 path is half done."""
    from maillage.training.selectors import completion_summary

    current, past = loaded
    summary = completion_summary(current)
    assert len(summary["modules"]) == 2
    assert summary["by_role"]["mentor"]["rate"] == 1.0
    assert 0 < summary["by_role"]["mentee"]["rate"] < 1
    assert completion_summary(past)["total"]["assigned"] == 0
    path = past.implementation_path
    statuses = [s.status for s in path.steps.all()]
    assert statuses.count("done") == 3 and len(statuses) == 6
    assert 0 < path.hours_remaining() < path.budget_hours
