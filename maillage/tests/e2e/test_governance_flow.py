"""In French, with the demo network (no governance yet): the backbone staff, from the network page,
build model 1 with an instance left without a link, read the finding, adopt it, start model 2 as
its copy, fix the link, adopt it and read the comparison; a member proposes an idea from their
home, another member joins it on a phone, the staff turn it into an action team of model 2; a
member raises a disagreement and the staff record its first step. Every page passes axe-core and
the members' pages fit a 390 px screen."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from maillage.core.models import Person
from maillage.demo.editions import DEMO_PASSWORD
from maillage.demo.network import build_demo_network
from maillage.governance.models import Idea, Instance, Version
from maillage.measurement.models import NetworkRole
from maillage.measurement.services import assign_network_role

from .conftest import axe_violations, fits_the_screen, shoot, sign_in

JULIE = "julie.bergeron@demo.maillage.org"  # backbone staff
CAMILLE = "camille.gagnon@demo.maillage.org"  # a member organization's coordinator
NADIA = "nadia.roy@demo.maillage.org"  # given a seat on the steering committee below


def add_instance(page, name: str, kind: str) -> None:
    page.locator("#id_new-name").fill(name)  # labelled « Nom * »
    page.locator("#id_new-kind").select_option(label=kind)
    page.get_by_role("button", name="Ajouter l’instance").click()
    expect(page.get_by_text(f"Instance « {name} » ajoutée")).to_be_visible()


def add_link(page, source: str, kind: str, target: str) -> None:
    page.locator("#id_source").select_option(label=source)  # labelled « Instance * »
    page.get_by_label("Type de lien").select_option(label=kind)
    page.get_by_label("Envers l’instance").select_option(label=target)
    page.get_by_role("button", name="Ajouter le lien").click()
    expect(page.get_by_text(f"Lien ajouté : {source} {kind} {target}")).to_be_visible()


def test_staff_build_two_models_members_form_an_action_team(page, phone, demo):
    network = build_demo_network(demo)
    nadia = Person.objects.get(email=NADIA)
    assign_network_role(network=network, person=nadia, kind=NetworkRole.Kind.STEERING)

    # The staff reach governance from the network page.
    sign_in(page, JULIE, DEMO_PASSWORD)
    page.get_by_role("link", name="Réseaux").first.click()
    page.get_by_role("link", name=network.name).click()
    page.get_by_role("navigation", name="Sections du réseau").get_by_role(
        "link", name="Gouvernance"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gouvernance de")
    expect(page.get_by_text("n’a pas encore de modèle de gouvernance")).to_be_visible()
    assert axe_violations(page) == []

    # Model 1: three committees, the antennas' left without any link.
    page.get_by_label("Nom du modèle").fill("Modèle 1 (2019)")
    page.get_by_role("button", name="Créer un nouveau modèle").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Modèle 1 (2019)")
    add_instance(page, "Comité des partenaires", "Comité")
    add_instance(page, "Comité de coordination", "Comité")
    add_instance(page, "Comités d’antenne", "Comité")
    add_link(page, "Comité de coordination", "rend compte à", "Comité des partenaires")
    findings = page.locator(".gov-findings")
    expect(findings).to_contain_text("« Comités d’antenne » n’a aucun lien de redevabilité")

    # Seats of the partners' committee: two for member organizations, one person in them.
    page.locator(".gov-instances").get_by_role("link", name="Comité des partenaires").click()
    page.get_by_label("Sièges pour").select_option(label="Organisations membres")
    page.get_by_label("Nombre de sièges").fill("2")
    page.get_by_role("button", name="Enregistrer les sièges").click()
    expect(page.get_by_text("Sièges enregistrés")).to_be_visible()
    page.get_by_label("Nom de la personne").fill("Nadia Leduc")
    page.get_by_label("Début du mandat").fill("2019-09-15")
    page.get_by_role("button", name="Ajouter la personne").click()
    expect(page.get_by_text("Nadia Leduc siège maintenant")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="← Modèle 1 (2019)").click()
    expect(findings).to_contain_text("1 siège vacant")
    shoot(page, "fr-governance-model-1")
    assert axe_violations(page) == []

    page.get_by_label("Adopté le").fill("2019-10-01")
    page.get_by_role("button", name="Adopter ce modèle").click()
    expect(page.get_by_text("« Modèle 1 (2019) » est le modèle en vigueur")).to_be_visible()

    # Model 2 starts as a copy of model 1: the finding is still there until the link is made.
    page.get_by_role("navigation", name="Gouvernance").get_by_role(
        "link", name="Modèle de gouvernance"
    ).click()
    page.get_by_label("Nom du modèle").fill("Modèle 2")
    page.get_by_role("button", name="Créer un nouveau modèle").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Modèle 2")
    expect(page.get_by_text("Copié de « Modèle 1 (2019) »")).to_be_visible()
    expect(findings).to_contain_text("« Comités d’antenne » n’a aucun lien")
    add_link(page, "Comités d’antenne", "rend compte à", "Comité de coordination")
    expect(findings).not_to_contain_text("aucun lien")
    page.get_by_label("Adopté le").fill(date.today().isoformat())
    page.get_by_role("button", name="Adopter ce modèle").click()
    expect(page.get_by_text("« Modèle 2 » est le modèle en vigueur")).to_be_visible()
    comparison = page.locator("#comparaison").locator("xpath=..")
    expect(comparison).to_contain_text("lien ajouté")
    expect(comparison).to_contain_text("Comités d’antenne rend compte à Comité de coordination")
    drawing = page.locator("svg.gov-diagram").last  # model 2, drawn beside model 1
    expect(drawing.locator("title").first).to_contain_text("3 instances, 2 liens")
    assert drawing.locator("line[stroke-width='4']").count() == 1  # the new link stands out
    shoot(page, "fr-governance-model-2-compared")
    assert axe_violations(page) == []
    model_1, model_2 = Version.objects.filter(network=network).order_by("number")
    assert (model_1.status, model_2.status) == ("superseded", "adopted")
    page.context.clear_cookies()

    # A member proposes an idea from their home.
    sign_in(page, CAMILLE, DEMO_PASSWORD)
    page.get_by_role("link", name=f"Gouvernance du réseau « {network.name} »").click()
    expect(page.get_by_role("heading", name="Modèle en vigueur : Modèle 2")).to_be_visible()
    expect(page.locator("svg.gov-diagram")).to_have_count(1)
    page.get_by_role("link", name="Proposer ou rejoindre une idée").click()
    page.get_by_label("Titre de l’idée").fill("Camion réfrigéré partagé")
    page.get_by_label("Description").fill("Un camion pour les antennes, réservé en ligne.")
    page.get_by_role("button", name="Proposer l’idée").click()
    expect(page.get_by_text("Idée proposée")).to_be_visible()
    assert axe_violations(page) == []
    page.context.clear_cookies()

    # Another member joins it, on a phone.
    sign_in(phone, NADIA, DEMO_PASSWORD)
    phone.get_by_role("link", name=f"Gouvernance du réseau « {network.name} »").click()
    expect(phone.get_by_role("heading", name="Modèle en vigueur : Modèle 2")).to_be_visible()
    assert fits_the_screen(phone)
    shoot(phone, "fr-phone-governance-member-home")
    assert axe_violations(phone) == []
    phone.get_by_role("link", name="Proposer ou rejoindre une idée").click()
    phone.get_by_role("button", name="Rejoindre l’idée « Camion réfrigéré partagé »").click()
    expect(phone.get_by_text("Vous avez rejoint l’idée")).to_be_visible()
    assert fits_the_screen(phone)
    shoot(phone, "fr-phone-governance-ideas")
    assert axe_violations(phone) == []

    # She raises a disagreement; it opens at the dialogue step.
    phone.get_by_role("link", name="Différends").click()
    phone.get_by_label("Objet").fill("Réservation du camion")
    phone.get_by_label("Ce qui s’est passé").fill("Le camion est toujours réservé le mardi.")
    phone.get_by_role("button", name="Soulever le différend").click()
    expect(phone.get_by_text("Différend soulevé")).to_be_visible()
    expect(phone.locator("[aria-current=step]")).to_contain_text("Dialogue entre les parties")
    assert fits_the_screen(phone)
    shoot(phone, "fr-phone-governance-disagreement")
    assert axe_violations(phone) == []

    # The staff form the action team, reporting to the coordination committee.
    sign_in(page, JULIE, DEMO_PASSWORD)
    page.goto(f"{page.base}/reseaux/{network.pk}/gouvernance/idees/")
    page.get_by_role("link", name="Former l’équipe d’action").click()
    page.get_by_label("L’équipe rend compte à").select_option(label="Comité de coordination")
    page.get_by_role("button", name="Former l’équipe d’action").click()
    expect(page.get_by_text("Équipe d’action « Camion réfrigéré partagé » formée")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Camion réfrigéré partagé")
    expect(page.get_by_text("Camille Gagnon")).to_be_visible()
    expect(page.get_by_text("Nadia Roy")).to_be_visible()
    assert axe_violations(page) == []
    team = Instance.objects.get(name="Camion réfrigéré partagé")
    assert team.version == model_2 and team.kind == "action_team"
    assert Idea.objects.get().status == "formed"

    # …and record the outcome of the dialogue: no agreement, on to facilitation.
    page.get_by_role("link", name="Différends").click()
    page.get_by_role("link", name="Réservation du camion").click()
    page.get_by_label("Résultat de l’étape").fill("Pas d’entente sur les mardis.")
    page.get_by_label("Suite").select_option(label="Pas d’entente : passer à l’étape suivante")
    page.get_by_role("button", name="Consigner").click()
    expect(page.get_by_text("Étape consignée")).to_be_visible()
    expect(page.locator("[aria-current=step]")).to_contain_text("Facilitation")
    shoot(page, "fr-governance-disagreement-staff")
    assert axe_violations(page) == []


def test_the_demo_models_read_on_a_phone_and_compare_on_a_wide_screen(page, phone, demo):
    from maillage.demo.governance import build_demo_governance

    network = build_demo_network(demo)
    model_2 = build_demo_governance(network)

    # A member on a phone: the model in force, its diagram, its instances; nothing scrolls.
    sign_in(phone, CAMILLE, DEMO_PASSWORD)
    phone.get_by_role("link", name=f"Gouvernance du réseau « {network.name} »").click()
    expect(phone.get_by_role("heading", name="Modèle en vigueur : Modèle 2 (2021)")).to_be_visible()
    assert fits_the_screen(phone)
    assert axe_violations(phone) == []
    shoot(phone, "fr-phone-governance-demo-home")
    phone.get_by_role("link", name="Conseil d’administration provisoire").first.click()
    phone.get_by_role("link", name="12 mars 2026").click()
    expect(phone.get_by_text("Adopter le protocole de partage du camion")).to_be_visible()
    assert fits_the_screen(phone)
    assert axe_violations(phone) == []
    shoot(phone, "fr-phone-governance-demo-meeting")

    # The staff read model 2 against model 1, and model 1's findings.
    sign_in(page, JULIE, DEMO_PASSWORD)
    page.goto(f"{page.base}/reseaux/{network.pk}/gouvernance/modeles/{model_2.pk}/")
    comparison = page.locator("#comparaison").locator("xpath=..")
    expect(comparison).to_contain_text(
        "« Comité de coordination » devient « Conseil d’administration provisoire »"
    )
    expect(comparison).to_contain_text("Comité régional des partenaires")
    # Model 2 is drawn beside model 1.
    expect(page.get_by_role("heading", name="Avant : « Modèle 1 (2019) »")).to_be_visible()
    expect(page.locator("svg.gov-diagram")).to_have_count(2)
    before, now = page.locator("svg.gov-diagram").all()
    assert before.bounding_box()["x"] < now.bounding_box()["x"]
    shoot(page, "fr-governance-demo-model-2")
    assert axe_violations(page) == []
    page.get_by_text("Copié de « Modèle 1 (2019) »").wait_for()
    page.goto(f"{page.base}/reseaux/{network.pk}/gouvernance/")
    page.get_by_role("link", name="Modèle 1 (2019)").click()
    findings = page.locator(".gov-findings")
    expect(findings).to_contain_text("« Chargée de projet régional » n’a aucun lien")
    expect(findings).to_contain_text("rend compte à plusieurs instances")
    shoot(page, "fr-governance-demo-model-1")
    assert axe_violations(page) == []
