"""In French, from an empty platform (reference data only, no demo) and through pages only: the
first administrator follows the link `manage.py first_admin` prints, creates a program from the
pilot's template with their organization and a coordinator; the coordinator follows the
invitation e-mail and runs the program alone: publishes the form, receives three applications,
selects two, adds a mentor team whose members complete their own profiles, runs the matching under the « same sector » rule, approves the
group, records the kickoff with the agreement accepted at the meeting, records a past meeting and
sees the alert it changed. Every page new to this journey passes axe-core."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from io import StringIO
from urllib.parse import urlsplit

from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from maillage.intake.models import Application
from maillage.mentoring.models import Group, Meeting
from maillage.programs.models import Program, Role

from .conftest import axe_violations, shoot

ADMIN = "admin@exemple.org"
COORDINATOR = "lea.coord@exemple.org"
PASSWORD = "mot-de-passe-du-parcours"

# Three organizations answer the public form; the third is in another sector.
SAME, OTHER = "Communautaire", "Producteurs agroalimentaires"
APPLICANTS = [
    ("Frigo du Quartier (fictif)", "QC-15", "Jeanne Essai", "jeanne.essai@exemple.org", SAME),
    ("Cuisine Partagée (fictive)", "QC-03", "Karim Test", "karim.test@exemple.org", SAME),
    ("Ferme Témoin (fictive)", "QC-05", "Lucie Exemple", "lucie.exemple@exemple.org", OTHER),
]
MENTORS = [
    ("Amélie", "Gagné", "amelie.gagne@exemple.org", "Logistique de collecte et chaîne de froid."),
    ("Bruno", "Roy", "bruno.roy@exemple.org", "Planification des tournées de collecte."),
]


def checked(page, name: str) -> None:
    """No serious accessibility violation, and a screenshot when MAILLAGE_SCREENSHOTS is set."""
    assert axe_violations(page) == [], name
    shoot(page, f"fr-alone-{name}")


def local_path(link: str) -> str:
    """A link printed or e-mailed with the platform's public address, opened on the live server."""
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def choose_password(page, link: str, email: str) -> None:
    """Follow the one-time link and choose the password: that signs in, where the link leads."""
    page.context.clear_cookies()
    page.goto(page.base + local_path(link))
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    checked(page, "choose-password")
    page.get_by_role("button", name="Modifier le mot de passe").click()
    page.wait_for_load_state("networkidle")
    # Signed in there and then: no second sign-in with the password just chosen.
    expect(page.get_by_role("banner").get_by_role("button", name="Se déconnecter")).to_be_visible()


def sign_in(page, email: str) -> None:
    page.context.clear_cookies()
    page.goto(page.base + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state("networkidle")


def apply(page, token: str, applicant: tuple[str, str, str, str, str], sector_key: str) -> None:
    organization, region, contact, email, sector = applicant
    page.goto(f"{page.base}/formulaire/{token}/")
    page.fill("[name=q_organization]", organization)
    page.select_option("[name=q_region]", value=region)
    page.fill("[name=q_contact_name]", contact)
    page.fill("[name=q_email]", email)
    page.fill(f"[name=q_{sector_key}]", sector)
    page.fill("[name=q_concept]", f"Projet alimentaire de {organization}.")
    page.fill("[name=q_operations]", "Collecte, tri, entreposage au froid et distribution.")
    page.fill("[name=q_barriers]", "Nos tournées de collecte sont mal planifiées.")
    page.fill("[name=q_mentoring_help]", "Réorganiser la logistique de collecte et de froid.")
    page.fill("[name=q_revise_processes]", "La direction peut revoir les processus.")
    page.locator("input[name=consent]").check()
    checked(page, "public-form")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Merci")


def test_coordinator_runs_a_new_program_alone(page, reference_data):
    # The only step outside pages: what `manage.py first_admin` does, and the link it prints.
    out = StringIO()
    call_command("first_admin", ADMIN, "--no-input", stdout=out)
    link = re.search(r"https?://\S+", out.getvalue()).group(0)
    choose_password(page, link, ADMIN)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes programmes")

    # The administrator creates the program, and with it their organization.
    page.get_by_role("link", name="Créer un programme").click()
    page.get_by_label("Titre").fill("Maillage alimentaire")
    page.get_by_label("Thème").fill("Réemploi alimentaire")
    page.get_by_label("ou nouvelle organisation : nom").fill("Vivre Ensemble (fictif)")
    # A program under way whenever the test runs: the meeting-gap alert is off once it ends.
    today = timezone.localdate()
    page.get_by_label("Début du mentorat").fill(str(today - timedelta(days=100)))
    page.get_by_label("Fin du mentorat").fill(str(today + timedelta(days=200)))
    page.get_by_role("button", name="Créer le programme").click()
    expect(page.get_by_text("Programme créé avec les paramètres du projet pilote")).to_be_visible()
    program = Program.objects.get(title="Maillage alimentaire")
    assert program.coordinating_organization.name == "Vivre Ensemble (fictif)"
    base = f"{page.base}/programmes/{program.pk}/"

    # … gives the coordination to Léa and invites her.
    page.get_by_role("link", name="Personnes", exact=True).click()
    form = page.locator("form.stacked").last
    form.get_by_label("Rôle").select_option(label="Coordination")
    form.get_by_label("ou nouvelle personne : prénom").fill("Léa")
    form.get_by_label("nom", exact=True).fill("Coord")
    form.get_by_label("courriel", exact=True).fill(COORDINATOR)
    form.get_by_role("button", name="Attribuer").click()
    expect(page.get_by_text("Rôle attribué")).to_be_visible()
    mail.outbox.clear()
    page.get_by_role("button", name="Inviter à se connecter : Léa Coord").click()
    checked(page, "people-invited")
    (invitation,) = [m for m in mail.outbox if COORDINATOR in m.to]
    link = re.search(r"https?://\S+", invitation.body).group(0)

    # Léa follows the e-mailed link, chooses her password and lands on the program.
    choose_password(page, link, COORDINATOR)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Maillage alimentaire")

    # She adds a question that gives each applicant's sector to the matching, and publishes.
    page.get_by_role("link", name="Formulaires").click()
    interest_form = program.forms.get()
    page.get_by_role("link", name=interest_form.title_fr).first.click()
    page.get_by_role("link", name="Ajouter une question").click()
    page.locator("#id_kind").select_option(label="Texte court")
    page.locator("#id_label_fr").fill("Dans quel secteur votre organisme travaille-t-il ?")
    page.locator("#id_label_en").fill("In which sector does your organization work?")
    page.get_by_label("Obligatoire").check()
    page.get_by_label("Remplit le champ").select_option(label="Secteur de l’organisation")
    checked(page, "question-add")
    page.get_by_role("button", name="Enregistrer").click()
    question = interest_form.questions.get(maps_to="sector")
    page.get_by_role("link", name="Formulaires", exact=True).click()
    interest_form.refresh_from_db()
    if not interest_form.is_open:
        page.get_by_role("button", name=re.compile("^Ouvrir")).click()
    expect(page.locator("main tbody")).to_contain_text("Ouvert")
    checked(page, "forms")
    public = page.get_by_role("link", name="Ouvrir le formulaire public").get_attribute("href")
    token = local_path(public).rstrip("/").split("/")[-1]

    # Three organizations answer the public form, without an account.
    page.context.clear_cookies()
    for applicant in APPLICANTS:
        apply(page, token, applicant, question.key)
    assert program.applications.count() == 3

    # Léa selects Jeanne's and Lucie's organizations: one in her mentors' sector, one not.
    sign_in(page, COORDINATOR)
    page.goto(base)
    page.get_by_role("link", name="Candidatures", exact=True).click()
    checked(page, "applications")
    for organization in ("Frigo du Quartier (fictif)", "Ferme Témoin (fictive)"):
        page.get_by_role("link", name=re.compile(re.escape(organization))).first.click()
        checked(page, "application")
        decision = page.locator("form[action*='/decision/']")
        decision.get_by_label("Retenue", exact=True).check()
        decision.locator("[name=decision-reason]").fill("Besoins logistiques clairs.")
        decision.get_by_role("button", name="Enregistrer la décision").click()
        expect(page.locator("section[aria-labelledby=decision]")).to_contain_text("Retenue")
        page.get_by_role("link", name="Candidatures", exact=True).click()
    assert program.roles.filter(kind=Role.Kind.MENTEE).count() == 2
    assert Application.objects.get(email="lucie.exemple@exemple.org").sector.code != "communautaire"

    # The mentor team: their organization, two mentors in one team, each invited to sign in.
    page.get_by_role("link", name="Personnes", exact=True).click()
    page.get_by_role("link", name="Créer une organisation").click()
    page.locator("#id_name").fill("Frigo Solidaire de Rimouski")
    page.get_by_label("Type").select_option(label="Organisme à but non lucratif")
    page.get_by_label("Secteur").select_option(label="Communautaire")
    page.get_by_label("Région ou MRC").select_option(label="Rimouski-Neigette")
    checked(page, "organization-new")
    page.get_by_role("button", name="Créer l’organisation").click()
    expect(page.get_by_text("Organisation créée")).to_be_visible()
    page.get_by_role("link", name="Personnes", exact=True).click()
    for first, last, email, _expertise in MENTORS:
        form = page.locator("form.stacked").last
        form.get_by_label("ou nouvelle personne : prénom").fill(first)
        form.get_by_label("nom", exact=True).fill(last)
        form.get_by_label("courriel").fill(email)
        form.get_by_label("Rôle").select_option(label="Mentor·e")
        form.get_by_role("button", name="Attribuer").click()
        expect(page.get_by_text("Rôle attribué à")).to_be_visible()
    page.get_by_role("link", name="Créer une équipe").click()
    page.get_by_label("Nom de l’équipe").fill("Équipe Frigo")
    page.get_by_label("Type d’équipe").select_option(label="Équipe d’une organisation")
    page.get_by_label("Mentor·es", exact=True).check()
    page.get_by_label("Organisation principale").select_option(label="Frigo Solidaire de Rimouski")
    for first, last, _email, _expertise in MENTORS:
        page.get_by_label(re.compile(f"^{first} {last}")).check()
    page.get_by_label("Personne-référence").select_option(label="Bruno Roy")
    checked(page, "team-new")
    page.get_by_role("button", name="Créer l’équipe").click()
    expect(page.get_by_text("Équipe créée")).to_be_visible()
    # Léa sees whose matching profile is not finished, and invites the mentors to complete theirs.
    page.get_by_role("link", name="Personnes", exact=True).click()
    for first, last, _email, _expertise in MENTORS:
        row = page.get_by_role("row", name=re.compile(f"^{first} {last}"))
        expect(row).to_contain_text("il manque")
    mail.outbox.clear()
    for first, last, _email, _expertise in MENTORS:
        page.get_by_role("button", name=f"Inviter à se connecter : {first} {last}").click()
        expect(page.locator(".messages")).to_contain_text("Invitation envoyée")

    # Each mentor follows the e-mailed link, chooses a password and completes her own profile.
    for first, last, email, expertise in MENTORS:
        (invitation,) = [m for m in mail.outbox if email in m.to]
        assert "profil de jumelage" in invitation.body
        link = re.search(r"https?://\S+", invitation.body).group(0)
        choose_password(page, link, email)
        expect(page.get_by_role("banner")).to_contain_text(f"{first} {last}")
        page.goto(f"{page.base}/programmes/")
        page.get_by_role("link", name="Compléter votre profil de jumelage").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mon profil de jumelage")
        expect(page.get_by_text("profil à compléter")).to_be_visible()
        page.get_by_label("Français", exact=True).check()
        page.get_by_label("Style de travail").select_option(label="Structuré")
        page.get_by_label("lundi matin").check()
        page.get_by_label(re.compile("^Votre expertise")).fill(expertise)
        checked(page, "mentor-own-profile")
        page.get_by_role("button", name="Enregistrer mon profil").click()
        expect(page.get_by_text("profil complet")).to_be_visible()

    # Back with Léa: both profiles are complete.
    sign_in(page, COORDINATOR)
    page.goto(base + "personnes/")
    for first, last, _email, _expertise in MENTORS:
        row = page.get_by_role("row", name=re.compile(f"^{first} {last}"))
        expect(row).to_contain_text("profil complet")

    # The matching, under the « same sector » rule: Lucie's farm is not put with a community team.
    page.get_by_role("link", name="Jumelage", exact=True).click()
    expect(page.get_by_label("Permettre un côté mentor d’un autre secteur")).not_to_be_checked()
    # Each side's sector, beside its region: what the rule will read.
    lucie = page.get_by_role("row", name=re.compile("^Lucie Exemple Ferme"))
    expect(lucie).to_contain_text("Producteurs agroalimentaires")
    expect(page.get_by_role("row", name=re.compile("^Équipe Frigo"))).to_contain_text(
        "Communautaire"
    )
    checked(page, "matching-ready")
    page.get_by_role("button", name="Lancer le jumelage").click()
    proposed = page.locator("#resultat article")
    expect(proposed).to_have_count(1)
    expect(proposed).to_contain_text("Équipe Frigo")
    expect(proposed).to_contain_text("Jeanne Essai")
    unmatched = page.get_by_role("row", name=re.compile("^Lucie Exemple personne mentorée"))
    expect(unmatched).to_contain_text("1 exclu par la règle « même secteur")
    checked(page, "matching-done")
    page.get_by_role("button", name=re.compile("^Accepter ce groupe")).click()
    group = Group.objects.get(program=program)

    # The kickoff, six weeks ago, recorded after the fact; the agreement accepted there.
    page.get_by_role("link", name="Groupes", exact=True).click()
    checked(page, "groups")
    page.get_by_role("link", name=group.name).click()
    checked(page, "group")
    page.get_by_role("link", name="Planifier la rencontre de démarrage").click()
    # (today's date where the program is, less 42 days: "now − 6 weeks" converted afterwards
    # lands a day later between 04:00 and 05:00 UTC when October was on daylight time)
    kickoff = datetime.combine(timezone.localdate() - timedelta(weeks=6), time(10, 0))
    page.get_by_label("Format").select_option("in_person")
    page.get_by_label("Date et heure").fill(kickoff.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Durée (minutes)").fill("90")
    checked(page, "kickoff")
    page.get_by_role("button", name=re.compile("^Planifier")).click()
    page.locator("section[aria-labelledby=rencontres] table a[href*='/rencontres/']").first.click()
    expect(page.get_by_role("heading", name="Consigner la rencontre tenue")).to_be_visible()
    checked(page, "kickoff-record")
    page.get_by_role("button", name="Enregistrer la rencontre").click()
    expect(page.get_by_text("Rencontre consignée")).to_be_visible()

    page.goto(f"{base}groupes/{group.pk}/entente/")
    record = page.locator("section[aria-labelledby=consigner]")
    for member in group.members.select_related("role__person"):
        record.get_by_label("Qui a accepté").select_option(label=member.role.person.full_name)
        record.get_by_label("Le", exact=True).fill(kickoff.strftime("%Y-%m-%d"))
        record.get_by_role("button", name="Consigner l’acceptation").click()
        expect(page.locator(".messages")).to_contain_text("Acceptation consignée")
        record = page.locator("section[aria-labelledby=consigner]")
    expect(page.get_by_text("Acceptée par chaque côté")).to_be_visible()
    checked(page, "agreement")
    acceptances = group.current_agreement().acceptances.all()
    assert {a.how for a in acceptances} == {"kickoff"}
    assert len(acceptances) == group.members.count()

    # No meeting since the kickoff: the follow-up says so.
    page.get_by_role("link", name="Suivi et alertes").click()
    expect(page.locator("main")).to_contain_text("Pas de rencontre depuis trop longtemps")
    expect(page.locator("main")).to_contain_text("il y a 42 jours")
    checked(page, "alerts-gap")

    # A meeting held last week, recorded: the alert is gone.
    page.goto(f"{base}groupes/{group.pk}/")
    page.get_by_role("link", name="Planifier ou consigner une rencontre").click()
    held = datetime.combine(timezone.localdate() - timedelta(days=7), time(10, 0))
    page.get_by_label("Type de rencontre").select_option("collective")
    page.get_by_label("Format").select_option("online")
    page.get_by_label("Date et heure").fill(held.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Durée (minutes)").fill("120")
    page.get_by_role("button", name="Planifier une rencontre").click()
    page.locator("section[aria-labelledby=rencontres] table a[href*='/rencontres/']").first.click()
    page.get_by_label("Notes de la rencontre (confidentielles)").fill("Tournées revues.")
    checked(page, "meeting-record")
    page.get_by_role("button", name="Enregistrer la rencontre").click()
    expect(page.get_by_text("Rencontre consignée")).to_be_visible()
    assert Meeting.objects.filter(group=group, status=Meeting.Status.HELD).count() == 2
    page.get_by_role("link", name="Suivi et alertes").click()
    expect(page.locator("main")).to_contain_text("2 rencontres tenues")
    expect(page.locator("main")).not_to_contain_text("Pas de rencontre depuis trop longtemps")
    checked(page, "alerts-after-meeting")
