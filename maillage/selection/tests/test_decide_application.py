from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login, make_person
from maillage.core.models import Person, Sector
from maillage.intake.models import Application
from maillage.programs.models import Role
from maillage.programs.services import add_track, assign_role
from maillage.selection.errors import SelectionError
from maillage.selection.models import Decision
from maillage.selection.services import decide_application


def decide_url(application):
    return reverse("selection:decide", args=[application.program_id, application.pk])


def test_reason_is_required(application, coordinator):
    with pytest.raises(SelectionError, match="motifs"):
        decide_application(application=application, outcome="declined", reason="  ", by=None)


def test_missing_reason_gives_french_message_and_keeps_values(as_coordinator, application):
    track = add_track(program=application.program, name="Synergies")
    response = as_coordinator.post(
        decide_url(application),
        {"decision-outcome": "selected", "decision-reason": "", "decision-track": track.pk},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Donnez les motifs de la décision : ils restent au dossier." in html
    assert 'value="selected" id="id_decision-outcome_0" checked' in html.replace("required ", "")
    assert f'<option value="{track.pk}" selected>' in html
    assert not Decision.objects.exists()


def test_selected_creates_person_and_mentee_role_with_track(application, coordinator):
    track = add_track(program=application.program, name="Logistique")
    decide_application(
        application=application,
        outcome="selected",
        reason="Répond à tous les critères.",
        track=track,
        by=coordinator.user,
    )
    application.refresh_from_db()
    person = Person.objects.get(email="contact@cuisine.example")
    assert (person.first_name, person.last_name) == ("Rosalie", "Tremblay")
    assert person.organization.name == "Cuisine collective (fictive)"
    assert application.person == person
    assert application.status == Application.Status.SELECTED
    assert application.track == track
    role = Role.objects.get(program=application.program, person=person)
    assert (role.kind, role.track) == (Role.Kind.MENTEE, track)


def test_selected_reuses_the_person_the_program_knows_with_that_email(application, coordinator):
    known = make_person("Rosalie", "Tremblay", user=False)
    assign_role(program=application.program, person=known, kind="committee")
    application.email = known.email.upper()
    application.save()
    decide_application(application=application, outcome="selected", reason="Oui.", by=None)
    assert Person.objects.filter(email__iexact=known.email).count() == 1
    assert Role.objects.get(program=application.program, kind="mentee").person == known


def test_an_address_of_another_programs_person_gets_a_new_record_and_an_invitation(
    application, outsider, django_capture_on_commit_callbacks
):
    # Anyone can type any address in the public form: selecting must not hand this program
    # the record (organization, phone, profile) of the person behind it.
    from maillage.programs.models import ProgramInvitation

    application.email = outsider.email
    application.save()
    with django_capture_on_commit_callbacks(execute=True):
        decide_application(application=application, outcome="selected", reason="Oui.", by=None)
    mentee = Role.objects.get(program=application.program, kind="mentee").person
    assert mentee != outsider
    assert ProgramInvitation.objects.filter(program=application.program, person=outsider).exists()


def test_waitlisted_and_declined_set_the_status_and_no_role(application):
    decide_application(application=application, outcome="waitlisted", reason="Places.", by=None)
    application.refresh_from_db()
    assert application.status == Application.Status.WAITLISTED
    decide_application(application=application, outcome="declined", reason="Hors thème.", by=None)
    application.refresh_from_db()
    assert application.status == Application.Status.DECLINED
    assert not Role.objects.filter(kind=Role.Kind.MENTEE).exists()


def test_no_longer_selected_is_no_longer_a_mentee(application):
    decide_application(application=application, outcome="selected", reason="Oui.", by=None)
    decide_application(application=application, outcome="waitlisted", reason="Erreur.", by=None)
    assert not Role.objects.filter(program=application.program, kind=Role.Kind.MENTEE).exists()


def test_coordinator_decides_from_the_page(as_coordinator, application, coordinator):
    response = as_coordinator.post(
        decide_url(application),
        {"decision-outcome": "declined", "decision-reason": "Projet trop tôt."},
    )
    assert response.status_code == 302
    decision = Decision.objects.get(application=application)
    assert decision.decided_by == coordinator.user
    assert decision.reason == "Projet trop tôt."


def test_committee_member_cannot_decide(client, committee_member, application):
    # 404, as for every page a role may not use: the access helper hides what is not theirs.
    response = login(client, committee_member).post(
        decide_url(application), {"decision-outcome": "selected", "decision-reason": "Oui."}
    )
    assert response.status_code == 404
    assert not Decision.objects.exists()
    page = client.get(
        reverse("selection:application", args=[application.program_id, application.pk])
    )
    assert "Enregistrer la décision" not in page.content.decode()


def test_selected_gives_the_new_organization_the_sector_answered(application, coordinator):
    application.sector = Sector.objects.get(code="municipal")
    application.save()
    decide_application(application=application, outcome="selected", reason="Oui.", by=None)
    person = Person.objects.get(email="contact@cuisine.example")
    assert person.organization.sector.code == "municipal"
