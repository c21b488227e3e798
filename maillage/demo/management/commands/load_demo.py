from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from maillage.demo.full import build_full_demo


class Command(BaseCommand):
    help = "Load the fictional demo programs (once; running it again changes nothing)."

    def handle(self, *args, **options) -> None:
        demo = build_full_demo()
        if demo.built_now:
            self.stdout.write(self.style.SUCCESS("→ Demo data loaded."))
        else:
            self.stdout.write("→ Demo data already loaded.")
        url = settings.SITE_URL + reverse("measurement:network", args=[demo.network.pk])
        self.stdout.write(f"  Réseau de démonstration / demo network: {url}")
        form = demo.program.forms.first()
        if form is not None:
            url = settings.SITE_URL + reverse("intake:public_form", args=[form.token])
            self.stdout.write(f"  Formulaire d’intérêt public / public interest form: {url}")
