"""Two mentees ask for a mentor side's last seat at the same moment: one gets it, the other is
told there is no seat left (threads on the file test database, as processes share it)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from maillage.core.reference import load_reference_data
from maillage.matching import services
from maillage.matching.errors import MatchingError
from maillage.matching.models import MatchRequest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def reference_data(transactional_db) -> None:
    load_reference_data()


def test_two_mentees_racing_for_the_last_seat_one_gets_it(cast, coordinator):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(":memory"):
        pytest.skip("threads need a shared file database")
    program = cast["program"]
    services.open_self_matching(
        program=program, is_open=True, closes_at=timezone.now() + timedelta(days=3), by=None
    )
    cast["marc"].capacity = 1
    cast["marc"].save()
    key = f"R{cast['marc'].pk}"
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def ask(who: str) -> None:
        try:
            start.wait()
            services.send_match_request(
                program=program, user=cast[who].person.user, mentor_key=key, message="Bonjour"
            )
            outcomes.append("sent")
        except MatchingError as error:
            outcomes.append(error.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(who,)) for who in ("elise", "bruno")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[-1] == "sent"
    assert sorted(outcomes)[0].startswith("Plus de place"), outcomes
    assert MatchRequest.objects.filter(mentor_key=key).count() == 1
