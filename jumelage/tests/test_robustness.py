"""Malformed and extreme instances through the command line: exit 0 or 2 only, one plain line
per problem and never a traceback, quickly, and never a result that `check` refutes.

The instances are small (at most 5 mentors and 6 mentees) so each example runs in well under a
second; hypothesis draws the junk: NaN, ±Infinity, huge and negative numbers, wrong types,
unknown and duplicate ids (also across sides), locks, exclusions, pair scores."""

from __future__ import annotations

import contextlib
import io
import json
import math
import time
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from jumelage.cli import main

# numbers a JSON file may hold (Python's reader takes NaN and Infinity too)
NUMBERS = st.one_of(
    st.sampled_from([0, 1, 2, -1, 0.5, 1e20, 10**20, 1e300, -1e300, math.nan, math.inf, -math.inf]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**25), max_value=10**25),
)
JUNK = st.one_of(
    NUMBERS, st.none(), st.booleans(), st.text(max_size=3), st.lists(st.integers(), max_size=2)
)
REGIONS = ["01", "02", "03"]
# extreme but allowed values
WEIGHT = st.one_of(st.floats(0, 2), st.sampled_from([0, 1000, 1e-12]))
SCORE = st.one_of(st.floats(0, 1), st.sampled_from([0.0, 1.0, 5e-324]))


@st.composite
def person(draw, ident: str, side: str):
    p = {"id": ident}
    if draw(st.booleans()):
        p["region"] = draw(st.sampled_from(REGIONS))
    if draw(st.booleans()):
        p["languages"] = draw(st.lists(st.sampled_from(["fr", "en"]), max_size=2))
    if draw(st.booleans()):
        p["themes"] = draw(st.lists(st.sampled_from(["a", "b", "c"]), max_size=3))
    if draw(st.booleans()):
        p["vector"] = draw(
            st.lists(
                st.one_of(st.floats(-1, 1), st.sampled_from([1e300, -1e-300, 0.0])),
                min_size=3,
                max_size=3,
            )
        )
    if draw(st.integers(0, 9)) == 0:
        p["text"] = draw(st.text(max_size=20))
    if side == "mentor" and draw(st.booleans()):
        p["capacity"] = draw(st.sampled_from([0, 1, 2, 3, 1000]))
    return p


@st.composite
def pairs(draw, mentors, mentees, with_score: bool):
    out = []
    if not mentors or not mentees:
        return out
    for _ in range(draw(st.integers(0, 6))):
        x = {"mentor": draw(st.sampled_from(mentors)), "mentee": draw(st.sampled_from(mentees))}
        if with_score:
            x["score"] = draw(SCORE)
        out.append(x)
    return out


@st.composite
def clean_instances(draw):
    mentor_ids = [f"M{j}" for j in range(draw(st.integers(0, 5)))]
    mentee_ids = [f"E{i}" for i in range(draw(st.integers(0, 6)))]
    data = {
        "mentors": [draw(person(x, "mentor")) for x in mentor_ids],
        "mentees": [draw(person(x, "mentee")) for x in mentee_ids],
        "fit": {"backend": "lexical"},
        "policy": {
            "group_size": draw(st.sampled_from([1, 2, 3, 1000])),
            "mentee_region_rule": draw(st.sampled_from(["different_region", "any"])),
            "region_rule": draw(st.sampled_from(["different_region", "any"])),
            "sector_rule": "any",
            "require_availability_overlap": False,
            "only_scored_pairs": draw(st.booleans()),
        },
        "weights": {
            k: draw(WEIGHT)
            for k in [
                "fit",
                "themes",
                "style",
                "ranking",
                "preference",
                "shared_themes",
                "pair_score",
            ]
        },
    }
    for key, scored in (
        ("forbidden", False),
        ("pair_scores", True),
        ("pair_fit", True),
        ("exclusions", False),
    ):
        data[key] = draw(pairs(mentor_ids, mentee_ids, scored))
    if draw(st.integers(0, 3)) == 0:  # a lock, which may contradict the rest
        data["locks"] = draw(pairs(mentor_ids, mentee_ids, False))[:1]
    return data


def _places(data, path=()):
    """Every (container, key) of a JSON document, for a mutation."""
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for k, v in items:
        yield data, k
        if isinstance(v, dict | list):
            yield from _places(v, (*path, k))


@st.composite
def instances(draw):
    """Half clean (extreme values allowed by the schema), half with one thing broken: a value
    replaced by junk, an id repeated (on one side or across sides), an unknown id."""
    data = draw(clean_instances())
    how = draw(st.sampled_from(["clean", "clean", "junk", "same_id", "unknown_id"]))
    if how == "junk":
        places = list(_places(data))
        container, key = draw(st.sampled_from(places))
        container[key] = draw(JUNK)
    elif how == "same_id" and data["mentors"] and data["mentees"]:
        data["mentees"][0]["id"] = draw(st.sampled_from([data["mentors"][0]["id"], "E_dup"]))
        if data["mentees"][0]["id"] == "E_dup" and len(data["mentees"]) > 1:
            data["mentees"][1]["id"] = "E_dup"
    elif how == "unknown_id":
        data.setdefault("forbidden", []).append({"mentor": "nobody", "mentee": "E0"})
    return data


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse
            code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("robust")


@settings(
    max_examples=150,
    deadline=timedelta(seconds=20),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=instances(), mode=st.sampled_from(["exact", "large", "stable"]))
def test_malformed_and_extreme_instances_exit_0_or_2_and_never_lie(folder, data, mode):
    path = folder / "instance.json"
    result = folder / "result.json"
    path.write_text(json.dumps(data), encoding="utf-8")  # NaN / Infinity written as such
    result.unlink(missing_ok=True)
    start = time.monotonic()
    code, _, err = _run("solve", str(path), "--mode", mode, "--time-limit", "5", "-o", str(result))
    assert time.monotonic() - start < 15
    assert code in (0, 2), err
    event(f"exit {code}")
    assert "Traceback" not in err
    if code == 2:
        assert err.strip() and all(line.startswith("[") for line in err.strip().splitlines())
        return
    checked, out, err = _run("check", str(path), str(result))
    assert checked == 0, out + err


PILOT = Path(__file__).resolve().parents[1] / "examples" / "pilot.json"


def _pilot() -> dict:
    data = json.loads(PILOT.read_text(encoding="utf-8"))
    data["fit"] = {"backend": "lexical"}
    return data


def _set(path: str, value):
    def change(data):
        *head, last = path.split("/")
        node = data
        for key in head:
            node = node[int(key)] if key.isdigit() else node.setdefault(key, {})
        node[int(last) if last.isdigit() else last] = value
        return data

    return change


# Each input of issue 11 that crashed, hung or lied: (name, change to the pilot, CLI options,
# the problem code expected on the one line of stderr)
BAD_INPUTS = [
    ("group_size 1e20", _set("policy/group_size", 10**20), ["--mode", "stable"], "invalid_value"),
    (
        "group_size 1e20 float",
        _set("policy/group_size", 1e20),
        ["--mode", "large"],
        "invalid_value",
    ),
    ("weight 1e300", _set("weights/fit", 1e300), [], "invalid_value"),
    ("weight Infinity", _set("weights/themes", math.inf), [], "invalid_value"),
    ("weight NaN exact", _set("weights/themes", math.nan), [], "invalid_value"),
    ("weight NaN large", _set("weights/themes", math.nan), ["--mode", "large"], "invalid_value"),
    ("weight NaN stable", _set("weights/themes", math.nan), ["--mode", "stable"], "invalid_value"),
    ("NaN in a vector", _set("mentees/0/vector", [0.1, math.nan]), [], "invalid_value"),
    (
        "NaN pair_fit",
        _set("pair_fit", [{"mentor": "x", "mentee": "y", "score": math.nan}]),
        [],
        "invalid_value",
    ),
    (
        "NaN pair score",
        _set("pair_scores", [{"mentor": "x", "mentee": "y", "score": math.nan}]),
        [],
        "invalid_value",
    ),
    (
        "same id on both sides",
        lambda d: _set("mentees/0/id", d["mentors"][0]["id"])(d),
        [],
        "id_on_both_sides",
    ),
]


@pytest.mark.parametrize(
    ("name", "change", "options", "code"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS]
)
def test_inputs_that_crashed_or_lied_exit_2_with_one_plain_line(
    tmp_path, name, change, options, code
):
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(change(_pilot())), encoding="utf-8")
    start = time.monotonic()
    rc, out, err = _run("solve", str(path), *options)
    assert time.monotonic() - start < 10
    assert rc == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith(f"[{code}]"), err


def test_no_mentors_in_large_mode_is_the_empty_matching(tmp_path):
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(_set("mentors", [])(_pilot())), encoding="utf-8")
    for mode in ("exact", "large", "stable"):
        rc, out, err = _run("solve", str(path), "--mode", mode)
        assert rc == 0, err
        result = json.loads(out)
        assert result["groups"] == [] and len(result["unmatched"]) == 4


def test_json_nested_100000_deep_is_one_plain_line(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    rc, _, err = _run("solve", str(path))
    assert rc == 2 and err.startswith("[invalid_json]") and len(err.strip().splitlines()) == 1


def test_output_into_a_missing_folder_fails_before_the_solve(tmp_path, monkeypatch):
    import jumelage.cli

    def no_solve(*args, **kwargs):
        raise AssertionError("solved before checking the output folder")

    monkeypatch.setattr(jumelage.cli, "solve", no_solve)
    rc, _, err = _run("solve", str(PILOT), "-o", str(tmp_path / "missing" / "result.json"))
    assert rc == 2 and err.startswith("[unwritable_file]") and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["solve", str(PILOT), "--time-limit", "-1"],
        ["solve", str(PILOT), "--time-limit", "0"],
        ["solve", str(PILOT), "--time-limit", "nan"],
        ["solve", str(PILOT), "--time-limit", "inf"],
        ["fit", str(PILOT), "--top", "-1"],
        ["fit", str(PILOT), "--top", "0"],
    ],
)
def test_bad_options_exit_2_with_one_line(argv):
    rc, out, err = _run(*argv)
    assert rc == 2 and out == "" and len(err.strip().splitlines()) == 1, err


def test_time_limit_is_checked_by_the_api_too():
    from jumelage import solve
    from jumelage.model import InstanceError, load_instance

    inst = load_instance(_pilot())
    for bad in (-1, 0, math.nan, math.inf):
        with pytest.raises(InstanceError):
            solve(inst, time_limit=bad)


@pytest.mark.parametrize("field", ["objective", "bound", "gap"])
def test_check_refuses_a_non_finite_certificate(tmp_path, field):
    instance = tmp_path / "instance.json"
    instance.write_text(json.dumps(_pilot()), encoding="utf-8")
    result = tmp_path / "result.json"
    assert _run("solve", str(instance), "-o", str(result))[0] == 0
    data = json.loads(result.read_text(encoding="utf-8"))
    data["certificate"][field] = math.nan
    result.write_text(json.dumps(data), encoding="utf-8")
    rc, out, err = _run("check", str(instance), str(result))
    assert rc in (1, 2) and "OK" not in out


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=instances())
def test_compiled_schema_check_reports_what_the_plain_walk_reports(data):
    """The type-specialized validator (about 3-10x faster) gives the same errors, in the same
    order, as the plain recursive walk it replaced, on clean and broken instances alike."""
    from jumelage import schemas

    assert schemas.errors(data, "instance") == schemas.reference_errors(data, "instance")
