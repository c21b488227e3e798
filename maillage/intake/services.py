"""Writes for recruiting: interest forms and their questions, applications, potential mentors."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maillage.core.models import Organization, Sector
from maillage.core.ordering import move_in_order
from maillage.core.outbox import send_after_commit
from maillage.core.ratelimit import hit_many
from maillage.core.services import (
    find_or_create_organization,
    find_sector,
)
from maillage.programs.models import Consent, Program, Role, Track
from maillage.programs.services import assign_role, ensure_open, person_by_email, reach_stage

from .defaults import CONSENT_EN, CONSENT_FR, PILOT_QUESTIONS, PURPOSE_EN, PURPOSE_FR
from .duplicates import email_keys, normalise_organization_name, organization_domain
from .errors import IntakeError, SubmissionLimited
from .models import (
    Application,
    DuplicateReason,
    InterestForm,
    MentorContact,
    PotentialMentor,
    Question,
)
from .reference import region_pk
from .selectors import PROFILE_KINDS, PROFILE_VALUES

# Changing one of these changes what a person agrees to: the consent gets a new version.
CONSENT_FIELDS = ("purpose_fr", "purpose_en", "consent_fr", "consent_en")
FORM_TEXT_FIELDS = (
    "audience",
    "title_fr",
    "title_en",
    "intro_fr",
    "intro_en",
    *CONSENT_FIELDS,
    "closes_at",
)
QUESTION_FIELDS = (
    "kind",
    "label_fr",
    "label_en",
    "help_fr",
    "help_en",
    "required",
    "choices",
    "maps_to",
)


# --- Forms -------------------------------------------------------------------------------------


@transaction.atomic
def create_default_form(
    *, program: Program, audience: str = InterestForm.Audience.MENTEE
) -> InterestForm:
    """The pilot's interest form (seed 000, Annexe), ready to publish or edit.

    A second form made from the template starts closed, so that a coordinator does not publish
    two open forms for the same audience by accident.
    """
    ensure_open(program, error=IntakeError)
    first = not program.forms.exists()
    form = InterestForm.objects.create(
        program=program,
        audience=audience,
        is_open=first,
        title_fr=f"Formulaire de communication d’intérêt — {program.title}",
        title_en=f"Expression of interest — {program.title}",
        intro_fr=(
            f"Ce formulaire s’adresse aux organismes qui souhaitent être mentorés dans le cadre "
            f"du programme « {program.title} » ({program.theme})."
        ),
        intro_en=(
            f"This form is for organizations that wish to be mentored in the program "
            f"“{program.title}” ({program.theme})."
        ),
        purpose_fr=PURPOSE_FR,
        purpose_en=PURPOSE_EN,
        consent_fr=CONSENT_FR,
        consent_en=CONSENT_EN,
    )
    Question.objects.bulk_create(
        Question(
            form=form,
            order=order,
            key=key,
            kind=kind,
            required=required,
            maps_to=maps_to,
            label_fr=label_fr,
            label_en=label_en,
            help_fr=help_fr,
            help_en=help_en,
        )
        for order, (
            key,
            kind,
            required,
            maps_to,
            label_fr,
            label_en,
            help_fr,
            help_en,
        ) in enumerate(PILOT_QUESTIONS)
    )
    return form


@transaction.atomic
def update_form_texts(*, form: InterestForm, **fields: Any) -> InterestForm:
    """Edit the texts; a new purpose or consent text is a new consent version."""
    ensure_open(form.program, error=IntakeError)
    unknown = set(fields) - set(FORM_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown form fields: {sorted(unknown)}")
    before = [getattr(form, name) for name in CONSENT_FIELDS]
    for name, value in fields.items():
        setattr(form, name, value)
    if before != [getattr(form, name) for name in CONSENT_FIELDS]:
        # Each application keeps the version its author agreed to; earlier ones stay valid.
        form.consent_version += 1
    IntakeError.check(form)
    form.save()
    return form


def set_form_open(*, form: InterestForm, is_open: bool) -> InterestForm:
    ensure_open(form.program, error=IntakeError)
    form.is_open = is_open
    if is_open and form.closes_at is not None and form.closes_at <= timezone.now():
        # Reopening by hand overrides a closing date already past.
        form.closes_at = None
    form.save(update_fields=["is_open", "closes_at", "updated_at"])
    return form


def _check_question(question: Question) -> None:
    if question.has_choices():
        values = [str(c.get("value", "")).strip() for c in question.choices or []]
        if len([v for v in values if v]) < 2:
            raise IntakeError(_("Donnez au moins deux choix de réponse."), field="choices")
        if len(set(values)) != len(values):
            raise IntakeError(_("Deux choix de réponse portent le même nom."), field="choices")
    else:
        question.choices = []
    # The mapped columns are typed: an e-mail column needs an e-mail answer, a region a region.
    needs_kind = {
        Question.Maps.EMAIL: Question.Kind.EMAIL,
        Question.Maps.REGION: Question.Kind.REGION,
    }
    wanted = needs_kind.get(question.maps_to) or PROFILE_KINDS.get(question.maps_to)
    if wanted and question.kind != wanted:
        raise IntakeError(
            _("Pour remplir le champ « %(field)s », la question doit être de type « %(kind)s ».")
            % {"field": question.get_maps_to_display(), "kind": Question.Kind(wanted).label},
            field="maps_to",
        )
    known = PROFILE_VALUES.get(question.maps_to)
    if known is not None:
        unknown = [c.get("value") for c in question.choices if str(c.get("value")) not in known]
        if unknown:
            # Matching compares codes: an answer it does not know would be lost on selection.
            raise IntakeError(
                _("Pour remplir le champ « %(field)s », les valeurs des choix sont : %(codes)s.")
                % {"field": question.get_maps_to_display(), "codes": ", ".join(known)},
                field="choices",
            )
    if (
        question.maps_to
        and question.form.questions.exclude(pk=question.pk)
        .filter(maps_to=question.maps_to)
        .exists()
    ):
        raise IntakeError(
            _("Une autre question remplit déjà le champ « %(field)s ».")
            % {"field": question.get_maps_to_display()},
            field="maps_to",
        )


def _free_key(form: InterestForm, wanted: str) -> str:
    base = slugify(wanted).replace("-", "_")[:50] or "question"
    key, n = base, 2
    while form.questions.filter(key=key).exists():
        key, n = f"{base}_{n}", n + 1
    return key


@transaction.atomic
def add_question(
    *,
    form: InterestForm,
    kind: str,
    label_fr: str,
    label_en: str = "",
    help_fr: str = "",
    help_en: str = "",
    required: bool = False,
    choices: list[dict[str, str]] | None = None,
    maps_to: str = "",
    key: str = "",
) -> Question:
    """A new question at the end of the form; its key comes from the label when not given."""
    ensure_open(form.program, error=IntakeError)
    if key and form.questions.filter(key=key).exists():
        raise IntakeError(_("Une autre question utilise déjà cette clé."), field="key")
    if (
        kind == Question.Kind.SECTOR
        and not maps_to
        and not form.questions.filter(maps_to=Question.Maps.SECTOR).exists()
    ):
        # A sector question exists to fill the application's sector, which matching reads.
        maps_to = Question.Maps.SECTOR
    order = (form.questions.aggregate(m=Max("order"))["m"] or 0) + 1
    question = Question(
        form=form,
        order=order,
        key=key or _free_key(form, label_fr),
        kind=kind,
        label_fr=label_fr,
        label_en=label_en,
        help_fr=help_fr,
        help_en=help_en,
        required=required,
        choices=choices or [],
        maps_to=maps_to,
    )
    _check_question(question)
    IntakeError.check(question)
    question.save()
    return question


@transaction.atomic
def update_question(*, question: Question, **fields: Any) -> Question:
    """Edit a question. Its key never changes: applications keep their answers under it."""
    ensure_open(question.form.program, error=IntakeError)
    unknown = set(fields) - set(QUESTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown question fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(question, name, value)
    _check_question(question)
    IntakeError.check(question)
    question.save()
    return question


def delete_question(*, question: Question) -> None:
    """Answers already given stay in the applications (shown at the end of the answers)."""
    ensure_open(question.form.program, error=IntakeError)
    question.delete()


def move_question(*, question: Question, direction: str, by: Any) -> Question:
    """Move one place up or down among the form's questions (locked, renumbered, audited)."""
    ensure_open(question.form.program, error=IntakeError)
    moved = move_in_order(
        item=question, within="form", direction=direction, by=by, error=IntakeError
    )
    # The renumbering is a bulk update, which sends no signal: the form's stored page
    # (`rendering`) needs its key moved here.
    InterestForm.objects.filter(pk=question.form_id).update(updated_at=timezone.now())
    return moved


# --- Applications ------------------------------------------------------------------------------


def find_duplicate(
    *, program: Program, organization_name: str, email: str, exclude_pk: int | None = None
) -> tuple[Application | None, str]:
    """The earliest application of the program that seems to come from the same organization:
    the same e-mail first, else the same organization domain, else the same normalised name."""
    pk, reason = find_duplicate_pk(
        program=program, organization_name=organization_name, email=email, exclude_pk=exclude_pk
    )
    return (Application.objects.get(pk=pk) if pk else None), reason


def find_duplicate_pk(
    *, program: Program, organization_name: str, email: str, exclude_pk: int | None = None
) -> tuple[int | None, str]:
    """`find_duplicate`'s id alone, in one query that reads at most three index entries
    whatever the number of earlier applications: the address, its domain and the name are
    stored as the check compares them (`Application.email_key`, `email_domain`,
    `organization_key`) and indexed with the program and the date."""
    email_key, _domain = email_keys(email)
    domain = organization_domain(email)
    name = normalise_organization_name(organization_name)
    # Plain SQL: building this query through the ORM was a quarter of a public answer's Python
    # (issue 14). One sub-query per test, each the earliest application passing it (an index's
    # first entry); the best test wins. An application with the same address has the same
    # domain too: the first test finds it whatever the others say.
    tests = [
        (reason, column, value)
        for reason, column, value in (
            (DuplicateReason.SAME_EMAIL, "email_key", email_key),
            (DuplicateReason.SAME_DOMAIN, "email_domain", domain),
            (DuplicateReason.SAME_NAME, "organization_key", name),
        )
        if value
    ]
    if not tests:
        return None, ""
    table = Application._meta.db_table
    excluded = " AND id <> %s" if exclude_pk is not None else ""
    parts, params = [], []
    for rank, (_reason, column, value) in enumerate(tests):
        # Wrapped in SELECT * FROM (…): SQLite takes no ORDER BY / LIMIT inside a UNION's arm.
        parts.append(
            f'SELECT * FROM (SELECT {rank} AS rank, id, duplicate_of_id FROM "{table}" '
            f"WHERE program_id = %s AND {column} = %s{excluded} "
            "ORDER BY submitted_at, id LIMIT 1) AS t" + str(rank)
        )
        params += [program.pk, value, *([exclude_pk] if exclude_pk is not None else [])]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts) + " ORDER BY rank LIMIT 1", params)
        found = cursor.fetchone()
    if found is None:
        return None, ""
    index, pk, first = found
    # Point at the first application of the organization, not at another copy.
    return (first or pk), tests[index][0]


def _mapped_columns(questions: list[Question], answers: dict[str, Any]) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for question in (q for q in questions if q.maps_to):
        value = answers.get(question.key)
        if value in (None, "", []):
            continue
        if question.maps_to == Question.Maps.REGION:
            columns["region_id"] = region_pk(str(value))
        elif question.maps_to == Question.Maps.SECTOR and question.kind == Question.Kind.SECTOR:
            columns["sector"] = Sector.objects.filter(code=str(value)).first()
        elif question.maps_to == Question.Maps.SECTOR:
            # A code or a name of the reference sectors; anything else stays in the answers only.
            columns["sector"] = find_sector(text=str(value))
        elif question.maps_to in ("organization_name", "contact_name", "email", "phone"):
            columns[question.maps_to] = str(value).strip()
    return columns


SUBMISSION_WINDOW = 3600  # seconds: the public form's limits count answers per hour


def admit_submission(*, client: str, email: str) -> None:
    """Refuse a flood of answers (issue 12, finding 3): per connection and per e-mail address
    typed, in an hour, counted in the shared cache so that every web process sees the count
    (both in one query with the database, `hit_many`). Inside submit_application's
    transaction: with the database, an answer refused later (a rule broken) is not counted."""
    by_address, by_email = hit_many(
        [
            (
                "intake.address",
                client,
                settings.MAILLAGE_FORM_RATE_PER_ADDRESS if client else 0,
                SUBMISSION_WINDOW,
            ),
            (
                "intake.email",
                email,
                settings.MAILLAGE_FORM_RATE_PER_EMAIL if email else 0,
                SUBMISSION_WINDOW,
            ),
        ]
    )
    if not by_address:
        raise SubmissionLimited(
            _(
                "Beaucoup de réponses sont arrivées de votre connexion dans la dernière heure : "
                "par sécurité, votre réponse n’a pas été enregistrée. Vos réponses sont gardées "
                "ci-dessous ; réessayez dans une heure."
            )
        )
    if not by_email:
        raise SubmissionLimited(
            _(
                "Plusieurs réponses ont déjà été envoyées avec cette adresse courriel dans la "
                "dernière heure : celle-ci n’a pas été enregistrée. Vos réponses sont gardées "
                "ci-dessous ; réessayez dans une heure, ou écrivez à la coordination du programme "
                "pour corriger une réponse déjà envoyée."
            )
        )


@transaction.atomic
def submit_application(
    *,
    form: InterestForm,
    answers: dict[str, Any],
    consent: bool,
    language: str,
    client: str = "",
    questions: list[Question] | None = None,
) -> Application:
    """Record an answer to a public form, with its consent; confirm it by e-mail after commit.
    `client` is the sender's address, for the rate limits (empty: an import, no limit);
    `questions`, the form's questions when the caller has them."""
    if not form.is_accepting():
        raise IntakeError(_("Ce formulaire ne reçoit plus de réponses."))
    if not consent:
        raise IntakeError(
            _("Pour envoyer le formulaire, cochez la case de consentement."), field="consent"
        )
    language = language if language in ("fr", "en") else "fr"
    # The public form has just read them: `questions`, the form's own, saves a query.
    questions = list(form.questions.all()) if questions is None else questions
    for question in questions:
        if question.required and answers.get(question.key) in (None, "", []):
            raise IntakeError(_("Ce champ est obligatoire."), field=question.key)
        answer = answers.get(question.key)
        if (
            question.kind == Question.Kind.SECTOR
            and answer not in (None, "")
            and not Sector.objects.filter(code=str(answer)).exists()
        ):
            raise IntakeError(
                _("Choisissez un secteur d’activité dans la liste."), field=question.key
            )
    known = {q.key for q in questions}
    answers = {key: value for key, value in answers.items() if key in known}
    columns = _mapped_columns(questions, answers)
    application = Application(
        program=form.program,
        form=form,
        language=language,
        answers=answers,
        consent_given=True,
        consent_version=form.consent_version,
        consent_language=language,
        consent_at=timezone.now(),
        consent_source=Consent.Source.FORM,
        **columns,
    )
    application.duplicate_of_id, application.duplicate_reason = find_duplicate_pk(
        program=form.program,
        organization_name=application.organization_name,
        email=application.email,
    )
    # The program, the form and the region were just read, the earlier application found:
    # checking that they exist would be four more queries for nothing.
    IntakeError.check(application, exclude=["program", "form", "region", "sector", "duplicate_of"])
    application.save()
    reach_stage(program=form.program, stage=Program.Status.RECRUITING)
    if application.email:
        from .tasks import send_application_confirmation

        send_after_commit(send_application_confirmation, application_id=application.pk)
    # Counted last, after the writes: with the database, the count's row stays locked until
    # this transaction commits, and every answer from one address (a school's or a library's
    # shared connection, the load benchmark's one machine) takes the same row, so the lock is
    # held for the commit alone (issue 14: counted before the writes, it held them in a queue
    # behind each other's three inserts, 19 ms of waiting per answer at 150 answers a second).
    # A refused answer's writes go back with the transaction, its e-mail with them.
    admit_submission(client=client, email=columns.get("email", ""))
    return application


# --- Potential mentors -------------------------------------------------------------------------


@transaction.atomic
def add_potential_mentor(
    *,
    program: Program,
    first_name: str,
    last_name: str,
    email: str,
    phone: str = "",
    organization: Organization | None = None,
    organization_name: str = "",
    position: str = "",
    language: str = "fr",
    expertise: str = "",
    themes: list[str] | None = None,
    capacity: int = 2,
    track: Track | None = None,
    suggested_by: str = "",
    by: Any = None,
) -> PotentialMentor:
    """Put a sector leader on the program's list, reusing the Person `by` already sees with this
    e-mail; anyone else gets a new record of what was typed, and is invited to join
    (`person_by_email`): the list shows nothing of another program's person."""
    ensure_open(program, error=IntakeError)
    if track is not None and track.program_id != program.pk:
        raise IntakeError(_("Ce volet n’appartient pas à ce programme."), field="track")
    if organization is None and organization_name.strip():
        organization, _created = find_or_create_organization(
            name=organization_name, error=IntakeError
        )
    person, _created = person_by_email(
        program=program,
        by=by,
        email=email,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        organization=organization,
        position=position,
        language=language,
        error=IntakeError,
    )
    if PotentialMentor.objects.filter(program=program, person=person).exists():
        raise IntakeError(
            _("%(name)s est déjà dans la liste des mentor·es potentiel·les.")
            % {"name": person.full_name},
            field="email",
        )
    mentor = PotentialMentor(
        program=program,
        person=person,
        expertise=expertise,
        themes=themes or [],
        capacity=capacity,
        track=track,
        suggested_by=suggested_by,
    )
    IntakeError.check(mentor)
    mentor.save()
    return mentor


@transaction.atomic
def update_potential_mentor(*, potential_mentor: PotentialMentor, **fields: Any) -> PotentialMentor:
    ensure_open(potential_mentor.program, error=IntakeError)
    allowed = {"expertise", "themes", "capacity", "track", "suggested_by"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    track = fields.get("track")
    if track is not None and track.program_id != potential_mentor.program_id:
        raise IntakeError(_("Ce volet n’appartient pas à ce programme."), field="track")
    for name, value in fields.items():
        setattr(potential_mentor, name, value)
    IntakeError.check(potential_mentor)
    potential_mentor.save()
    if potential_mentor.status == PotentialMentor.Status.ACCEPTED:
        # Keep the mentor role's capacity and track in step with the list.
        _give_mentor_role(potential_mentor)
    return potential_mentor


@transaction.atomic
def log_mentor_contact(
    *,
    potential_mentor: PotentialMentor,
    at: datetime.datetime,
    channel: str,
    summary: str,
    by: AbstractBaseUser | None = None,
) -> MentorContact:
    """One exchange in the contact history; the first one marks the person as contacted."""
    ensure_open(potential_mentor.program, error=IntakeError)
    contact = MentorContact(
        potential_mentor=potential_mentor,
        at=at,
        channel=channel,
        summary=summary.strip(),
        by=by if getattr(by, "is_authenticated", False) else None,
    )
    IntakeError.check(contact)
    contact.save()
    if potential_mentor.status == PotentialMentor.Status.IDENTIFIED:
        potential_mentor.status = PotentialMentor.Status.CONTACTED
        potential_mentor.save(update_fields=["status", "updated_at"])
    return contact


def _give_mentor_role(potential_mentor: PotentialMentor) -> Role:
    return assign_role(
        program=potential_mentor.program,
        person=potential_mentor.person,
        kind=Role.Kind.MENTOR,
        track=potential_mentor.track,
        capacity=potential_mentor.capacity,
    )


@transaction.atomic
def set_potential_mentor_status(
    *, potential_mentor: PotentialMentor, status: str
) -> PotentialMentor:
    """Record the answer; a person who accepts becomes a mentor of the program.

    Declining after accepting leaves an existing mentor role alone: it may already be used by a
    group, and the coordinator removes it from the people page knowingly.
    """
    ensure_open(potential_mentor.program, error=IntakeError)
    if status not in PotentialMentor.Status.values:
        raise IntakeError(_("Statut inconnu."), field="status")
    potential_mentor.status = status
    potential_mentor.save(update_fields=["status", "updated_at"])
    if status == PotentialMentor.Status.ACCEPTED:
        _give_mentor_role(potential_mentor)
    return potential_mentor
