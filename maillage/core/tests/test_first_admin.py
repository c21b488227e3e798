"""`manage.py first_admin` opens the first administrator of an empty platform: a one-time link
printed in the terminal sets the password, then they reach their home, « Mes programmes », where everything else is done in pages."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from maillage.conftest import PASSWORD, make_person
from maillage.core.models import AuditEntry

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Un-mot-de-passe-neuf-2026"


def _first_admin(*args: str) -> str:
    out = io.StringIO()
    call_command("first_admin", *args, "--no-input", stdout=out)
    return out.getvalue()


def _link(output: str) -> str:
    return re.search(r"http://testserver(\S+)", output).group(1)


def test_the_printed_link_sets_the_password_and_leads_to_their_home(settings):
    settings.SITE_URL = "http://testserver"
    output = _first_admin("Admin@Exemple.org")
    admin = get_user_model().objects.get(email="admin@exemple.org")
    assert admin.is_superuser and admin.is_staff and not admin.has_usable_password()
    assert AuditEntry.objects.filter(action="invite", changes__superuser=True).exists()

    client = Client()
    form_url = client.get(_link(output))["Location"]
    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done["Location"] == reverse("programs:dashboard")
    signed_in = client.post(
        reverse("account_login") + f"?next={done['Location']}",
        {"login": "admin@exemple.org", "password": NEW_PASSWORD},
        follow=True,
    )
    assert signed_in.redirect_chain[-1][0] == reverse("programs:dashboard")


def test_run_again_before_the_link_is_followed_it_prints_a_new_link_for_the_same_account(settings):
    settings.SITE_URL = "http://testserver"
    _first_admin("admin@exemple.org")
    again = _first_admin()  # ./run on an empty platform, restarted, gives no e-mail
    assert "admin@exemple.org" in again and _link(again)
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


def test_without_an_email_nor_a_terminal_it_says_what_to_give():
    with pytest.raises(CommandError, match="courriel"):
        _first_admin()
    assert not get_user_model().objects.exists()


def test_a_bad_email_is_refused():
    with pytest.raises(CommandError, match="pas un courriel valide"):
        _first_admin("pas-un-courriel")


def test_once_an_administrator_can_sign_in_it_opens_nothing():
    person = make_person("Ada", "Admin")
    person.user.is_superuser = True
    person.user.save()
    with pytest.raises(CommandError, match="déjà un compte d’administration"):
        _first_admin("autre@exemple.org")
    assert not get_user_model().objects.filter(email="autre@exemple.org").exists()


def test_an_account_that_has_a_password_is_not_taken_over():
    person = make_person("Marc", "Mentor")
    with pytest.raises(CommandError, match="existe déjà"):
        _first_admin(person.email)
    person.user.refresh_from_db()
    assert not person.user.is_superuser and person.user.check_password(PASSWORD)


def test_run_prints_nothing_once_an_administrator_can_sign_in():
    person = make_person("Ada", "Admin")
    person.user.is_superuser = True
    person.user.save()
    assert _first_admin("--unless-done") == ""
