"""In French, with the demo program and an accepted group: the mentor logs a meeting with notes
and time, the mentee posts an update, the coordinator sees both, and an outsider (a user with a
role only in another program) gets 404 on all of it."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from maillage.core.models import Person
from maillage.demo.editions import DEMO_PASSWORD
from maillage.mentoring.models import Meeting, TimeEntry, UpdateMessage
from maillage.mentoring.services import create_group
from maillage.programs.models import Role
from maillage.programs.services import create_program

from .conftest import axe_violations, shoot, sign_in

NOTES = "Revue des circuits de collecte ; Sophie teste le nouveau plan de tournée."
UPDATE = "Le plan de tournée fonctionne ; le besoin d’entreposage au froid reste prioritaire."


def accepted_group(program):
    marc = Person.objects.get(email="marc.tremblay@demo.maillage.org")
    sophie = Person.objects.get(email="sophie.lavoie@demo.maillage.org")
    camille = Person.objects.get(email="camille.gagnon@demo.maillage.org")
    marc_role = program.roles.get(person=marc, kind=Role.Kind.MENTOR)
    team_roles = (
        list(program.roles.filter(kind=Role.Kind.MENTOR, team=marc_role.team))
        if (marc_role.team_id)
        else [marc_role]
    )
    return create_group(
        program=program,
        mentor_roles=team_roles,
        mentee_roles=[program.roles.get(person=sophie, kind=Role.Kind.MENTEE)],
        mentor_team=marc_role.team,
        approved_by=camille.user,
        name="Logistique — Sophie Lavoie",
    )


def outsider_account() -> str:
    email = "olivier.dehors@exemple.org"
    user = get_user_model().objects.create_user(username=email, email=email, password=DEMO_PASSWORD)
    person = Person.objects.create(user=user, first_name="Olivier", last_name="Dehors", email=email)
    create_program(by=person, title="Programme B", theme="Agriculture urbaine")
    return email


def sign_out(page) -> None:
    page.context.clear_cookies()


def test_mentor_logs_a_meeting_mentee_updates_coordinator_sees_outsider_gets_404(page, demo):
    group = accepted_group(demo)
    base = f"{page.base}/programmes/{demo.pk}/groupes/{group.pk}/"

    # The mentor finds the group from « Mes groupes » and logs yesterday's meeting.
    sign_in(page, "marc.tremblay@demo.maillage.org", DEMO_PASSWORD)
    page.goto(f"{page.base}/mes-groupes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes groupes de mentorat")
    page.get_by_role("link", name="Logistique — Sophie Lavoie").click()
    expect(page.get_by_role("heading", name="Rencontres")).to_be_visible()
    page.get_by_role("link", name="Planifier ou consigner une rencontre").click()
    when = timezone.localtime(timezone.now() - timedelta(days=1)).replace(hour=10, minute=0)
    page.get_by_label("Type de rencontre").select_option("collective")
    page.get_by_label("Format").select_option("online")
    page.get_by_label("Date et heure").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Durée (minutes)").fill("120")
    page.get_by_label("Ordre du jour").fill("Circuits de collecte")
    page.get_by_role("button", name="Planifier une rencontre").click()
    expect(page.get_by_text("Rencontre planifiée")).to_be_visible()
    page.locator("section[aria-labelledby=rencontres] table a[href*='/rencontres/']").first.click()
    expect(page.get_by_role("heading", name="Consigner la rencontre tenue")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Notes de la rencontre (confidentielles)").fill(NOTES)
    shoot(page, "fr-mentoring-record-meeting")
    page.get_by_role("button", name="Enregistrer la rencontre").click()
    expect(page.get_by_text("Rencontre consignée")).to_be_visible()
    expect(page.get_by_text(NOTES)).to_be_visible()
    meeting = Meeting.objects.get(group=group)
    assert meeting.status == Meeting.Status.HELD
    assert TimeEntry.objects.filter(meeting=meeting).count() == group.members.count()
    sign_out(page)

    # The mentee posts an update.
    sign_in(page, "sophie.lavoie@demo.maillage.org", DEMO_PASSWORD)
    page.goto(base)
    page.get_by_role("link", name="Messages de suivi").first.click()
    assert axe_violations(page) == []
    page.get_by_label("Votre message").fill(UPDATE)
    page.get_by_role("button", name="Publier le message").click()
    expect(page.get_by_text("Message publié")).to_be_visible()
    assert UpdateMessage.objects.filter(group=group, kind="mentee_update").exists()
    sign_out(page)

    # The coordinator sees both, from the program's list of groups.
    sign_in(page, "camille.gagnon@demo.maillage.org", DEMO_PASSWORD)
    page.goto(f"{page.base}/programmes/{demo.pk}/groupes/")
    page.get_by_role("link", name="Logistique — Sophie Lavoie").click()
    expect(page.get_by_text(UPDATE)).to_be_visible()
    expect(page.get_by_role("img", name="Heures restantes dans la banque")).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, "fr-mentoring-group-coordinator")
    page.goto(f"{base}rencontres/{meeting.pk}/")
    expect(page.get_by_text(NOTES)).to_be_visible()
    for path, name in [
        ("entente/", "agreement"),
        ("heures/", "hours"),
        ("suivi/", "updates"),
        (f"plans/{group.members.get(side='mentee').pk}/", "plan"),
    ]:
        page.goto(base + path)
        shoot(page, f"fr-mentoring-{name}")
    sign_out(page)

    # An outsider gets 404 on all of it.
    sign_in(page, outsider_account(), DEMO_PASSWORD)
    sophie_member = group.members.get(side="mentee")
    for path in [
        "",
        f"rencontres/{meeting.pk}/",
        "suivi/",
        "heures/",
        "entente/",
        f"plans/{sophie_member.pk}/",
        f"rencontres/{meeting.pk}/invitation.ics",
    ]:
        response = page.goto(base + path)
        assert response.status == 404, path
        expect(page.get_by_text(NOTES)).to_have_count(0)
    assert page.goto(f"{page.base}/programmes/{demo.pk}/groupes/").status == 404
