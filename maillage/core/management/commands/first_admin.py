"""Open the platform's first administrator and print a one-time link to choose a password.

    manage.py first_admin [EMAIL] [--first-name NAME --last-name NAME]

In a terminal it asks for what is missing: the e-mail, then the first and last names (offering
a guess from the e-mail). With --no-input the names not given come from the e-mail
(« marie.tremblay@… » gives Marie Tremblay; a role mailbox such as « admin@… » never gives
« Admin »); they can be corrected later in « Mon compte ».

Run again before the link is followed, it prints a new link for the same account; once an
administrator can sign in, it says so and opens nothing (they open the other accounts).
"""

from __future__ import annotations

import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from maillage.core.emails import link_lifetime, password_link
from maillage.core.errors import AccountError
from maillage.core.services import names_from_email, open_first_admin


class Command(BaseCommand):
    help = "Open the first administrator and print a one-time link to choose a password."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email", nargs="?", default="", help="the administrator's e-mail")
        parser.add_argument("--first-name", default="", help="the administrator's first name")
        parser.add_argument("--last-name", default="", help="the administrator's last name")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="never ask for the e-mail or the names",
        )
        parser.add_argument(
            "--unless-done",
            action="store_true",
            help="print nothing once an administrator can sign in (./run --empty uses it)",
        )

    def handle(
        self,
        *args: Any,
        email: str = "",
        first_name: str = "",
        last_name: str = "",
        interactive: bool = True,
        unless_done: bool = False,
        **options: Any,
    ) -> None:
        if unless_done and _admin_can_sign_in():
            return
        asks = interactive and sys.stdin.isatty()
        if asks and not email.strip() and not _pending_admin():
            email = input("Courriel de la personne à l’administration / administrator's e-mail: ")
        if asks and not (first_name.strip() and last_name.strip()):
            first_name, last_name = _ask_names(email or _pending_email(), first_name, last_name)
        try:
            user = open_first_admin(email=email, first_name=first_name, last_name=last_name)
        except AccountError as error:
            raise CommandError(error.message) from error
        link = password_link(user, next_path=reverse("programs:dashboard"))
        self.stdout.write(
            "\n".join(
                [
                    "",
                    f"  Première administration / first administrator: {user.email}",
                    "  Ouvrez ce lien pour choisir le mot de passe (une fois, pendant "
                    f"{link_lifetime()}) / open this link to choose the password:",
                    f"    {link}",
                    "",
                ]
            )
        )


def _pending_admin() -> Any:
    """The administrator opened earlier whose link was not followed yet, if any."""
    admins = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk")
    return next((user for user in admins if not user.has_usable_password()), None)


def _pending_email() -> str:
    pending = _pending_admin()
    return pending.email if pending else ""


def _ask_names(email: str, first_name: str, last_name: str) -> tuple[str, str]:
    """Ask for the names not given, offering the guess from the e-mail (Enter keeps it)."""
    pending = _pending_admin()
    if pending is not None and pending.first_name and email.strip().lower() in ("", pending.email):
        guess = (pending.first_name, pending.last_name)  # run again: what was given last time
    else:
        guess = names_from_email(email) if "@" in email else ("", "")
    if not first_name.strip():
        first_name = input(f"Prénom / first name [{guess[0]}]: ").strip() or guess[0]
    if not last_name.strip():
        last_name = input(f"Nom / last name [{guess[1]}]: ").strip() or guess[1]
    return first_name, last_name


def _admin_can_sign_in() -> bool:
    admins = get_user_model().objects.filter(is_superuser=True, is_active=True)
    return any(user.has_usable_password() for user in admins)
