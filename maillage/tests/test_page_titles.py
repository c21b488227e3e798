"""Every tab reads « <the page's title> — Maillage », and no page can forget its title."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse

import maillage

TITLE = re.compile(r"<title>(.*?)</title>", re.S)
EXTENDS = re.compile(r"{%\s*extends\s+(.+?)\s*%}")
TITLE_BLOCK = re.compile(r"{%\s*block\s+title\s*%}")


def tab_title(response) -> str:
    return html.unescape(TITLE.search(response.content.decode()).group(1))


@pytest.mark.django_db
def test_home_for_a_visitor(client):
    assert tab_title(client.get(reverse("core:home"))) == "Accueil — Maillage"


@pytest.mark.django_db
def test_sign_in_page(client):
    assert tab_title(client.get(reverse("account_login"))) == "Se connecter — Maillage"


def test_my_programs_for_a_coordinator(as_coordinator, program_a):
    response = as_coordinator.get("/programmes/")
    assert tab_title(response) == "Mes programmes — Maillage"


def test_program_page_names_the_program(as_coordinator, program_a):
    response = as_coordinator.get(reverse("programs:detail", args=[program_a.pk]))
    assert tab_title(response) == "Programme A — Maillage"


def test_a_page_without_a_title_reads_maillage_alone():
    from maillage.core.templatetags.pages import page_title

    assert page_title("") == "Maillage"
    assert page_title("\n  Accueil\n") == "Accueil — Maillage"
    rendered = Template("{% load pages %}{% filter page_title %}R&D{% endfilter %}")
    assert rendered.render(Context()) == "R&D — Maillage"  # escaped once, by the template


def _templates() -> dict[str, Path]:
    root = Path(maillage.__file__).parent
    return {
        str(path.relative_to(directory)): path
        for directory in root.glob("**/templates")
        if "locale" not in directory.parts
        for path in directory.glob("**/*.html")
    }


def _pages_on_base(templates: dict[str, Path]) -> list[str]:
    """Templates that extend base.html, directly or through another layout."""
    parents = {}
    for name, path in templates.items():
        match = EXTENDS.search(path.read_text())
        if match:
            # `{% extends preview|yesno:"program_base.html,base.html" %}` names two parents.
            parents[name] = re.findall(r"[\w/.-]+\.html", match.group(1))

    def on_base(name: str) -> bool:
        return any(p == "base.html" or on_base(p) for p in parents.get(name, []))

    return sorted(name for name in parents if on_base(name))


def test_every_page_on_base_html_has_its_own_title():
    templates = _templates()
    pages = _pages_on_base(templates)
    assert len(pages) > 50  # the walk found the app templates
    untitled = [
        name
        for name in pages
        # Layouts (base.html, program_base.html…) leave the title to the pages built on them.
        if not Path(name).name.endswith("base.html")
        and not TITLE_BLOCK.search(templates[name].read_text())
    ]
    assert untitled == []
