"""Reads of accreditation: a dossier's criteria with their evidence (live, or as frozen in a
submission), its completeness, and who may see which dossier."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from maillage.programs.models import Program

from . import evidence as ev
from . import frameworks
from .models import Assessor, Dossier, Submission

COVERED, PARTIAL, MISSING = "covered", "partial", "missing"
COVERAGE_LABELS = {
    COVERED: gettext_lazy("Complet"),
    PARTIAL: gettext_lazy("Incomplet"),
    MISSING: gettext_lazy("Preuves manquantes"),
}


@dataclass
class Row:
    criterion: frameworks.Criterion
    evidence: list[ev.Evidence]
    comment: str = ""
    revision: int = 0
    documents: list[Any] = field(default_factory=list)
    rating: Any = None

    @property
    def coverage(self) -> str:
        """Complete when the data shows every kind of evidence expected, or when the program
        added a document for the rest; incomplete when something is there; else missing."""
        shown = [e for e in self.evidence if e.status != ev.UNAVAILABLE]
        if self.documents or (shown and all(e.is_present for e in shown)):
            return COVERED
        if any(e.is_present for e in self.evidence) or self.comment:
            return PARTIAL
        return MISSING

    @property
    def coverage_label(self) -> str:
        return str(COVERAGE_LABELS[self.coverage])

    @property
    def missing_evidence(self) -> list[ev.Evidence]:
        return [e for e in self.evidence if not e.is_present]


@dataclass
class Gauge:
    covered: int
    partial: int
    total: int

    @property
    def percent(self) -> int:
        if not self.total:
            return 0
        return round(100 * (self.covered + self.partial / 2) / self.total)


def gauge(rows: list[Row]) -> Gauge:
    return Gauge(
        covered=sum(r.coverage == COVERED for r in rows),
        partial=sum(r.coverage == PARTIAL for r in rows),
        total=len(rows),
    )


def live_rows(dossier: Dossier) -> list[Row]:
    """The dossier as it stands now: evidence gathered from the program's data."""
    part = dossier.get_part()
    if part is None:
        return []
    notes = {n.criterion: n for n in dossier.notes.all()}
    documents: dict[str, list[Any]] = {}
    for doc in dossier.documents.filter(removed_at__isnull=True):
        documents.setdefault(doc.criterion, []).append(doc)
    cache: dict[str, ev.Evidence] = {}
    rows = []
    for criterion in part.criteria:
        found = []
        for kind in criterion.evidence:
            if kind not in cache:
                cache[kind] = ev.gather(kind, dossier.program)
            found.append(cache[kind])
        note = notes.get(criterion.code)
        rows.append(
            Row(
                criterion=criterion,
                evidence=found,
                comment=note.comment if note else "",
                revision=note.revision if note else 0,
                documents=documents.get(criterion.code, []),
            )
        )
    return rows


def snapshot(dossier: Dossier) -> dict[str, Any]:
    """What a submission freezes: every criterion's evidence, comment and documents.

    The evidence's words are frozen in every language of the site (`evidence_by_language`):
    they are written by the platform from the same data, and an assessor who reads English must
    not read the French of the coordinator who submitted (nor a later wording of today's data).
    `evidence` keeps the submitter's language, for snapshots read before this existed."""
    rows = live_rows(dossier)
    by_language: dict[str, list[list[dict[str, Any]]]] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            by_language[code] = [[e.as_dict() for e in row.evidence] for row in live_rows(dossier)]
    fw = dossier.get_framework()
    return {
        "taken_at": timezone.now().isoformat(),
        "program": dossier.program.title,
        "framework": fw.code if fw else dossier.framework,
        "version": dossier.framework_version,
        "part": dossier.part,
        "completeness": gauge(rows).percent,
        "criteria": [
            {
                "code": row.criterion.code,
                "evidence": [e.as_dict() for e in row.evidence],
                "evidence_by_language": {code: found[i] for code, found in by_language.items()},
                "comment": row.comment,
                "documents": [
                    {"pk": d.pk, "title": d.title, "original_name": d.original_name}
                    for d in row.documents
                ],
            }
            for i, row in enumerate(rows)
        ],
    }


def _frozen_evidence(item: dict[str, Any]) -> list[ev.Evidence]:
    """The evidence of one frozen criterion in the reader's language, else as submitted."""
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    found = item.get("evidence_by_language", {}).get(language)
    if found is None:
        found = item.get("evidence", [])
    return [ev.Evidence.from_dict(e) for e in found]


def frozen_rows(submission: Submission) -> list[Row]:
    """The dossier as submitted, with the assessor's ratings."""
    part = submission.dossier.get_part()
    ratings = {r.criterion: r for r in submission.ratings.all()}
    rows = []
    for item in submission.snapshot.get("criteria", []):
        criterion = part.criterion(item["code"]) if part else None
        if criterion is None:
            continue
        rows.append(
            Row(
                criterion=criterion,
                evidence=_frozen_evidence(item),
                comment=item.get("comment", ""),
                documents=item.get("documents", []),
                rating=ratings.get(criterion.code),
            )
        )
    return rows


def dossiers_of(program: Program) -> list[dict[str, Any]]:
    """Every part of every framework, with the program's dossier for it if started."""
    mine = {(d.framework, d.part): d for d in Dossier.objects.filter(program=program)}
    return [
        {
            "framework": fw,
            "parts": [
                {"part": part, "dossier": mine.get((fw.code, part.code))} for part in fw.parts
            ],
        }
        for fw in frameworks.FRAMEWORKS
    ]


def submissions_for(user: Any) -> QuerySet[Submission]:
    """The submissions sent to this user as an assessor (ended mandates included: they keep
    reading what they assessed)."""
    if not getattr(user, "is_authenticated", False):
        return Submission.objects.none()
    return Submission.objects.filter(assessor__person__user=user).select_related(
        "dossier__program", "assessor__network"
    )


def assessors_for(program: Program) -> QuerySet[Assessor]:
    return Assessor.objects.for_program(program).select_related("person", "network")
