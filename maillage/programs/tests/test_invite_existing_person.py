"""A coordinator who types an e-mail learns nothing of the person behind it: another program's
mentor is only invited to join, and nothing of her profile reaches this program before she
accepts. The page and its message are the same whether the address is on the platform or not."""

from __future__ import annotations

import html
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from maillage.conftest import login, make_person
from maillage.core.models import Organization
from maillage.programs.models import Program, Role
from maillage.programs.services import assign_role

pytestmark = pytest.mark.django_db


def _invitations():
    from maillage.programs.models import ProgramInvitation

    return ProgramInvitation.objects


SECRET_PHONE = "418-555-0199"
SECRET_POSITION = "Directrice des opérations secrètes"


@pytest.fixture
def known_mentor(program_a, region_qc, community):
    """Marc-Antoine mentors in A, with a full profile entered by A's coordination."""
    org = Organization.objects.create(
        name="Cuisine Discrète (fictif)", sector=community, territory=region_qc
    )
    person = make_person(
        "Marc-Antoine",
        "Ailleurs",
        org=org,
        phone=SECRET_PHONE,
        position=SECRET_POSITION,
        languages=["fr", "en"],
        working_style="structured",
        availability=["mon-am"],
        expertise="Chaîne de froid",
    )
    assign_role(program=program_a, person=person, kind=Role.Kind.MENTOR)
    return person


@pytest.fixture
def program_b(outsider):
    return Program.objects.get(title="Programme B")


def _add(client, program, email, first="Marc", last="Inconnu"):
    return client.post(
        reverse("programs:people", args=[program.pk]),
        {"first_name": first, "last_name": last, "email": email, "kind": Role.Kind.MENTOR},
    )


def _said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _page(client, program) -> str:
    return html.unescape(client.get(reverse("programs:people", args=[program.pk])).content.decode())


def _export(client, program, fmt) -> str:
    response = client.get(reverse("portability:export", args=[program.pk, "people", fmt]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(body)).active
        return "\n".join(
            ",".join(str(c or "") for c in row) for row in sheet.iter_rows(values_only=True)
        )
    return body.decode("utf-8-sig")


SECRETS = (SECRET_PHONE, SECRET_POSITION, "Cuisine Discrète", "Chaîne de froid", "Ailleurs")


def test_another_programs_mentor_typed_by_email_shows_nothing_of_her(
    as_outsider, program_b, known_mentor
):
    response = _add(as_outsider, program_b, known_mentor.email)
    assert response.status_code == 302
    page = _page(as_outsider, program_b)
    for secret in SECRETS:
        assert secret not in page
    for fmt in ("csv", "xlsx"):
        exported = _export(as_outsider, program_b, fmt)
        for secret in SECRETS:
            assert secret not in exported, (fmt, secret)
    # Her own record is not in B until she accepts.
    assert not program_b.roles.filter(person=known_mentor).exists()
    # Whatever B's coordination sees holds only what it typed.
    role = program_b.roles.get(person__email=known_mentor.email)
    person_page = html.unescape(
        as_outsider.get(
            reverse("programs:person", args=[program_b.pk, role.person_id])
        ).content.decode()
    )
    # The organization list offers every organization of the directory; hers is not chosen.
    assert not re.search(r"selected>Cuisine Discrète", person_page)
    for secret in set(SECRETS) - {"Cuisine Discrète"}:
        assert secret not in person_page


def _normalized(text: str, *emails: str) -> str:
    for email in emails:
        text = text.replace(email, "EMAIL")
    text = re.sub(r'csrfmiddlewaretoken" value="[^"]+"', "csrf", text)
    text = re.sub(r'"X-CSRFToken": "[^"]+"', "csrf", text)
    text = re.sub(r'name="form_token" value="[0-9a-f]+"', "form_token", text)
    text = re.sub(r'value="\d+"', 'value="N"', text)
    return re.sub(r"/\d+/", "/N/", text)


def test_the_answer_is_the_same_whether_the_address_exists_or_not(
    client, program_b, outsider, known_mentor
):
    login(client, outsider)
    unknown = "personne.inconnue@exemple.org"
    first = _add(client, program_b, known_mentor.email)
    first_said = _said(first)
    first_page = _page(client, program_b)
    program_b.roles.filter(kind=Role.Kind.MENTOR).delete()
    second = _add(client, program_b, unknown)
    second_said = _said(second)
    second_page = _page(client, program_b)
    assert first.status_code == second.status_code == 302
    assert [m.replace(known_mentor.email, "EMAIL") for m in first_said] == [
        m.replace(unknown, "EMAIL") for m in second_said
    ]
    assert "invitation" in " ".join(first_said).lower()
    assert _normalized(first_page, known_mentor.email) == _normalized(second_page, unknown)


def test_accepting_the_invitation_activates_the_role_with_her_real_profile(
    client, as_outsider, program_b, known_mentor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _add(as_outsider, program_b, known_mentor.email)
    assert [m.to for m in mail.outbox] == [[known_mentor.email]]
    invitation = _invitations().get(program=program_b)
    # She sees it on her « Mes programmes » home and accepts it there.
    login(client, known_mentor)
    home = html.unescape(client.get(reverse("programs:dashboard")).content.decode())
    assert "Programme B" in home
    response = client.post(
        reverse("programs:invitation", args=[invitation.token()]), {"answer": "accept"}
    )
    assert response.status_code == 302
    role = program_b.roles.get(kind=Role.Kind.MENTOR)
    assert role.person == known_mentor
    login(client, program_b.roles.get(kind=Role.Kind.COORDINATOR).person)
    assert SECRET_POSITION in _export(client, program_b, "csv")


def test_declining_leaves_nothing_of_her_in_the_program(
    client, as_outsider, program_b, known_mentor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _add(as_outsider, program_b, known_mentor.email)
    invitation = _invitations().get(program=program_b)
    login(client, known_mentor)
    client.post(reverse("programs:invitation", args=[invitation.token()]), {"answer": "decline"})
    assert not program_b.roles.filter(person=known_mentor).exists()
    invitation.refresh_from_db()
    assert invitation.status == "declined"


def test_another_persons_invitation_is_not_hers_to_answer(
    client, as_outsider, program_b, known_mentor, mentee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _add(as_outsider, program_b, known_mentor.email)
    invitation = _invitations().get(program=program_b)
    login(client, mentee)
    client.post(reverse("programs:invitation", args=[invitation.token()]), {"answer": "accept"})
    assert not program_b.roles.filter(person__in=[known_mentor, mentee]).exists()


def test_someone_the_coordinator_already_sees_gets_the_role_at_once(
    as_coordinator, program_a, known_mentor, django_capture_on_commit_callbacks
):
    other = Program.objects.create(title="Programme A2", theme="Suite")
    assign_role(
        program=other, person=program_a.roles.get(kind="coordinator").person, kind="coordinator"
    )
    with django_capture_on_commit_callbacks(execute=True):
        _add(as_coordinator, other, known_mentor.email)
    assert other.roles.filter(person=known_mentor, kind=Role.Kind.MENTOR).exists()
    assert not _invitations().exists()


def test_a_platform_administrator_keeps_full_access(client, program_b, known_mentor):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("admin@exemple.org", "admin@exemple.org", "x")
    client.force_login(admin)
    _add(client, program_b, known_mentor.email)
    assert program_b.roles.filter(person=known_mentor).exists()
