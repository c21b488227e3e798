from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from maillage.demo.accreditation import build_demo_accreditation
from maillage.demo.directory import build_demo_directory
from maillage.demo.editions import DEMO_TITLE, PAST_DEMO_TITLE, build_demo, demo_exists
from maillage.demo.governance import build_demo_governance
from maillage.demo.inclusion import build_demo_inclusion
from maillage.demo.network import build_demo_network
from maillage.demo.pilot import build_past_edition
from maillage.demo.practice import build_demo_practice
from maillage.demo.resources import build_demo_resources
from maillage.programs.models import Program


class Command(BaseCommand):
    help = "Load the fictional demo programs (once; running it again changes nothing)."

    def handle(self, *args, **options) -> None:
        if demo_exists():
            self.stdout.write("→ Demo data already loaded.")
            program = Program.objects.get(title=DEMO_TITLE)
        else:
            # The current edition (at matching) and the completed 2025 one, each once: a
            # database loaded before the 2025 edition existed gets it, with the same people.
            if not Program.objects.filter(title=DEMO_TITLE).exists():
                build_demo()
            if not Program.objects.filter(title=PAST_DEMO_TITLE).exists():
                build_past_edition()
            program = Program.objects.get(title=DEMO_TITLE)
            self.stdout.write(self.style.SUCCESS("→ Demo data loaded."))
        network = build_demo_network(program)
        build_demo_inclusion()
        build_demo_resources(network)
        build_demo_accreditation(network)
        build_demo_directory(network)
        build_demo_practice(network)
        build_demo_governance(network)
        url = settings.SITE_URL + reverse("measurement:network", args=[network.pk])
        self.stdout.write(f"  Réseau de démonstration / demo network: {url}")
        form = program.forms.first()
        if form is not None:
            url = settings.SITE_URL + reverse("intake:public_form", args=[form.token])
            self.stdout.write(f"  Formulaire d’intérêt public / public interest form: {url}")
