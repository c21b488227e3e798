"""The incident register: the regulation's fields, entered by the officer, kept five years."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from maillage.conftest import login
from maillage.privacy.errors import PrivacyError
from maillage.privacy.models import Incident
from maillage.privacy.services import delete_incident, record_incident


@pytest.fixture
def officer(db, outsider):
    outsider.user.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    return outsider


def _incident(by, **extra):
    return record_incident(
        by=by,
        discovered_on=date(2026, 11, 2),
        description="Courriel envoyé au mauvais destinataire.",
        data_concerned="Nom, courriel, organisation de trois personnes mentorées.",
        people_affected=3,
        **extra,
    )


def test_the_officer_records_an_incident_with_its_fields(client, officer):
    login(client, officer)
    response = client.post(
        reverse("privacy:incidents"),
        {
            "discovered_on": "2026-11-02",
            "description": "Fichier des candidatures laissé sur un poste partagé.",
            "data_concerned": "Noms et courriels de 12 personnes.",
            "people_affected": "12",
            "risk": "serious",
            "risk_reasons": "Coordonnées seulement ; exposition courte.",
            "commission_notified_on": "2026-11-03",
            "measures": "Fichier supprimé, mots de passe changés.",
        },
        follow=True,
    )
    item = Incident.objects.get()
    assert item.people_affected == 12 and item.risk == Incident.Risk.SERIOUS
    assert item.recorded_by == officer.user
    assert "Incident inscrit au registre." in response.content.decode()


def test_a_discovery_in_the_future_is_refused_and_keeps_what_was_typed(client, officer):
    login(client, officer)
    later = (timezone.localdate() + timedelta(days=3)).isoformat()
    page = client.post(
        reverse("privacy:incidents"),
        {
            "discovered_on": later,
            "description": "Une fuite",
            "data_concerned": "Courriels",
            "risk": "unknown",
        },
    ).content.decode()
    assert "La découverte ne peut être dans le futur." in page and "Une fuite" in page
    assert not Incident.objects.exists()


def test_an_incident_cannot_be_deleted_before_five_years(officer):
    item = _incident(officer.user, measures_done_on=date(2026, 11, 5))
    assert item.deletable_from() == date(2031, 11, 5)
    with pytest.raises(PrivacyError):
        delete_incident(incident=item, by=officer.user)
    with pytest.raises(PrivacyError), transaction.atomic():
        Incident.objects.all().delete()  # the admin's bulk delete, a shell
    assert Incident.objects.count() == 1
    Incident.objects.filter(pk=item.pk).update(measures_done_on=date(2020, 1, 1))
    item.refresh_from_db()
    delete_incident(incident=item, by=officer.user)
    assert not Incident.objects.exists()


def test_the_incident_register_is_the_officers_only(client, coordinator, officer):
    item = _incident(officer.user)
    login(client, coordinator)
    assert client.get(reverse("privacy:incidents")).status_code == 404
    assert client.get(reverse("privacy:incident", args=[item.pk])).status_code == 404
