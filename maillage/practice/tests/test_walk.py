"""Walk every URL of the communities of practice, as each kind of person, by GET and by POST.

Routes are read from the URL configuration, so a new page under /pratique/ is walked too (and
fails until it gets a sample and a rule here). Who gets what:
- someone outside the network (a coordinator of another program) and a funder: 404 on every page
  of a series or meeting; the outsider also on the network's list, the funder sees its figures;
- a member of the network: the series, meetings, resources; 404 on every page that runs them;
- the staff: every page;
- anonymous: sent to sign in (the personal calendar feed is by token: a bad token is 404).
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from maillage.conftest import make_person
from maillage.practice import services
from maillage.practice.models import Attendance, Question, Registration, Resource
from maillage.tests.test_outsider_walk import _routes

pytestmark = pytest.mark.django_db

# Pages that run a series: staff and facilitators only.
RUNS = {
    "practice:series_new",
    "practice:registrations",
    "practice:results",
    "practice:meeting_edit",
    "practice:attendance",
    "practice:resource_new",
    "practice:resource_remove",
    "practice:question_answer",
}
# Not tied to a network: « my communities » (an empty list for outsiders) and the feed by token.
OWN = {"practice:mine", "practice:feed"}


def practice_routes() -> list[tuple[str, str]]:
    return [(route, name) for route, name in _routes() if name.startswith("practice:")]


@pytest.fixture
def samples(series, staff, member, facilitator):
    services.register(series=series, person=member, by=member.user)
    first = series.meetings.get(number=1)
    services.take_attendance(meeting=first, present=[member], by=facilitator.user)
    question = services.ask_question(meeting=first, text="Pourquoi ?", by=facilitator.user)
    resource = services.add_resource(
        meeting=first,
        title="Guide",
        file=SimpleUploadedFile("guide.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        by=staff.user,
    )
    return {
        "pk": series.network_id,
        "series_pk": series.pk,
        "meeting_pk": first.pk,
        "res_pk": resource.pk,
        "q_pk": question.pk,
    }


def _urls(samples: dict[str, int], names: set[str] | None = None) -> list[tuple[str, str]]:
    urls = []
    for route, name in practice_routes():
        if name in OWN or (names is not None and name not in names):
            continue
        url = route
        for param in re.findall(r"<int:(\w+)>", route):
            assert param in samples, f"add a sample for <int:{param}> ({name})"
            url = url.replace(f"<int:{param}>", str(samples[param]))
        assert "<" not in url, f"add a sample for {url} ({name})"
        urls.append(("/" + url, name))
    return urls


def _snapshot():
    return (
        Registration.objects.count(),
        Registration.objects.filter(status="confirmed").count(),
        Attendance.objects.count(),
        Question.objects.filter(answered_at__isnull=True).count(),
        Resource.objects.count(),
    )


def test_the_walk_covers_every_page():
    names = {name for _route, name in practice_routes()}
    assert RUNS | OWN <= names
    assert {
        "practice:series",
        "practice:meeting",
        "practice:register",
        "practice:feedback",
    } <= names


def _leaks(client, urls, allowed) -> list[str]:
    leaks = []
    for url, name in urls:
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status != 404 and not allowed(name, method, status):
                leaks.append(f"{method.upper()} {url} gave {status}")
    return leaks


def test_an_outsider_gets_404_everywhere(client, samples, outsider):
    client.force_login(outsider.user)
    before = _snapshot()
    leaks = _leaks(client, _urls(samples), lambda *_: False)
    assert not leaks, "\n".join(leaks)
    assert _snapshot() == before
    assert client.get("/pratique/").status_code == 200


def test_a_funder_sees_the_figures_only(client, samples, funder):
    client.force_login(funder.user)
    before = _snapshot()
    leaks = _leaks(
        client,
        _urls(samples),
        lambda name, method, status: name == "practice:network" and status in (200, 405),
    )
    assert not leaks, "\n".join(leaks)
    assert _snapshot() == before
    page = client.get(f"/pratique/reseaux/{samples['pk']}/").content.decode()
    assert "Chiffres des séries" in page
    assert "Camille" not in page


def test_a_member_gets_404_on_every_page_that_runs_a_series(client, samples, member_b):
    client.force_login(member_b.user)
    before = _snapshot()
    leaks = _leaks(client, _urls(samples, RUNS), lambda *_: False)
    assert not leaks, "\n".join(leaks)
    assert _snapshot() == before
    for url, _name in _urls(samples, {"practice:series", "practice:meeting", "practice:resource"}):
        assert client.get(url).status_code == 200, url


def test_staff_open_every_page(client, samples, staff):
    client.force_login(staff.user)
    for url, name in _urls(samples):
        status = client.get(url).status_code
        # POST-only actions answer 405; the feedback form is for people who came (404 for staff).
        expected = {200, 405} if name != "practice:series_feedback" else {404}
        if name == "practice:feedback":
            expected = {404}
        assert status in expected, f"{url} gave {status}"


def test_anonymous_is_sent_to_sign_in(client, samples):
    for url, _name in _urls(samples):
        response = client.get(url)
        assert response.status_code == 302 and "/comptes/login/" in response["Location"], url
    assert client.get("/pratique/").status_code == 302
    assert client.get("/pratique/calendrier/pas-un-jeton.ics").status_code == 404


def test_the_personal_feed_lists_the_series_of_its_owner(client, samples, member):
    from maillage.practice.emails import feed_token

    body = client.get(f"/pratique/calendrier/{feed_token(member)}.ics").content.decode()
    assert body.count("BEGIN:VEVENT") == 7
    other = make_person("Iris", "Personne")
    body = client.get(f"/pratique/calendrier/{feed_token(other)}.ics").content.decode()
    assert "BEGIN:VEVENT" not in body


def test_a_facilitator_runs_the_meetings_but_not_the_registrations(client, samples, facilitator):
    client.force_login(facilitator.user)
    assert client.get(f"/pratique/rencontres/{samples['meeting_pk']}/presences/").status_code == 200
    assert client.get(f"/pratique/series/{samples['series_pk']}/inscriptions/").status_code == 404
    assert client.get(f"/pratique/rencontres/{samples['meeting_pk']}/modifier/").status_code == 404
