"""Self-matching's pages: a mentee browses the mentor sides (only what they agreed to show,
fit in words), asks one; the mentor side answers; the coordinator approves; the homes say what
comes next; nobody outside reads anything."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from maillage.conftest import login
from maillage.matching import services
from maillage.matching.models import MatchRequest, ProfileCard
from maillage.mentoring.models import Group

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_cast(cast, coordinator):
    services.open_self_matching(
        program=cast["program"],
        is_open=True,
        closes_at=timezone.now() + timedelta(days=7),
        by=coordinator.user,
    )
    cast["marc"].capacity = 1
    cast["marc"].save()
    return cast


def url(name: str, cast, *args) -> str:
    return reverse(f"matching:{name}", args=[cast["program"].pk, *args])


def as_(client, cast, who: str):
    client.force_login(cast[who].person.user)
    return client


def test_a_mentee_reads_fit_in_words_and_only_what_is_shown(client, open_cast):
    page = as_(client, open_cast, "elise").get(url("profiles", open_cast)).content.decode()
    assert "Marc Mentor" in page and "Équipe Alliance" in page
    assert "Réseau logistique" not in page  # Marc has not shown his organization yet
    fit = re.findall(r'<ul class="fit">(.*?)</ul>', page, re.S)
    assert fit and "Besoins et expertise" in "".join(fit)
    assert not re.search(r"\d", "".join(fit))  # words, never numbers
    ProfileCard.objects.create(
        program=open_cast["program"], person=open_cast["marc"].person, show_organization=True
    )
    page = client.get(url("profiles", open_cast)).content.decode()
    assert "Réseau logistique" in page


def test_filters_only_match_what_a_profile_shows(client, open_cast):
    ProfileCard.objects.create(
        program=open_cast["program"], person=open_cast["marc"].person, show_region=True
    )
    client = as_(client, open_cast, "elise")
    page = client.get(url("profiles", open_cast) + "?region=QC-16").content.decode()
    assert "Marc Mentor" in page and "Équipe Alliance" not in page
    page = client.get(url("profiles", open_cast) + "?region=QC-05").content.decode()
    assert "Équipe Alliance" not in page  # the team hides its region
    track = open_cast["synergies"].pk
    page = client.get(url("profiles", open_cast) + f"?track={track}").content.decode()
    assert "Équipe Alliance" in page and "Marc Mentor" not in page


def test_a_double_click_sends_one_request(client, open_cast):
    client = as_(client, open_cast, "elise")
    data = {"mentor": f"R{open_cast['marc'].pk}", "message": "Bonjour Marc"}
    first = client.post(url("request_send", open_cast), data)
    assert first.status_code == 302 and first["Location"] == url("my_requests", open_cast)
    second = client.post(url("request_send", open_cast), data)
    assert second.status_code == 400
    assert "déjà une demande en cours" in second.content.decode()
    assert MatchRequest.objects.count() == 1


def test_the_second_mentee_sees_why_and_keeps_her_message(client, open_cast):
    services.send_match_request(
        program=open_cast["program"],
        user=open_cast["elise"].person.user,
        mentor_key=f"R{open_cast['marc'].pk}",
        message="Bonjour",
    )
    client = as_(client, open_cast, "bruno")
    page = client.get(url("profiles", open_cast)).content.decode()
    assert "disabled" in page and "Plus de place" in page
    response = client.post(
        url("request_send", open_cast),
        {"mentor": f"R{open_cast['marc'].pk}", "message": "Mon long message à Marc"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Plus de place" in body and "Mon long message à Marc" in body


def test_the_mentor_accepts_and_the_coordinator_approves(client, open_cast, coordinator):
    req = services.send_match_request(
        program=open_cast["program"],
        user=open_cast["elise"].person.user,
        mentor_key=f"R{open_cast['marc'].pk}",
        message="Bonjour",
    )
    client = as_(client, open_cast, "marc")
    assert "Élise Mentorée" in client.get(url("my_requests", open_cast)).content.decode()
    client.post(url("request_answer", open_cast, req.pk), {"decision": "accept", "answer": "Oui"})
    req.refresh_from_db()
    assert req.status == MatchRequest.Status.ACCEPTED
    login(client, coordinator)
    assert (
        "Approuver le groupe de Marc Mentor"
        in client.get(url("requests", open_cast)).content.decode()
    )
    client.post(url("request_approve", open_cast), {"mentor": f"R{open_cast['marc'].pk}"})
    assert Group.objects.filter(program=open_cast["program"]).count() == 1


def test_homes_show_the_next_step(client, open_cast):
    client = as_(client, open_cast, "elise")
    home = reverse("programs:dashboard")
    assert "Choisir votre côté mentor" in client.get(home).content.decode()
    services.send_match_request(
        program=open_cast["program"],
        user=open_cast["elise"].person.user,
        mentor_key=f"R{open_cast['marc'].pk}",
        message="Bonjour",
    )
    assert "Votre demande à Marc Mentor attend sa réponse" in client.get(home).content.decode()
    as_(client, open_cast, "marc")
    assert "Répondre à 1 demande de jumelage" in client.get(home).content.decode()


def test_participants_cannot_reach_the_coordinators_pages(client, open_cast):
    client = as_(client, open_cast, "elise")
    assert client.get(url("requests", open_cast)).status_code == 404
    assert client.post(url("request_approve", open_cast), {"mentor": "R1"}).status_code == 404
    assert client.post(url("self_matching", open_cast), {"is_open": "on"}).status_code == 404


def test_the_outsider_gets_404(client, open_cast, outsider):
    login(client, outsider)
    for name in ("profiles", "my_requests", "my_card", "requests"):
        assert client.get(url(name, open_cast)).status_code == 404


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile("moi.png", buffer.getvalue(), content_type="image/png")


def test_a_photo_is_seen_only_once_shown(client, open_cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = as_(client, open_cast, "marc")
    response = client.post(url("my_card", open_cast), {"intro": "Bonjour", "photo": png()})
    assert response.status_code == 302
    card = ProfileCard.objects.get(person=open_cast["marc"].person)
    assert card.photo and not card.show_photo
    as_(client, open_cast, "elise")
    assert client.get(url("card_photo", open_cast, card.pk)).status_code == 404
    card.show_photo = True
    card.save()
    assert client.get(url("card_photo", open_cast, card.pk)).status_code == 200
    assert 'class="profile-photo"' in client.get(url("profiles", open_cast)).content.decode()


def test_the_coordinator_opens_self_matching_from_the_matching_page(client, cast, coordinator):
    login(client, coordinator)
    assert "Auto-jumelage" in client.get(url("home", cast)).content.decode()
    when = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    client.post(url("self_matching", cast), {"is_open": "on", "closes_at": when})
    assert cast["program"].self_matching.is_open


def test_the_demo_has_profiles_and_a_pending_request(db):
    from maillage.demo.editions import build_demo

    program = build_demo()
    assert program.self_matching.is_running()
    assert program.profile_cards.count() >= 3
    assert program.match_requests.filter(status=MatchRequest.Status.PENDING).count() == 1


def test_participants_see_no_profile_before_the_coordinator_opens(client, cast, coordinator):
    page = as_(client, cast, "elise").get(url("profiles", cast)).content.decode()
    assert "pas ouvert" in page and "Marc Mentor" not in page
    login(client, coordinator)
    assert "Marc Mentor" in client.get(url("profiles", cast)).content.decode()
