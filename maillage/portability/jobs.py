"""The life of an import, off the request: upload, read (by the worker), preview, confirm,
write (by the worker), or cancel; and the stored file's removal.

    queued → reading → previewed → confirmed → writing → done
                  ↘ failed        ↘ cancelled             ↘ failed

Each change of state happens under the job's row lock and bumps its revision: a form sent from
a page that is no longer current (a double click, a second tab) finds the state moved on and
changes nothing; a task run twice (a worker that died and was replaced) finds the same.
"""

from __future__ import annotations

import dataclasses
import io
import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.core.audit import acting_as, record
from maillage.programs.models import Program
from maillage.programs.services import ensure_open

from . import bulk
from .errors import PortabilityError
from .models import ImportJob
from .reading import EXTENSIONS, MAX_BYTES, parse_upload
from .services import ImportReport, RowResult

log = logging.getLogger(__name__)


def report_of(data: dict[str, Any]) -> ImportReport | None:
    """A stored report (`ImportJob.preview` or `.result`) as the ImportReport it was."""
    if not data:
        return None
    rows = [RowResult(**row) for row in data.get("rows", [])]
    fields = {f.name for f in dataclasses.fields(ImportReport)} - {"rows"}
    return ImportReport(rows=rows, **{k: v for k, v in data.items() if k in fields})


def check_upload(upload: Any) -> None:
    """What can be refused before the file is kept: its size and its kind (its content is the
    worker's to read)."""
    name = (getattr(upload, "name", "") or "").lower()
    if (getattr(upload, "size", 0) or 0) > MAX_BYTES:
        raise PortabilityError(
            _("Le fichier dépasse 5 Mo. Divisez-le en plusieurs fichiers plus petits."), "file"
        )
    if name.endswith((".xls", ".ods")):
        raise PortabilityError(
            _("Ce format n’est pas lu. Enregistrez le fichier en Excel (.xlsx) ou en CSV."), "file"
        )
    if not name.endswith(EXTENSIONS):
        raise PortabilityError(
            _("Ce type de fichier n’est pas accepté : choisissez un fichier CSV ou Excel (.xlsx)."),
            "file",
        )
    if not getattr(upload, "size", 0):
        raise PortabilityError(_("Le fichier est vide."), "file")


def start_import(
    *, program: Program, kind: str, upload: Any, skip_bad_rows: bool, by: Any
) -> ImportJob:
    """Keep the uploaded file and queue its reading; the page follows the job."""
    from .tasks import read_import

    ensure_open(program, error=PortabilityError)
    if kind not in ImportJob.Kind.values:
        raise PortabilityError(_("Choisissez ce que contient le fichier."), "kind")
    check_upload(upload)
    filename = (getattr(upload, "name", "") or "fichier")[-255:]
    with acting_as(by), transaction.atomic():
        job = ImportJob(
            program=program,
            kind=kind,
            skip_bad_rows=skip_bad_rows,
            filename=filename,
            size=upload.size,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        # Through the storage API: the local disk, or S3-compatible storage as a setting.
        job.file.save(filename.rsplit("/", 1)[-1], upload, save=False)
        job.save()
        record(
            action="import.uploaded",
            instance=job,
            program_id=program.pk,
            changes={"kind": kind, "file": filename[:200], "size": job.size},
        )
        # Queued inside the transaction: the database backend's task row commits with the job.
        read_import.enqueue(job_id=job.pk)
    return job


BIG = ("parsed", "preview", "result")


def _locked(job_id: int) -> ImportJob | None:
    """The job under its row lock, without its rows (a 20,000-row file's parse and reports are
    megabytes of JSON that a change of state does not need)."""
    return ImportJob.objects.select_for_update().defer(*BIG).filter(pk=job_id).first()


def _move(job: ImportJob, status: str, **fields: Any) -> None:
    job.status = status
    job.revision += 1
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=["status", "revision", *fields])


def counts_of(report: ImportReport) -> dict[str, int]:
    return {
        "total": report.total,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "bad": len(report.bad_rows),
        "file_errors": len(report.file_errors),
    }


def may_confirm(counts: dict[str, int], *, skip_bad_rows: bool) -> bool:
    """`ImportReport.can_confirm`, from the preview's counts."""
    if counts.get("file_errors") or not (counts.get("created") or counts.get("updated")):
        return False
    return skip_bad_rows or not counts.get("bad")


def preview_import(*, job_id: int) -> ImportJob | None:
    """The worker's first step: read the stored file once, keep its rows, and work out what
    each row would do (nothing is written but the job)."""
    with transaction.atomic():
        job = _locked(job_id)
        if job is None or job.status not in (ImportJob.Status.QUEUED, ImportJob.Status.READING):
            return job  # cancelled meanwhile, or read already (a task run twice)
        _move(job, ImportJob.Status.READING, rows_done=0)
    try:
        with job.file.open("rb") as handle:
            data = io.BytesIO(handle.read(MAX_BYTES + 1))
        data.name = job.filename  # the kind is told by the name the person gave
        sheet = parse_upload(data)
    except PortabilityError as error:
        return _fail(job, str(error.message))
    except (OSError, ValueError):
        log.exception("import %s: the stored file could not be read", job.pk)
        return _fail(job, _("Le fichier n’a pas pu être relu : envoyez-le de nouveau."))
    ImportJob.objects.filter(pk=job.pk).update(rows_total=len(sheet.rows))

    def checked(done: int) -> None:  # the bar of « lecture et vérification », committed as it goes
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.READING).update(rows_done=done)

    reading = bulk.read(
        kind=job.kind,
        program=job.program,
        sheet=sheet,
        skip_bad_rows=job.skip_bad_rows,
        by=job.created_by,
        job_id=job.pk,
        progress=checked,
    )
    with transaction.atomic():
        job = _locked(job.pk)
        if job.status != ImportJob.Status.READING:
            return job
        _move(
            job,
            ImportJob.Status.PREVIEWED,
            parsed=bulk.parsed_of(sheet),
            preview=dataclasses.asdict(reading.report),
            counts=counts_of(reading.report),
            rows_total=len(sheet.rows),
            rows_done=len(sheet.rows),
        )
    return job


def _fail(job: ImportJob, message: str, **fields: Any) -> ImportJob:
    with transaction.atomic():
        job = _locked(job.pk)
        _move(job, ImportJob.Status.FAILED, error=message, finished_at=timezone.now(), **fields)
        record(
            action="import.failed",
            instance=job,
            program_id=job.program_id,
            changes={"error": message[:200]},
        )
        _forget_file(job)
    return job


def fail_unexpectedly(*, job_id: int) -> ImportJob | None:
    """End a job its task could not finish (see tasks._give_up); a job already finished, or
    moved on, is left as it is."""
    job = ImportJob.objects.defer(*BIG).filter(pk=job_id).first()
    if job is None or job.status not in ImportJob.RUNNING:
        return job
    if job.status in (ImportJob.Status.QUEUED, ImportJob.Status.READING):
        message = _(
            "La lecture du fichier a échoué de façon inattendue : rien n’a été enregistré. "
            "Envoyez le fichier de nouveau ; si cela recommence, prévenez l’administration de "
            "la plateforme."
        )
    else:
        message = ngettext(
            "L’enregistrement a échoué de façon inattendue après %(count)s ligne enregistrée. "
            "Consultez la liste des personnes avant d’envoyer le fichier de nouveau ; si cela "
            "recommence, prévenez l’administration de la plateforme.",
            "L’enregistrement a échoué de façon inattendue après %(count)s lignes enregistrées. "
            "Consultez la liste des personnes avant d’envoyer le fichier de nouveau ; si cela "
            "recommence, prévenez l’administration de la plateforme.",
            job.rows_written,
        ) % {"count": job.rows_written}
    return _fail(job, message)


def confirm_import(
    *, job: ImportJob, revision: int, by: Any, skip_bad_rows: bool = False
) -> tuple[ImportJob, bool]:
    """The coordinator confirms the preview: queue the write. True when this call queued it;
    False when the job had moved on (a second click shows the job as it is)."""
    from .tasks import write_import

    ensure_open(job.program, error=PortabilityError)
    with acting_as(by), transaction.atomic():
        job = _locked(job.pk)
        if job.status != ImportJob.Status.PREVIEWED or job.revision != revision:
            return job, False
        if skip_bad_rows and not job.skip_bad_rows:
            # Asked from a preview with errors: the valid rows, without uploading again.
            job.skip_bad_rows = True
            job.save(update_fields=["skip_bad_rows"])
        if not may_confirm(job.counts, skip_bad_rows=job.skip_bad_rows):
            raise PortabilityError(
                _("Cet aperçu ne peut pas être importé : choisissez un autre fichier.")
            )
        _move(
            job,
            ImportJob.Status.CONFIRMED,
            confirmed_by=by if getattr(by, "is_authenticated", False) else None,
            confirmed_at=timezone.now(),
            rows_done=0,
        )
        record(
            action="import.confirmed",
            instance=job,
            program_id=job.program_id,
            changes={"skip_bad_rows": job.skip_bad_rows},
        )
        write_import.enqueue(job_id=job.pk)
    return job, True


def write_job(*, job_id: int) -> ImportJob | None:
    """The worker's second step: write the confirmed import from its stored parse, a batch at a
    time (see `bulk`), then keep the report and let the file go."""
    with transaction.atomic():
        job = _locked(job_id)
        if job is None or job.status not in (ImportJob.Status.CONFIRMED, ImportJob.Status.WRITING):
            return job  # written already, or cancelled
        _move(job, ImportJob.Status.WRITING)
    by = job.confirmed_by or job.created_by
    reading = bulk.read(
        kind=job.kind,
        program=job.program,
        sheet=bulk.sheet_of(ImportJob.objects.values_list("parsed", flat=True).get(pk=job.pk)),
        skip_bad_rows=job.skip_bad_rows,
        by=by,
        job_id=job.pk,
    )
    report = reading.report
    report.dry_run = False
    if report.file_errors or (report.bad_rows and not report.skip_bad_rows):
        # The program's data changed since the preview so that a row no longer goes in.
        report.created = report.updated = 0
        return _fail(
            job,
            _(
                "Depuis l’aperçu, les données du programme ont changé et des lignes ne peuvent "
                "plus être importées : rien n’a été enregistré. Envoyez le fichier de nouveau "
                "pour voir un nouvel aperçu."
            ),
            result=dataclasses.asdict(report),
        )
    rows, start = reading.planned, job.rows_written
    written_lines: list[int] = []
    for line_of in _lines(rows[:start]):
        written_lines.append(line_of)
    try:
        for batch in bulk.batches(rows[start:]):
            with transaction.atomic():
                reading.write_batch(batch)
                start += len(batch)
                ImportJob.objects.filter(pk=job.pk).update(rows_written=start, rows_done=start)
            written_lines.extend(_lines(batch))
    except Exception as error:  # the database refused a batch: it is rolled back whole
        log.exception("import %s: a batch failed after %s rows", job.pk, start)
        report.saved = bool(written_lines)
        return _fail(
            job,
            _written_message(written_lines) + " " + (getattr(error, "message", "") or ""),
            result={**dataclasses.asdict(report), "written_lines": written_lines},
        )
    bulk.count(report)
    report.saved = True
    with acting_as(by), transaction.atomic():
        job = _locked(job.pk)
        _move(
            job,
            ImportJob.Status.DONE,
            result=dataclasses.asdict(report),
            rows_done=len(rows),
            finished_at=timezone.now(),
        )
        record(
            action="import",
            instance=job.program,
            program_id=job.program_id,
            changes={
                "kind": job.kind,
                "file": job.filename[:200],
                "job": job.pk,
                "created": report.created,
                "updated": report.updated,
                "skipped": report.skipped,
            },
        )
        _forget_file(job)
    return job


def _lines(rows: list[Any]) -> list[int]:
    return [getattr(row, "result", row).line for row in rows]


def _written_message(lines: list[int]) -> str:
    if not lines:
        return _("L’enregistrement a échoué : aucune ligne n’a été enregistrée.")
    return _(
        "L’enregistrement s’est arrêté : les lignes %(first)s à %(last)s (%(count)s lignes) sont "
        "enregistrées, les suivantes ne le sont pas."
    ) % {"first": min(lines), "last": max(lines), "count": len(lines)}


def cancel_import(*, job: ImportJob, revision: int, by: Any) -> tuple[ImportJob, bool]:
    """Discard an import not yet confirmed: nothing is written, the file is deleted."""
    with acting_as(by), transaction.atomic():
        job = _locked(job.pk)
        waiting = (ImportJob.Status.QUEUED, ImportJob.Status.READING, ImportJob.Status.PREVIEWED)
        if job.status not in waiting or job.revision != revision:
            return job, False
        _move(job, ImportJob.Status.CANCELLED, finished_at=timezone.now())
        record(action="import.cancelled", instance=job, program_id=job.program_id)
        _forget_file(job)
    return job, True


def _forget_file(job: ImportJob) -> None:
    """The file and its rows are personal data the import no longer needs: the rows go now, the
    file once the transaction commits (a rolled-back state keeps its file)."""
    job.parsed = {}
    name = job.file.name
    job.file = ""
    job.file_deleted_at = timezone.now() if name else job.file_deleted_at
    job.save(update_fields=["parsed", "file", "file_deleted_at"])
    if name:
        storage = job.file.storage
        transaction.on_commit(lambda: storage.delete(name))


def purge_import_files(*, now: Any = None) -> int:
    """The daily job: delete the files of finished imports, and give up imports left pending
    longer than MAILLAGE_IMPORT_FILE_DAYS (their file and rows go too). The number of files."""
    now = now or timezone.now()
    old = now - timedelta(days=settings.MAILLAGE_IMPORT_FILE_DAYS)
    count = 0
    stale = ImportJob.objects.filter(
        Q(status__in=ImportJob.FINISHED) | Q(created_at__lt=old)
    ).exclude(file="", parsed={})
    for job in stale:
        with transaction.atomic():
            job = _locked(job.pk)
            if job.status not in ImportJob.FINISHED:
                if job.status in (ImportJob.Status.CONFIRMED, ImportJob.Status.WRITING):
                    continue  # the worker is writing it: its own end lets the file go
                _move(job, ImportJob.Status.CANCELLED, finished_at=now, error=_("Expirée."))
                record(action="import.expired", instance=job, program_id=job.program_id)
            count += bool(job.file.name)
            _forget_file(job)
    return count
