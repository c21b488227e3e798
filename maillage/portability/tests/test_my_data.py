from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.conftest import login
from maillage.core.models import AuditEntry
from maillage.intake.models import Application, MentorContact, PotentialMentor
from maillage.selection.models import Criterion, Review, Score

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(program_a, mentor, mentee, committee_member):
    """Marc (mentor) applied once, is on the potential-mentor list and reviewed Élise's file."""
    own = Application.objects.create(
        program=program_a,
        organization_name="Atelier de Marc",
        contact_name="Marc Mentor",
        email=mentor.email.upper(),
        answers={"concept": "Mon concept à moi"},
    )
    theirs = Application.objects.create(
        program=program_a,
        organization_name="Secret d’Élise",
        contact_name="Élise Mentorée",
        email=mentee.email,
        phone="819 555-0123",
        answers={"concept": "Concept confidentiel"},
    )
    record = PotentialMentor.objects.create(
        program=program_a, person=mentor, expertise="Chaîne du froid", capacity=2
    )
    MentorContact.objects.create(
        potential_mentor=record, at=timezone.now(), channel="email", summary="Premier appel"
    )
    criterion = Criterion.objects.filter(program=program_a).first()
    review = Review.objects.create(application=theirs, reviewer=mentor, comment="Très solide")
    Score.objects.create(review=review, criterion=criterion, value=4)
    Review.objects.create(application=own, reviewer=committee_member, comment="Avis de Chloé")
    return {"own": own, "theirs": theirs}


def download(client) -> dict:
    response = client.get(reverse("portability:my_data_json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content.decode("utf-8"))


def test_the_json_holds_everything_about_me(client, mentor, world, program_a):
    data = download(login(client, mentor))

    assert data["person"]["email"] == mentor.email
    assert data["person"]["first_name"] == "Marc"
    assert [r["role"] for r in data["roles"]] == ["mentor"]
    assert data["roles"][0]["program"] == "Programme A"
    assert [a["number"] for a in data["applications"]] == [world["own"].pk]
    assert data["applications"][0]["answers"] == {"concept": "Mon concept à moi"}
    assert data["potential_mentor"][0]["expertise"] == "Chaîne du froid"
    assert data["potential_mentor"][0]["contacts"][0]["summary"] == "Premier appel"
    assert data["reviews_written"][0]["comment"] == "Très solide"
    assert data["reviews_written"][0]["scores"][0]["score"] == 4


def test_the_json_holds_nothing_of_anyone_else(client, mentor, mentee, committee_member, world):
    text = json.dumps(download(login(client, mentor)), ensure_ascii=False)

    for foreign in (
        "Secret d’Élise",
        "Concept confidentiel",
        mentee.email,
        "819 555-0123",
        "Élise",
        "Avis de Chloé",
        committee_member.email,
        "Camille",
    ):
        assert foreign not in text


def test_the_page_shows_my_data_and_the_download_button(client, mentor, world):
    response = login(client, mentor).get(reverse("portability:my_data"))

    html = response.content.decode()
    assert response.status_code == 200
    assert mentor.email in html and "Mon concept à moi" in html and "Très solide" in html
    assert reverse("portability:my_data_json") in html
    assert "Concept confidentiel" not in html and "Secret d’Élise" not in html


def test_the_download_is_recorded_in_the_audit_trail(client, mentor):
    download(login(client, mentor))

    entry = AuditEntry.objects.get(action="export", model="core.Person")
    assert entry.object_id == str(mentor.pk) and entry.actor == mentor.user


def test_an_account_without_a_person_gets_an_empty_file(client, django_user_model):
    user = django_user_model.objects.create_user(username="x", email="x@x.test", password="p")
    client.force_login(user)

    assert download(client)["person"] is None
    assert client.get(reverse("portability:my_data")).status_code == 200


def test_anonymous_is_sent_to_sign_in(client):
    for name in ("portability:my_data", "portability:my_data_json"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/comptes/" in response["Location"]


def test_the_json_holds_what_i_wrote_while_mentoring_and_evaluating(
    client, mentor, mentee, program_a, coordinator
):
    """Time logged, updates, notes, tools shared, answers: mine are in it, the others' are not."""
    from datetime import date, timedelta

    from django.utils import timezone

    from maillage.evaluation import services as evaluation
    from maillage.evaluation.models import Answer, Round
    from maillage.mentoring import services as mentoring
    from maillage.programs.models import Role
    from maillage.tools.models import Tool

    group = mentoring.create_group(
        program=program_a,
        mentor_roles=[program_a.roles.get(person=mentor, kind=Role.Kind.MENTOR)],
        mentee_roles=[program_a.roles.get(person=mentee, kind=Role.Kind.MENTEE)],
        approved_by=coordinator.user,
    )
    mentoring.log_time(
        group=group,
        person=mentor,
        on=date(2026, 9, 1),
        minutes=90,
        kind="preparation",
        note="Préparer le guide de tri",
    )
    mentoring.post_update(group=group, author=mentor, text="Contenu prévu : l’entreposage")
    mentoring.post_update(group=group, author=mentee, text="Message de la mentorée")
    Tool.objects.create(
        group=group,
        shared_by=mentor,
        title="Gabarit d’entente de camions",
        url="https://exemple.org/gabarit",
    )
    questionnaire = evaluation.create_questionnaire_from_template(program=program_a, kind="monthly")
    round_ = Round.objects.create(
        program=program_a,
        questionnaire=questionnaire,
        send_on=date.today(),
        closes_on=date.today() + timedelta(days=9),
    )
    evaluation.invite_round(round=round_)
    invitation = round_.invitations.get(person=mentor)
    question = questionnaire.questions.filter(kind="long_text").first()
    Answer.objects.create(
        invitation=invitation, question=question, value="Très utile", value_text="Très utile"
    )
    invitation.submitted_at = timezone.now()
    invitation.save()

    client.force_login(mentor.user)
    text = client.get(reverse("portability:my_data_json")).content.decode()
    assert "Préparer le guide de tri" in text
    assert "Contenu prévu : l’entreposage" in text
    assert "Gabarit d’entente de camions" in text
    assert "Très utile" in text
    assert "Message de la mentorée" not in text


def read_zip(response) -> dict[str, list[list[str]]]:
    """Each CSV of the zip read back as Excel would: UTF-8 after its byte-order mark."""
    import csv
    import io
    import zipfile

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    files = {}
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        for name in archive.namelist():
            raw = archive.read(name)
            assert raw.startswith(b"\xef\xbb\xbf"), f"{name} has no BOM"
            files[name] = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    return files


def test_the_csv_zip_reads_back_with_the_same_data_as_the_json(client, mentor, world):
    login(client, mentor)
    files = read_zip(client.get(reverse("portability:my_data_csv")))
    assert "01-fiche.csv" in files and "03-candidatures.csv" in files
    header, row = files["01-fiche.csv"]
    profile = dict(zip(header, row, strict=True))
    assert profile["prénom"] == "Marc" and profile["courriel"] == mentor.email
    applications = files["03-candidatures.csv"]
    assert len(applications) == 2  # the header and Marc's own application only
    own = dict(zip(applications[0], applications[1], strict=True))
    assert own["organisation"] == "Atelier de Marc"
    assert json.loads(own["réponses"]) == {"concept": "Mon concept à moi"}
    everything = "".join(str(rows) for rows in files.values())
    assert "Secret d’Élise" not in everything and "Concept confidentiel" not in everything
    reviews = files["05-evaluations-ecrites.csv"]
    assert dict(zip(reviews[0], reviews[1], strict=True))["commentaire"] == "Très solide"
    assert AuditEntry.objects.filter(
        action="export", object_id=str(mentor.pk), changes__format="csv"
    ).exists()


def test_the_csv_headers_are_in_the_persons_language(client, mentor, world):
    mentor.language = "en"
    mentor.save()
    login(client, mentor)
    files = read_zip(client.get(reverse("portability:my_data_csv")))
    profile_name = next(name for name in files if name.startswith("01-"))
    header = files[profile_name][0]
    assert "first name" in header and "email" in header and "prénom" not in header


def test_the_page_offers_csv_and_json(client, mentor):
    page = login(client, mentor).get(reverse("portability:my_data")).content.decode()
    assert f'href="{reverse("portability:my_data_csv")}"' in page
    assert f'href="{reverse("portability:my_data_json")}"' in page
