"""In French: the network's staff, from their network page, add a collective and its antenna to
the directory and note the antenna's new phase; they publish the directory; the coordinator of a
member organization, from her home, chooses what her organization shows; on a phone (390 px), a
visitor browses the public directory with filters and sees only what was made public. Every
page passes axe-core; the phone pages do not scroll sideways."""

from __future__ import annotations

from playwright.sync_api import expect

from maillage.conftest import PASSWORD, make_person
from maillage.core.models import Organization, Sector, Territory
from maillage.directory.models import PhaseChange
from maillage.measurement import services as measurement
from maillage.measurement.models import NetworkRole

from .conftest import axe_violations, fits_the_screen, shoot, sign_in


def _setup():
    backbone = Organization.objects.create(name="Table de soutien (fictive)")
    network = measurement.create_network(backbone=backbone, name="Réseau des Complices (fictif)")
    staff = make_person("Béatrice", "Soutien")
    measurement.assign_network_role(network=network, person=staff, kind=NetworkRole.Kind.STAFF)
    market = Organization.objects.create(
        name="Marché solidaire de Limoilou (fictif)",
        territory=Territory.objects.get(code="QC-MRC-230"),
        sector=Sector.objects.get(code="econ_sociale"),
        description="Épicerie à prix social tenue par ses membres",
    )
    member = measurement.add_member(network=network, organization=market)
    camille = make_person("Camille", "Marché")
    measurement.assign_network_role(
        network=network, person=camille, kind=NetworkRole.Kind.MEMBER, member=member
    )
    return network, staff, camille


def test_staff_add_a_collective_and_its_antenna_coordinator_opens_her_profile_phone_browses(
    page, phone, reference_data
):
    network, staff, camille = _setup()

    # The staff, from their home, reach the network page, then the directory.
    sign_in(page, staff.email, PASSWORD)
    page.get_by_role(
        "link", name="Suivre la mesure partagée du réseau « Réseau des Complices (fictif) »"
    ).click()
    page.get_by_role("link", name="Annuaire des organisations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire des organisations")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Ajouter une organisation").click()
    page.get_by_label("Nom de l’organisation").fill("Complices du Kamouraska (fictif)")
    page.get_by_label("Région ou MRC").select_option(label="Kamouraska")
    page.get_by_label("Type d’organisation").select_option(label="Coopérative")
    page.get_by_label("Phase de maturité").select_option(label="Développement")
    page.get_by_label("Ce que fait l’organisation").fill("Cuisine collective et camion partagé")
    assert axe_violations(page) == []
    shoot(page, "directory-new-1280")
    page.get_by_role("button", name="Ajouter à l’annuaire").click()
    expect(page.get_by_text("est maintenant dans l’annuaire")).to_be_visible()

    page.get_by_role("link", name="← Annuaire des organisations").click()
    page.get_by_role("link", name="Ajouter une organisation").click()
    page.get_by_label("Nom de l’organisation").fill("Antenne de Saint-Pacôme (fictive)")
    page.get_by_label("Région ou MRC").select_option(label="Kamouraska")
    page.get_by_label("Antenne du collectif").select_option(
        label="Complices du Kamouraska (fictif)"
    )
    page.get_by_label("Phase de maturité").select_option(label="Incubation")
    page.get_by_role("button", name="Ajouter à l’annuaire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Antenne de Saint-Pacôme (fictive)")
    expect(page.get_by_role("link", name="Complices du Kamouraska (fictif)")).to_be_visible()

    # The antenna moves on to pre-start: a dated note in its timeline.
    page.get_by_text("Noter un changement de phase").click()
    page.get_by_label("Nouvelle phase").select_option(label="Prédémarrage")
    page.get_by_label("Note").fill("Local trouvé au sous-sol de l’église")
    page.get_by_role("button", name="Enregistrer le changement").click()
    expect(page.get_by_text("Changement de phase enregistré")).to_be_visible()
    timeline = page.locator("ol.timeline li")
    expect(timeline).to_have_count(2)
    expect(timeline.first).to_contain_text("Prédémarrage")
    expect(timeline.first).to_contain_text("Local trouvé")
    assert axe_violations(page) == []
    shoot(page, "directory-antenna-1280")
    antenna = Organization.objects.get(name="Antenne de Saint-Pacôme (fictive)")
    assert (
        antenna.phase == "pre_start" and antenna.parent.name == "Complices du Kamouraska (fictif)"
    )
    assert PhaseChange.objects.filter(organization=antenna).count() == 2

    # Its profile's edit form, antenna link included.
    page.get_by_role("link", name="Modifier la fiche").click()
    expect(page.get_by_label("Antenne du collectif")).to_have_value(str(antenna.parent_id))
    assert axe_violations(page) == []
    shoot(page, "directory-edit-1280")
    page.go_back()
    # The collective's page lists its antenna once the antenna shows that link (staff see all).
    page.get_by_role("link", name="Complices du Kamouraska (fictif)").click()
    expect(page.locator("ul.antennas")).to_contain_text("Antenne de Saint-Pacôme")
    expect(page.locator("ul.antennas")).to_contain_text("Prédémarrage")

    # The staff publish the directory.
    page.get_by_role("link", name="← Annuaire des organisations").click()
    page.get_by_role("link", name="Annuaire public").click()
    page.get_by_label("Annuaire public").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Options de l’annuaire enregistrées")).to_be_visible()
    shoot(page, "directory-staff-1280")
    page.context.clear_cookies()

    # The member's coordinator, from her home, opens her organization's profile to the public.
    sign_in(page, camille.email, PASSWORD)
    page.get_by_role(
        "link",
        name="Fiche de « Marché solidaire de Limoilou (fictif) » dans l’annuaire : ce qu’elle montre et à qui",
    ).click()
    page.get_by_role("link", name="Qui voit quoi", exact=True).click()
    assert axe_violations(page) == []
    page.get_by_label("Ce que fait l’organisation (description et domaines)").select_option(
        label="Tout le monde (page publique)"
    )
    page.get_by_label("Région administrative").select_option(label="Tout le monde (page publique)")
    page.get_by_role("combobox", name="MRC", exact=True).select_option(
        label="Tout le monde (page publique)"
    )
    page.get_by_label("Secteur").select_option(label="Membres du réseau")
    shoot(page, "directory-visibility-1280")
    page.get_by_role("button", name="Enregistrer mes choix").click()
    expect(page.get_by_text("Vos choix de visibilité sont enregistrés")).to_be_visible()
    expect(page.locator("#qui-voit ~ dl")).to_contain_text("Ce que fait l’organisation")
    shoot(page, "directory-own-1280")
    # She reads the others as a member: the collective's description is not open to her.
    page.get_by_role("link", name="← Annuaire des organisations").click()
    expect(page.get_by_text("Cuisine collective et camion partagé")).to_have_count(0)

    # On a phone, a visitor (no account) browses the public directory with filters.
    phone.goto(f"{phone.base}/annuaires/{network.pk}/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Réseau des Complices")
    assert fits_the_screen(phone)
    assert axe_violations(phone) == []
    shoot(phone, "directory-public-390")
    phone.get_by_label("Rechercher").fill("prix social")
    phone.get_by_label("Région", exact=True).select_option(label="Capitale-Nationale")
    phone.get_by_role("button", name="Chercher").click()
    cards = phone.locator("li.org-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Marché solidaire de Limoilou")
    expect(cards.first).to_contain_text("Épicerie à prix social")
    expect(cards.first).to_contain_text("Québec")  # its MRC, made public
    # Only public parts: not the sector (members only), nothing of the collective's profile.
    body = phone.content()
    assert "Économie sociale" not in body
    assert "Cuisine collective" not in body and "Coopérative" not in body
    assert fits_the_screen(phone)
    assert axe_violations(phone) == []
    shoot(phone, "directory-public-filtered-390")
    # The map's tile takes the visitor to a region (the region shows by default).
    phone.get_by_role("link", name="Tout afficher").click()
    phone.get_by_role("link", name="Bas-Saint-Laurent : 2 organisations").click()
    expect(phone.get_by_role("status")).to_contain_text("2 organisations")
    assert fits_the_screen(phone)

    # The coordinator on her phone: the directory and her organization's page fit the screen.
    sign_in(phone, camille.email, PASSWORD)
    phone.goto(f"{phone.base}/reseaux/{network.pk}/annuaire/")
    assert fits_the_screen(phone)
    assert axe_violations(phone) == []
    shoot(phone, "directory-member-390")
    phone.get_by_role("link", name="Complices du Kamouraska (fictif)").first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Complices du Kamouraska (fictif)")
    assert fits_the_screen(phone)
    assert axe_violations(phone) == []
    shoot(phone, "directory-organization-390")
