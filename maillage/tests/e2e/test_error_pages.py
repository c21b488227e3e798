"""On a phone and a laptop, an error page reads in French, offers the way out, fits the screen
(no sideways scroll) and passes axe; the failure page has no stack trace (issue 10)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations, shoot

# The site's routes plus one that fails (maillage/core/tests/test_error_pages.py).
pytestmark = pytest.mark.urls("maillage.core.tests.test_error_pages")

PAGES = [
    ("/cette-page-n-existe-pas/", 404, "Page introuvable"),
    ("/essai/500/", 500, "Désolés, une erreur est survenue"),
]


@pytest.mark.parametrize("width", [1280, 390])
def test_error_pages_fit_the_screen_and_show_the_way_out(page, transactional_db, width):
    page.set_viewport_size({"width": width, "height": 800})
    for address, status, heading in PAGES:
        response = page.goto(page.base + address)
        assert response.status == status
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_role("link", name="Mes programmes").last).to_be_visible()
        expect(page.get_by_role("link", name="Retour à l’accueil")).to_be_visible()
        assert "Traceback" not in page.content()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{address} scrolls sideways by {overflow} px at {width} px"
        assert axe_violations(page) == []
        shoot(page, f"error-{status}-{width}")
