"""Two antennas of a food collective share a refrigerated truck (issue 15, seeds 000 and 004).

Rosalie coordinates the Roussillon antenna; from her phone she posts a need for a refrigerated
truck. Benoît, of the Beauharnois antenna, posts his truck from his desk; the proposal appears
with its reasons, Rosalie prepares the agreement, both sign it, Rosalie notes a trip, and the
network page's figures move. Every object is made through the pages, from each one's home."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maillage.conftest import PASSWORD, make_person
from maillage.core.models import Organization, Territory
from maillage.measurement import services as measurement
from maillage.measurement.models import NetworkRole

from .conftest import axe_violations, fits_the_screen, shoot, sign_in

NEED = "Camion réfrigéré pour les collectes du mardi"
TRUCK = "Camion réfrigéré de 16 pieds"


@pytest.fixture
def collective(reference_data):
    backbone = Organization.objects.create(name="Complices Alimentaires (fictif)")
    network = measurement.create_network(backbone=backbone, name="Les Complices (fictif)")
    people = {}
    for key, name, mrc, first, last in (
        ("rosalie", "Complices de Roussillon (fictif)", "QC-MRC-670", "Rosalie", "Roussillon"),
        ("benoit", "Complices de Beauharnois (fictif)", "QC-MRC-700", "Benoit", "Beauharnois"),
    ):
        # Two antennas of the collective (the directory's `parent`), each in its own MRC.
        org = Organization.objects.create(
            name=name,
            territory=Territory.objects.get(code=mrc),
            parent=backbone,
            phase=Organization.Phase.ACTIVE,
        )
        member = measurement.add_member(network=network, organization=org)
        person = make_person(first, last, org=org)
        measurement.assign_network_role(
            network=network, person=person, kind=NetworkRole.Kind.MEMBER, member=member
        )
        people[key] = person
    return network, people


def open_resources(page, network_name: str) -> None:
    """From « Mes programmes », the link to the network's shared resources."""
    page.goto(page.base + "/programmes/")
    page.get_by_role(
        "link", name=f"Offrir ou trouver des ressources dans « {network_name} »"
    ).click()
    expect(page.get_by_role("heading", level=1, name="Ressources partagées")).to_be_visible()


def test_two_antennas_share_a_truck_and_the_network_figures_move(page, phone, collective):
    network, people = collective
    today = timezone.localdate()

    # Rosalie, on her phone, posts the need.
    sign_in(phone, people["rosalie"].email, PASSWORD)
    open_resources(phone, network.name)
    phone.get_by_role("link", name="Publier un besoin").click()
    phone.get_by_label("Catégorie").select_option(label="Camion réfrigéré")
    phone.get_by_label("Titre").fill(NEED)
    phone.get_by_label("Quantité demandée").fill("200")
    phone.get_by_label("Unité").select_option(label="kilomètres")
    phone.get_by_label("Besoin à partir du").fill(f"{today.year}-01-01")
    phone.get_by_label("Besoin jusqu’au").fill(f"{today.year + 1}-12-31")
    phone.get_by_label("mardi").check()
    shoot(phone, "resources-need-form-390")
    assert axe_violations(phone) == []
    assert fits_the_screen(phone)
    phone.get_by_role("button", name="Publier").click()
    expect(phone.get_by_text("Besoin publié.")).to_be_visible()
    assert fits_the_screen(phone)

    # Benoît, at his desk, posts his truck: the proposal is there at once, with its reasons.
    sign_in(page, people["benoit"].email, PASSWORD)
    open_resources(page, network.name)
    expect(
        page.get_by_role("cell", name=NEED).or_(page.get_by_role("rowheader", name=NEED))
    ).to_be_visible()
    page.get_by_role("link", name="Publier une offre").click()
    page.get_by_label("Catégorie").select_option(label="Camion réfrigéré")
    page.get_by_label("Titre").fill(TRUCK)
    page.get_by_label("Quantité offerte").fill("800")
    page.get_by_label("Unité").select_option(label="kilomètres")
    page.get_by_label("Coût").fill("0,45 $/km")
    page.get_by_label("Jusqu’où nous prêterons la ressource").select_option(
        label="Jusqu’aux régions voisines"
    )
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text("1 jumelage proposé ci-dessous.")).to_be_visible()
    proposal = page.locator("article.proposal")
    expect(proposal).to_contain_text("Même catégorie : camion réfrigéré.")
    expect(proposal).to_contain_text("Dans la même région (Montérégie), dans une autre MRC.")
    expect(proposal).to_contain_text("Quantité suffisante")
    assert not re.search(r"\b0[.,]\d+\b", proposal.inner_text())  # words, never a score
    shoot(page, "resources-offer-proposal-1280")
    assert axe_violations(page) == []

    # Rosalie sees the proposal from her home page and prepares the agreement.
    phone.goto(phone.base + "/programmes/")
    phone.get_by_role("link", name=re.compile("1 jumelage de ressources proposé")).click()
    expect(phone.locator("article.proposal")).to_contain_text("Pourquoi ce jumelage")
    shoot(phone, "resources-home-proposal-390")
    assert fits_the_screen(phone)
    phone.get_by_role("button", name="Préparer l’entente").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Entente d’utilisation")
    expect(phone.get_by_text("0,45 $/km")).to_be_visible()
    phone.get_by_role("button", name="Signer pour Complices de Roussillon (fictif)").click()
    expect(phone.get_by_text("Signature enregistrée.")).to_be_visible()
    shoot(phone, "resources-agreement-one-signature-390")
    assert axe_violations(phone) == []
    assert fits_the_screen(phone)

    # Benoît signs from his home page: the agreement is in force.
    page.goto(page.base + "/programmes/")
    page.get_by_role("link", name=f"Signer l’entente « {TRUCK} »").click()
    page.get_by_role("button", name="Signer pour Complices de Beauharnois (fictif)").click()
    expect(page.get_by_text("Entente signée par les deux organisations")).to_be_visible()

    # Rosalie notes a trip.
    phone.reload()
    phone.get_by_label("Quantité (kilomètres, heures, jours…)").fill("120")
    phone.get_by_label("Denrées déplacées ou transformées (tonnes)").fill("1.5")
    phone.get_by_role("button", name="Noter l’utilisation").click()
    errors = phone.locator(".errorlist")
    if errors.count():  # a decimal comma the form refused: say so rather than time out
        pytest.fail(errors.first.inner_text())
    expect(phone.get_by_text("Utilisation notée")).to_be_visible()
    shoot(phone, "resources-agreement-use-390")
    assert axe_violations(phone) == []
    assert fits_the_screen(phone)

    # The network page counts the agreement, the trip and the tonnes.
    phone.get_by_role("link", name="Indicateurs communs").first.click()
    agreements = phone.locator(
        "section",
        has=phone.get_by_role(
            "heading", name=re.compile("Ententes d’utilisation d’infrastructures")
        ),
    )
    expect(agreements.locator("tbody td").first).to_have_text("1")
    tonnes = phone.locator(
        "section",
        has=phone.get_by_role("heading", name=re.compile("Denrées déplacées ou transformées")),
    )
    expect(tonnes.locator("tbody td").first).to_have_text(re.compile(r"^1,50?$"))
    shoot(phone, "resources-network-figures-390")
    assert fits_the_screen(phone)
