from __future__ import annotations

import json
import random
from pathlib import Path

from jumelage import load_instance, schemas, solve
from jumelage.tests.factories import random_instance_data

PILOT = Path(__file__).resolve().parents[1] / "examples" / "pilot.json"


def test_the_pilot_follows_the_instance_schema():
    assert schemas.errors(json.loads(PILOT.read_text(encoding="utf-8")), "instance") == []


def test_results_follow_the_result_schema():
    for seed in range(5):
        data = random_instance_data(random.Random(seed), n_mentors=3, n_mentees=6)
        result = json.loads(json.dumps(solve(load_instance(data)).to_dict()))
        assert schemas.errors(result, "result") == []


def test_the_validator_reports_path_and_expectation():
    found = schemas.errors({"mentors": [{"id": 3}], "mentees": "x"}, "instance")
    assert ("/mentors/0/id", "string") in found
    assert ("/mentees", "array") in found


def test_fit_file_schema_needs_ids_and_texts():
    assert schemas.errors(
        {"mentors": [{"id": "A", "text": "t"}], "needs": [{"id": "n"}]}, "fit"
    ) == [("/needs/0/text", "required")]
