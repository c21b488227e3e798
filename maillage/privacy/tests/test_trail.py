"""The privacy officer reads the audit trail (issue 12, finding 8): reads of sensitive pages and
bulk writes are in it, with who did them; nobody else opens it."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from maillage.conftest import login
from maillage.core.models import AuditEntry
from maillage.selection.tests.conftest import make_application

TRAIL = "/confidentialite/journal/"


@pytest.fixture
def officer(db, outsider):
    """Olivier, made privacy officer by an administrator (the Django permission)."""
    outsider.user.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    return outsider


def test_the_trail_is_404_for_anyone_but_the_officer(client, coordinator, mentor):
    assert reverse("privacy:trail") == TRAIL
    for person in (coordinator, mentor):
        login(client, person)
        assert client.get(TRAIL).status_code == 404
    client.logout()
    assert client.get(TRAIL).status_code == 302  # to sign in


def test_an_officer_by_settings_reaches_it_from_the_menu(client, settings, coordinator):
    settings.PRIVACY_OFFICER_ACCOUNTS = [coordinator.user.email.lower()]
    login(client, coordinator)
    home = client.get(reverse("programs:dashboard")).content.decode()
    assert f'href="{TRAIL}"' in home
    assert client.get(TRAIL).status_code == 200


def test_reading_an_application_is_logged_once_per_view(client, coordinator, program_a):
    application = make_application(program_a)
    login(client, coordinator)
    url = reverse("selection:application", args=[program_a.pk, application.pk])
    client.get(url)
    client.get(url)
    views = AuditEntry.objects.filter(action="view", model="intake.Application")
    assert views.count() == 2
    assert {v.actor for v in views} == {coordinator.user}
    assert {v.object_id for v in views} == {str(application.pk)}


def test_the_officer_filters_by_person_action_and_object_and_exports(
    client, officer, coordinator, mentor, program_a
):
    application = make_application(program_a)
    login(client, coordinator)
    client.get(reverse("selection:application", args=[program_a.pk, application.pk]))
    login(client, officer)
    page = client.get(
        TRAIL, {"person": coordinator.last_name, "action": "view", "model": "intake.Application"}
    ).content.decode()
    assert coordinator.full_name in page and "consultation" in page
    assert "1 entrée" in page
    none = client.get(TRAIL, {"person": "personne-inconnue"}).content.decode()
    assert "Aucune entrée" in none
    bad = client.get(TRAIL, {"since": "2026-05-02", "until": "2026-05-01"}).content.decode()
    assert "La date de fin précède la date de début." in bad
    export = client.get(TRAIL, {"action": "view", "format": "csv"})
    assert export.status_code == 200 and "no-store" in export["Cache-Control"]
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][1] == coordinator.full_name
    # The export itself is in the trail.
    assert AuditEntry.objects.filter(action="export", actor=officer.user).exists()


def test_a_bulk_write_is_logged_with_the_acting_person(program_a, coordinator):
    from maillage.core.audit import acting_as
    from maillage.selection.services import create_default_criteria

    program_a.criteria.all().delete()
    with acting_as(coordinator.user):
        created = create_default_criteria(program=program_a)
    entry = AuditEntry.objects.filter(action="bulk_create", model="selection.Criterion").latest(
        "id"
    )
    assert entry.actor == coordinator.user
    assert entry.changes["ids"] == [str(c.pk) for c in created]


def test_program_changes_are_in_the_trail(program_a, coordinator):
    from maillage.programs.services import add_track, update_program

    add_track(program=program_a, name="Logistique")
    update_program(program=program_a, title="Programme A, 2e édition")
    assert AuditEntry.objects.filter(model="programs.Track", action="create").exists()
    assert AuditEntry.objects.filter(model="programs.Program", action="update").exists()


def test_the_privacy_page_is_public_and_linked_from_every_page(client, settings, officer):
    login(client, officer)  # the menu's own « officer » flag must not hide the person in charge
    settings.PRIVACY_OFFICER_NAME = "Julie Gagnon"
    settings.PRIVACY_OFFICER_EMAIL = "vie-privee@exemple.org"
    page = client.get(reverse("privacy:policy")).content.decode()
    assert "Julie Gagnon" in page and "vie-privee@exemple.org" in page
    assert "Responsable de la protection des renseignements personnels" in page
    assert "Commission d’accès à l’information" in page
    client.logout()
    login_page = client.get(reverse("account_login")).content.decode()
    assert f'href="{reverse("privacy:policy")}"' in login_page
