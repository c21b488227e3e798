from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.core.models import AuditEntry, Person
from maillage.portability.reading import MAX_BYTES

from .conftest import csv_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def post_file(client, program, content, name="f.csv", kind="people", skip=False):
    data = {"kind": kind, "file": upload(name, content)}
    if skip:
        data["skip_bad_rows"] = "on"
    return client.post(reverse("portability:import", args=[program.pk]), data)


def confirm(client, program, **extra):
    """Confirm the file previewed last, with the token its preview page carries."""
    session = client.session.get(f"portability-import-{program.pk}") or {}
    data = {"token": session.get("token", ""), **extra}
    return client.post(reverse("portability:import_confirm", args=[program.pk]), data)


def test_the_page_offers_file_kind_templates_and_an_unticked_skip_box(as_coordinator, program_a):
    response = as_coordinator.get(reverse("portability:import", args=[program_a.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'type="file"' in html
    assert (
        'name="skip_bad_rows"' in html
        and "checked" not in html.split('name="skip_bad_rows"')[1].split(">")[0]
    )
    for what in ("people", "applications"):
        for fmt in ("csv", "xlsx"):
            assert reverse("portability:template", args=[program_a.pk, what, fmt]) in html


@pytest.mark.parametrize("what", ["people", "applications"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_templates_have_french_headers_and_import_cleanly(
    as_coordinator, program_a, coordinator, what, fmt
):
    from maillage.portability.services import import_applications, import_people, parse_upload

    response = as_coordinator.get(reverse("portability:template", args=[program_a.pk, what, fmt]))

    assert response["Content-Disposition"].startswith("attachment;")
    sheet = parse_upload(upload(f"modele.{fmt}", response.content))
    assert sheet.headers[0] == ("Prénom" if what == "people" else "Numéro")
    importer = import_people if what == "people" else import_applications
    report = importer(
        program=program_a, rows=sheet, skip_bad_rows=False, by=coordinator.user, dry_run=True
    )
    assert not report.has_errors, [r.errors for r in report.rows]


def test_preview_then_confirm_saves(as_coordinator, program_a, people_rows, logistique):
    response = post_file(as_coordinator, program_a, csv_bytes(people_rows, sep=";"))

    html = response.content.decode()
    assert "Aperçu de l’importation" in html
    assert "Hélène" in html
    assert not Person.objects.filter(email="helene.berube@exemple.org").exists()

    response = confirm(as_coordinator, program_a)

    assert "Résultat de l’importation" in response.content.decode()
    assert Person.objects.filter(email="helene.berube@exemple.org").exists()
    assert AuditEntry.objects.filter(action="import", program_id=program_a.pk).count() == 1


def test_xlsx_upload_previews(as_coordinator, program_a, people_rows, logistique):
    response = post_file(as_coordinator, program_a, xlsx_bytes(people_rows), name="e.xlsx")

    assert "Zoé" in response.content.decode()


def test_errors_are_listed_by_line_and_nothing_is_saved(
    as_coordinator, program_a, people_rows, logistique
):
    people_rows.insert(2, ["Luc", "X", "luc(at)exemple", "Org", "03", "mentor", ""])
    response = post_file(as_coordinator, program_a, csv_bytes(people_rows))

    html = response.content.decode()
    assert "rien n’a été enregistré" in html
    assert '<th scope="row" class="num">3</th>' in html
    assert "Le courriel « luc(at)exemple » n’est pas valide." in html
    assert "Confirmer l’importation" not in html  # only an explicit "valid rows only" is offered
    assert not Person.objects.filter(email="helene.berube@exemple.org").exists()


def test_with_skip_the_good_rows_can_be_confirmed(
    as_coordinator, program_a, people_rows, logistique
):
    people_rows.insert(2, ["Luc", "X", "luc(at)exemple", "Org", "03", "mentor", ""])
    response = post_file(as_coordinator, program_a, csv_bytes(people_rows), skip=True)
    assert reverse("portability:import_confirm", args=[program_a.pk]) in response.content.decode()

    confirm(as_coordinator, program_a)

    assert program_a.roles.count() == 4
    assert not Person.objects.filter(first_name="Luc").exists()


def test_from_a_preview_with_errors_the_valid_rows_can_be_imported_without_reupload(
    as_coordinator, program_a, people_rows, logistique
):
    people_rows.insert(2, ["Luc", "X", "luc(at)exemple", "Org", "03", "mentor", ""])
    response = post_file(as_coordinator, program_a, csv_bytes(people_rows))
    assert "Importer seulement les 3 lignes valides" in response.content.decode()

    response = confirm(as_coordinator, program_a, skip_bad_rows="1")

    assert program_a.roles.count() == 4
    assert "Résultat de l’importation" in response.content.decode()


def test_cancel_saves_nothing(as_coordinator, program_a, people_rows, logistique):
    post_file(as_coordinator, program_a, csv_bytes(people_rows))

    response = confirm(as_coordinator, program_a, cancel="1")

    assert response.status_code == 302
    assert program_a.roles.count() == 1


def test_confirm_without_a_pending_file_goes_back(as_coordinator, program_a):
    response = confirm(as_coordinator, program_a)

    assert response.status_code == 302
    assert response["Location"] == reverse("portability:import", args=[program_a.pk])


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("big.csv", b"a,b\n" + b"x" * (MAX_BYTES + 10), "5 Mo"),
        ("photo.png", b"\x89PNG", "Ce type de fichier n’est pas accepté"),
        ("vide.csv", b"", "Le fichier est vide."),
        ("casse.xlsx", b"PK\x03\x04abc", "Le fichier n’a pas pu être lu."),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(
    as_coordinator, program_a, name, content, fragment
):
    response = post_file(as_coordinator, program_a, content, name=name)

    assert response.status_code == 200
    assert fragment in response.content.decode()
    assert 'class="error-summary"' in response.content.decode()


def test_a_missing_column_is_shown_once(as_coordinator, program_a):
    response = post_file(as_coordinator, program_a, csv_bytes([["Prénom", "Nom"], ["A", "B"]]))

    html = response.content.decode()
    assert html.count("Colonnes obligatoires absentes") == 1
    assert "« Courriel »" in html and "« Rôle »" in html


@pytest.mark.parametrize("who", ["outsider", "mentor", "mentee", "committee_member"])
def test_anyone_but_the_coordinator_gets_404(client, program_a, request, who, people_rows):
    login(client, request.getfixturevalue(who))

    assert client.get(reverse("portability:import", args=[program_a.pk])).status_code == 404
    assert post_file(client, program_a, csv_bytes(people_rows)).status_code == 404
    assert confirm(client, program_a).status_code == 404
    template = reverse("portability:template", args=[program_a.pk, "people", "csv"])
    assert client.get(template).status_code == 404
    assert program_a.roles.filter(person__email="helene.berube@exemple.org").count() == 0


def test_a_pending_file_of_program_a_cannot_be_confirmed_into_program_b(
    client, program_a, coordinator, outsider, people_rows
):
    """The pending rows are keyed by program: confirming in B does not import A's file."""
    program_b = outsider.roles.get().program
    login(client, coordinator)
    post_file(client, program_a, csv_bytes(people_rows))
    login(client, outsider)

    response = confirm(client, program_b)

    assert response.status_code == 302
    assert program_b.roles.count() == 1


def test_anonymous_is_sent_to_sign_in(client, program_a):
    response = client.get(reverse("portability:import", args=[program_a.pk]))

    assert response.status_code == 302 and "/comptes/" in response["Location"]


def test_confirming_an_older_preview_after_a_new_upload_imports_nothing(
    as_coordinator, program_a, people_rows, logistique
):
    post_file(as_coordinator, program_a, csv_bytes(people_rows))
    old_token = as_coordinator.session[f"portability-import-{program_a.pk}"]["token"]
    post_file(as_coordinator, program_a, csv_bytes([people_rows[0], people_rows[1]]))

    response = confirm(as_coordinator, program_a, token=old_token)

    assert response.status_code == 302
    assert program_a.roles.count() == 1
