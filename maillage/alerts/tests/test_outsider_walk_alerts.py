"""The site-wide outsider walk on the follow-up routes, with a real group of program A: 404 by
GET and POST, also with the outsider's own program in the address."""

from __future__ import annotations

import pytest

from maillage.tests.test_outsider_walk import _fill, program_routes

pytestmark = pytest.mark.django_db


def test_outsider_gets_404_on_every_follow_up_page(client, outsider, program_a, group):
    client.force_login(outsider.user)
    own = outsider.roles.get().program
    ints = {"pk": program_a.pk, "group_pk": group.pk}
    routes = [(r, n) for r, n in program_routes() if n.startswith("alerts:")]
    assert {n for _r, n in routes} == {"alerts:dashboard", "alerts:health", "alerts:close_group"}
    walked = 0
    for route, name in routes:
        for url in _fill(route, ints):
            addresses = [url]
            if route.count("<") > 1:  # A's object under B's address: still nothing
                addresses.append(
                    url.replace(f"/programmes/{program_a.pk}/", f"/programmes/{own.pk}/", 1)
                )
            for address in addresses:
                for method in ("get", "post"):
                    response = getattr(client, method)(address)
                    assert response.status_code == 404, f"{method} {address} ({name})"
                    walked += 1
    assert walked == 8
