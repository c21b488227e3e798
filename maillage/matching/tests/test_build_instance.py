from __future__ import annotations

import numpy as np

from maillage.matching import instance as builder
from maillage.matching.instance import build_instance
from maillage.matching.models import Exclusion, PairConstraint, TextVector
from maillage.matching.services import forbid_pair, lock_pair


class CountingEncoder:
    """A stand-in encoder that records what it was asked to encode."""

    name = "counting"

    def __init__(self, fingerprint: str = "counting:v1") -> None:
        self.fingerprint = fingerprint
        self.calls: list[list[str]] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), 4), dtype=np.float32)
        out[:, 0] = 1.0
        return out


def _by_id(data, side):
    return {p["id"]: p for p in data[side]}


def test_a_team_is_one_mentor_side_with_its_capacity(cast):
    data, people = build_instance(cast["program"], encoder=CountingEncoder())
    team_key = f"T{cast['team'].pk}"
    mentors = _by_id(data, "mentors")
    assert set(mentors) == {f"R{cast['marc'].pk}", team_key}
    side = mentors[team_key]
    assert side["label"] == "Équipe Alliance"
    assert side["capacity"] == 2
    assert side["members"] == [f"R{r.pk}" for r in cast["team_roles"]]
    assert side["region"] == "QC-05"
    assert "synergies" in {t.casefold() for t in side["themes"]}
    # Marc has no capacity of his own: the program's group size applies.
    assert mentors[f"R{cast['marc'].pk}"]["capacity"] == cast["program"].mentees_per_group


def test_mentees_carry_region_sector_languages_availability_and_track(cast):
    data, _people = build_instance(cast["program"], encoder=CountingEncoder())
    elise = _by_id(data, "mentees")[f"R{cast['elise'].pk}"]
    assert elise["label"] == "Élise Mentorée"
    assert elise["region"] == "QC-02"
    assert elise["sector"] == "communautaire"
    assert elise["languages"] == ["fr"]
    assert elise["availability"] == ["wed-pm"]
    assert elise["themes"] == ["Logistique"]
    assert elise["style"] == "intuitive"


def test_policy_and_weights_come_from_the_program(cast):
    program = cast["program"]
    program.region_rule = "same_region_different_mrc"
    program.mentees_from_different_regions = False
    program.allow_mentor_from_other_sector = True
    program.mentees_per_group = 3
    program.matching_weights = {"fit": 2, "style": 0, "unknown": 5}
    program.save()
    data, _people = build_instance(program, encoder=CountingEncoder())
    assert data["policy"]["region_rule"] == "same_region_different_mrc"
    assert data["policy"]["mentee_region_rule"] == "any"
    assert data["policy"]["sector_rule"] == "any"
    assert data["policy"]["group_size"] == 3
    assert data["weights"]["fit"] == 2.0 and data["weights"]["style"] == 0.0
    assert data["weights"]["themes"] == 0.5  # the engine's default when not set
    assert "unknown" not in data["weights"]


def test_default_policy_is_the_pilots(cast):
    data, _people = build_instance(cast["program"], encoder=CountingEncoder())
    assert data["policy"]["region_rule"] == "different_region"
    assert data["policy"]["mentee_region_rule"] == "different_region"
    assert data["policy"]["sector_rule"] == "same_sector"


def test_locks_forbids_and_exclusions_name_the_sides(cast, coordinator):
    program, team_key = cast["program"], f"T{cast['team'].pk}"
    # A lock given through a team member's role is a lock on the team side.
    lock_pair(
        program=program,
        mentor_key=f"R{cast['team_roles'][1].pk}",
        mentee_key=f"R{cast['elise'].pk}",
        by=coordinator.user,
    )
    forbid_pair(
        program=program,
        mentor_key=f"R{cast['marc'].pk}",
        mentee_key=f"R{cast['bruno'].pk}",
        by=coordinator.user,
    )
    Exclusion.objects.create(
        program=program,
        mentor=cast["marc"],
        mentee=cast["denis"],
        reason="competition",
        declared_by="mentee",
    )
    data, _people = build_instance(program, encoder=CountingEncoder())
    assert data["locks"] == [{"mentor": team_key, "mentee": f"R{cast['elise'].pk}"}]
    assert data["forbidden"] == [
        {"mentor": f"R{cast['marc'].pk}", "mentee": f"R{cast['bruno'].pk}"}
    ]
    assert data["exclusions"] == [
        {
            "mentor": f"R{cast['marc'].pk}",
            "mentee": f"R{cast['denis'].pk}",
            "reason": "competition",
            "declared_by": "mentee",
        }
    ]
    assert PairConstraint.objects.filter(program=program).count() == 2


def test_vectors_are_cached_and_not_recomputed_when_texts_are_unchanged(cast):
    encoder = CountingEncoder()
    build_instance(cast["program"], encoder=encoder)
    assert sum(len(c) for c in encoder.calls) == 6  # 2 expertise texts + 4 needs texts
    stored = TextVector.objects.filter(program=cast["program"])
    assert stored.count() == 6 and {v.encoder for v in stored} == {"counting:v1"}
    build_instance(cast["program"], encoder=encoder)
    assert sum(len(c) for c in encoder.calls) == 6


def test_a_changed_text_is_encoded_again_and_only_that_one(cast):
    encoder = CountingEncoder()
    build_instance(cast["program"], encoder=encoder)
    marc = cast["marc"].person
    marc.expertise = "Chaîne du froid et camions électriques."
    marc.save()
    build_instance(cast["program"], encoder=encoder)
    assert len(encoder.calls[-1]) == 1
    assert "camions électriques" in encoder.calls[-1][0]
    vector = TextVector.objects.get(program=cast["program"], key=f"R{cast['marc'].pk}")
    assert vector.text_hash == builder.text_hash(builder.roster(cast["program"]).mentors[0].text)


def test_a_new_encoder_reencodes_every_text(cast):
    build_instance(cast["program"], encoder=CountingEncoder("counting:v1"))
    other = CountingEncoder("counting:v2")
    build_instance(cast["program"], encoder=other)
    assert sum(len(c) for c in other.calls) == 6
    assert set(TextVector.objects.values_list("encoder", flat=True)) == {"counting:v2"}


def test_pair_fits_come_from_the_cached_vectors(cast):
    data, _people = build_instance(cast["program"], encoder=CountingEncoder())
    # The stand-in encoder gives every text the same vector: every pair fits perfectly.
    assert len(data["pair_fit"]) == 2 * 4
    assert {p["score"] for p in data["pair_fit"]} == {1.0}
    assert all("text" not in p for p in data["mentors"] + data["mentees"])


def test_what_is_missing_is_said_for_each_person(cast):
    elise = cast["elise"].person
    elise.organization = None
    elise.availability = []
    elise.save()
    people = builder.roster(cast["program"])
    missing = people.mentee(f"R{cast['elise'].pk}").missing
    assert any("région" in m for m in missing)
    assert any("disponibilité" in m for m in missing)


def test_texts_encoded_ahead_by_the_task_are_not_encoded_again(cast, settings, monkeypatch):
    from maillage.matching.tasks import encode_texts

    assert encode_texts.call(cast["program"].pk) == 6
    stored = set(TextVector.objects.values_list("key", "text_hash"))
    lexical = builder.get_encoder()
    calls: list[int] = []
    original = type(lexical).encode_needs
    monkeypatch.setattr(
        type(lexical), "encode_needs", lambda self, texts: calls.append(1) or original(self, texts)
    )
    build_instance(cast["program"])
    assert calls == []
    assert set(TextVector.objects.values_list("key", "text_hash")) == stored
