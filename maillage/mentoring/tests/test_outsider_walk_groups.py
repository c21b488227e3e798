"""The site-wide outsider walk (maillage/tests/test_outsider_walk.py), run on the mentoring
routes with a real group of the demo program: 404 by GET and POST, and with the outsider's own
program in the address."""

from __future__ import annotations

import pytest

from maillage.programs.models import Program
from maillage.tests.test_outsider_walk import _fill, _int_samples, program_routes

from .samples import walk_samples


@pytest.fixture
def demo_program(db) -> Program:
    from maillage.programs.demo import build_demo

    return build_demo()


def mentoring_routes() -> list[tuple[str, str]]:
    return [(r, n) for r, n in program_routes() if n.startswith("mentoring:")]


def test_outsider_gets_404_on_every_group_page(client, outsider, demo_program):
    ints = {**_int_samples(demo_program), **walk_samples(demo_program)}
    client.force_login(outsider.user)
    own = Program.objects.get(title="Programme B")
    walked = 0
    for route, name in mentoring_routes():
        for url in _fill(route, ints):
            crossed = url.replace(f"/programmes/{demo_program.pk}/", f"/programmes/{own.pk}/", 1)
            # With only the program in the address, the crossed one is the outsider's own page.
            addresses = (url, crossed) if route.count("<") > 1 else (url,)
            for address in addresses:
                for method in ("get", "post"):
                    response = getattr(client, method)(address)
                    assert response.status_code == 404, f"{method} {address} ({name})"
                    walked += 1
    assert walked >= 4 * 20
