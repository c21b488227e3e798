"""Reference data shipped with Maillage: Québec's regions and MRC, sectors, domains.

Loaded by a data migration on a new database and again by `manage.py load_reference_data`
(idempotent: it updates names, never deletes what an administrator added).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


def _read(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def load_reference_data(apps: Any = None) -> dict[str, int]:
    """Create or update territories, sectors and domains. Works in migrations (`apps`) too."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Territory = apps.get_model("core", "Territory")
    Sector = apps.get_model("core", "Sector")
    Domain = apps.get_model("core", "Domain")

    def upsert(model: Any, code: str, **fields: Any) -> Any:
        obj, _ = model.objects.update_or_create(code=code, defaults=fields)
        return obj

    data = _read("territories.json")
    country = upsert(
        Territory,
        data["country"]["code"],
        kind="country",
        parent=None,
        name_fr=data["country"]["name_fr"],
        name_en=data["country"]["name_en"],
    )
    province_code = f"{data['country']['code']}-{data['province']['code']}"
    province = upsert(
        Territory,
        province_code,
        kind="province",
        parent=country,
        name_fr=data["province"]["name_fr"],
        name_en=data["province"]["name_en"],
    )
    counts = {"regions": 0, "mrcs": 0, "sectors": 0, "domains": 0}
    for region in data["regions"]:
        region_obj = upsert(
            Territory,
            f"QC-{region['code']}",
            kind="region",
            parent=province,
            name_fr=region["name_fr"],
            name_en=region["name_en"],
        )
        counts["regions"] += 1
        for mrc in region["mrcs"]:
            upsert(
                Territory,
                f"QC-MRC-{mrc['code']}",
                kind=mrc["kind"],
                parent=region_obj,
                name_fr=mrc["name_fr"],
                name_en=mrc["name_en"],
            )
            counts["mrcs"] += 1
    for sector in _read("sectors.json"):
        upsert(Sector, sector["code"], name_fr=sector["name_fr"], name_en=sector["name_en"])
        counts["sectors"] += 1
    for domain in _read("domains.json"):
        upsert(Domain, domain["code"], name_fr=domain["name_fr"], name_en=domain["name_en"])
        counts["domains"] += 1
    return counts
