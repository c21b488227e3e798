"""Import people and applications from a spreadsheet; export them; a person's own data.

An import is all or nothing unless the coordinator asks to skip bad rows: a half-imported file
is worse than none, because nobody knows which half. Every row is checked first (reads only),
then the good rows are written inside one transaction, each under its own savepoint so that a
row the database refuses becomes one more reported error instead of a crash.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from maillage.core.audit import acting_as, record, record_bulk
from maillage.core.models import Organization, Person, Sector, Team, TeamMember, Territory
from maillage.core.services import (
    find_or_create_organization,
    find_or_create_person,
    find_or_create_team,
    find_sector,
    name_key,
    preferred_person,
)
from maillage.core.writing import CSV_TYPE, XLSX_TYPE, to_csv, to_xlsx, unneutralise
from maillage.intake.models import Application, Question
from maillage.intake.services import find_duplicate
from maillage.programs.errors import ProgramError
from maillage.programs.models import Consent, Program, Track
from maillage.programs.selectors import people_visible_to
from maillage.programs.services import (
    assign_role,
    consent_on_adding,
    ensure_open,
    person_by_email,
)

from . import my_data, selectors, vocabulary
from .errors import PortabilityError
from .reading import Row, Sheet, as_rows, parse_upload
from .vocabulary import (
    APPLICATION_COLUMNS,
    APPLICATION_FIELDS,
    PEOPLE_COLUMNS,
    Column,
    Lookup,
    blind,
)

__all__ = [
    "ImportReport",
    "RowResult",
    "parse_upload",
    "import_people",
    "import_applications",
    "template_file",
    "my_data_json",
]

PEOPLE, APPLICATIONS = "people", "applications"
KINDS = (PEOPLE, APPLICATIONS)
FORMATS = ("csv", "xlsx")


@dataclass
class RowResult:
    line: int
    label: str = ""
    action: str = ""  # "create", "update", "unchanged" (preview) or "" when it has errors
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    kind: str
    dry_run: bool = False
    skip_bad_rows: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    saved: bool = False
    file_errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)

    @property
    def bad_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.errors]

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors or self.bad_rows)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def valid(self) -> int:
        return self.total - len(self.bad_rows)

    @property
    def can_confirm(self) -> bool:
        """A preview the coordinator may turn into a real import."""
        if not self.dry_run or self.file_errors or not (self.created or self.updated):
            return False
        return self.skip_bad_rows or not self.bad_rows

    @property
    def can_skip_instead(self) -> bool:
        """A preview with errors whose valid rows could still be imported, if asked."""
        return (
            self.dry_run
            and not self.file_errors
            and not self.skip_bad_rows
            and bool(self.bad_rows)
            and self.valid > 0
        )


# --- Reading the columns -------------------------------------------------------------------


def map_headers(
    headers: list[str], columns: list[Column], extra: Lookup | None = None
) -> tuple[dict[str, str], list[Column], list[str]]:
    """Which header is which column; the required columns missing; the columns ignored.

    A column already claimed (an export has « Organisation » then the answer « organization »)
    falls through to the extra lookup (the form's question keys).
    """
    lookup = vocabulary.column_lookup(columns)
    mapping: dict[str, str] = {}
    ignored: list[str] = []
    for header in headers:
        if not header:
            continue
        key = lookup.get(header)
        if key is None or key in mapping.values():
            key = extra.get(header) if extra else None
            if key is not None and key in mapping.values():
                key = None
        if key is None:
            ignored.append(header)
        else:
            mapping[header] = key
    missing = [c for c in columns if c.required and c.key not in mapping.values()]
    return mapping, missing, ignored


def headers_of(rows: Sheet | list[Any]) -> list[str]:
    if isinstance(rows, Sheet):
        return rows.headers
    headers: list[str] = []
    for row in rows:
        values = row.values if isinstance(row, Row) else row
        headers.extend(h for h in values if h not in headers)
    return headers


def missing_columns_message(missing: list[Column]) -> str:
    names = ", ".join(f"« {column.header()} »" for column in missing)
    return _(
        "Colonnes obligatoires absentes : %(names)s. Ajoutez-les à la première ligne du fichier "
        "(le modèle à télécharger les contient toutes)."
    ) % {"names": names}


# --- Reading the values --------------------------------------------------------------------


class Regions:
    """Québec's administrative regions by code (« 03 », « QC-03 ») or by name."""

    def __init__(self) -> None:
        regions = list(Territory.objects.filter(kind=Territory.Kind.REGION))
        # Keys that cannot be mistaken for a spelling: a Lookup also matches its own keys.
        self.by_pk = {f"#{region.pk}": region for region in regions}
        entries = []
        for region in regions:
            number = region.code.rsplit("-", 1)[-1]
            spellings = [region.code, region.name_fr, region.name_en, number]
            if number.isdigit():
                spellings.append(str(int(number)))
            entries.append((f"#{region.pk}", spellings))
        self.lookup = Lookup(entries)

    def get(self, text: str) -> Territory | None:
        pk = self.lookup.get(text)
        if pk is None:
            # « 03 - Capitale-Nationale », « 03 Capitale-Nationale »
            match = re.match(r"^\s*(?:QC-)?(\d{1,2})\b", text, flags=re.IGNORECASE)
            if match:
                pk = self.lookup.get(match.group(1))
            if pk is None:
                pk = self.lookup.get(re.sub(r"^\s*(?:QC-)?\d{1,2}\s*[-–—:.]?\s*", "", text))
        return self.by_pk.get(pk) if pk else None


def check_yes_no(text: str, errors: list[str], label: object) -> bool | None:
    if not text:
        return None
    value = vocabulary.YES_NO.get(text)
    if value is None:
        errors.append(
            _("« %(value)s » n’est pas une réponse oui ou non (%(column)s) : écrivez oui ou non.")
            % {"value": text, "column": label}
        )
        return None
    return value == "yes"


def check_language(text: str, errors: list[str], label: object) -> str | None:
    if not text:
        return None
    value = vocabulary.languages().get(text)
    if value is None:
        errors.append(
            _("Langue « %(value)s » inconnue (%(column)s) : écrivez fr ou en.")
            % {"value": text, "column": label}
        )
    return value


def check_email(text: str, errors: list[str]) -> str:
    if not text:
        errors.append(_("Le courriel est vide."))
        return ""
    try:
        validate_email(text)
    except ValidationError:
        errors.append(_("Le courriel « %(value)s » n’est pas valide.") % {"value": text})
    return text


def check_region(text: str, regions: Regions, errors: list[str]) -> Territory | None:
    if not text:
        return None
    region = regions.get(text)
    if region is None:
        errors.append(
            _(
                "Région « %(value)s » inconnue : écrivez le nom d’une région administrative du "
                "Québec (par exemple Capitale-Nationale) ou son numéro (03)."
            )
            % {"value": text}
        )
    return region


class Sectors:
    """The reference sectors, read once per import (not once per row)."""

    def __init__(self) -> None:
        self.all = list(Sector.objects.all())
        self.by_key: dict[str, Sector] = {}
        for sector in self.all:
            for spelling in (sector.code, sector.name_fr, sector.name_en):
                if spelling:
                    self.by_key.setdefault(name_key(spelling), sector)

    def get(self, text: str) -> Sector | None:
        return self.by_key.get(name_key(text)) if name_key(text) else None


def check_sector(text: str, errors: list[str], sectors: Sectors | None = None) -> Sector | None:
    if not text:
        return None
    sector = sectors.get(text) if sectors is not None else find_sector(text=text)
    if sector is None:
        known = sectors.all if sectors is not None else Sector.objects.all()
        names = ", ".join(sorted(str(s.name) for s in known))
        errors.append(
            _("Secteur « %(value)s » inconnu : écrivez l’un de ceux-ci : %(names)s.")
            % {"value": text, "names": names}
        )
    return sector


def check_track(text: str, tracks: dict[str, Track], errors: list[str]) -> Track | None:
    if not text:
        return None
    track = tracks.get(blind(text))
    if track is None:
        known = ", ".join(sorted(t.name for t in tracks.values())) or _("aucun")
        errors.append(
            _("Volet « %(value)s » inconnu dans ce programme (volets : %(known)s).")
            % {"value": text, "known": known}
        )
    return track


def parse_moment(text: str) -> datetime | None:
    """2026-03-01, 2026-03-01 14:30, 2026-03-01T14:30:00, 01/03/2026 (day first, as in Québec)."""
    text = text.strip()
    for pattern in (
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d",
        "%d/%m/%Y %H:%M",
        "%d/%m/%Y",
        "%Y/%m/%d",
    ):
        try:
            moment = datetime.strptime(text, pattern)
            break
        except ValueError:
            continue
    else:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def check_moment(text: str, errors: list[str], label: object) -> datetime | None:
    if not text:
        return None
    moment = parse_moment(text)
    if moment is None:
        errors.append(
            _("Date « %(value)s » illisible (%(column)s) : écrivez-la comme 2026-03-01.")
            % {"value": text, "column": label}
        )
    return moment


def check_number(text: str, errors: list[str], label: object) -> int | None:
    if not text:
        return None
    try:
        number = int(text.replace(" ", ""))
        if number < 0:
            raise ValueError
        return number
    except ValueError:
        errors.append(
            _("« %(value)s » n’est pas un nombre entier (%(column)s).")
            % {"value": text, "column": label}
        )
        return None


def label_of(key: str, columns: list[Column]) -> object:
    return next((c.label for c in columns if c.key == key), key)


# --- Import: the shared frame ----------------------------------------------------------------


def run_import(
    *,
    kind: str,
    program: Program,
    rows: Sheet | list[Any],
    columns: list[Column],
    extra: Lookup | None,
    check: Callable[[dict[str, str], RowResult], dict[str, Any] | None],
    write: Callable[[dict[str, Any], RowResult], str],
    skip_bad_rows: bool,
    by: Any,
    dry_run: bool,
    filename: str,
    audit: bool = True,
) -> ImportReport:
    report = ImportReport(kind=kind, dry_run=dry_run, skip_bad_rows=skip_bad_rows)
    checked = check_sheet(report, rows=rows, columns=columns, extra=extra, check=check)
    if report.file_errors:
        return report

    with acting_as(by), transaction.atomic():
        for result, clean in checked:
            try:
                with transaction.atomic():
                    result.action = write(clean, result)
            except (ValidationError, ProgramError, PortabilityError) as error:
                result.errors.extend(_messages_of(error))
                result.action = ""
        report.created = sum(1 for r in report.rows if r.action == "create")
        report.updated = sum(1 for r in report.rows if r.action == "update")
        if report.bad_rows and not skip_bad_rows:
            transaction.set_rollback(True)
            report.created = report.updated = 0
            return report
        report.skipped = len(report.bad_rows)
        if dry_run:
            transaction.set_rollback(True)
            return report
        report.saved = True
        if not audit:
            return report  # a batch of an import job: the job records the import once
        record(
            action="import",
            instance=program,
            program_id=program.pk,
            changes={
                "kind": kind,
                "file": filename[:200],
                "created": report.created,
                "updated": report.updated,
                "skipped": report.skipped,
            },
        )
    return report


Checked = list[tuple[RowResult, dict[str, Any]]]


PROGRESS_EVERY = 500


def check_sheet(
    report: ImportReport,
    *,
    rows: Sheet | list[Any],
    columns: list[Column],
    extra: Lookup | None,
    check: Callable[[dict[str, str], RowResult], dict[str, Any] | None],
    progress: Callable[[int], None] | None = None,
) -> Checked:
    """Every row read and checked (in memory: the checks' look-ups are loaded beforehand),
    into `report`; the rows without errors with their clean values. `progress` is told the
    number of rows checked every `PROGRESS_EVERY` rows (the import's bar)."""
    mapping, missing, report.ignored_columns = map_headers(headers_of(rows), columns, extra)
    if missing:
        # Without its required columns no row can be read: say it once, not once per row.
        report.file_errors.append(missing_columns_message(missing))
        other = APPLICATION_COLUMNS if report.kind == PEOPLE else PEOPLE_COLUMNS
        if not map_headers(headers_of(rows), other)[1]:
            report.file_errors.append(
                _("Ce fichier semble contenir des candidatures : choisissez « des candidatures ».")
                if report.kind == PEOPLE
                else _("Ce fichier semble contenir des personnes : choisissez « des personnes ».")
            )
        return []
    checked: Checked = []
    for done, row in enumerate(as_rows(rows)):
        if progress is not None and done and not done % PROGRESS_EVERY:
            progress(done)
        values = {key: "" for key in mapping.values()}
        for header, key in mapping.items():
            values[key] = unneutralise(str(row.values.get(header, "") or "").strip())
        result = RowResult(line=row.line)
        report.rows.append(result)
        clean = check(values, result)
        if not result.errors and clean is not None:
            checked.append((result, clean))
    return checked


def _messages_of(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return [f"{name} : {m}" for name, msgs in error.message_dict.items() for m in msgs]
        return list(error.messages)
    if getattr(error, "field", None):
        # A value the model refused: say which one, as the line's other errors do.
        return [f"{error.field} : {error.message}"]  # type: ignore[attr-defined]
    return [getattr(error, "message", str(error))]


# --- Import people ---------------------------------------------------------------------------


class KnownPeople:
    """People and organizations already in Maillage, looked up once per import, not per row.

    A 2,000-line file otherwise costs some 16 queries a line; what a line adds is remembered only
    once the line is saved, so a line rolled back to its savepoint leaves nothing stale behind.
    """

    def __init__(self, program: Program, emails: set[str], by: Any) -> None:
        self.in_program = set(program.roles.values_list("person_id", flat=True))
        found: dict[str, list[Person]] = {}
        # Only the people the importing user already sees: another program's person is not
        # this file's to update, nor to reveal (`person_by_email` invites them instead).
        visible = people_visible_to(user=by, program=program)
        for person in (
            visible.annotate(_email=Lower("email")).filter(_email__in=emails).order_by("pk")
        ):
            found.setdefault(person.email.lower(), []).append(person)
        # Several records for one e-mail: the same choice as every look-up by e-mail.
        self.people = {
            email: preferred_person(group, prefer=self.in_program) for email, group in found.items()
        }
        self.organizations: dict[str, Organization] = {}

    def person(self, email: str) -> Person | None:
        return self.people.get(email.lower())

    def organization(self, name: str) -> Organization | None:
        """An organization a saved line already used; None leaves the look-up to the service."""
        return self.organizations.get(name_key(name))

    def remember(self, person: Person) -> None:
        self.people[person.email.lower()] = person
        self.in_program.add(person.pk)
        if person.organization is not None:
            self.organizations[name_key(person.organization.name)] = person.organization


def _note_on_known(own: bool, first_line_of: dict[str, int], email: str, line: int) -> str:
    first = first_line_of.get(email.casefold(), line)
    if first < line:
        return _("Même personne qu’à la ligne %(line)s : un rôle de plus.") % {"line": first}
    if own:
        return _("Personne déjà dans ce programme : sa fiche est mise à jour, sans doublon.")
    return _(
        "Personne d’un autre de vos programmes : elle est ajoutée à celui-ci, sans doublon ; "
        "seuls ses renseignements manquants sont complétés."
    )


# The columns that say who a person is (the e-mail finds them; the role and team are the program's).
PERSON_COLUMNS = (
    "first_name",
    "last_name",
    "phone",
    "position",
    "language",
    "languages",
    "working_style",
    "availability",
)


class PeopleCheck:
    """The checks of a file of people, row by row, with what they look up read once."""

    def __init__(self, program: Program) -> None:
        self.regions = Regions()
        self.sectors = Sectors()
        self.tracks = {blind(track.name): track for track in program.tracks.all()}
        self.seen: dict[tuple[str, str], int] = {}
        self.first_line_of: dict[str, int] = {}

    def __call__(self, values: dict[str, str], result: RowResult) -> dict[str, Any] | None:
        errors = result.errors
        get = values.get
        first, last = get("first_name", ""), get("last_name", "")
        result.label = f"{first} {last}".strip()
        if not first:
            errors.append(_("Le prénom est vide."))
        if not last:
            errors.append(_("Le nom est vide."))
        email = check_email(get("email", ""), errors)
        role_text = get("role", "")
        role = vocabulary.roles().get(role_text) if role_text else None
        if not role_text:
            errors.append(_("Le rôle est vide."))
        elif role is None:
            errors.append(
                _(
                    "Rôle « %(value)s » inconnu : écrivez coordination, mentor, mentoré·e, "
                    "observation, comité ou bailleur de fonds."
                )
                % {"value": role_text}
            )
        clean: dict[str, Any] = {
            "first_name": first,
            "last_name": last,
            "email": email,
            "role": role,
            "phone": get("phone", ""),
            "organization": get("organization", ""),
            "position": get("position", ""),
            "team": get("team", ""),
            "region": check_region(get("region", ""), self.regions, errors),
            "sector": check_sector(get("sector", ""), errors, self.sectors),
            "can_decide": check_yes_no(
                get("can_decide", ""), errors, label_of("can_decide", PEOPLE_COLUMNS)
            ),
            "language": check_language(
                get("language", ""), errors, label_of("language", PEOPLE_COLUMNS)
            ),
            "track": check_track(get("track", ""), self.tracks, errors),
        }
        spoken = []
        for word in vocabulary.split_list(get("languages", "")):
            code = vocabulary.languages().get(word)
            if code is None and re.fullmatch(r"[A-Za-z]{2,3}", word):
                code = word.lower()  # another language (es, ar…): kept as its code
            if code is None:
                errors.append(_("Langue parlée « %(value)s » inconnue.") % {"value": word})
            elif code not in spoken:
                spoken.append(code)
        clean["languages"] = spoken
        style_text = get("working_style", "")
        clean["working_style"] = vocabulary.styles().get(style_text) if style_text else None
        if style_text and clean["working_style"] is None:
            errors.append(
                _("Style de travail « %(value)s » inconnu : écrivez structuré ou intuitif.")
                % {"value": style_text}
            )
        slots = []
        for word in vocabulary.split_list(get("availability", "")):
            code = vocabulary.slots().get(word)
            if code is None:
                errors.append(
                    _("Disponibilité « %(value)s » inconnue : écrivez par exemple « lundi matin ».")
                    % {"value": word}
                )
            elif code not in slots:
                slots.append(code)
        clean["availability"] = slots
        if email and role:
            key = (email.casefold(), role)
            if key in self.seen:
                errors.append(
                    _("Cette personne figure déjà avec ce rôle à la ligne %(line)s du fichier.")
                    % {"line": self.seen[key]}
                )
            else:
                self.seen[key] = result.line
            self.first_line_of.setdefault(email.casefold(), result.line)
        return None if errors else clean


def import_people(
    *,
    program: Program,
    rows: Sheet | list[Any],
    skip_bad_rows: bool,
    by: Any,
    dry_run: bool = False,
    filename: str = "",
) -> ImportReport:
    """People and their role in the program; a known e-mail updates the person."""
    ensure_open(program, error=PortabilityError)
    check = PeopleCheck(program)
    first_line_of = check.first_line_of
    cols = PEOPLE_COLUMNS
    index: list[KnownPeople] = []  # built once the file is checked, with all its e-mails

    def write(clean: dict[str, Any], result: RowResult) -> str:
        if not index:
            index.append(KnownPeople(program, set(first_line_of), by))
        known = index[0]
        email = clean["email"]
        person = known.person(email)
        action = "update" if person else "create"
        # Someone known only from other programs: this coordinator may add them to the program
        # and fill what is missing, not rewrite what another program's people entered.
        own = person is None or person.pk in known.in_program
        if person is not None:
            result.notes.append(_note_on_known(own, first_line_of, email, result.line))
        organization = None
        if clean["organization"] and (own or person.organization_id is None):
            organization, _created = find_or_create_organization(
                name=clean["organization"],
                territory=clean["region"],
                sector=clean["sector"],
                existing=known.organization(clean["organization"]),
                error=PortabilityError,
            )
        details = {name: clean[name] for name in PERSON_COLUMNS}
        if person is None:
            # Unknown to this user, on the platform or not: the same new record either way.
            person, _created = person_by_email(
                program=program,
                by=by,
                email=email,
                organization=organization,
                can_decide=clean["can_decide"],
                error=PortabilityError,
                **details,
            )
        else:
            # An empty cell leaves what Maillage already knows: a partial file never erases data.
            person, _created = find_or_create_person(
                email=email,
                existing=person,
                overwrite=own,
                organization=organization,
                can_decide=clean["can_decide"],
                error=PortabilityError,
                **details,
            )
        role = assign_role(program=program, person=person, kind=clean["role"], track=clean["track"])
        # A file is not a person's consent: each one is asked by e-mail (sent if the import is
        # kept) and is not selected nor matched before answering.
        consent_on_adding(person=person, program=program, given=False, by=by)
        if clean["team"]:
            team, _created = find_or_create_team(
                name=clean["team"],
                # Teams of other programs stay apart, even with the same name.
                among=(Team.objects.filter(role__program=program), person.teams.all()),
                organization=person.organization,
                error=PortabilityError,
            )
            TeamMember.objects.get_or_create(team=team, person=person)
            if role.team_id != team.pk:
                role.team = team
                role.save()
        known.remember(person)
        return action

    return run_import(
        kind=PEOPLE,
        program=program,
        rows=rows,
        columns=cols,
        extra=None,
        check=check,
        write=write,
        skip_bad_rows=skip_bad_rows,
        by=by,
        dry_run=dry_run,
        filename=filename,
    )


# --- Import applications ---------------------------------------------------------------------


class ApplicationsCheck:
    """The checks of a file of applications, row by row, with what they look up read once."""

    def __init__(self, program: Program) -> None:
        self.regions = Regions()
        self.sectors = Sectors()
        self.tracks = {blind(track.name): track for track in program.tracks.all()}
        self.questions: dict[str, Question] = {}
        for question in Question.objects.filter(form__program=program).order_by("form_id", "order"):
            self.questions.setdefault(question.key, question)
        self.extra = Lookup(
            (f"q:{key}", [key, q.label_fr, q.label_en]) for key, q in self.questions.items()
        )
        self.existing_ids = set(program.applications.values_list("pk", flat=True))
        self.seen: dict[tuple[str, str], int] = {}

    def __call__(self, values: dict[str, str], result: RowResult) -> dict[str, Any] | None:
        errors = result.errors
        get = values.get
        organization, contact = get("organization", ""), get("contact", "")
        result.label = organization or contact
        if not organization:
            errors.append(_("Le nom de l’organisation est vide."))
        if not contact:
            errors.append(_("La personne contact est vide."))
        email = check_email(get("email", ""), errors)
        clean: dict[str, Any] = {
            "organization_name": organization,
            "contact_name": contact,
            "email": email,
            "phone": get("phone", ""),
            "region": check_region(get("region", ""), self.regions, errors),
            "track": check_track(get("track", ""), self.tracks, errors),
            "language": check_language(
                get("language", ""), errors, label_of("language", APPLICATION_COLUMNS)
            ),
            "consent_language": check_language(
                get("consent_language", ""),
                errors,
                label_of("consent_language", APPLICATION_COLUMNS),
            ),
            "received": check_moment(
                get("received", ""), errors, label_of("received", APPLICATION_COLUMNS)
            ),
            "consent_at": check_moment(
                get("consent_at", ""), errors, label_of("consent_at", APPLICATION_COLUMNS)
            ),
            "consent_given": check_yes_no(
                get("consent_given", ""), errors, label_of("consent_given", APPLICATION_COLUMNS)
            ),
            "consent_version": check_number(
                get("consent_version", ""), errors, label_of("consent_version", APPLICATION_COLUMNS)
            ),
        }
        status_text = get("status", "")
        clean["status"] = vocabulary.statuses().get(status_text) if status_text else None
        if status_text and clean["status"] is None:
            errors.append(_("Statut « %(value)s » inconnu.") % {"value": status_text})
        if clean["status"] == "selected" and not clean["consent_given"]:
            # Law 25: nobody is selected without their consent, not even through a file.
            errors.append(
                _(
                    "Statut « retenue » sans consentement (%(column)s = non) : importez-la « reçue », "
                    "puis demandez le consentement de la personne."
                )
                % {"column": label_of("consent_given", APPLICATION_COLUMNS)}
            )
        clean["id"] = check_number(get("id", ""), errors, label_of("id", APPLICATION_COLUMNS))
        if clean["id"] is not None and clean["id"] not in self.existing_ids:
            errors.append(
                _(
                    "Aucune candidature n° %(value)s dans ce programme : videz cette cellule pour "
                    "créer une nouvelle candidature."
                )
                % {"value": clean["id"]}
            )
        clean["duplicate_of"] = check_number(
            get("duplicate_of", ""), errors, label_of("duplicate_of", APPLICATION_COLUMNS)
        )
        if clean["duplicate_of"] is not None and clean["duplicate_of"] not in self.existing_ids:
            errors.append(
                _("Aucune candidature n° %(value)s dans ce programme (%(column)s).")
                % {
                    "value": clean["duplicate_of"],
                    "column": label_of("duplicate_of", APPLICATION_COLUMNS),
                }
            )
        answers: dict[str, Any] = {}
        for key, question in self.questions.items():
            text = get(f"q:{key}")
            if text is None and question.maps_to:
                answers[key] = mapped_answer(question, clean)
            elif text:
                answers[key] = answer_value(question, text, self.regions, errors, self.sectors)
        clean["answers"] = {k: v for k, v in answers.items() if v not in (None, "")}
        if email and organization:
            key = (email.casefold(), blind(organization))
            if key in self.seen:
                errors.append(
                    _("Même candidature (courriel et organisation) qu’à la ligne %(line)s.")
                    % {"line": self.seen[key]}
                )
            else:
                self.seen[key] = result.line
        return None if errors else clean


def import_applications(
    *,
    program: Program,
    rows: Sheet | list[Any],
    skip_bad_rows: bool,
    by: Any,
    dry_run: bool = False,
    filename: str = "",
    audit: bool = True,
) -> ImportReport:
    """Applications received outside Maillage (a paper form, last year's spreadsheet)."""
    ensure_open(program, error=PortabilityError)
    check = ApplicationsCheck(program)
    extra = check.extra
    form = program.forms.order_by("audience", "id").first() if hasattr(program, "forms") else None
    cols = APPLICATION_COLUMNS

    def write(clean: dict[str, Any], result: RowResult) -> str:
        app = None
        if clean["id"] is not None:
            app = program.applications.filter(pk=clean["id"]).first()
        if app is None:
            candidates = program.applications.filter(email__iexact=clean["email"])
            app = next(
                (
                    a
                    for a in candidates
                    if blind(a.organization_name) == blind(clean["organization_name"])
                ),
                None,
            )
        action = "update" if app else "create"
        if app is None:
            app = Application(program=program, form=form)
        else:
            result.notes.append(
                _("Candidature déjà reçue (n° %(id)s) : elle est mise à jour, sans doublon.")
                % {"id": app.pk}
            )
        for name in APPLICATION_FIELDS:
            if clean[name] not in (None, ""):
                setattr(app, name, clean[name])
        if clean["consent_given"] is not None:
            app.consent_given = clean["consent_given"]
            app.consent_source = Consent.Source.IMPORT if app.consent_given else ""
        if clean["duplicate_of"] is not None:
            app.duplicate_of_id = clean["duplicate_of"]
        elif action == "create":
            # The same rule as the public form: the coordinator sees it before scoring.
            app.duplicate_of, _reason = find_duplicate(
                program=program, organization_name=clean["organization_name"], email=clean["email"]
            )
            if app.duplicate_of is not None:
                result.notes.append(
                    _("Même organisation que la candidature n° %(id)s : marquée doublon possible.")
                    % {"id": app.duplicate_of.pk}
                )
        app.answers = {**(app.answers or {}), **clean["answers"]}
        app.full_clean(exclude=["consent_version"] if app.consent_version is None else [])
        app.save()
        if clean["received"] is not None:
            # `submitted_at` is set on creation; an import keeps the date it was really received.
            Application.objects.filter(pk=app.pk).update(submitted_at=clean["received"])
            record_bulk(
                action="update",
                model=Application,
                ids=[app.pk],
                by=by,
                changes={"submitted_at": clean["received"].isoformat()},
                program_id=program.pk,
            )
        return action

    return run_import(
        kind=APPLICATIONS,
        program=program,
        rows=rows,
        columns=cols,
        extra=extra,
        check=check,
        write=write,
        skip_bad_rows=skip_bad_rows,
        by=by,
        dry_run=dry_run,
        filename=filename,
        audit=audit,
    )


def mapped_answer(question: Question, clean: dict[str, Any]) -> Any:
    """The answer of a question that fills an application column, from that column."""
    source = {
        Question.Maps.ORGANIZATION: clean["organization_name"],
        Question.Maps.CONTACT_NAME: clean["contact_name"],
        Question.Maps.EMAIL: clean["email"],
        Question.Maps.PHONE: clean["phone"],
        Question.Maps.REGION: clean["region"].code if clean["region"] else "",
    }
    return source.get(question.maps_to, None)


def answer_value(
    question: Question,
    text: str,
    regions: Regions,
    errors: list[str],
    sectors: Sectors | None = None,
) -> Any:
    kind = question.kind
    if kind == Question.Kind.YES_NO:
        return check_yes_no(text, errors, question.key)
    if kind == Question.Kind.NUMBER:
        try:
            number = float(text.replace(",", ".").replace(" ", ""))
        except ValueError:
            errors.append(
                _("« %(value)s » n’est pas un nombre (%(column)s).")
                % {"value": text, "column": question.key}
            )
            return None
        return int(number) if number.is_integer() else number
    if kind == Question.Kind.REGION:
        region = check_region(text, regions, errors)
        return region.code if region else None
    if kind == Question.Kind.SECTOR:
        sector = check_sector(text, errors, sectors)
        return sector.code if sector else None
    if kind in (Question.Kind.CHOICE, Question.Kind.MULTIPLE) and question.choices:
        choices = Lookup(
            (str(c.get("value")), [str(c.get("fr", "")), str(c.get("en", ""))])
            for c in question.choices
            if isinstance(c, dict) and c.get("value") is not None
        )
        words = vocabulary.split_list(text) if kind == Question.Kind.MULTIPLE else [text]
        values = []
        for word in words:
            value = choices.get(word)
            if value is None:
                errors.append(
                    _("« %(value)s » n’est pas un des choix de la question « %(column)s ».")
                    % {"value": word, "column": question.key}
                )
            else:
                values.append(value)
        return values if kind == Question.Kind.MULTIPLE else (values[0] if values else None)
    if kind == Question.Kind.MULTIPLE:
        return vocabulary.split_list(text)
    return text


# --- Export --------------------------------------------------------------------------------


@dataclass
class Download:
    content: bytes
    content_type: str
    filename: str


def kind_label(kind: str) -> str:
    return _("personnes") if kind == PEOPLE else _("candidatures")


def template_file(*, program: Program, kind: str, fmt: str) -> Download:
    """An empty file with the French headers and one example row, to fill in."""
    if kind not in KINDS or fmt not in FORMATS:
        raise PortabilityError(_("Modèle inconnu."))
    if kind == PEOPLE:
        headers = [str(c.label) for c in PEOPLE_COLUMNS]
        example = [
            "Alex",
            "Exemple",
            "alex.exemple@exemple.org",
            "418 555-0100",
            "Organisme exemple",
            "Capitale-Nationale",
            "Communautaire",
            "Direction",
            "oui",
            "fr",
            "fr, en",
            "structuré",
            "lundi matin, jeudi après-midi",
            "mentoré·e",
            program.tracks.values_list("name", flat=True).first() or "",
            "",
        ]
    else:
        keys = selectors.question_keys(program)
        headers = [str(c.label) for c in APPLICATION_COLUMNS] + keys
        example = [
            "",
            "2026-03-01",
            "fr",
            "Organisme exemple",
            "Alex Exemple",
            "alex.exemple@exemple.org",
            "418 555-0100",
            "03",
            "reçue",
            "",
            "",
            "oui",
            "1",
            "fr",
            "2026-03-01 10:00",
        ] + ["" for _key in keys]
    stem = f"modele-{slugify(kind_label(kind))}"
    if fmt == "csv":
        return Download(to_csv(headers, [example]), CSV_TYPE, f"{stem}.csv")
    return Download(to_xlsx(headers, [example], title=kind_label(kind)), XLSX_TYPE, f"{stem}.xlsx")


def my_data_json(*, person: Person | None, by: Any, request_pk: int | None = None) -> Download:
    """Everything Maillage holds about the signed-in person, as JSON (Law 25 portability)."""
    data = selectors.person_data(person)
    content = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    _record_my_data(person, by, "json", request_pk)
    return Download(
        content,
        "application/json; charset=utf-8",
        f"maillage-mes-donnees-{date.today():%Y-%m-%d}.json",
    )


def my_data_csv(*, person: Person | None, by: Any, request_pk: int | None = None) -> Download:
    """The same data as a zip of one CSV per section, for a spreadsheet, in the person's
    language whoever downloads it (the officer answering a request sends it to them)."""
    data = selectors.person_data(person)
    language = person.language if person is not None else get_language()
    _record_my_data(person, by, "csv", request_pk)
    return Download(
        my_data.zip_of(data, language),
        "application/zip",
        f"maillage-mes-donnees-{date.today():%Y-%m-%d}-csv.zip",
    )


def _record_my_data(person: Person | None, by: Any, fmt: str, request_pk: int | None) -> None:
    if person is None:
        return
    changes: dict[str, Any] = {"kind": "my_data", "format": fmt}
    if request_pk is not None:
        changes["request"] = request_pk
    with acting_as(by):
        record(action="export", instance=person, changes=changes)


def iter_errors(report: ImportReport) -> Iterable[tuple[int, str]]:
    for row in report.bad_rows:
        for message in row.errors:
            yield row.line, message
