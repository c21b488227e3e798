"""Open the platform's first administrator and print a one-time link to choose a password.

    manage.py first_admin [EMAIL]     (asks for the e-mail when run in a terminal without one)

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
from maillage.core.services import open_first_admin


class Command(BaseCommand):
    help = "Open the first administrator and print a one-time link to choose a password."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email", nargs="?", default="", help="the administrator's e-mail")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="never ask for the e-mail",
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
        interactive: bool = True,
        unless_done: bool = False,
        **options: Any,
    ) -> None:
        if unless_done and _admin_can_sign_in():
            return
        try:
            user = open_first_admin(email=email)
        except AccountError as error:
            # Asking for the e-mail helps only when it is what is missing.
            if error.field != "email" or not (interactive and sys.stdin.isatty()):
                raise CommandError(error.message) from error
            email = input("Courriel de la personne à l’administration / administrator's e-mail: ")
            try:
                user = open_first_admin(email=email)
            except AccountError as again:
                raise CommandError(again.message) from again
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


def _admin_can_sign_in() -> bool:
    admins = get_user_model().objects.filter(is_superuser=True, is_active=True)
    return any(user.has_usable_password() for user in admins)
