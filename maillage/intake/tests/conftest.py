"""Fixtures of recruiting: program A's pilot form and a complete, valid answer to it."""

from __future__ import annotations

import html
import re

import pytest

from maillage.intake.forms import forget_public_forms
from maillage.intake.models import InterestForm
from maillage.intake.rendering import forget_pages


@pytest.fixture(autouse=True)
def _fresh_public_form_stores():
    """Each test starts with this process's public-form stores empty (pages, forms, fields)."""
    forget_pages()
    forget_public_forms()


@pytest.fixture
def interest_form(program_a) -> InterestForm:
    return program_a.forms.get()


def valid_answer(**overrides: str) -> dict[str, str]:
    data = {
        "q_organization": "Frigo Solidaire de Lévis (fictif)",
        "q_region": "QC-12",
        "q_contact_name": "Jeanne Tremblay",
        "q_email": "jeanne@frigo-levis.example",
        "q_position": "Coordination",
        "q_concept": "Un frigo partagé\nouvert sept jours sur sept.",
        "q_operations": "Collecte chez trois épiceries, tri, entreposage au froid.",
        "q_barriers": "Transport réfrigéré et bénévoles le week-end.",
        "q_mentoring_help": "Apprendre d’un organisme qui a réglé la logistique du froid.",
        "q_revise_processes": "Je dirige l’organisme et peux changer nos façons de faire.",
        "q_comments": "",
        "consent": "on",
        "site_web": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def answer() -> dict[str, str]:
    return valid_answer()


_THANKS_ADDRESS = re.compile(r'data-url="([^"]*/merci/[^"]*)"')


def thanks_address(response) -> str:
    """The thanks page's own address, which the page answering a taken answer carries."""
    found = _THANKS_ADDRESS.search(response.content.decode())
    return html.unescape(found.group(1)) if found else ""


def thanked(response) -> bool:
    """The answer was taken: the POST is answered with the thanks page itself (200, not the
    form again), which carries its own address for the address bar."""
    return response.status_code == 200 and "/merci/?lang=" in thanks_address(response)
