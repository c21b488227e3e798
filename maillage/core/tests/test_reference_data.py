"""Validate the reference data files in maillage/core/data as plain JSON.

No Django needed: these tests only load the files with ``json`` and check
their structure, so they run with ``-p no:django``.
"""

import json
import re
from pathlib import Path

import pytest

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SLUG_RE = re.compile(r"^[a-z0-9_]+$")
MRC_KINDS = {"mrc", "te"}


def _load(name):
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return json.load(fh)


def _assert_bilingual(entry, where):
    for key in ("name_fr", "name_en"):
        assert key in entry, f"{where}: missing {key}"
        value = entry[key]
        assert isinstance(value, str), f"{where}: {key} is not a string"
        assert value.strip(), f"{where}: {key} is empty"
        assert value == value.strip(), f"{where}: {key} has surrounding whitespace"


@pytest.fixture(scope="module")
def territories():
    return _load("territories.json")


@pytest.fixture(scope="module")
def sectors():
    return _load("sectors.json")


@pytest.fixture(scope="module")
def domains():
    return _load("domains.json")


# --- territories -------------------------------------------------------------


def test_territories_top_level(territories):
    assert isinstance(territories, dict)
    assert isinstance(territories.get("source"), str) and territories["source"].strip()
    assert territories["country"]["code"] == "CA"
    assert territories["province"]["code"] == "QC"
    _assert_bilingual(territories["country"], "country")
    _assert_bilingual(territories["province"], "province")


def test_seventeen_regions_with_official_codes(territories):
    regions = territories["regions"]
    codes = [r["code"] for r in regions]
    assert codes == [f"{i:02d}" for i in range(1, 18)]
    assert len(set(codes)) == 17


def test_region_names(territories):
    for region in territories["regions"]:
        _assert_bilingual(region, f"region {region['code']}")
    by_code = {r["code"]: r["name_fr"] for r in territories["regions"]}
    assert by_code["01"] == "Bas-Saint-Laurent"
    assert by_code["06"] == "Montréal"
    assert by_code["13"] == "Laval"
    assert by_code["17"] == "Centre-du-Québec"


def test_every_region_has_mrcs(territories):
    for region in territories["regions"]:
        mrcs = region.get("mrcs")
        assert isinstance(mrcs, list) and mrcs, f"region {region['code']} has no MRC/TE"


def test_mrc_entries(territories):
    for region in territories["regions"]:
        for mrc in region["mrcs"]:
            where = f"MRC {mrc.get('code')!r} in region {region['code']}"
            assert set(mrc) == {"code", "name_fr", "name_en", "kind"}, where
            assert isinstance(mrc["code"], str) and mrc["code"].strip(), where
            assert mrc["kind"] in MRC_KINDS, where
            _assert_bilingual(mrc, where)


def test_mrc_codes_unique(territories):
    codes = [m["code"] for r in territories["regions"] for m in r["mrcs"]]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    assert not duplicates, f"duplicate MRC/TE codes: {duplicates}"


def test_mrc_names_unique_within_region(territories):
    for region in territories["regions"]:
        names = [m["name_fr"] for m in region["mrcs"]]
        assert len(names) == len(set(names)), f"duplicate names in region {region['code']}"


def test_mrc_total_count(territories):
    total = sum(len(r["mrcs"]) for r in territories["regions"])
    assert 95 <= total <= 110, total


def test_single_te_regions(territories):
    by_code = {r["code"]: r for r in territories["regions"]}
    for code, name in (("06", "Montréal"), ("13", "Laval")):
        mrcs = by_code[code]["mrcs"]
        assert len(mrcs) == 1 and mrcs[0]["kind"] == "te" and mrcs[0]["name_fr"] == name


# --- sectors and domains -----------------------------------------------------


def _check_code_list(entries, label):
    assert isinstance(entries, list) and entries, f"{label} is empty"
    codes = []
    for entry in entries:
        code = entry.get("code")
        assert isinstance(code, str) and SLUG_RE.match(code), f"{label}: bad code {code!r}"
        _assert_bilingual(entry, f"{label} {code}")
        codes.append(code)
    assert len(codes) == len(set(codes)), f"{label}: duplicate codes"
    return codes


def test_sectors(sectors):
    codes = _check_code_list(sectors, "sector")
    assert len(codes) == 11
    for entry in sectors:
        assert set(entry) == {"code", "name_fr", "name_en"}


def test_domains(domains, sectors):
    _check_code_list(domains, "domain")
    assert 15 <= len(domains) <= 20
    sector_codes = {s["code"] for s in sectors}
    for entry in domains:
        assert set(entry) <= {"code", "name_fr", "name_en", "sector_hint"}
        if "sector_hint" in entry:
            assert entry["sector_hint"] in sector_codes, entry
