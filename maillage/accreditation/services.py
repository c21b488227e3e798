"""Writes of accreditation: appointing assessors, preparing a dossier, submitting it, rating
and deciding. `by` is the acting user (the audit trail's actor). A closed program still takes
them: an accreditation judges what the program did, as the impact report does
(`programs.services.ensure_open` lists what stays open)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.audit import acting_as, record
from maillage.core.locking import StaleEdit, locked, save_versioned
from maillage.core.models import Person
from maillage.core.outbox import send_after_commit
from maillage.measurement.models import Network
from maillage.programs.models import Program

from . import frameworks, selectors
from .errors import AccreditationError
from .models import Assessor, Document, Dossier, Level, Note, Rating, Submission

# Largest document a coordinator may add, and the kinds a reader opens anywhere.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_EXTENSIONS = (".pdf", ".docx", ".doc", ".odt", ".xlsx", ".ods", ".pptx", ".png", ".jpg")
# An accreditation holds this long unless the assessor says otherwise.
DEFAULT_YEARS = 3


def _person(by: Any) -> Person | None:
    return getattr(by, "person", None) if getattr(by, "is_authenticated", False) else None


# --- Assessors --------------------------------------------------------------------------------


@transaction.atomic
def appoint_assessor(*, network: Network, person: Person, by: Any) -> Assessor:
    """Make someone who holds a role in the network one of its assessors."""
    if not network.roles.filter(person=person).exists():
        raise AccreditationError(
            _("Cette personne n’a pas de rôle dans ce réseau : invitez-la d’abord."), "person"
        )
    if Assessor.objects.active().filter(network=network, person=person).exists():
        raise AccreditationError(_("Cette personne évalue déjà pour ce réseau."), "person")
    with acting_as(by):
        assessor = Assessor.objects.create(network=network, person=person, appointed_by=_person(by))
        record(action="accreditation.assessor_appointed", instance=assessor)
    return assessor


@transaction.atomic
def end_assessor(*, assessor: Assessor, by: Any) -> Assessor:
    """End an assessor's mandate; what they already assessed stays theirs."""
    assessor = locked(assessor)
    if assessor.submissions.filter(outcome=Submission.Outcome.PENDING).exists():
        raise AccreditationError(
            _("Cette personne a un dossier en cours d’évaluation : attendez sa décision.")
        )
    with acting_as(by):
        assessor.ended_at = timezone.now()
        assessor.save(update_fields=["ended_at"])
        record(action="accreditation.assessor_ended", instance=assessor)
    return assessor


# --- Dossiers ---------------------------------------------------------------------------------


@transaction.atomic
def start_dossier(*, program: Program, framework: str, part: str, by: Any) -> Dossier:
    fw = frameworks.framework(framework)
    if fw is None or fw.part(part) is None:
        raise AccreditationError(_("Choisissez un volet d’un référentiel de la liste."), "part")
    existing = Dossier.objects.filter(program=program, framework=framework, part=part).first()
    if existing is not None:
        return existing
    with acting_as(by):
        dossier = Dossier.objects.create(
            program=program,
            framework=fw.code,
            framework_version=fw.version,
            part=part,
            created_by=_person(by),
        )
        record(action="accreditation.dossier_started", instance=dossier, program_id=program.pk)
    return dossier


def _criterion(dossier: Dossier, code: str) -> frameworks.Criterion:
    part = dossier.get_part()
    criterion = part.criterion(code) if part else None
    if criterion is None:
        raise AccreditationError(_("Ce critère n’est pas dans ce dossier."), "criterion")
    return criterion


def _editable(dossier: Dossier) -> Dossier:
    current = locked(dossier)
    if not current.is_editable:
        raise AccreditationError(
            _("Ce dossier est entre les mains de l’évaluation : il ne peut plus être modifié.")
        )
    return current


class StaleNote(StaleEdit):
    pass


@transaction.atomic
def save_note(*, dossier: Dossier, criterion: str, comment: str, seen: int | None, by: Any) -> Note:
    """The coordinator's comment on a criterion. `seen` is the revision the form showed: a
    comment saved meanwhile by someone else is never overwritten (`StaleNote`)."""
    _editable(dossier)
    _criterion(dossier, criterion)
    with acting_as(by):
        note, _created = Note.objects.get_or_create(dossier=dossier, criterion=criterion)
        if seen is not None and note.revision != seen and not _created:
            raise StaleNote(note)
        note.comment = comment.strip()
        save_versioned(note, seen=None, fields=["comment", "updated_at"])
    return note


@transaction.atomic
def add_document(
    *, dossier: Dossier, criterion: str, title: str, upload: UploadedFile, by: Any
) -> Document:
    _editable(dossier)
    _criterion(dossier, criterion)
    name = upload.name or "document"
    if not name.lower().endswith(DOCUMENT_EXTENSIONS):
        raise AccreditationError(
            _("Ce type de fichier n’est pas accepté : PDF, Word, Excel, OpenDocument ou image."),
            "upload",
        )
    if upload.size and upload.size > MAX_DOCUMENT_BYTES:
        raise AccreditationError(_("Ce fichier dépasse 10 Mo."), "upload")
    title = title.strip() or name
    with acting_as(by):
        document = Document(
            dossier=dossier,
            criterion=criterion,
            title=title[:200],
            original_name=name[:200],
            uploaded_by=_person(by),
        )
        document.file.save(name, upload, save=False)
        document.save()
        record(
            action="accreditation.document_added",
            instance=document,
            program_id=dossier.program_id,
        )
    return document


@transaction.atomic
def remove_document(*, document: Document, by: Any) -> Document:
    """Take a document out of the dossier. The file stays in the storage: a past submission
    may list it, and what an assessor read must stay readable."""
    _editable(document.dossier)
    with acting_as(by):
        document.removed_at = timezone.now()
        document.save(update_fields=["removed_at"])
        record(action="accreditation.document_removed", instance=document)
    return document


@transaction.atomic
def submit_dossier(*, dossier: Dossier, assessor: Assessor, by: Any) -> Submission:
    """Freeze the dossier as it stands (evidence from the data, comments, documents) and send
    it to an assessor of a network the program is shared with."""
    dossier = _editable(dossier)
    if not Assessor.objects.for_program(dossier.program).filter(pk=assessor.pk).exists():
        raise AccreditationError(
            _("Choisissez une personne de la liste des évaluateur·rices."), "assessor"
        )
    number = (dossier.submissions.aggregate(n=Max("number"))["n"] or 0) + 1
    with acting_as(by):
        submission = Submission.objects.create(
            dossier=dossier,
            number=number,
            assessor=assessor,
            submitted_by=_person(by),
            snapshot=selectors.snapshot(dossier),
        )
        dossier.status = Dossier.Status.SUBMITTED
        dossier.save(update_fields=["status"])
        record(
            action="accreditation.submitted",
            instance=dossier,
            changes={"submission": submission.pk, "assessor": assessor.person_id},
            program_id=dossier.program_id,
        )
    from .tasks import send_submission_notice

    send_after_commit(send_submission_notice, submission_id=submission.pk, what="submitted")
    return submission


# --- Assessment -------------------------------------------------------------------------------


def _pending(submission: Submission) -> Submission:
    current = locked(submission)
    if not current.is_pending:
        raise AccreditationError(_("Cette évaluation est terminée : elle ne change plus."))
    return current


@transaction.atomic
def rate_criterion(
    *, submission: Submission, criterion: str, value: str, comment: str, by: Any
) -> Rating:
    _pending(submission)
    _criterion(submission.dossier, criterion)
    if value not in Rating.Value.values:
        raise AccreditationError(_("Choisissez une appréciation de la liste."), "value")
    with acting_as(by):
        rating, _created = Rating.objects.update_or_create(
            submission=submission,
            criterion=criterion,
            defaults={"value": value, "comment": comment.strip(), "rated_by": _person(by)},
        )
    return rating


@transaction.atomic
def send_back(*, submission: Submission, comment: str, by: Any) -> Submission:
    """Return the dossier to the program for changes; a new submission starts afresh."""
    submission = _pending(submission)
    if not comment.strip():
        raise AccreditationError(
            _("Dites à la coordination ce qu’il faut modifier ou compléter."), "comment"
        )
    with acting_as(by):
        submission.outcome = Submission.Outcome.CHANGES
        submission.assessor_comment = comment.strip()
        submission.decided_at = timezone.now()
        submission.save(update_fields=["outcome", "assessor_comment", "decided_at"])
        Dossier.objects.filter(pk=submission.dossier_id).update(status=Dossier.Status.CHANGES)
        record(
            action="accreditation.sent_back",
            instance=submission.dossier,
            changes={"submission": submission.pk},
            program_id=submission.dossier.program_id,
        )
    from .tasks import send_submission_notice

    send_after_commit(send_submission_notice, submission_id=submission.pk, what="sent_back")
    return submission


def default_expiry(today: date | None = None) -> date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + DEFAULT_YEARS)
    except ValueError:  # 29 February
        return today + timedelta(days=365 * DEFAULT_YEARS)


@transaction.atomic
def decide(
    *,
    submission: Submission,
    accredited: bool,
    level: str,
    expires_on: date | None,
    comment: str,
    by: Any,
) -> Submission:
    """The assessor's decision, once every criterion is rated: accredited at a level until a
    date, or not accredited (with reasons)."""
    submission = _pending(submission)
    part = submission.dossier.get_part()
    rated = set(submission.ratings.values_list("criterion", flat=True))
    if part and any(c.code not in rated for c in part.criteria):
        raise AccreditationError(_("Appréciez chaque critère avant de décider."))
    if accredited:
        if level not in Level.values:
            raise AccreditationError(_("Choisissez le niveau d’accréditation."), "level")
        if expires_on is None or expires_on <= timezone.localdate():
            raise AccreditationError(_("L’échéance doit être une date à venir."), "expires_on")
    elif not comment.strip():
        raise AccreditationError(_("Donnez les motifs du refus à la coordination."), "comment")
    outcome = Submission.Outcome.ACCREDITED if accredited else Submission.Outcome.REFUSED
    with acting_as(by):
        submission.outcome = outcome
        submission.level = level if accredited else ""
        submission.expires_on = expires_on if accredited else None
        submission.assessor_comment = comment.strip()
        submission.decided_at = timezone.now()
        submission.save(
            update_fields=["outcome", "level", "expires_on", "assessor_comment", "decided_at"]
        )
        status = Dossier.Status.ACCREDITED if accredited else Dossier.Status.REFUSED
        Dossier.objects.filter(pk=submission.dossier_id).update(status=status)
        record(
            action="accreditation.decided",
            instance=submission.dossier,
            changes={"submission": submission.pk, "outcome": outcome, "level": submission.level},
            program_id=submission.dossier.program_id,
        )
    from .tasks import send_submission_notice

    send_after_commit(send_submission_notice, submission_id=submission.pk, what="decided")
    return submission


@transaction.atomic
def reopen_dossier(*, dossier: Dossier, by: Any) -> Dossier:
    """After a decision, prepare the dossier again (a renewal, or a new try after a refusal):
    past submissions and their decisions stay as they were."""
    dossier = locked(dossier)
    if dossier.status not in (Dossier.Status.ACCREDITED, Dossier.Status.REFUSED):
        raise AccreditationError(_("Ce dossier est déjà en préparation ou en évaluation."))
    with acting_as(by):
        dossier.status = Dossier.Status.DRAFT
        dossier.save(update_fields=["status"])
        record(action="accreditation.reopened", instance=dossier, program_id=dossier.program_id)
    return dossier


# --- PDF --------------------------------------------------------------------------------------

PDF_LOST_AFTER = timedelta(minutes=10)


def request_submission_pdf(*, submission: Submission, retry: bool = False) -> Submission:
    """Queue the rendering of a finished submission's PDF unless stored or on its way (the
    submission's row lock: one rendering however many ask). A finished submission never
    changes, so its PDF is rendered once and kept. One that could not be made is tried again
    only when asked (`retry`), as reports do."""
    from .tasks import render_submission_pdf

    with transaction.atomic():
        current = locked(submission)
        waiting = (Submission.PdfState.QUEUED, Submission.PdfState.RENDERING)
        lost = (
            current.pdf_state in waiting
            and current.pdf_requested_at is not None
            and timezone.now() - current.pdf_requested_at > PDF_LOST_AFTER
        )
        if current.is_pending or current.pdf_state == Submission.PdfState.READY:
            return current
        if current.pdf_state in waiting and not lost:
            return current
        if current.pdf_state == Submission.PdfState.UNAVAILABLE and not retry:
            return current
        Submission.objects.filter(pk=current.pk).update(
            pdf_state=Submission.PdfState.QUEUED, pdf_requested_at=timezone.now()
        )
        record(
            action="accreditation.pdf_queued",
            instance=current,
            program_id=current.dossier.program_id,
            changes={"from": current.pdf_state, "lost": lost, "retry": retry},
        )
        render_submission_pdf.enqueue(submission_id=current.pk)
    current.refresh_from_db()
    return current


def store_submission_pdf(*, submission: Submission, files: dict[str, bytes]) -> Submission:
    """Store the rendered PDF of each language (French in `pdf`, English in `pdf_en`)."""
    fields = {"fr": "pdf", "en": "pdf_en"}
    changes = {}
    for language, content in files.items():
        field = getattr(submission, fields[language])
        field.save(submission.pdf_filename(language), ContentFile(content), save=False)
        changes[language] = {"file": field.name, "size": len(content)}
    Submission.objects.filter(pk=submission.pk).update(
        pdf_state=Submission.PdfState.READY,
        **{fields[lang]: getattr(submission, fields[lang]).name for lang in files},
    )
    submission.pdf_state = Submission.PdfState.READY
    record(action="accreditation.pdf_stored", instance=submission, changes=changes)
    return submission
