"""The action plan page: participants read the fit suggestion in words, the coordination also
sees the score behind it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.mentoring import services


@pytest.fixture
def plan_url(group, mentee):
    member = group.members.get(role__person=mentee)
    plan = services.plan_for(member=member)
    services.add_need(plan=plan, by=mentee, text="Transport réfrigéré et entreposage des denrées")
    return reverse("mentoring:plan", args=[group.program_id, group.pk, member.pk])


@pytest.mark.parametrize("who", ["mentee", "mentor"])
def test_participants_read_words_not_scores(client, request, plan_url, who):
    login(client, request.getfixturevalue(who))
    page = client.get(plan_url).content.decode()
    assert "dans l’expertise (suggestion)" in page
    assert "score" not in page


def test_the_coordination_keeps_the_score(client, plan_url, coordinator):
    login(client, coordinator)
    page = client.get(plan_url).content.decode()
    assert "dans l’expertise (suggestion)" in page and "score 0," in page
