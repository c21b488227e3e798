"""In French, a coordinator types the e-mail of another program's mentor: her page says only
that the role is given and an invitation may have gone out; the mentor finds the invitation on
her « Mes programmes » home, accepts it, and the program then sees her with her own profile."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from maillage.core.models import Organization, Person
from maillage.programs.models import ProgramInvitation, Role
from maillage.programs.services import assign_role, create_program

from .conftest import axe_violations, shoot, sign_in

PASSWORD = "mot-de-passe-du-test-e2e"


def account(first: str, last: str, **extra) -> Person:
    email = f"{first.lower()}.{last.lower()}@exemple.org"
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    return Person.objects.create(user=user, first_name=first, last_name=last, email=email, **extra)


def check_page(page, name: str) -> None:
    assert axe_violations(page) == []
    shoot(page, name)
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_mentor_of_another_program_accepts_the_invitation_from_her_home(page, reference_data):
    org = Organization.objects.create(name="Frigo Discret de Gaspé")
    mentor = account("Maude", "Ailleurs", organization=org, position="Directrice générale")
    first = create_program(by=account("Paul", "Premier"), title="Premier programme", theme="Un")
    assign_role(program=first, person=mentor, kind=Role.Kind.MENTOR)
    second = create_program(by=account("Sara", "Second"), title="Second programme", theme="Deux")

    # Sara coordinates the second program and cannot see Maude: she types her address.
    sign_in(page, "sara.second@exemple.org", PASSWORD)
    page.goto(f"{page.base}/programmes/{second.pk}/personnes/")
    form = page.locator("form.stacked").last
    form.get_by_label("ou nouvelle personne : prénom").fill("Maude")
    form.get_by_label("nom", exact=True).fill("A.")
    form.get_by_label("courriel").fill(mentor.email)
    form.get_by_label("Rôle").select_option(label="Mentor·e")
    form.get_by_role("button", name="Attribuer").click()
    expect(page.get_by_text("une invitation à rejoindre le programme")).to_be_visible()
    expect(page.get_by_text("Frigo Discret de Gaspé")).to_have_count(0)
    expect(page.get_by_text("Directrice générale")).to_have_count(0)
    check_page(page, "fr-join-invitation-sent")
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Se connecter")).to_be_visible()

    # The e-mailed link opens the invitation without signing in (the signed link is the key).
    invitation = ProgramInvitation.objects.get(program=second, person=mentor)
    page.goto(f"{page.base}/programmes/invitations/{invitation.token()}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Invitation à rejoindre « Second programme »"
    )
    check_page(page, "fr-join-invitation-link")

    # Maude finds the invitation on her home page and accepts it.
    sign_in(page, mentor.email, PASSWORD)
    expect(page.get_by_role("heading", name="Invitations à rejoindre un programme")).to_be_visible()
    check_page(page, "fr-join-invitation-home")
    page.get_by_role("button", name="Accepter l’invitation à « Second programme »").click()
    expect(page.get_by_text("Vous faites maintenant partie du programme")).to_be_visible()
    expect(page.get_by_role("link", name="Second programme")).to_be_visible()
    assert second.roles.filter(person=mentor, kind=Role.Kind.MENTOR).exists()
    assert Person.objects.filter(email__iexact=mentor.email).count() == 1
