"""The assessor's pages show only the dossiers submitted to them, and the assessors page only
to the network's staff: everyone else gets 404 by GET and by POST, and nothing changes; an
anonymous visitor is sent to sign in. Routes are read from the URL configuration, so a new
page under /accreditation/ is walked too."""

from __future__ import annotations

import re

import pytest

from maillage.accreditation import services
from maillage.accreditation.models import Assessor, Rating, Submission
from maillage.conftest import make_person
from maillage.measurement import services as measurement
from maillage.measurement.models import NetworkRole
from maillage.tests.test_outsider_walk import _routes

from .samples import walk_samples

pytestmark = pytest.mark.django_db


def accreditation_routes() -> list[tuple[str, str]]:
    return [(route, name) for route, name in _routes() if route.startswith("accreditation/")]


@pytest.fixture
def samples(program_a, staff):
    found = walk_samples(program_a)
    return {
        "sub_pk": found["sub_pk"],
        "doc_pk": found["doc_pk"],
        "network_pk": found["assessor"].network_id,
        "assessor_pk": found["assessor"].pk,
        "assessor": found["assessor"],
    }


def _urls(samples) -> list[str]:
    urls = []
    for route, name in accreditation_routes():
        url = route
        for param in re.findall(r"<int:(\w+)>", route):
            assert param in samples, f"add a sample for <int:{param}> ({name})"
            url = url.replace(f"<int:{param}>", str(samples[param]))
        assert "<" not in url, f"add a sample for {url} ({name})"
        urls.append("/" + url)
    return urls


def test_the_walk_covers_the_assessor_and_staff_pages():
    names = {name for _route, name in accreditation_routes()}
    assert {
        "accreditation:review",
        "accreditation:rate",
        "accreditation:decide",
        "accreditation:send_back",
        "accreditation:review_document",
        "accreditation:review_pdf",
        "accreditation:assessors",
        "accreditation:assessor_end",
    } <= names


def _another_assessor(network):
    person = make_person("Pat", "Autre")
    measurement.assign_network_role(network=network, person=person, kind=NetworkRole.Kind.STEERING)
    services.appoint_assessor(network=network, person=person, by=None)
    return person


@pytest.mark.parametrize("who", ["coordinator", "other_assessor", "outsider", "steering"])
def test_everyone_but_the_assessor_and_staff_gets_404(client, samples, who, coordinator, outsider):
    network = samples["assessor"].network
    if who == "coordinator":
        person = coordinator
    elif who == "outsider":
        person = outsider
    elif who == "other_assessor":
        person = _another_assessor(network)
    else:
        person = make_person("Stéphane", "Comité")
        measurement.assign_network_role(
            network=network, person=person, kind=NetworkRole.Kind.STEERING
        )
    client.force_login(person.user)
    before = (Rating.objects.count(), list(Submission.objects.values_list("outcome", flat=True)))
    assessors = Assessor.objects.active().count()
    leaks = []
    for url in _urls(samples):
        if url == "/accreditation/evaluations/" and who == "other_assessor":
            continue  # their own (empty) list
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status != 404:
                leaks.append(f"{method.upper()} {url} gave {status}")
    assert not leaks, "\n".join(leaks)
    after = (Rating.objects.count(), list(Submission.objects.values_list("outcome", flat=True)))
    assert after == before
    assert Assessor.objects.active().count() == assessors


def test_another_assessor_sees_none_of_this_dossier_in_their_list(client, samples):
    person = _another_assessor(samples["assessor"].network)
    client.force_login(person.user)
    page = client.get("/accreditation/evaluations/").content.decode()
    assert "Programme A" not in page


def test_anonymous_is_sent_to_sign_in(client, samples):
    for url in _urls(samples):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/comptes/login/" in response["Location"]


def test_the_assessor_opens_their_pages_and_staff_theirs(client, samples, staff):
    client.force_login(samples["assessor"].person.user)
    for name in ("reviews", "review"):
        url = "/accreditation/evaluations/" + ("" if name == "reviews" else f"{samples['sub_pk']}/")
        assert client.get(url).status_code == 200
    doc = client.get(
        f"/accreditation/evaluations/{samples['sub_pk']}/documents/{samples['doc_pk']}/"
    )
    assert doc.status_code == 200
    client.force_login(staff.user)
    assert (
        client.get(f"/accreditation/reseaux/{samples['network_pk']}/evaluateurs/").status_code
        == 200
    )


def test_a_document_added_after_submission_is_not_the_assessors(client, samples, program_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from maillage.accreditation.models import Document

    dossier = Submission.objects.get(pk=samples["sub_pk"]).dossier
    later = Document.objects.create(
        dossier=dossier,
        criterion="design-tools",
        title="Plus tard",
        file=SimpleUploadedFile("plus-tard.pdf", b"%PDF"),
    )
    client.force_login(samples["assessor"].person.user)
    url = f"/accreditation/evaluations/{samples['sub_pk']}/documents/{later.pk}/"
    assert client.get(url).status_code == 404
