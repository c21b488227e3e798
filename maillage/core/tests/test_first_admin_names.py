"""`manage.py first_admin` names the administrator's person: from --first-name/--last-name, by
asking in a terminal (the guess from the e-mail offered), or with --no-input from the e-mail,
never « admin »."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from maillage.core.models import Person
from maillage.core.services import names_from_email

pytestmark = pytest.mark.django_db


def _run(*args: str, interactive: bool = False) -> None:
    flags = () if interactive else ("--no-input",)
    call_command("first_admin", *args, *flags, stdout=io.StringIO())


def _person(email: str) -> Person:
    return Person.objects.get(user__email=email)


def test_the_names_given_name_the_person_and_the_account():
    _run("admin@exemple.org", "--first-name", "Camille", "--last-name", "Tremblay")
    person = _person("admin@exemple.org")
    assert (person.first_name, person.last_name) == ("Camille", "Tremblay")
    user = get_user_model().objects.get(email="admin@exemple.org")
    assert (user.first_name, user.last_name) == ("Camille", "Tremblay")


def test_without_names_they_come_from_the_email():
    _run("marie-eve.tremblay@exemple.org")
    person = _person("marie-eve.tremblay@exemple.org")
    assert (person.first_name, person.last_name) == ("Marie-Eve", "Tremblay")


@pytest.mark.parametrize("email", ["admin@exemple.org", "Admin@Exemple.org", "info@exemple.org"])
def test_a_role_mailbox_never_names_the_person_admin(email):
    _run(email)
    person = _person(email.lower())
    assert "admin" not in person.full_name.lower().split()
    assert person.full_name == "Administration Exemple"


def test_a_person_known_by_this_email_becomes_the_administrators():
    known = Person.objects.create(
        first_name="Camille", last_name="Roy", email="camille@exemple.org"
    )
    _run("camille@exemple.org")
    known.refresh_from_db()
    assert known.user.email == "camille@exemple.org"
    assert known.full_name == "Camille Roy"
    assert Person.objects.filter(email__iexact="camille@exemple.org").count() == 1


def test_in_a_terminal_it_asks_and_enter_keeps_the_guess(monkeypatch):
    answers = iter(["", "Bouchard"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    _run("marie.tremblay@exemple.org", interactive=True)
    person = _person("marie.tremblay@exemple.org")
    assert (person.first_name, person.last_name) == ("Marie", "Bouchard")


def test_run_again_with_names_renames_the_pending_administrator():
    _run("admin@exemple.org")
    _run("--first-name", "Julie", "--last-name", "Gagnon")
    assert _person("admin@exemple.org").full_name == "Julie Gagnon"


def test_names_from_email():
    assert names_from_email("jean.pierre.roy@x.org") == ("Jean", "Pierre Roy")
    assert names_from_email("nadia@x.org") == ("Nadia", "")
    assert names_from_email("root@cuisine.ca") == ("Administration", "Cuisine")
