"""Training's create forms count once, whatever the clicks (the walk of
maillage/tests/test_create_forms_once.py, on this app's forms)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.conftest import login
from maillage.tests.test_create_forms_once import form_fields
from maillage.training import services
from maillage.training.models import Assignment, FollowUp, Module, Question, SupportEntry

pytestmark = pytest.mark.django_db


def test_every_training_create_form_counts_once(client, program_a, module, coordinator, mentee):
    path = services.start_path(program=program_a)
    step = path.steps.first()
    p = program_a.pk
    cases = [
        (
            reverse("training:module_new", args=[p]),
            None,
            {"title": "Accueil", "summary": "Bienvenue", "body": "Le texte"},
            Module,
        ),
        (
            reverse("training:library", args=[p]),
            reverse("training:copy_starter", args=[p, "role-du-mentor"]),
            {},
            Module,
        ),
        (
            reverse("training:module", args=[p, module.pk]),
            reverse("training:question_add", args=[p, module.pk]),
            {"text": "Vrai ?", "choice_1": "Oui", "correct_1": "on", "choice_2": "Non"},
            Question,
        ),
        (
            reverse("training:module", args=[p, module.pk]),
            reverse("training:assign", args=[p, module.pk]),
            {"kind": "mentee"},
            Assignment,
        ),
        (
            reverse("training:step", args=[p, step.pk]),
            reverse("training:step", args=[p, step.pk]),
            {"on": str(timezone.localdate()), "hours": "2", "note": "Atelier"},
            SupportEntry,
        ),
        (
            reverse("training:path", args=[p]),
            reverse("training:follow_up_add", args=[p]),
            {"on": str(timezone.localdate()), "note": "Bilan"},
            FollowUp,
        ),
    ]
    login(client, coordinator)
    for page, action, typed, model in cases:
        html = client.get(page).content.decode()
        fields = form_fields(html, action)
        assert "form_token" in fields, page
        data = {**fields, **typed}
        if model is SupportEntry:
            data.pop("status", None)  # the hours' form, not the step's
        before = model.objects.count()
        first = client.post(action or page, data)
        again = client.post(action or page, data)
        assert first.status_code == 302, (page, first.status_code)
        assert model.objects.count() - before == 1, page
        assert again.status_code == 302 and again["Location"] == first["Location"], page
