"""The agreement's pages: signing from the page (a double click, terms changed meanwhile), a
stale edit of the terms shown beside the saved version, staff choosing the fed indicators."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.measurement import services as measurement
from maillage.resources import services
from maillage.resources.models import Agreement, IndicatorFeed

pytestmark = pytest.mark.django_db


def _url(agreement, name: str = "agreement") -> str:
    return reverse(f"resources:{name}", args=[agreement.network_id, agreement.pk])


def test_a_double_click_on_sign_signs_once_and_says_so(client, agreement, rosalie):
    client.force_login(rosalie.user)
    data = {"revision": agreement.revision, "side": "borrower"}
    first = client.post(_url(agreement, "agreement_sign"), data, follow=True)
    client.post(_url(agreement, "agreement_sign"), data)
    assert "Signature enregistrée." in first.content.decode()
    agreement.refresh_from_db()
    assert agreement.signatures() == 1 and agreement.borrower_signed_by == rosalie


def test_signing_terms_changed_meanwhile_shows_the_new_terms_and_signs_nothing(
    client, agreement, rosalie, benoit
):
    read = agreement.revision
    services.update_agreement(agreement=agreement, by=benoit, revision=read, cost="0,60 $/km")
    client.force_login(rosalie.user)
    response = client.post(_url(agreement, "agreement_sign"), {"revision": read})
    html = response.content.decode()
    assert response.status_code == 200
    assert "relisez-les" in html and "0,60 $/km" in html
    assert Agreement.objects.get(pk=agreement.pk).signatures() == 0


def test_a_stale_edit_of_the_terms_shows_both_versions(client, agreement, rosalie, benoit):
    client.force_login(rosalie.user)
    page = client.get(_url(agreement, "agreement_edit"))
    form = page.context["form"]
    typed = {n: form[n].value() for n in form.fields}
    data = {**{n: "" if v is None else v for n, v in typed.items()}, "cost": "1 $/km"}
    services.update_agreement(
        agreement=agreement, by=benoit, revision=agreement.revision, cost="2 $/km"
    )
    response = client.post(_url(agreement, "agreement_edit"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Modifié par quelqu’un d’autre" in html and "2 $/km" in html and "1 $/km" in html
    assert Agreement.objects.get(pk=agreement.pk).cost == "2 $/km"


def test_editing_after_one_signature_says_it_will_be_voided(client, agreement, rosalie, benoit):
    services.sign_agreement(agreement=agreement, by=rosalie, revision=agreement.revision)
    client.force_login(benoit.user)
    html = client.get(_url(agreement, "agreement_edit")).content.decode()
    assert "elle sera annulée" in html


def test_staff_choose_the_fed_indicator_from_their_page(client, signed, staff, network):
    mine = measurement.define_indicator(network=network, code="ententes-3", label_fr="Ententes")
    client.force_login(staff.user)
    url = reverse("resources:feeds", args=[network.pk])
    current = {f.source: f.indicator_id for f in IndicatorFeed.objects.filter(network=network)}
    response = client.post(url, {**{k: v or "" for k, v in current.items()}, "agreements": mine.pk})
    assert response.status_code == 302
    assert IndicatorFeed.objects.get(network=network, source="agreements").indicator == mine
    assert mine.measurements.get().value == 1


def test_a_met_need_is_marked_in_the_list(client, signed, helene):
    client.force_login(helene.user)
    html = client.get(reverse("resources:home", args=[signed.network_id])).content.decode()
    assert "Entente en cours" in html
