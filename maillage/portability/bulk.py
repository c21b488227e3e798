"""An import read from its stored parse: the preview, then the write in batches, in bulk.

Both start with the same plan, made in memory after a handful of queries that load what the
rows are compared with (the people the coordinator sees with the file's e-mails, the
organizations, the program's roles and consents, the regions, sectors and tracks): no query
per row. The preview stops there. The write makes the plan again, from the database as it is
now (a preview an hour old is checked again: an e-mail added since is updated, never doubled),
then saves it in batches of `BATCH` rows, each batch with `bulk_create` / `bulk_update` and its
audit entries, in its own transaction.

Why a transaction per batch rather than one for the whole file: a 20,000-row file in one
transaction holds SQLite's only write lock for the whole import (every other page that writes
waits), and its progress could not be seen from another connection. Every row is checked before
the first batch is written, so what can still fail is the database itself; then the batches
already committed stay, the job says exactly which lines they were, and the rest is not written.
A worker that dies mid-import is picked up again after the last committed batch
(`ImportJob.rows_written`, committed with its batch), so no row is written twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.audit import acting_as, record_bulk
from maillage.core.models import Organization, Person, Team, TeamMember
from maillage.core.outbox import send_after_commit
from maillage.core.services import name_key
from maillage.intake.duplicates import (
    email_domain,
    email_keys,
    normalise_organization_name,
    organization_domain,
)
from maillage.intake.models import Application
from maillage.programs.models import Consent, Program, Role
from maillage.programs.services import PARTICIPANT_KINDS

from .errors import PortabilityError
from .reading import Row, Sheet
from .services import (
    APPLICATION_COLUMNS,
    APPLICATIONS,
    PEOPLE,
    PEOPLE_COLUMNS,
    PERSON_COLUMNS,
    ApplicationsCheck,
    Checked,
    ImportReport,
    KnownPeople,
    PeopleCheck,
    RowResult,
    _messages_of,
    _note_on_known,
    blind,
    check_sheet,
)
from .vocabulary import APPLICATION_FIELDS

BATCH = 500


def sheet_of(parsed: dict[str, Any]) -> Sheet:
    """The stored parse (`ImportJob.parsed`) as the Sheet it was read into."""
    return Sheet(
        headers=list(parsed.get("headers", [])),
        rows=[Row(line=line, values=values) for line, values in parsed.get("rows", [])],
    )


def parsed_of(sheet: Sheet) -> dict[str, Any]:
    return {"headers": sheet.headers, "rows": [[row.line, row.values] for row in sheet.rows]}


# --- People: the plan -----------------------------------------------------------------------


@dataclass
class PlannedRow:
    result: RowResult
    clean: dict[str, Any]
    person: Person
    organization: Organization | None = None
    changed: set[str] = field(default_factory=set)


class Organizations:
    """Every organization by its name's key (the oldest of a name wins, as `find_organization`
    does), and those the plan creates or completes."""

    def __init__(self) -> None:
        self.by_key: dict[str, Organization] = {}
        for organization in Organization.objects.order_by("-pk"):
            self.by_key[name_key(organization.name)] = organization
        self.filled: dict[int, Organization] = {}

    def get(self, name: str, *, territory: Any, sector: Any) -> Organization:
        key = name_key(name)
        organization = self.by_key.get(key)
        if organization is None:
            organization = Organization(
                name=" ".join(name.split()), territory=territory, sector=sector
            )
            # The region and the sector come from the look-ups: no query to check them.
            PortabilityError.check(
                organization,
                exclude=["territory", "sector"],
                validate_unique=False,
                validate_constraints=False,
            )
            self.by_key[key] = organization
            return organization
        # A known organization keeps what it has; it only gets what it lacked.
        if territory is not None and organization.territory_id is None:
            organization.territory = territory
            self._fill(organization)
        if sector is not None and organization.sector_id is None:
            organization.sector = sector
            self._fill(organization)
        return organization

    def _fill(self, organization: Organization) -> None:
        if organization.pk is not None:
            self.filled[organization.pk] = organization


def person_details(clean: dict[str, Any]) -> dict[str, Any]:
    """The person's details the row gives (an empty cell gives nothing)."""
    given = {name: clean[name] for name in PERSON_COLUMNS}
    for name in ("first_name", "last_name", "phone", "position"):
        given[name] = (given[name] or "").strip()
    return {name: value for name, value in given.items() if value not in ("", None, [])}


class PeoplePlan:
    """The rows of a file of people turned into the records they would write, in memory, with
    the same rules as `find_or_create_person` and `person_by_email` (see `import_people`)."""

    def __init__(self, *, program: Program, by: Any, check: PeopleCheck) -> None:
        self.program = program
        self.by = by
        self.first_line_of = check.first_line_of
        self.known = KnownPeople(program, set(check.first_line_of), by)
        self.organizations = Organizations()
        self.roles: dict[tuple[int, str], Role] = {
            (role.person_id, role.kind): role for role in program.roles.all()
        }
        self.consented = set(
            Consent.objects.filter(program=program).valid().values_list("person_id", flat=True)
        )
        self.new: dict[str, Person] = {}  # by e-mail, lower case: people the file adds

    def plan(self, checked: Checked) -> list[PlannedRow]:
        planned = []
        for result, clean in checked:
            row = self.plan_row(result, clean)
            if row is not None:
                planned.append(row)
        return planned

    def plan_row(self, result: RowResult, clean: dict[str, Any]) -> PlannedRow | None:
        email = clean["email"].strip()
        key = email.lower()
        person = self.known.person(email) or self.new.get(key)
        own = person is None or person.pk is None or person.pk in self.known.in_program
        if person is not None:
            result.notes.append(_note_on_known(own, self.first_line_of, email, result.line))
        organization = None
        try:
            if clean["organization"] and (own or person.organization_id is None):
                organization = self.organizations.get(
                    clean["organization"], territory=clean["region"], sector=clean["sector"]
                )
            given = person_details(clean)
            if organization is not None:
                given["organization"] = organization
            if person is None:
                person = Person(email=email, **given)
                if clean["can_decide"] is not None:
                    person.can_decide = clean["can_decide"]
                PortabilityError.check(
                    person,
                    exclude=["user", "organization"],
                    validate_unique=False,
                    validate_constraints=False,
                )
                self.new[key] = person
                result.action = "create"
                return PlannedRow(result, clean, person, organization)
            changed = set()
            for name, value in given.items():
                if (own or getattr(person, name) in ("", None, [])) and getattr(
                    person, name
                ) != value:
                    setattr(person, name, value)
                    changed.add(name)
            if own and clean["can_decide"] is not None and person.can_decide != clean["can_decide"]:
                person.can_decide = clean["can_decide"]
                changed.add("can_decide")
            if changed and person.pk is not None:
                skip = {f.name for f in Person._meta.fields} - changed | {"user", "organization"}
                PortabilityError.check(
                    person, exclude=sorted(skip), validate_unique=False, validate_constraints=False
                )
        except PortabilityError as error:
            result.errors.append(_message(error))
            result.action = ""
            return None
        result.action = "update"
        if person.pk is not None and not changed and not clean["team"]:
            role = self.roles.get((person.pk, clean["role"]))
            if role is not None and role.track_id == (
                clean["track"].pk if clean["track"] else None
            ):
                result.action = "unchanged"
        return PlannedRow(result, clean, person, organization, changed)


def _message(error: PortabilityError) -> str:
    return f"{error.field} : {error.message}" if error.field else str(error.message)


# --- People: the write ----------------------------------------------------------------------


class PeopleWriter:
    """Saves planned rows, one batch at a time (the caller holds the batch's transaction)."""

    def __init__(self, plan: PeoplePlan, *, job_id: int | None) -> None:
        self.plan = plan
        self.program = plan.program
        self.by = plan.by
        self.audit = {"import": job_id} if job_id else {}
        self.asked: set[int] = set()  # consent asked once per person and import
        self.teams: dict[str, Team] = {}  # by name's key: the team each name went to
        self.program_teams: dict[str, Team] | None = None

    def write(self, rows: list[PlannedRow]) -> None:
        program, by = self.program, self.by
        with acting_as(by):
            self._organizations(rows)
            created = self._people(rows)
            self._roles(rows)
            self._consents(rows)
            self._teams(rows)
        if created:
            from .tasks import offer_to_join_many

            send_after_commit(
                offer_to_join_many,
                program_id=program.pk,
                stand_in_ids=created,
                by_id=getattr(by, "pk", None),
            )

    def _organizations(self, rows: list[PlannedRow]) -> None:
        new = {id(r.organization): r.organization for r in rows if r.organization is not None}
        new = {k: o for k, o in new.items() if o.pk is None}
        if new:
            Organization.objects.bulk_create(list(new.values()))
            self._record("bulk_create", Organization, [o.pk for o in new.values()])
        filled = list(self.plan.organizations.filled.values())
        if filled:
            Organization.objects.bulk_update(filled, ["territory", "sector"])
            self._record(
                "bulk_update", Organization, [o.pk for o in filled], fields=["territory", "sector"]
            )
            self.plan.organizations.filled.clear()

    def _people(self, rows: list[PlannedRow]) -> list[int]:
        for row in rows:
            if row.organization is not None and row.person.organization_id is None:
                row.person.organization = row.organization  # its pk is known now
        new = list({id(r.person): r.person for r in rows if r.person.pk is None}.values())
        Person.objects.bulk_create(new)
        created = [p.pk for p in new]
        self._record("bulk_create", Person, created)
        changed = {}
        fields: set[str] = set()
        for row in rows:
            if row.changed and row.person.pk not in created:
                changed[row.person.pk] = row.person
                fields |= row.changed
        if changed:
            Person.objects.bulk_update(list(changed.values()), sorted(fields))
            self._record("bulk_update", Person, list(changed), fields=sorted(fields))
        for row in rows:
            self.plan.known.remember(row.person)
        return created

    def _roles(self, rows: list[PlannedRow]) -> None:
        roles = self.plan.roles
        new, moved = [], {}
        for row in rows:
            key = (row.person.pk, row.clean["role"])
            track = row.clean["track"]
            role = roles.get(key)
            if role is None:
                roles[key] = Role(program=self.program, person=row.person, kind=key[1], track=track)
                new.append(roles[key])
            elif role.track_id != (track.pk if track else None):
                # As `assign_role`: the file's track replaces the role's.
                role.track = track
                moved[role.pk] = role
        if new:
            Role.objects.bulk_create(new)
            self._record("bulk_create", Role, [r.pk for r in new])
        if moved:
            Role.objects.bulk_update(list(moved.values()), ["track"])
            self._record("bulk_update", Role, list(moved), fields=["track"])

    def _consents(self, rows: list[PlannedRow]) -> None:
        """A file is not a person's consent: each participant without one is asked by e-mail,
        as `consent_on_adding` does, and is not selected nor matched before answering."""
        roles, ask = self.plan.roles, []
        for row in rows:
            person = row.person
            if person.pk in self.asked or person.pk in self.plan.consented or not person.email:
                continue
            if any((person.pk, kind) in roles for kind in PARTICIPANT_KINDS):
                ask.append(person.pk)
                self.asked.add(person.pk)
        if ask:
            self._record("consent.requested", Consent, ask, people=ask)
            from .tasks import send_consent_requests

            send_after_commit(send_consent_requests, person_ids=ask, program_id=self.program.pk)

    def _teams(self, rows: list[PlannedRow]) -> None:
        """Teams by name, found as `find_or_create_team` finds them (the program's teams first,
        then the person's own, else a new one with the person's organization), with one
        look-up per batch: the memberships of the batch's people (the program's teams are read
        once per import)."""
        named = [row for row in rows if row.clean["team"]]
        if not named:
            return
        if self.program_teams is None:
            self.program_teams = {}
            for team in Team.objects.filter(role__program=self.program).distinct().order_by("pk"):
                self.program_teams.setdefault(name_key(team.name), team)
        own: dict[int, list[Team]] = defaultdict(list)
        members: set[tuple[int, int]] = set()
        for membership in (
            TeamMember.objects.filter(person__in=[row.person.pk for row in named])
            .select_related("team")
            .order_by("team_id")
        ):
            own[membership.person_id].append(membership.team)
            members.add((membership.team_id, membership.person_id))
        new_teams: list[Team] = []
        placed: list[tuple[PlannedRow, Team]] = []
        for row in named:
            key = name_key(row.clean["team"])
            if not key:
                raise PortabilityError(_("Indiquez le nom de l’équipe."), "team")
            team = self.teams.get(key) or self.program_teams.get(key)
            if team is None:
                # Teams of other programs stay apart, even with the same name.
                team = next((t for t in own[row.person.pk] if name_key(t.name) == key), None)
            if team is None:
                team = Team(
                    name=" ".join(row.clean["team"].split()), organization=row.person.organization
                )
                PortabilityError.check(
                    team,
                    exclude=["organization"],
                    validate_unique=False,
                    validate_constraints=False,
                )
                new_teams.append(team)
            self.teams[key] = team
            placed.append((row, team))
        if new_teams:
            Team.objects.bulk_create(new_teams)
            self._record("bulk_create", Team, [team.pk for team in new_teams])
        joining = []
        moved: dict[int, Role] = {}
        for row, team in placed:
            if (team.pk, row.person.pk) not in members:
                members.add((team.pk, row.person.pk))
                joining.append(TeamMember(team=team, person=row.person))
            role = self.plan.roles[(row.person.pk, row.clean["role"])]
            if role.team_id != team.pk:
                role.team = team
                moved[role.pk] = role
        if joining:
            TeamMember.objects.bulk_create(joining)
            self._record("bulk_create", TeamMember, [m.pk for m in joining])
        if moved:
            Role.objects.bulk_update(list(moved.values()), ["team"])
            self._record("bulk_update", Role, list(moved), fields=["team"])

    def _record(self, action: str, model: type, ids: list[Any], **changes: Any) -> None:
        record_bulk(
            action=action,
            model=model,
            ids=ids,
            by=self.by,
            changes={**self.audit, **changes},
            program_id=self.program.pk,
        )


# --- The two kinds, read and planned -----------------------------------------------------------


@dataclass
class Reading:
    """A stored parse checked again: the report (with every row), the rows to write."""

    report: ImportReport
    planned: list[Any]
    write_batch: Callable[[list[Any]], None]


def read_people(
    *,
    program: Program,
    sheet: Sheet,
    skip_bad_rows: bool,
    by: Any,
    job_id: int | None,
    progress: Callable[[int], None] | None = None,
) -> Reading:
    report = ImportReport(kind=PEOPLE, dry_run=True, skip_bad_rows=skip_bad_rows)
    check = PeopleCheck(program)
    checked = check_sheet(
        report, rows=sheet, columns=PEOPLE_COLUMNS, extra=None, check=check, progress=progress
    )
    if report.file_errors:
        return Reading(report, [], lambda rows: None)
    plan = PeoplePlan(program=program, by=by, check=check)
    planned = plan.plan(checked)
    writer = PeopleWriter(plan, job_id=job_id)
    return Reading(report, planned, writer.write)


def read_applications(
    *,
    program: Program,
    sheet: Sheet,
    skip_bad_rows: bool,
    by: Any,
    job_id: int | None,
    progress: Callable[[int], None] | None = None,
) -> Reading:
    """Applications are checked in memory like people, then written a batch at a time in bulk
    (`ApplicationsWriter`), with the rules of the row-by-row service (`import_applications`):
    the same fields, the same duplicate check as the public form, the same notes."""
    report = ImportReport(kind=APPLICATIONS, dry_run=True, skip_bad_rows=skip_bad_rows)
    check = ApplicationsCheck(program)
    checked = check_sheet(
        report,
        rows=sheet,
        columns=APPLICATION_COLUMNS,
        extra=check.extra,
        check=check,
        progress=progress,
    )
    if report.file_errors:
        return Reading(report, [], lambda rows: None)
    known = KnownApplications(program)
    for result, clean in checked:
        result.action = "update" if known.target(clean) is not None else "create"
    writer = ApplicationsWriter(program=program, by=by, job_id=job_id, known=known)
    clean_of = {result.line: clean for result, clean in checked}

    def write_batch(rows: list[RowResult]) -> None:
        writer.write([(row, clean_of[row.line]) for row in rows])

    return Reading(report, [result for result, _clean in checked], write_batch)


# --- Applications: what the program has, and the write ---------------------------------------


@dataclass(eq=False)
class Seen:
    """An application as the duplicate check sees it: when it was received, in which order,
    and which one it was marked a possible duplicate of. `app` is set for those this import
    creates (their pk is known once their batch is written)."""

    submitted_at: datetime
    order: int
    pk_known: int | None = None
    app: Application | None = None
    first: Seen | None = None

    @property
    def pk(self) -> int | None:
        return self.app.pk if self.app is not None else self.pk_known

    def sort_key(self) -> tuple[datetime, int]:
        return (self.submitted_at, self.order)


class KnownApplications:
    """The program's applications, read once per import (a few columns), kept up to date with
    what the import writes: the targets of its updates, and `find_duplicate`'s three look-ups
    (same e-mail, same organization domain, same organization name), in memory."""

    # New applications come after every existing one, in file order, as their ids will.
    NEW = 10**15

    def __init__(self, program: Program) -> None:
        self.by_pk: dict[int, Seen] = {}
        self.by_key: dict[tuple[str, str], list[Seen]] = defaultdict(list)
        self.by_email: dict[str, list[Seen]] = defaultdict(list)
        self.by_domain: dict[str, list[Seen]] = defaultdict(list)
        self.by_name: dict[str, list[Seen]] = defaultdict(list)
        self.created = 0
        first_of: dict[int, int] = {}
        for pk, email, name, submitted_at, first in program.applications.values_list(
            "pk", "email", "organization_name", "submitted_at", "duplicate_of_id"
        ):
            self.by_pk[pk] = self.add(Seen(submitted_at, pk, pk_known=pk), email or "", name or "")
            if first is not None:
                first_of[pk] = first
        for pk, first in first_of.items():
            self.by_pk[pk].first = self.by_pk.get(first) or Seen(
                submitted_at=timezone.now(), order=first, pk_known=first
            )

    def add(self, seen: Seen, email: str, name: str) -> Seen:
        self.by_key[(email.casefold(), blind(name))].append(seen)
        if email:
            self.by_email[email.strip().lower()].append(seen)
            self.by_domain[email_domain(email)].append(seen)
        normal = normalise_organization_name(name)
        if normal:
            self.by_name[normal].append(seen)
        return seen

    def target(self, clean: dict[str, Any]) -> int | None:
        """The application a row updates: the one it names, else the latest of the same
        e-mail and organization (as `import_applications` finds it)."""
        if clean["id"] is not None:
            return clean["id"] if clean["id"] in self.by_pk else None
        same = self.by_key.get((clean["email"].casefold(), blind(clean["organization_name"])))
        if not same:
            return None
        return max(same, key=Seen.sort_key).pk

    def duplicate_of(self, *, email: str, organization_name: str) -> Seen | None:
        """`intake.services.find_duplicate`: the earliest of the same e-mail, else of the same
        organization domain, else of the same organization name; its own first if it has one."""
        domain = organization_domain(email)
        name = normalise_organization_name(organization_name)
        for found in (
            self.by_email.get(email.strip().lower()) if email else None,
            self.by_domain.get(domain) if domain else None,
            self.by_name.get(name) if name else None,
        ):
            if found:
                match = min(found, key=Seen.sort_key)
                return match.first or match
        return None

    def created_now(self, app: Application, *, submitted_at: datetime) -> Seen:
        self.created += 1
        seen = Seen(submitted_at, self.NEW + self.created, app=app)
        return self.add(seen, app.email, app.organization_name)


# Checked by the look-ups (regions, tracks, the program's applications), not again per row.
LOOKED_UP = [
    "program",
    "form",
    "region",
    "sector",
    "track",
    "person",
    "organization",
    "duplicate_of",
]


class ApplicationsWriter:
    """Saves checked rows of applications a batch at a time: one query for the applications
    the batch updates, `bulk_create` / `bulk_update`, and the batch's audit entries."""

    def __init__(
        self, *, program: Program, by: Any, job_id: int | None, known: KnownApplications
    ) -> None:
        self.program = program
        self.by = by
        self.audit = {"import": job_id} if job_id else {}
        self.known = known
        self.form = program.forms.order_by("audience", "id").first()

    def write(self, rows: list[tuple[RowResult, dict[str, Any]]]) -> None:
        targets = {row.line: self.known.target(clean) for row, clean in rows}
        existing = Application.objects.in_bulk([pk for pk in targets.values() if pk is not None])
        now = timezone.now()
        new: list[tuple[RowResult, dict[str, Any], Application, Seen | None]] = []
        changed: dict[int, Application] = {}
        fields: set[str] = set()
        for row, clean in rows:
            app = existing.get(targets[row.line]) if targets[row.line] else None
            try:
                if app is None:
                    app, first = self._new(clean, now=now)
                    new.append((row, clean, app, first))
                    row.action = "create"
                else:
                    fields |= self._update(app, clean, now=now)
                    changed[app.pk] = app
                    row.action = "update"
                    row.notes.append(
                        _(
                            "Candidature déjà reçue (n° %(id)s) : elle est mise à jour, sans doublon."
                        )
                        % {"id": app.pk}
                    )
            except ValidationError as error:
                row.errors.extend(_messages_of(error))
                row.action = ""
        with acting_as(self.by):
            self._create(new, now=now)
            if changed:
                fields |= {"updated_at"}
                Application.objects.bulk_update(list(changed.values()), sorted(fields))
                self._record("bulk_update", list(changed), fields=sorted(fields))

    def _fill(self, app: Application, clean: dict[str, Any]) -> set[str]:
        set_now = set()
        for name in APPLICATION_FIELDS:
            if clean[name] not in (None, ""):
                setattr(app, name, clean[name])
                set_now.add(name)
        if "organization_name" in set_now:
            # bulk_create and bulk_update skip Application.save(), which keeps the keys.
            app.organization_key = normalise_organization_name(app.organization_name)
            set_now.add("organization_key")
        if "email" in set_now:
            app.email_key, app.email_domain = email_keys(app.email)
            set_now |= {"email_key", "email_domain"}
        if clean["consent_given"] is not None:
            app.consent_given = clean["consent_given"]
            app.consent_source = Consent.Source.IMPORT if app.consent_given else ""
            set_now |= {"consent_given", "consent_source"}
        if clean["duplicate_of"] is not None:
            app.duplicate_of_id = clean["duplicate_of"]
            set_now.add("duplicate_of")
        app.answers = {**(app.answers or {}), **clean["answers"]}
        set_now.add("answers")
        exclude = [*LOOKED_UP, *(["consent_version"] if app.consent_version is None else [])]
        app.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        return set_now

    def _new(self, clean: dict[str, Any], *, now: datetime) -> tuple[Application, Seen | None]:
        app = Application(program=self.program, form=self.form)
        self._fill(app, clean)
        first = None
        if clean["duplicate_of"] is None:
            # The same rule as the public form: the coordinator sees it before scoring.
            first = self.known.duplicate_of(
                email=clean["email"], organization_name=clean["organization_name"]
            )
        self.known.created_now(app, submitted_at=clean["received"] or now)
        return app, first

    def _update(self, app: Application, clean: dict[str, Any], *, now: datetime) -> set[str]:
        fields = self._fill(app, clean)
        app.updated_at = now
        if clean["received"] is not None:
            app.submitted_at = clean["received"]
            self.known.by_pk[app.pk].submitted_at = clean["received"]
            fields.add("submitted_at")
        if "duplicate_of" in fields:
            self.known.by_pk[app.pk].first = self.known.by_pk.get(app.duplicate_of_id)
        return fields

    def _create(
        self,
        new: list[tuple[RowResult, dict[str, Any], Application, Seen | None]],
        *,
        now: datetime,
    ) -> None:
        if not new:
            return
        for _row, _clean, app, first in new:
            if first is not None and first.pk is not None:
                app.duplicate_of_id = first.pk
        Application.objects.bulk_create([app for _row, _clean, app, _first in new])
        self._record("bulk_create", [app.pk for _row, _clean, app, _first in new])
        # What a creation cannot say: the date the application was really received (the field
        # is stamped on creation), and a duplicate of an application of the same batch.
        later: dict[int, Application] = {}
        fields: set[str] = set()
        for row, clean, app, first in new:
            if first is not None:
                if app.duplicate_of_id is None:
                    app.duplicate_of_id = first.pk
                    later[app.pk] = app
                    fields.add("duplicate_of")
                row.notes.append(
                    _("Même organisation que la candidature n° %(id)s : marquée doublon possible.")
                    % {"id": app.duplicate_of_id}
                )
            if clean["received"] is not None:
                app.submitted_at = clean["received"]
                later[app.pk] = app
                fields.add("submitted_at")
        if later:
            Application.objects.bulk_update(list(later.values()), sorted(fields))
            self._record("bulk_update", list(later), fields=sorted(fields))

    def _record(self, action: str, ids: list[Any], **changes: Any) -> None:
        record_bulk(
            action=action,
            model=Application,
            ids=ids,
            by=self.by,
            changes={**self.audit, **changes},
            program_id=self.program.pk,
        )


def read(
    *,
    kind: str,
    program: Program,
    sheet: Sheet,
    skip_bad_rows: bool,
    by: Any,
    job_id: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Reading:
    """The stored parse checked and planned; `progress` is told the rows checked so far."""
    reader = read_people if kind == PEOPLE else read_applications
    reading = reader(
        program=program,
        sheet=sheet,
        skip_bad_rows=skip_bad_rows,
        by=by,
        job_id=job_id,
        progress=progress,
    )
    count(reading.report)
    return reading


def count(report: ImportReport) -> None:
    rows = report.rows
    report.created = sum(1 for r in rows if r.action == "create" and not r.errors)
    report.updated = sum(1 for r in rows if r.action == "update" and not r.errors)
    report.unchanged = sum(1 for r in rows if r.action == "unchanged" and not r.errors)
    report.skipped = len(report.bad_rows) if report.skip_bad_rows else 0


def batches(items: list[Any], size: int | None = None) -> Iterator[list[Any]]:
    size = size or BATCH
    for start in range(0, len(items), size):
        yield items[start : start + size]
