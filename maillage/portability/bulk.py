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

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from maillage.core.audit import acting_as, record_bulk
from maillage.core.models import Organization, Person, Team, TeamMember
from maillage.core.outbox import send_after_commit
from maillage.core.services import find_or_create_team, name_key
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
    _note_on_known,
    blind,
    check_sheet,
    import_applications,
)

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
        self.teams: dict[str, Team] = {}

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
        """Teams are rare in a file: looked up row by row, only for the rows that name one."""
        for row in rows:
            if not row.clean["team"]:
                continue
            person = row.person
            team = self.teams.get(name_key(row.clean["team"]))
            if team is None:
                team, _created = find_or_create_team(
                    name=row.clean["team"],
                    # Teams of other programs stay apart, even with the same name.
                    among=(Team.objects.filter(role__program=self.program), person.teams.all()),
                    organization=person.organization,
                    error=PortabilityError,
                )
                self.teams[name_key(row.clean["team"])] = team
            TeamMember.objects.get_or_create(team=team, person=person)
            role = self.plan.roles[(person.pk, row.clean["role"])]
            if role.team_id != team.pk:
                role.team = team
                role.save(update_fields=["team"])

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
    *, program: Program, sheet: Sheet, skip_bad_rows: bool, by: Any, job_id: int | None
) -> Reading:
    report = ImportReport(kind=PEOPLE, dry_run=True, skip_bad_rows=skip_bad_rows)
    check = PeopleCheck(program)
    checked = check_sheet(report, rows=sheet, columns=PEOPLE_COLUMNS, extra=None, check=check)
    if report.file_errors:
        return Reading(report, [], lambda rows: None)
    plan = PeoplePlan(program=program, by=by, check=check)
    planned = plan.plan(checked)
    writer = PeopleWriter(plan, job_id=job_id)
    return Reading(report, planned, writer.write)


def read_applications(
    *, program: Program, sheet: Sheet, skip_bad_rows: bool, by: Any, job_id: int | None
) -> Reading:
    """Applications are checked in memory like people; the write goes through the row-by-row
    service (`import_applications`), a batch at a time: its duplicate check and answers are the
    public form's, and files of applications are small (a program receives hundreds)."""
    report = ImportReport(kind=APPLICATIONS, dry_run=True, skip_bad_rows=skip_bad_rows)
    check = ApplicationsCheck(program)
    checked = check_sheet(
        report, rows=sheet, columns=APPLICATION_COLUMNS, extra=check.extra, check=check
    )
    existing: dict[tuple[str, str], int] = {}
    for pk, email, name in program.applications.order_by("pk").values_list(
        "pk", "email", "organization_name"
    ):
        existing.setdefault(((email or "").casefold(), blind(name or "")), pk)
    for result, clean in checked:
        key = (clean["email"].casefold(), blind(clean["organization_name"]))
        result.action = "update" if clean["id"] is not None or key in existing else "create"
    by_line = {result.line: result for result, _clean in checked}
    headers = sheet.headers

    def write_batch(rows: list[RowResult]) -> None:
        lines = {row.line for row in rows}
        batch = Sheet(headers=headers, rows=[r for r in sheet.rows if r.line in lines])
        done = import_applications(
            program=program, rows=batch, skip_bad_rows=True, by=by, audit=False
        )
        for row in done.rows:
            target = by_line[row.line]
            target.action, target.errors, target.notes = row.action, row.errors, row.notes

    return Reading(report, [result for result, _clean in checked], write_batch)


def read(
    *,
    kind: str,
    program: Program,
    sheet: Sheet,
    skip_bad_rows: bool,
    by: Any,
    job_id: int | None = None,
) -> Reading:
    reader = read_people if kind == PEOPLE else read_applications
    reading = reader(
        program=program, sheet=sheet, skip_bad_rows=skip_bad_rows, by=by, job_id=job_id
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
