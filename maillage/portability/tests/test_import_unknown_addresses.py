"""An import learns nothing of the addresses it holds: a row whose e-mail belongs to another
program's person is treated as a new person of this program, and the preview does not say the
address is known."""

from __future__ import annotations

import pytest

from maillage.conftest import make_person
from maillage.core.models import Organization
from maillage.portability.services import import_people, parse_upload
from maillage.programs.models import Program, Role
from maillage.programs.services import assign_role

from .conftest import PEOPLE_HEADERS_FR, csv_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(program_a):
    org = Organization.objects.create(name="Organisme Secret (fictif)")
    person = make_person("Iris", "Ailleurs", org=org, phone="418-555-0123", position="Trésorière")
    assign_role(program=program_a, person=person, kind=Role.Kind.MENTOR)
    return person


def _rows(email):
    row = {name: "" for name in PEOPLE_HEADERS_FR}
    return [
        PEOPLE_HEADERS_FR,
        [
            {"Prénom": "Iris", "Nom": "Tapée", "Courriel": email, "Rôle": "mentor"}.get(name, "")
            for name in PEOPLE_HEADERS_FR
        ],
    ], row


def _preview(program, by, email):
    rows, _row = _rows(email)
    sheet = parse_upload(upload("gens.csv", csv_bytes(rows)))
    return import_people(program=program, rows=sheet, skip_bad_rows=False, by=by, dry_run=True)


def _said(report):
    return [(r.action, r.label, tuple(r.notes), tuple(r.errors)) for r in report.rows], (
        report.created,
        report.updated,
    )


def test_the_preview_says_the_same_for_a_known_and_an_unknown_address(outsider, elsewhere):
    program_b = Program.objects.get(title="Programme B")
    known = _preview(program_b, outsider.user, elsewhere.email)
    unknown = _preview(program_b, outsider.user, "nul.part@exemple.org")
    assert _said(known) == _said(unknown)
    for row in known.rows:
        assert not any("connu" in note for note in row.notes)


def test_importing_another_programs_person_copies_nothing_of_her(
    outsider, elsewhere, django_capture_on_commit_callbacks
):
    program_b = Program.objects.get(title="Programme B")
    rows, _row = _rows(elsewhere.email)
    sheet = parse_upload(upload("gens.csv", csv_bytes(rows)))
    with django_capture_on_commit_callbacks(execute=True):
        report = import_people(program=program_b, rows=sheet, skip_bad_rows=False, by=outsider.user)
    assert report.saved and report.created == 1
    assert not program_b.roles.filter(person=elsewhere).exists()
    role = program_b.roles.get(kind=Role.Kind.MENTOR)
    assert role.person.organization is None and role.person.phone == ""
    assert role.person.last_name == "Tapée"
    from maillage.programs.models import ProgramInvitation

    assert ProgramInvitation.objects.filter(program=program_b, person=elsewhere).exists()
