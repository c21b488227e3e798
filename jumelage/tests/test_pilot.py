from __future__ import annotations

import json
from pathlib import Path

from jumelage import load_instance, solve
from jumelage.check import check

PILOT = Path(__file__).resolve().parents[1] / "examples" / "pilot.json"


def test_the_pilot_comes_out_as_its_two_tracks_of_three_optimal():
    inst = load_instance(json.loads(PILOT.read_text(encoding="utf-8")))
    result = solve(inst)
    assert [(g.mentor, sorted(g.mentees)) for g in result.groups] == [
        ("M-LOG", ["E-MTG", "E-SAG"]),  # Logistique
        ("M-SYN", ["E-BSL", "E-EST"]),  # Synergies
    ]
    assert result.certificate.status == "optimal"
    assert result.unmatched == []
    assert check(inst, result) == []


def test_the_pilot_is_the_same_with_the_lexical_backend():
    data = json.loads(PILOT.read_text(encoding="utf-8"))
    data["fit"] = {"backend": "lexical"}
    result = solve(load_instance(data))
    assert [(g.mentor, sorted(g.mentees)) for g in result.groups] == [
        ("M-LOG", ["E-MTG", "E-SAG"]),
        ("M-SYN", ["E-BSL", "E-EST"]),
    ]
