"""The second factor: required of coordinators, network staff and administrators, optional for
participants; TOTP codes computed with allauth's own helpers, recovery codes good once."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.urls import reverse

from maillage.conftest import PASSWORD, make_person
from maillage.core.mfa import second_factor_required

pytestmark = pytest.mark.django_db

SETUP = "/comptes/2fa/"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.MAILLAGE_MFA_REQUIRED = True


def totp_code(secret: str, offset: int = 0) -> str:
    """The code an authenticator app shows now (offset: the next window, allowed by
    MFA_TOTP_TOLERANCE; allauth refuses a code already used, as a thief's replay would be)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def sign_in(client, person):
    return client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})


def reauthenticate(client, url: str) -> None:
    """Adding a factor asks for the password again (allauth's reauthentication): a stolen
    session alone cannot add its thief's phone."""
    response = client.get(url)
    if response.status_code == 302 and response["Location"].startswith("/comptes/reauthenticate/"):
        done = client.post(response["Location"], {"password": PASSWORD})
        assert done.status_code == 302, done.content.decode()[:2000]


def enroll_totp(client) -> str:
    reauthenticate(client, reverse("mfa_activate_totp"))
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200, page
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.content.decode()).group(1)
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    return secret


def test_setup_page_is_allauths_index():
    assert reverse("mfa_index") == SETUP


def test_coordinator_is_sent_to_setup_after_signing_in_and_everywhere(
    client, coordinator, program_a
):
    response = sign_in(client, coordinator)
    assert response.status_code == 302
    landing = client.get(response["Location"])
    assert landing.status_code == 302 and landing["Location"] == SETUP
    for url in (
        reverse("programs:dashboard"),
        reverse("core:account"),
        reverse("programs:detail", args=[program_a.pk]),
        reverse("mentoring:mine"),
        "/admin/",
    ):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (method, url)
            assert response["Location"] == SETUP, (method, url)
    htmx = client.get(reverse("programs:dashboard"), headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == SETUP
    page = client.get(SETUP).content.decode()
    assert "deuxième étape de connexion est obligatoire" in page
    assert "Retour à Mon compte" not in page  # it would only come back here


def test_what_stays_reachable_before_enrolling(client, coordinator):
    sign_in(client, coordinator)
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked.status_code == 302 and asked["Location"].startswith("/comptes/reauthenticate/")
    assert client.get(asked["Location"]).status_code == 200
    reauthenticate(client, reverse("mfa_activate_totp"))
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.get(reverse("mfa_add_webauthn")).status_code == 200
    response = client.post(reverse("set_language"), {"language": "en", "next": SETUP})
    assert response.status_code == 302 and response["Location"] == SETUP
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302 and response["Location"] != SETUP
    assert "_auth_user_id" not in client.session


def test_coordinator_passes_once_a_totp_code_is_confirmed(
    client, coordinator, program_a, django_capture_on_commit_callbacks
):
    sign_in(client, coordinator)
    reauthenticate(client, reverse("mfa_activate_totp"))
    client.get(reverse("mfa_activate_totp"))
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200  # the page again, with the error, nothing activated
    assert 'aria-invalid="true"' in wrong.content.decode()
    assert not Authenticator.objects.filter(user=coordinator.user).exists()
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after commit
        enroll_totp(client)
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert codes.status_code == 200
    assert len(re.findall(r"<li><code>\w+</code></li>", codes.content.decode())) == 10
    assert client.get(reverse("programs:dashboard")).status_code == 200
    assert client.get(reverse("programs:detail", args=[program_a.pk])).status_code == 200
    from maillage.core.models import AuditEntry

    # (the test's callbacks run after the request; in a real one the actor is the person)
    added = AuditEntry.objects.filter(action="mfa.added", object_repr__contains=coordinator.email)
    assert "totp" in {e.changes["type"] for e in added}
    assert not any(len(str(e.changes)) > 60 for e in added)  # never the secret
    account = client.get(reverse("core:account")).content.decode()
    assert "Sécurité du compte" in account and "Deuxième étape active" in account


def test_sign_in_asks_for_the_code(client, coordinator):
    sign_in(client, coordinator)
    secret = enroll_totp(client)
    client.post(reverse("account_logout"))

    response = sign_in(client, coordinator)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # the password alone opens nothing
    assert client.get(reverse("programs:dashboard")).status_code == 302
    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret, 1)})
    assert response.status_code == 302
    assert client.get(reverse("programs:dashboard")).status_code == 200


def test_a_recovery_code_works_once(client, coordinator):
    sign_in(client, coordinator)
    enroll_totp(client)
    client.post(reverse("account_logout"))
    recovery = Authenticator.objects.get(
        user=coordinator.user, type=Authenticator.Type.RECOVERY_CODES
    )
    code = RecoveryCodes(recovery).get_unused_codes()[0]

    sign_in(client, coordinator)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.get(reverse("programs:dashboard")).status_code == 200
    client.post(reverse("account_logout"))

    sign_in(client, coordinator)
    again = client.post(reverse("mfa_authenticate"), {"code": code})
    assert again.status_code == 200 and "_auth_user_id" not in client.session
    recovery.refresh_from_db()
    assert code not in RecoveryCodes(recovery).get_unused_codes()


def test_participants_are_never_forced_but_may_opt_in(
    client, program_a, mentor, mentee, committee_member
):
    for person in (mentor, mentee, committee_member):
        assert not second_factor_required(person.user)
        client.force_login(person.user)
        assert client.get(reverse("programs:dashboard")).status_code == 200
        page = client.get(SETUP)
        assert page.status_code == 200
        assert "Facultatif pour votre rôle" in page.content.decode()
    client.post(reverse("account_logout"))
    sign_in(client, mentee)
    enroll_totp(client)
    assert TOTP(Authenticator.objects.get(user=mentee.user, type="totp"))


def test_who_must_have_a_second_factor(db, org_a, coordinator, program_a, mentor):
    from maillage.measurement.services import assign_network_role, create_network

    network = create_network(backbone=org_a, name="Réseau des pairs")
    staff = make_person("Sam", "Soutien")
    funder = make_person("Fanny", "Fonds")
    assign_network_role(network=network, person=staff, kind="staff")
    assign_network_role(network=network, person=funder, kind="funder")
    admin = make_person("Ada", "Admin")
    admin.user.is_staff = True
    admin.user.save()
    assert second_factor_required(coordinator.user)
    assert second_factor_required(staff.user)
    assert second_factor_required(admin.user)
    assert not second_factor_required(funder.user)
    assert not second_factor_required(mentor.user)


def test_the_setting_off_lets_everyone_in(client, coordinator, program_a, settings):
    settings.MAILLAGE_MFA_REQUIRED = False
    client.force_login(coordinator.user)
    assert client.get(reverse("programs:dashboard")).status_code == 200
    page = client.get(reverse("core:account")).content.decode()
    assert "Obligatoire pour votre rôle" in page  # still said, no longer enforced
