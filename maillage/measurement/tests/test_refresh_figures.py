"""« Mettre à jour les chiffres »: staff only (404 for anyone else, before the method check),
queued once, said to be under way on the page, and the task stores the new figures."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.conftest import login
from maillage.measurement import services
from maillage.measurement.models import ProgramFigures

from .conftest import add_applications

pytestmark = pytest.mark.django_db


@pytest.fixture
def applications(network, fed):
    return services.define_indicator(
        network=network,
        code="candidatures",
        label_fr="Candidatures reçues",
        kind="computed",
        source_key="applications_received",
        counts_people=True,
    )


def _cells(html: str) -> list[str]:
    return [c.strip() for c in re.findall(r"<td>(.*?)</td>", html, flags=re.S)]


def test_staff_refresh_runs_the_task_and_the_page_shows_new_figures(
    client, staff, network, applications, program_a, django_capture_on_commit_callbacks
):
    add_applications(program_a, 6)
    services.refresh_figures(network=network)
    ProgramFigures.objects.update(computed_at=timezone.now() - timedelta(days=3))
    add_applications(program_a, 5)
    login(client, staff)
    page = reverse("measurement:network", args=[network.pk])
    assert "11" not in _cells(client.get(page).content.decode())

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("measurement:refresh", args=[network.pk]))
    assert response.status_code == 302 and response.url == page
    assert len(callbacks) == 1  # the task, enqueued once the request is committed

    network.refresh_from_db()
    assert network.figures_requested_at is None  # the task cleared the request it answered
    stored = ProgramFigures.objects.get(program=program_a)
    assert stored.figures["applications_received"] == 11
    assert timezone.now() - stored.computed_at < timedelta(minutes=5)
    html = client.get(page).content.decode()
    assert "11" in _cells(html)
    assert "en cours" not in html


def test_a_queued_refresh_is_said_under_way_and_not_queued_twice(
    client, staff, network, applications, django_capture_on_commit_callbacks
):
    login(client, staff)
    url = reverse("measurement:refresh", args=[network.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(url)
        client.post(url)
    assert len(callbacks) == 1
    html = client.get(reverse("measurement:network", args=[network.pk])).content.decode()
    assert "Mise à jour des chiffres en cours" in html
    assert url not in html  # no second button while it runs


def test_a_refresh_lost_for_over_an_hour_may_be_asked_again(
    client, staff, network, applications, django_capture_on_commit_callbacks
):
    network.figures_requested_at = timezone.now() - timedelta(hours=2)
    network.save()
    login(client, staff)
    url = reverse("measurement:refresh", args=[network.pk])
    html = client.get(reverse("measurement:network", args=[network.pk])).content.decode()
    assert url in html and "en cours" not in html
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(url)
    assert len(callbacks) == 1


def test_refresh_is_404_for_funder_member_and_outsider(
    client, funder, member_coordinator, outsider, network, applications
):
    url = reverse("measurement:refresh", args=[network.pk])
    for person in (funder, member_coordinator, outsider):
        login(client, person)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
        html = client.get(reverse("measurement:network", args=[network.pk])).content.decode()
        assert person == outsider or url not in html  # no button either
    network.refresh_from_db()
    assert network.figures_requested_at is None


def test_staff_get_on_the_refresh_is_405(client, staff, network):
    login(client, staff)
    assert client.get(reverse("measurement:refresh", args=[network.pk])).status_code == 405


def test_refresh_figures_of_a_network_leaves_other_programs_alone(
    network, fed, program_a, program_b2, outsider
):
    other = outsider.roles.get().program
    assert services.refresh_figures(network=network) == 2
    assert set(ProgramFigures.objects.values_list("program_id", flat=True)) == {
        program_a.pk,
        program_b2.pk,
    }
    assert services.refresh_figures(programs=[other]) == 1
    assert ProgramFigures.objects.count() == 3


def test_staff_follow_the_refresh_as_it_goes_and_the_page_reloads_when_done(
    client, staff, network, applications, program_a
):
    """The refresh's progress (issue 14): programs done out of programs to do, polled with
    htmx; once the task has cleared the request, the poll reloads the page."""
    login(client, staff)
    services.refresh_figures(network=network)
    services.request_figures_refresh(network=network)  # queued; the worker has not run yet
    network.refresh_from_db()
    ProgramFigures.objects.update(computed_at=network.figures_requested_at - timedelta(minutes=1))
    status = reverse("measurement:refresh_status", args=[network.pk])
    page = client.get(reverse("measurement:network", args=[network.pk])).content.decode()
    assert f'hx-get="{status}"' in page and "<progress" in page
    assert "0 programmes sur 2 recalculés" in page  # the two programs of the network

    services.refresh_figures(network=network)  # the worker has done the program
    part = client.get(status, HTTP_HX_REQUEST="true").content.decode()
    assert "2 programmes sur 2 recalculés" in part and "<html" not in part

    services.finish_figures_refresh(network=network, started_at=timezone.now())
    done = client.get(status, HTTP_HX_REQUEST="true")
    assert done.status_code == 204
    assert done["HX-Redirect"].startswith(reverse("measurement:network", args=[network.pk]))


def test_the_progress_is_for_staff_only(client, funder, member_coordinator, outsider, network):
    services.request_figures_refresh(network=network)
    status = reverse("measurement:refresh_status", args=[network.pk])
    for person in (funder, member_coordinator, outsider):
        login(client, person)
        assert client.get(status, HTTP_HX_REQUEST="true").status_code == 404
        client.logout()
