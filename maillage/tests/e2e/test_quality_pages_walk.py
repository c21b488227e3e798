"""In French, on the full demo (as `load_demo` builds it): every page of inclusion, training
and accreditation, at 1280 px and on a 390 px phone, for the person who uses it — Camille
(coordination), Sophie (mentee of both editions), Geneviève (assessor), Julie (the network's
staff). Each page answers, fits the screen (no sideways scroll) and passes axe-core; with
MAILLAGE_SCREENSHOTS set, each is saved as a picture to look at."""

from __future__ import annotations

from django.urls import reverse

from maillage.accreditation.models import Dossier
from maillage.core.models import Person
from maillage.demo.editions import DEMO_PASSWORD, DEMO_TITLE, PAST_DEMO_TITLE
from maillage.demo.full import build_full_demo
from maillage.programs.models import Program, Role
from maillage.training.models import Module

from .conftest import PHONE, axe_violations, shoot

DOMAIN = "demo.maillage.org"


def _sign_in(page, slug: str) -> None:
    page.context.clear_cookies()
    page.goto(page.base + "/comptes/login/")
    page.get_by_label("Courriel").fill(f"{slug}@{DOMAIN}")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_label("Mot de passe").press("Enter")
    page.wait_for_load_state("load")


def _pages(current: Program, past: Program) -> dict[str, list[tuple[str, str]]]:
    dossier = Dossier.objects.get(program=past, part="design")
    submission = dossier.last_submission()
    module = current.modules.order_by("pk").first()
    sophie = Person.objects.get(email=f"sophie.lavoie@{DOMAIN}")
    hers = Module.objects.assigned_to(sophie, current).order_by("pk").first()
    group = current.inclusion_groups.order_by("position").first()
    network = submission.assessor.network
    return {
        "camille.gagnon": [
            ("inclusion-home-past", reverse("inclusion:home", args=[past.pk])),
            ("inclusion-home-current", reverse("inclusion:home", args=[current.pk])),
            ("inclusion-group", reverse("inclusion:group", args=[current.pk, group.pk])),
            ("training-library", reverse("training:library", args=[current.pk])),
            ("training-progress", reverse("training:progress", args=[current.pk])),
            ("training-module", reverse("training:module", args=[current.pk, module.pk])),
            ("training-module-edit", reverse("training:module_edit", args=[current.pk, module.pk])),
            ("training-path-past", reverse("training:path", args=[past.pk])),
            ("accreditation-home", reverse("accreditation:home", args=[past.pk])),
            ("accreditation-dossier", reverse("accreditation:dossier", args=[past.pk, dossier.pk])),
            ("accreditation-submit", reverse("accreditation:submit", args=[past.pk, dossier.pk])),
        ],
        "sophie.lavoie": [
            ("inclusion-my-account", reverse("inclusion:my_account")),
            ("inclusion-mine-past", reverse("inclusion:mine", args=[past.pk])),
            ("inclusion-mine-current", reverse("inclusion:mine", args=[current.pk])),
            ("my-consents", reverse("programs:my_consents")),
            ("training-mine", reverse("training:mine", args=[current.pk])),
            ("training-my-module", reverse("training:my_module", args=[current.pk, hers.pk])),
        ],
        "genevieve.lachance": [
            ("accreditation-reviews", reverse("accreditation:reviews")),
            ("accreditation-review", reverse("accreditation:review", args=[submission.pk])),
        ],
        "julie.bergeron": [
            ("accreditation-assessors", reverse("accreditation:assessors", args=[network.pk])),
        ],
    }


def test_every_page_of_the_three_apps_fits_and_passes_axe(page, reference_data):
    build_full_demo()
    current = Program.objects.get(title=DEMO_TITLE)
    past = Program.objects.get(title=PAST_DEMO_TITLE)
    # Sophie is a mentee of both editions, with the 2025 answers the inclusion demo gave her.
    assert past.roles.filter(kind=Role.Kind.MENTEE, person__email=f"sophie.lavoie@{DOMAIN}")
    problems = []
    for slug, pages in _pages(current, past).items():
        _sign_in(page, slug)
        for name, url in pages:
            for width, viewport in (("1280", {"width": 1280, "height": 900}), ("390", PHONE)):
                page.set_viewport_size(viewport)
                response = page.goto(page.base + url)
                if response is None or response.status != 200:
                    problems.append(f"{name}: status {response.status if response else None}")
                    continue
                sizes = page.evaluate(
                    "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
                )
                if sizes[0] > sizes[1]:
                    problems.append(f"{name} at {width}: {sizes[0]} px wide for {sizes[1]}")
                if width == "390":
                    problems += [
                        f"{name}: axe {v['id']} {v['nodes']}" for v in axe_violations(page)
                    ]
                shoot(page, f"q16-{name}-{width}")
    assert problems == []
