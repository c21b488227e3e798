"""A network refresh that fails says so (issue 14): the page stops saying « en cours », tells
staff the figures shown are those of before and lets them ask again; a second click while one
is under way queues nothing; a refresh run twice (its worker died) stores each program once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.core.models import AuditEntry
from maillage.measurement import services, tasks
from maillage.measurement.models import ProgramFigures

pytestmark = pytest.mark.django_db


@pytest.fixture
def applications(network, fed):
    """An indicator to show (the refresh's button and word sit beside the figures)."""
    return services.define_indicator(
        network=network,
        code="candidatures",
        label_fr="Candidatures reçues",
        kind="computed",
        source_key="applications_received",
        counts_people=True,
    )


def _refreshes(backend) -> int:
    return sum(r.task.name == "refresh_network_figures" for r in backend.results)


def test_a_failed_refresh_is_shown_as_failed_with_the_button_to_ask_again(
    client,
    staff,
    network,
    applications,
    program_a,
    held_tasks,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    login(client, staff)
    page = reverse("measurement:network", args=[network.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("measurement:refresh", args=[network.pk]))
        client.post(reverse("measurement:refresh", args=[network.pk]))  # a double click
    assert _refreshes(held_tasks) == 1
    assert "Une mise à jour des chiffres est déjà en cours" in client.get(page).content.decode()

    def broken(**kwargs):
        raise RuntimeError("a bug in an indicator")

    monkeypatch.setattr(services, "finish_figures_refresh", broken)
    with pytest.raises(RuntimeError):
        tasks.refresh_network_figures.call(network_id=network.pk)  # the worker, failing
    status = reverse("measurement:refresh_status", args=[network.pk])
    done = client.get(status, HTTP_HX_REQUEST="true")  # the polling stops, the page reloads
    assert done.status_code == 204 and done["HX-Redirect"].endswith("?chiffres=echec")
    html = client.get(page).content.decode()
    assert "n’a pas abouti" in html and "a bug in an indicator" not in html
    assert "Mettre à jour les chiffres" in html and 'id="refresh-progress"' not in html
    assert AuditEntry.objects.filter(action="network.figures_refresh_failed").count() == 1

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("measurement:refresh", args=[network.pk]))  # she asks again
    assert _refreshes(held_tasks) == 2
    assert "n’a pas abouti" not in client.get(page).content.decode()
    tasks.refresh_network_figures.call(network_id=network.pk)
    tasks.refresh_network_figures.call(network_id=network.pk)  # run twice: a worker died
    network.refresh_from_db()
    assert network.figures_requested_at is None and network.figures_failed_at is None
    assert ProgramFigures.objects.filter(program=program_a).count() == 1
