"""Applications and reviews for the selection tests, on top of the personas of maillage/conftest.py."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from maillage.conftest import make_person
from maillage.core.models import Person, Territory
from maillage.intake.models import Application
from maillage.programs.models import Program
from maillage.selection.models import Criterion
from maillage.selection.services import save_review


def make_application(
    program: Program,
    name: str = "Cuisine collective (fictive)",
    *,
    email: str = "contact@cuisine.example",
    contact: str = "Rosalie Tremblay",
    language: str = "fr",
    region: str = "QC-01",
    received: datetime | None = None,
    **extra,
) -> Application:
    # As the public form records them: with the applicant's consent.
    extra.setdefault("consent_given", True)
    extra.setdefault("consent_source", "form")
    application = Application.objects.create(
        program=program,
        form=program.forms.first(),
        organization_name=name,
        contact_name=contact,
        email=email,
        language=language,
        region=Territory.objects.get(code=region),
        answers={"organization": name, "concept": "Frigo communautaire et cuisine partagée."},
        **extra,
    )
    if received is not None:
        Application.objects.filter(pk=application.pk).update(submitted_at=received)
        application.refresh_from_db()
    return application


def when(day: int) -> datetime:
    return timezone.make_aware(datetime(2026, 4, day, 10, 0))


def score_all(application: Application, reviewer: Person, values: list[int], comment: str = ""):
    """Score the program's active criteria in order with `values`."""
    criteria = list(application.program.criteria.active())
    assert len(criteria) == len(values)
    return save_review(
        application=application,
        reviewer=reviewer,
        scores={c.pk: v for c, v in zip(criteria, values, strict=True)},
        comment=comment,
    )


@pytest.fixture
def application(program_a) -> Application:
    return make_application(program_a)


@pytest.fixture
def three_criteria(program_a) -> list[Criterion]:
    """Weights 3, 2 and 1: small enough to compute by hand."""
    program_a.criteria.all().delete()
    return [
        Criterion.objects.create(program=program_a, order=i, label_fr=label, weight=Decimal(w))
        for i, (label, w) in enumerate([("Impact", "3"), ("Ouverture", "2"), ("Partenariat", "1")])
    ]


@pytest.fixture
def second_reviewer(program_a) -> Person:
    from maillage.programs.models import Role
    from maillage.programs.services import assign_role

    person = make_person("Rémi", "Relecteur")
    assign_role(program=program_a, person=person, kind=Role.Kind.COMMITTEE)
    return person
