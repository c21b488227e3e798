from __future__ import annotations

import pytest

from maillage.core.models import AuditEntry, Person
from maillage.portability.services import import_people, parse_upload
from maillage.programs.models import Role

from .conftest import PEOPLE_HEADERS_FR, csv_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def people_of(program):
    return {role.person.email: role for role in program.roles.select_related("person")}


def test_semicolon_latin1_csv_imports_everyone_with_accents(
    program_a, coordinator, logistique, people_rows
):
    sheet = parse_upload(upload("equipe.csv", csv_bytes(people_rows, sep=";", encoding="cp1252")))
    report = import_people(program=program_a, rows=sheet, skip_bad_rows=False, by=coordinator.user)

    assert report.saved and report.created == 3 and not report.bad_rows
    roles = people_of(program_a)
    helene = roles["helene.berube@exemple.org"]
    assert helene.person.first_name == "Hélène"
    assert helene.kind == Role.Kind.MENTEE
    assert helene.track == logistique
    assert helene.person.organization.name == "Cuisine Collective Lévis"
    assert helene.person.organization.territory.code == "QC-12"
    assert roles["francois.cote@exemple.org"].kind == Role.Kind.MENTOR
    assert roles["zoe.gagne@exemple.org"].kind == Role.Kind.COMMITTEE
    assert roles["zoe.gagne@exemple.org"].person.organization.territory.code == "QC-06"


def test_xlsx_imports_everyone(program_a, coordinator, logistique, people_rows):
    sheet = parse_upload(upload("equipe.xlsx", xlsx_bytes(people_rows)))
    report = import_people(program=program_a, rows=sheet, skip_bad_rows=False, by=coordinator.user)

    assert report.saved and report.created == 3
    assert people_of(program_a)["francois.cote@exemple.org"].person.last_name == "Côté"


def test_english_headers_and_values_are_accepted(program_a, coordinator):
    rows = [
        [
            "First name",
            "LAST NAME",
            "E-mail",
            "Region",
            "Role",
            "Can decide",
            "Language",
            "Languages spoken",
            "Working style",
            "Availability",
        ],
        [
            "Jane",
            "Doe",
            "jane@example.org",
            "Montreal",
            "Mentee",
            "yes",
            "English",
            "en, fr",
            "Intuitive",
            "Monday morning, tuesday afternoon",
        ],
    ]
    report = import_people(
        program=program_a,
        rows=parse_upload(upload("people.csv", csv_bytes(rows))),
        skip_bad_rows=False,
        by=coordinator.user,
    )

    assert report.saved, report.rows[0].errors
    jane = Person.objects.get(email="jane@example.org")
    assert jane.can_decide is True
    assert jane.language == "en"
    assert jane.languages == ["en", "fr"]
    assert jane.working_style == "intuitive"
    assert jane.availability == ["mon-am", "tue-pm"]
    assert program_a.roles.get(person=jane).kind == Role.Kind.MENTEE


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mentor", "mentor"),
        ("mentore", "mentor"),
        ("Mentoré·e", "mentee"),
        ("personne mentorée", "mentee"),
        ("MENTORÉE", "mentee"),
        ("Comité", "committee"),
        ("coordonnatrice", "coordinator"),
        ("bailleur de fonds", "funder"),
        ("Observateur", "observer"),
    ],
)
def test_french_role_words(program_a, coordinator, text, kind):
    rows = [{"Prénom": "A", "Nom": "B", "Courriel": "a.b@exemple.org", "Rôle": text}]
    report = import_people(program=program_a, rows=rows, skip_bad_rows=False, by=coordinator.user)

    assert report.saved, report.rows[0].errors
    assert program_a.roles.get(person__email="a.b@exemple.org").kind == kind


def test_two_bad_rows_are_reported_in_french_and_nothing_is_saved(
    program_a, coordinator, logistique, people_rows
):
    rows = [
        people_rows[0],
        people_rows[1],
        ["Luc", "Pas-De-Courriel", "luc(at)exemple", "Org", "03", "mentor", ""],  # line 3
        people_rows[2],
        ["Léa", "Ailleurs", "lea@exemple.org", "Org", "Atlantide", "mentor", ""],  # line 5
        people_rows[3],
    ]
    before = Person.objects.count()
    report = import_people(
        program=program_a,
        rows=parse_upload(upload("f.csv", csv_bytes(rows, sep=";"))),
        skip_bad_rows=False,
        by=coordinator.user,
    )

    assert not report.saved
    assert [(row.line, row.errors) for row in report.bad_rows] == [
        (3, ["Le courriel « luc(at)exemple » n’est pas valide."]),
        (
            5,
            [
                "Région « Atlantide » inconnue : écrivez le nom d’une région administrative du "
                "Québec (par exemple Capitale-Nationale) ou son numéro (03)."
            ],
        ),
    ]
    assert Person.objects.count() == before
    assert program_a.roles.count() == 1  # Camille only
    assert not AuditEntry.objects.filter(action="import").exists()


def test_with_skip_ticked_the_good_rows_are_saved_and_the_bad_listed(
    program_a, coordinator, people_rows, logistique
):
    rows = [
        people_rows[0],
        people_rows[1],
        ["Luc", "X", "luc(at)exemple", "Org", "03", "mentor", ""],
        people_rows[2],
        ["Léa", "Y", "lea@exemple.org", "Org", "Atlantide", "mentor", ""],
        people_rows[3],
    ]
    report = import_people(
        program=program_a,
        rows=parse_upload(upload("f.csv", csv_bytes(rows))),
        skip_bad_rows=True,
        by=coordinator.user,
    )

    assert report.saved
    assert (report.created, report.updated, report.skipped) == (3, 0, 2)
    assert [row.line for row in report.bad_rows] == [3, 5]
    assert not Person.objects.filter(email__in=["luc(at)exemple", "lea@exemple.org"]).exists()
    assert set(people_of(program_a)) == {
        coordinator.email,
        "helene.berube@exemple.org",
        "francois.cote@exemple.org",
        "zoe.gagne@exemple.org",
    }


def test_an_existing_person_is_updated_by_email_not_duplicated(program_a, coordinator, mentor):
    rows = [
        {
            "Prénom": "Marc",
            "Nom": "Mentor",
            "Courriel": mentor.email.upper(),
            "Téléphone": "418 555-0199",
            "Rôle": "comité",
            "Poste": "",
        }
    ]
    report = import_people(program=program_a, rows=rows, skip_bad_rows=False, by=coordinator.user)

    assert (report.created, report.updated) == (0, 1)
    assert "déjà dans ce programme" in report.rows[0].notes[0]
    assert Person.objects.filter(email__iexact=mentor.email).count() == 1
    mentor.refresh_from_db()
    assert mentor.phone == "418 555-0199"
    assert set(program_a.roles.filter(person=mentor).values_list("kind", flat=True)) == {
        "mentor",
        "committee",
    }


def test_an_empty_cell_keeps_what_is_known(program_a, coordinator, mentor):
    mentor.phone = "514 555-0000"
    mentor.save()
    rows = [
        {
            "Prénom": "Marc",
            "Nom": "Mentor",
            "Courriel": mentor.email,
            "Téléphone": "",
            "Rôle": "mentor",
        }
    ]
    import_people(program=program_a, rows=rows, skip_bad_rows=False, by=coordinator.user)

    mentor.refresh_from_db()
    assert mentor.phone == "514 555-0000"


def test_missing_required_column_is_reported_once(program_a, coordinator):
    rows = [["Prénom", "Nom", "Rôle"], ["A", "B", "mentor"], ["C", "D", "mentor"]]
    report = import_people(
        program=program_a,
        rows=parse_upload(upload("f.csv", csv_bytes(rows))),
        skip_bad_rows=True,
        by=coordinator.user,
    )

    assert not report.saved
    assert len(report.file_errors) == 1
    assert "« Courriel »" in report.file_errors[0]
    assert report.rows == []


def test_a_duplicate_inside_the_file_is_an_error_on_the_second_line(program_a, coordinator):
    rows = [
        {"Prénom": "A", "Nom": "B", "Courriel": "ab@exemple.org", "Rôle": "mentor"},
        {"Prénom": "A", "Nom": "B", "Courriel": "AB@exemple.org", "Rôle": "Mentor"},
        {"Prénom": "A", "Nom": "B", "Courriel": "ab@exemple.org", "Rôle": "comité"},
    ]
    report = import_people(program=program_a, rows=rows, skip_bad_rows=True, by=coordinator.user)

    assert [row.line for row in report.bad_rows] == [3]
    assert "ligne 2" in report.bad_rows[0].errors[0]
    assert Person.objects.filter(email__iexact="ab@exemple.org").count() == 1


@pytest.mark.parametrize(
    ("column", "value", "fragment"),
    [
        ("Rôle", "stagiaire", "Rôle « stagiaire » inconnu"),
        ("Langue", "es", "Langue « es » inconnue"),
        ("Peut décider", "peut-être", "n’est pas une réponse oui ou non"),
        ("Volet", "Inexistant", "Volet « Inexistant » inconnu"),
        ("Courriel", "", "Le courriel est vide."),
    ],
)
def test_each_bad_value_has_its_reason(program_a, coordinator, column, value, fragment):
    row = {"Prénom": "A", "Nom": "B", "Courriel": "ab@exemple.org", "Rôle": "mentor", column: value}
    report = import_people(program=program_a, rows=[row], skip_bad_rows=False, by=coordinator.user)

    assert report.bad_rows[0].line == 2
    assert any(fragment in message for message in report.bad_rows[0].errors)


def test_the_reasons_follow_the_user_language(program_a, coordinator, settings):
    from django.utils import translation

    with translation.override("en"):
        report = import_people(
            program=program_a,
            rows=[{"First name": "A", "Last name": "B", "Email": "x", "Role": "mentor"}],
            skip_bad_rows=False,
            by=coordinator.user,
        )
    # The English catalogue is compiled at the end; the message is produced under "en".
    assert report.bad_rows[0].errors


def test_dry_run_saves_nothing_but_says_what_would_happen(program_a, coordinator, mentor):
    rows = [
        {"Prénom": "N", "Nom": "Ouveau", "Courriel": "n@exemple.org", "Rôle": "mentor"},
        {"Prénom": "Marc", "Nom": "Mentor", "Courriel": mentor.email, "Rôle": "mentor"},
    ]
    report = import_people(
        program=program_a, rows=rows, skip_bad_rows=False, by=coordinator.user, dry_run=True
    )

    assert [row.action for row in report.rows] == ["create", "update"]
    assert report.can_confirm and not report.saved
    assert not Person.objects.filter(email="n@exemple.org").exists()


def test_import_is_recorded_in_the_audit_trail(program_a, coordinator, people_rows, logistique):
    import_people(
        program=program_a,
        rows=parse_upload(upload("equipe.csv", csv_bytes(people_rows))),
        skip_bad_rows=False,
        by=coordinator.user,
        filename="equipe.csv",
    )

    entry = AuditEntry.objects.get(action="import")
    assert entry.actor == coordinator.user
    assert entry.program_id == program_a.pk
    assert entry.changes["created"] == 3 and entry.changes["kind"] == "people"
    # The people themselves are in the trail too, created by the coordinator.
    assert (
        AuditEntry.objects.filter(
            action="create", model="core.Person", actor=coordinator.user
        ).count()
        == 3
    )


def test_headers_are_matched_without_case_or_accents(program_a, coordinator):
    rows = [
        ["PRENOM", "nom", "COURRIEL", "role", "region"],
        ["A", "B", "ab@exemple.org", "MENTOR", "capitale nationale"],
    ]
    report = import_people(
        program=program_a,
        rows=parse_upload(upload("f.csv", csv_bytes(rows))),
        skip_bad_rows=False,
        by=coordinator.user,
    )

    assert report.saved, report.rows[0].errors
    assert PEOPLE_HEADERS_FR  # the French template headers are the reference


def test_a_person_known_only_from_another_program_is_invited_not_added(
    program_a, coordinator, outsider, django_capture_on_commit_callbacks
):
    """Camille imports Olivier (program B), whom she cannot see: the row reads as a new person,
    A gets a record of what the file says, and Olivier is invited to join; his own record
    stays as he left it and out of A until he accepts."""
    from maillage.programs.models import ProgramInvitation

    outsider.phone = "450 555-0000"
    outsider.save()
    rows = [
        {
            "Prénom": "Oli",
            "Nom": "Autre",
            "Courriel": outsider.email,
            "Téléphone": "1",
            "Poste": "Directeur",
            "Rôle": "comité",
        }
    ]
    with django_capture_on_commit_callbacks(execute=True):
        report = import_people(
            program=program_a, rows=rows, skip_bad_rows=False, by=coordinator.user
        )

    assert (report.created, report.updated) == (1, 0)
    assert report.rows[0].notes == []
    outsider.refresh_from_db()
    assert (outsider.first_name, outsider.phone, outsider.position) == (
        "Olivier",
        "450 555-0000",
        "",
    )
    assert not program_a.roles.filter(person=outsider).exists()
    stand_in = program_a.roles.get(kind="committee").person
    assert (stand_in.first_name, stand_in.position) == ("Oli", "Directeur")
    assert ProgramInvitation.objects.filter(program=program_a, person=outsider).exists()


def test_an_applications_file_chosen_as_people_gets_a_hint(program_a, coordinator):
    rows = [{"Organisation": "X", "Personne contact": "Y", "Courriel": "x@y.test"}]
    report = import_people(program=program_a, rows=rows, skip_bad_rows=False, by=coordinator.user)

    assert "semble contenir des candidatures" in report.file_errors[1]


def test_a_sector_column_sets_the_organizations_sector_by_code_or_name(program_a, coordinator):
    rows = [
        ["Prénom", "Nom", "Courriel", "Organisation", "Secteur", "Rôle"],
        ["Ana", "Un", "ana@exemple.org", "Ville de Test", "municipal", "mentor"],
        ["Bea", "Deux", "bea@exemple.org", "Cuisine Test", "Community", "mentee"],
        ["Cle", "Trois", "cle@exemple.org", "Autre Test", "Spatial", "mentee"],
    ]
    report = import_people(
        program=program_a,
        rows=parse_upload(upload("p.csv", csv_bytes(rows))),
        skip_bad_rows=True,
        by=coordinator.user,
    )
    people = people_of(program_a)
    assert people["ana@exemple.org"].person.organization.sector.code == "municipal"
    assert people["bea@exemple.org"].person.organization.sector.code == "communautaire"
    assert [row.line for row in report.bad_rows] == [4]
    assert report.bad_rows[0].errors[0].startswith("Secteur « Spatial » inconnu")
