"""The governance pages as their users live them (Django's test client)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from maillage.governance import services
from maillage.governance.models import Decision, Disagreement, Idea, Instance, Meeting, Version
from maillage.tests.test_create_forms_once import form_fields

pytestmark = pytest.mark.django_db


def url(name, network, *args):
    return reverse(f"governance:{name}", args=[network.pk, *args])


def test_staff_reach_governance_from_the_network_page(client, staff, network):
    client.force_login(staff.user)
    html = client.get(reverse("measurement:network", args=[network.pk])).content.decode()
    assert url("home", network) in html


def test_members_reach_it_from_their_home(client, member_coordinator, network):
    client.force_login(member_coordinator.user)
    html = client.get(reverse("programs:dashboard")).content.decode()
    assert url("home", network) in html
    assert "Gouvernance du réseau" in html


def test_a_double_click_creates_one_model_and_one_idea(client, staff, network, member_coordinator):
    for who, page, model, typed in (
        (staff, url("home", network), Version, {"name": "Modèle 1"}),
        (member_coordinator, url("ideas", network), Idea, {"title": "T", "description": "D"}),
    ):
        client.force_login(who.user)
        action = url("version_new", network) if model is Version else None
        fields = form_fields(client.get(page).content.decode(), action)
        assert "form_token" in fields
        data = {**fields, **typed}
        first = client.post(action or page, data)
        again = client.post(action or page, data)
        assert first.status_code == again.status_code == 302
        assert model.objects.count() == 1, model


def test_a_duplicate_instance_name_is_refused_in_french_and_keeps_what_was_typed(
    client, staff, network, model_1
):
    client.force_login(staff.user)
    response = client.post(
        url("instance_new", network, model_1.pk),
        {"new-name": "Comité de coordination", "new-kind": "circle", "new-mandate": "Mon texte"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Une instance porte déjà ce nom dans ce modèle." in html
    assert "Mon texte" in html
    assert model_1.instances.filter(name="Comité de coordination").count() == 1


def test_a_stale_edit_of_an_instance_shows_both_versions(client, staff, network, model_1):
    client.force_login(staff.user)
    instance = model_1.instances.get(name="Comité de coordination")
    seen = instance.revision
    services.edit_instance(
        instance=instance, name="CoCo", kind="committee", mandate="Leur texte", seen=seen
    )
    response = client.post(
        url("instance_edit", network, instance.pk),
        {
            "name": "Comité de coordination",
            "kind": "committee",
            "mandate": "Mon texte",
            "revision": seen,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Leur texte" in html and "Mon texte" in html
    instance.refresh_from_db()
    assert instance.mandate == "Leur texte"


def test_an_adopted_model_page_offers_a_new_model_not_structure_forms(
    client, staff, network, model_1
):
    services.adopt_version(version=model_1, on=date(2019, 10, 1))
    client.force_login(staff.user)
    html = client.get(url("version", network, model_1.pk)).content.decode()
    assert "Créer un nouveau modèle à partir de celui-ci" in html
    assert "Ajouter une instance" not in html
    response = client.post(url("version_new", network), {"name": "Modèle 2"})
    model_2 = Version.objects.get(name="Modèle 2")
    assert response["Location"] == url("version", network, model_2.pk)
    assert model_2.instances.count() == model_1.instances.count()


def test_the_findings_show_on_the_version_page_for_staff_only(
    client, staff, network, model_1, member_coordinator
):
    client.force_login(staff.user)
    html = client.get(url("version", network, model_1.pk)).content.decode()
    assert "« Cercle orphelin » n’a aucun lien de redevabilité" in html
    services.adopt_version(version=model_1, on=date(2019, 10, 1))
    client.force_login(member_coordinator.user)
    html = client.get(url("version", network, model_1.pk)).content.decode()
    assert "Cercle orphelin" in html and "aucun lien de redevabilité" not in html


def test_decisions_are_followed_up_across_instances(client, staff, network, model_1):
    a, b = model_1.instances.all()[:2]
    for instance, text, due in ((a, "Réviser les ententes", date(2020, 1, 1)), (b, "Budget", None)):
        meeting = services.record_meeting(
            instance=instance, held_on=date(2019, 12, 1), attendees="X"
        )
        services.add_decision(meeting=meeting, text=text, follow_up_by="Julie", due_on=due)
    client.force_login(staff.user)
    html = client.get(url("follow_ups", network)).content.decode()
    assert html.index("Réviser les ententes") < html.index("Budget")
    assert "en retard" in html
    first = Decision.objects.get(text="Réviser les ententes")
    client.post(url("decision_status", network, first.pk), {"done": "1", "back": "follow_ups"})
    first.refresh_from_db()
    assert first.status == "done" and first.done_on == date.today()
    assert "Réviser les ententes" not in client.get(url("follow_ups", network)).content.decode()


def test_staff_record_a_meeting_and_its_decisions_through_the_pages(
    client, staff, network, model_1
):
    client.force_login(staff.user)
    instance = model_1.instances.first()
    response = client.post(
        url("meeting_new", network, instance.pk),
        {"held_on": "2020-02-03", "attendees": "Aline\nBruno", "notes": ""},
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == url("meeting", network, meeting.pk)
    client.post(
        url("decision_add", network, meeting.pk),
        {"text": "Écrire le guide", "follow_up_by": "Aline", "due_on": "2020-03-01"},
    )
    assert meeting.decisions.get().due_on == date(2020, 3, 1)
    assert meeting.attendee_list() == ["Aline", "Bruno"]


def test_the_other_party_sees_the_disagreement_and_a_third_member_does_not(
    client, network, members, member_coordinator, second_member
):
    disagreement = services.raise_disagreement(
        network=network,
        by=second_member,
        subject="Camion",
        description="Le mardi",
        with_member=members[0],  # Camille's organization
    )
    client.force_login(member_coordinator.user)
    assert client.get(url("disagreement", network, disagreement.pk)).status_code == 200
    assert "Camion" in client.get(url("disagreements", network)).content.decode()
    other = services.raise_disagreement(
        network=network, by=second_member, subject="Autre chose", description="…"
    )
    assert client.get(url("disagreement", network, other.pk)).status_code == 404
    assert "Autre chose" not in client.get(url("disagreements", network)).content.decode()
    # A party reads the steps but does not record them.
    html = client.get(url("disagreement", network, disagreement.pk)).content.decode()
    assert "Consigner" not in html
    assert client.post(url("disagreement_step", network, disagreement.pk)).status_code == 404
    assert Disagreement.objects.get(pk=disagreement.pk).status == "open"


def test_forming_a_team_without_an_adopted_model_says_so(
    client, staff, network, member_coordinator, second_member
):
    idea = services.propose_idea(network=network, by=member_coordinator, title="T", description="D")
    services.join_idea(idea=idea, person=second_member)
    client.force_login(staff.user)
    html = client.get(url("idea_team", network, idea.pk)).content.decode()
    assert "Adoptez d’abord un modèle de gouvernance" in html
    response = client.post(url("idea_team", network, idea.pk), {"reports_to": "", "mandate": ""})
    assert response.status_code == 200
    assert not Instance.objects.filter(kind="action_team").exists()


def test_the_diagram_downloads_as_an_svg_file(client, staff, network, model_1):
    client.force_login(staff.user)
    response = client.get(url("version_svg", network, model_1.pk))
    assert response["Content-Type"] == "image/svg+xml"
    body = response.content.decode()
    assert body.startswith("<?xml") and "Comité de coordination" in body


def test_a_double_click_on_a_step_s_outcome_closes_one_step(
    client, staff, network, member_coordinator
):
    disagreement = services.raise_disagreement(
        network=network, by=member_coordinator, subject="Camion", description="Le mardi"
    )
    client.force_login(staff.user)
    page = url("disagreement", network, disagreement.pk)
    action = url("disagreement_step", network, disagreement.pk)
    fields = form_fields(client.get(page).content.decode(), action)
    assert "form_token" in fields
    data = {**fields, "outcome": "Pas d’entente", "resolved": "no"}
    assert client.post(action, data).status_code == 302
    assert client.post(action, data).status_code == 302
    assert [s.kind for s in disagreement.steps.all()] == ["dialogue", "facilitation"]
