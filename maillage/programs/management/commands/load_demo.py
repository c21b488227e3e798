from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from maillage.programs.demo import DEMO_TITLE, build_demo, demo_exists
from maillage.programs.models import Program


class Command(BaseCommand):
    help = "Load the fictional demo program (once; running it again changes nothing)."

    def handle(self, *args, **options) -> None:
        if demo_exists():
            self.stdout.write("→ Demo data already loaded.")
            program = Program.objects.get(title=DEMO_TITLE)
        else:
            program = build_demo()
            self.stdout.write(self.style.SUCCESS("→ Demo data loaded."))
        from maillage.measurement.demo import build_demo_network

        network = build_demo_network(program)
        url = settings.SITE_URL + reverse("measurement:network", args=[network.pk])
        self.stdout.write(f"  Réseau de démonstration / demo network: {url}")
        form = program.forms.first()
        if form is not None:
            url = settings.SITE_URL + reverse("intake:public_form", args=[form.token])
            self.stdout.write(f"  Formulaire d’intérêt public / public interest form: {url}")
