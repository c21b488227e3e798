from __future__ import annotations

import html

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.core.models import Sector, Territory
from maillage.matching.models import Exclusion, MatchRun, PairConstraint
from maillage.matching.services import accept_proposal, accept_run, run_matching
from maillage.mentoring.models import Group


@pytest.fixture
def prepared(cast, coordinator):
    """A run, a constraint and an exclusion, so that every URL has real objects behind it."""
    program = cast["program"]
    run = run_matching(program=program, by=coordinator.user)
    constraint = PairConstraint.objects.create(
        program=program, kind="forbid", mentor=cast["marc"], mentee=cast["denis"]
    )
    exclusion = Exclusion.objects.create(
        program=program,
        mentor=cast["marc"],
        mentee=cast["chantal"],
        reason="competition",
        declared_by="coordinator",
    )
    return {**cast, "run": run, "constraint": constraint, "exclusion": exclusion}


def coordinator_urls(p) -> list[tuple[str, str]]:
    pk = p["program"].pk
    return [
        ("get", reverse("matching:home", args=[pk])),
        ("get", reverse("matching:run_inputs", args=[pk])),
        ("post", reverse("matching:settings", args=[pk])),
        ("post", reverse("matching:run", args=[pk])),
        ("post", reverse("matching:lock", args=[pk])),
        ("post", reverse("matching:forbid", args=[pk])),
        ("post", reverse("matching:move", args=[pk])),
        ("post", reverse("matching:unconstrain", args=[pk])),
        ("post", reverse("matching:unconstrain_all", args=[pk])),
        ("post", reverse("matching:exclusion_add", args=[pk])),
        ("post", reverse("matching:exclusion_remove", args=[pk])),
        ("post", reverse("matching:accept", args=[pk])),
        ("post", reverse("matching:accept_all", args=[pk])),
    ]


def _payload(p):
    return {
        "mentor": f"R{p['marc'].pk}",
        "mentee": f"R{p['elise'].pk}",
        "to_mentor": f"T{p['team'].pk}",
        "mode": "exact",
        "run": p["run"].pk,
        "proposal": p["run"].proposals.first().pk,
        "constraint": p["constraint"].pk,
        "exclusion": p["exclusion"].pk,
    }


def test_outsider_gets_404_on_every_matching_page(client, prepared, outsider):
    login(client, outsider)
    for method, url in coordinator_urls(prepared) + [
        ("get", reverse("mentoring:my_group", args=[prepared["program"].pk]))
    ]:
        response = getattr(client, method)(url, _payload(prepared))
        assert response.status_code == 404, url
    assert prepared["program"].match_runs.count() == 1
    assert PairConstraint.objects.count() == 1 and Exclusion.objects.count() == 1
    assert not Group.objects.exists()


@pytest.mark.parametrize("who", ["mentor", "mentee", "committee_member"])
def test_participants_get_404_on_every_coordinator_page(client, prepared, who, request):
    login(client, request.getfixturevalue(who))
    for method, url in coordinator_urls(prepared):
        response = getattr(client, method)(url, _payload(prepared))
        assert response.status_code == 404, url
    assert not Group.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in(client, prepared):
    response = client.get(reverse("matching:home", args=[prepared["program"].pk]))
    assert response.status_code == 302
    assert not MatchRun.objects.filter(status="failed").exists()


def test_coordinator_sees_who_will_be_matched_and_what_is_missing(client, cast, coordinator):
    elise = cast["elise"].person
    elise.availability = []
    elise.save()
    login(client, coordinator)
    page = client.get(reverse("matching:home", args=[cast["program"].pk])).content.decode()
    assert "Lancer le jumelage" in page
    assert "Équipe Alliance" in page and "Rita Alliance" in page
    assert "aucune disponibilité indiquée" in page
    assert "Besoins et expertise" in page  # the weights form, in plain words


def test_who_will_be_matched_shows_each_sides_sector_the_same_sector_rule_reads(
    client, cast, coordinator
):
    denis = cast["denis"].person
    denis.organization.sector = Sector.objects.get(code="agroalimentaire")
    denis.organization.save()
    login(client, coordinator)
    response = client.get(reverse("matching:home", args=[cast["program"].pk]))
    mentees = response.context["people"].mentees
    assert {s.label: s.data["sector"] for s in mentees}["Denis Dehors"] == "agroalimentaire"
    page = html.unescape(response.content.decode())
    section = page[page.index("Qui sera jumelé") :]
    assert '<th scope="col">Secteur</th>' in section
    assert "Producteurs agroalimentaires" in section and "Communautaire" in section


def test_coordinator_runs_and_sees_groups_factors_and_certificate(client, cast, coordinator):
    login(client, coordinator)
    url = reverse("matching:home", args=[cast["program"].pk])
    response = client.post(reverse("matching:run", args=[cast["program"].pk]), {"mode": "exact"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Optimal : aucune autre formation de groupes ne fait mieux selon vos critères" in page
    assert "Besoins et expertise" in page and "Thèmes en commun" in page
    assert "<meter" in page
    assert "Imposer cette paire" in page and "Interdire cette paire" in page
    assert "Accepter ce groupe" in page


def test_an_infeasible_lock_is_shown_as_a_message_not_a_crash(client, cast, coordinator):
    program = cast["program"]
    org = cast["bruno"].person.organization
    org.territory = Territory.objects.get(code="QC-16")
    org.save()
    PairConstraint.objects.create(
        program=program, kind="lock", mentor=cast["marc"], mentee=cast["bruno"]
    )
    login(client, coordinator)
    response = client.post(
        reverse("matching:run", args=[program.pk]), {"mode": "exact"}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bruno Beauce" in page and "Marc Mentor" in page
    assert "mentor et mentoré de régions différentes" in page
    assert program.match_runs.first().status == MatchRun.Status.FAILED


def test_a_bad_weight_is_explained_and_every_value_kept(client, cast, coordinator):
    login(client, coordinator)
    data = {
        "region_rule": "any",
        "mentees_per_group": "3",
        "weight_fit": "-1",
        "weight_themes": "0.7",
        "weight_style": "0.2",
        "weight_ranking": "0.3",
        "weight_preference": "0.2",
        "weight_shared_themes": "0.3",
    }
    response = client.post(reverse("matching:settings", args=[cast["program"].pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Un poids est positif ou nul." in page
    assert 'value="0.7"' in page and 'value="-1"' in page
    cast["program"].refresh_from_db()
    assert cast["program"].region_rule == "different_region"


def test_saving_weights_and_policy(client, cast, coordinator):
    login(client, coordinator)
    data = {
        "region_rule": "any",
        "mentees_per_group": "3",
        "weight_fit": "2",
        "weight_themes": "0.5",
        "weight_style": "0",
        "weight_ranking": "0.3",
        "weight_preference": "0.2",
        "weight_shared_themes": "0.3",
        "allow_mentor_from_other_sector": "on",
    }
    response = client.post(reverse("matching:settings", args=[cast["program"].pk]), data)
    assert response.status_code == 302
    program = cast["program"]
    program.refresh_from_db()
    assert program.region_rule == "any" and program.mentees_per_group == 3
    assert program.allow_mentor_from_other_sector and not program.mentees_from_different_regions
    assert program.matching_weights["fit"] == 2.0 and program.matching_weights["style"] == 0.0


def test_lock_forbid_move_and_accept_through_the_page(client, cast, coordinator):
    program, login_ = cast["program"], login(client, coordinator)
    login_.post(reverse("matching:run", args=[program.pk]), {"mode": "exact"})
    pair = {"mentor": f"T{cast['team'].pk}", "mentee": f"R{cast['bruno'].pk}"}
    assert client.post(reverse("matching:lock", args=[program.pk]), pair).status_code == 302
    assert PairConstraint.objects.get(program=program).kind == "lock"
    client.post(reverse("matching:forbid", args=[program.pk]), pair)
    assert PairConstraint.objects.get(program=program).kind == "forbid"
    client.post(
        reverse("matching:move", args=[program.pk]),
        {"mentee": f"R{cast['elise'].pk}", "to_mentor": f"T{cast['team'].pk}"},
    )
    latest = program.match_runs.first()
    assert (
        f"R{cast['elise'].pk}" in latest.proposals.get(mentor_key=f"T{cast['team'].pk}").mentee_keys
    )
    proposal = latest.proposals.first()
    client.post(reverse("matching:accept", args=[program.pk]), {"proposal": proposal.pk})
    assert Group.objects.filter(created_from=proposal).exists()


def test_an_object_of_another_program_is_404(client, cast, coordinator, outsider):
    other = outsider.roles.first().program
    login(client, coordinator)
    run = run_matching(program=cast["program"], by=coordinator.user)
    response = client.post(
        reverse("matching:accept", args=[other.pk]), {"proposal": run.proposals.first().pk}
    )
    assert response.status_code == 404


def test_declaring_a_conflict(client, cast, coordinator):
    login(client, coordinator)
    data = {
        "mentor": f"R{cast['marc'].pk}",
        "mentee": f"R{cast['elise'].pk}",
        "reason": "conflict_of_interest",
        "declared_by": "mentee",
        "note": "Ancien employeur",
    }
    response = client.post(reverse("matching:exclusion_add", args=[cast["program"].pk]), data)
    assert response.status_code == 302
    exclusion = Exclusion.objects.get(program=cast["program"])
    assert exclusion.declared_by == "mentee" and exclusion.mentee == cast["elise"]
    run = run_matching(program=cast["program"], by=coordinator.user)
    assert (
        f"R{cast['elise'].pk}"
        not in run.proposals.get(mentor_key=f"R{cast['marc'].pk}").mentee_keys
    )


def test_a_conflict_without_a_mentor_is_explained(client, cast, coordinator):
    login(client, coordinator)
    data = {
        "mentor": "",
        "mentee": f"R{cast['elise'].pk}",
        "reason": "competition",
        "declared_by": "mentee",
        "note": "Même clientèle",
    }
    response = client.post(reverse("matching:exclusion_add", args=[cast["program"].pk]), data)
    assert response.status_code == 200
    assert "Même clientèle" in response.content.decode()
    assert not Exclusion.objects.exists()


def test_a_mentee_sees_their_group_and_only_their_own_pairs_factors(
    client, cast, coordinator, mentee
):
    run = run_matching(program=cast["program"], by=coordinator.user)
    accept_run(run=run, by=coordinator.user)
    login(client, mentee)
    page = client.get(reverse("mentoring:my_group", args=[cast["program"].pk])).content.decode()
    assert "Marc Mentor" in page and "Bruno Beauce" in page
    assert "Jumelage de Élise Mentorée" in page
    assert "Jumelage de Bruno Beauce" not in page
    assert "Besoins et expertise" in page
    assert "Chantal Centre" not in page  # another group


def test_a_mentor_sees_the_pairs_of_their_group(client, cast, coordinator, mentor):
    run = run_matching(program=cast["program"], by=coordinator.user)
    accept_run(run=run, by=coordinator.user)
    login(client, mentor)
    page = client.get(reverse("mentoring:my_group", args=[cast["program"].pk])).content.decode()
    assert "Jumelage de Élise Mentorée" in page and "Jumelage de Bruno Beauce" in page
    assert "Denis Dehors" not in page


def test_before_acceptance_my_group_says_it_is_not_formed(client, cast, coordinator, mentee):
    run_matching(program=cast["program"], by=coordinator.user)
    login(client, mentee)
    response = client.get(reverse("mentoring:my_group", args=[cast["program"].pk]))
    assert response.status_code == 200
    assert "pas encore formé" in response.content.decode()


def test_a_proposal_of_another_program_is_404_for_its_own_coordinator(
    client, cast, coordinator, outsider
):
    """Olivier coordinates B: sending A's proposal, run, pair or conflict to B's pages is 404."""
    program_b = outsider.roles.first().program
    run = run_matching(program=cast["program"], by=coordinator.user)
    constraint = PairConstraint.objects.create(
        program=cast["program"], kind="forbid", mentor=cast["marc"], mentee=cast["denis"]
    )
    login(client, outsider)
    for name, data in [
        ("matching:accept", {"proposal": run.proposals.first().pk}),
        ("matching:accept_all", {"run": run.pk}),
        ("matching:unconstrain", {"constraint": constraint.pk}),
    ]:
        assert client.post(reverse(name, args=[program_b.pk]), data).status_code == 404
    url = reverse("matching:run_inputs", args=[program_b.pk]) + f"?execution={run.pk}"
    assert client.get(url).status_code == 404
    assert PairConstraint.objects.filter(pk=constraint.pk).exists()
    assert not Group.objects.exists()


def test_get_on_an_action_is_refused_without_doing_anything(client, cast, coordinator):
    login(client, coordinator)
    response = client.get(reverse("matching:run", args=[cast["program"].pk]))
    assert response.status_code == 405
    assert not MatchRun.objects.exists()


def test_the_inputs_download_is_the_instance_given_to_the_engine(client, cast, coordinator):
    run = run_matching(program=cast["program"], by=coordinator.user)
    login(client, coordinator)
    response = client.get(reverse("matching:run_inputs", args=[cast["program"].pk]))
    assert response.status_code == 200
    assert response.json() == run.instance


def test_a_rerun_after_acceptance_shows_the_group_as_formed(client, cast, coordinator):
    run = run_matching(program=cast["program"], by=coordinator.user)
    accept_proposal(
        proposal=run.proposals.get(mentor_key=f"T{cast['team'].pk}"), by=coordinator.user
    )
    run_matching(program=cast["program"], by=coordinator.user)
    login(client, coordinator)
    page = client.get(reverse("matching:home", args=[cast["program"].pk])).content.decode()
    assert "Groupe déjà formé" in page
    assert page.count("Accepter ce groupe") == 1  # only the group not yet accepted


def test_rerunning_when_everyone_is_grouped_never_shows_a_traceback(client, cast, coordinator):
    run = run_matching(program=cast["program"], by=coordinator.user)
    accept_run(run=run, by=coordinator.user)
    login(client, coordinator)
    url = reverse("matching:run", args=[cast["program"].pk])
    response = client.post(url, {"mode": "exact"}, follow=True)
    assert response.status_code == 200
    assert "Traceback" not in response.content.decode()
    assert cast["program"].match_runs.first().status in ("done", "failed")


def test_a_participant_reads_how_well_each_criterion_matched_in_words(
    client, cast, coordinator, mentee
):
    accept_run(run=run_matching(program=cast["program"], by=coordinator.user), by=coordinator.user)
    login(client, mentee)
    page = client.get(reverse("mentoring:my_group", args=[cast["program"].pk])).content.decode()
    assert "<meter" not in page and "&nbsp;%" not in page
    assert any(words in page for words in ("correspond bien", "en partie", "correspond peu"))
