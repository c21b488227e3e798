from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.core.models import AuditEntry, Person
from maillage.portability.models import ImportJob
from maillage.portability.reading import MAX_BYTES

from .conftest import csv_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def post_file(client, program, content, name="f.csv", kind="people", skip=False):
    """Upload a file; the worker (at once in the tests) reads it, and the job's page follows."""
    data = {"kind": kind, "file": upload(name, content)}
    if skip:
        data["skip_bad_rows"] = "on"
    return client.post(reverse("portability:import", args=[program.pk]), data, follow=True)


def last_job(program) -> ImportJob:
    return ImportJob.objects.filter(program=program).order_by("-pk").first()


def confirm(client, program, job=None, *, revision=None, **extra):
    """Confirm the preview of `job` (the last upload), with the revision its page carries."""
    job = job or last_job(program)
    data = {"revision": job.revision if revision is None else revision, **extra}
    url = reverse("portability:import_confirm", args=[program.pk, job.pk])
    return client.post(url, data, follow=True)


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
    assert "rien ne sera enregistré" in html
    assert '<th scope="row" class="num">3</th>' in html
    assert "Le courriel « luc(at)exemple » n’est pas valide." in html
    assert "Confirmer l’importation" not in html  # only an explicit "valid rows only" is offered
    assert not Person.objects.filter(email="helene.berube@exemple.org").exists()


def test_with_skip_the_good_rows_can_be_confirmed(
    as_coordinator, program_a, people_rows, logistique
):
    people_rows.insert(2, ["Luc", "X", "luc(at)exemple", "Org", "03", "mentor", ""])
    response = post_file(as_coordinator, program_a, csv_bytes(people_rows), skip=True)
    job = last_job(program_a)
    assert (
        reverse("portability:import_confirm", args=[program_a.pk, job.pk])
        in response.content.decode()
    )

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


def test_cancel_saves_nothing_and_deletes_the_file(
    as_coordinator, program_a, people_rows, logistique, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    post_file(as_coordinator, program_a, csv_bytes(people_rows))
    job = last_job(program_a)
    name = job.file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = as_coordinator.post(
            reverse("portability:import_cancel", args=[program_a.pk, job.pk]),
            {"revision": job.revision},
        )

    assert response.status_code == 302
    assert program_a.roles.count() == 1
    assert not default_storage.exists(name)
    job.refresh_from_db()
    assert job.status == "cancelled"


def test_a_double_click_on_confirm_writes_once_and_shows_the_job(
    as_coordinator, program_a, people_rows, logistique
):
    post_file(as_coordinator, program_a, csv_bytes(people_rows))
    job = last_job(program_a)
    revision = job.revision

    confirm(as_coordinator, program_a, job, revision=revision)
    response = confirm(as_coordinator, program_a, job, revision=revision)

    assert "a déjà été confirmée" in response.content.decode()
    assert "Résultat de l’importation" in response.content.decode()
    assert Person.objects.filter(email="helene.berube@exemple.org").count() == 1
    assert AuditEntry.objects.filter(action="import", program_id=program_a.pk).count() == 1


def test_the_progress_is_polled_and_the_page_reloads_when_the_step_is_done(
    as_coordinator, program_a, people_rows, logistique
):
    post_file(as_coordinator, program_a, csv_bytes(people_rows))
    job = last_job(program_a)
    status = reverse("portability:import_job_status", args=[program_a.pk, job.pk])
    page = reverse("portability:import_job", args=[program_a.pk, job.pk])

    done = as_coordinator.get(status, HTTP_HX_REQUEST="true")
    ImportJob.objects.filter(pk=job.pk).update(status="writing", rows_total=3, rows_done=1)
    running = as_coordinator.get(status, HTTP_HX_REQUEST="true")
    without_js = as_coordinator.get(status)

    assert done.status_code == 204 and done["HX-Redirect"] == page
    html = running.content.decode()
    assert 'class="panel task-progress"' in html and 'hx-trigger="every 2s"' in html
    assert "enregistrement, 1 ligne sur 3" in html
    assert f'href="{page}"' in html  # a link to refresh, without JavaScript
    assert without_js.status_code == 302 and without_js["Location"] == page

    # While the worker checks the rows, the first step's bar moves with them; while it parses
    # the file (no row count yet) the bar is indeterminate.
    ImportJob.objects.filter(pk=job.pk).update(status="reading", rows_total=2000, rows_done=500)
    html = as_coordinator.get(status, HTTP_HX_REQUEST="true").content.decode()
    assert "500 lignes vérifiées sur 2000" in html and 'max="2000" value="500"' in html
    ImportJob.objects.filter(pk=job.pk).update(rows_total=0, rows_done=0)
    html = as_coordinator.get(status, HTTP_HX_REQUEST="true").content.decode()
    assert "vérifiées" not in html and '<progress aria-labelledby="import-progress-label">' in html


def test_the_import_page_lists_the_programs_imports(
    as_coordinator, program_a, people_rows, logistique
):
    post_file(as_coordinator, program_a, csv_bytes(people_rows), name="liste-mars.csv")
    job = last_job(program_a)

    html = as_coordinator.get(reverse("portability:import", args=[program_a.pk])).content.decode()

    assert "Importations du programme" in html
    assert "liste-mars.csv" in html and "aperçu prêt" in html
    assert reverse("portability:import_job", args=[program_a.pk, job.pk]) in html


def test_a_job_of_program_a_is_404_under_program_b(
    client, program_a, coordinator, outsider, people_rows
):
    program_b = outsider.roles.get().program
    login(client, coordinator)
    post_file(client, program_a, csv_bytes(people_rows))
    job = last_job(program_a)
    login(client, outsider)

    for name in ("import_job", "import_job_status", "import_confirm", "import_cancel"):
        url = reverse(f"portability:{name}", args=[program_b.pk, job.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"revision": job.revision}).status_code == 404, name
    assert program_b.roles.count() == 1
    assert program_a.roles.count() == 1


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
def test_anyone_but_the_coordinator_gets_404(
    client, program_a, coordinator, request, who, people_rows
):
    login(client, coordinator)
    post_file(client, program_a, csv_bytes(people_rows))
    job = last_job(program_a)
    login(client, request.getfixturevalue(who))

    assert client.get(reverse("portability:import", args=[program_a.pk])).status_code == 404
    assert post_file(client, program_a, csv_bytes(people_rows)).status_code == 404
    assert confirm(client, program_a, job).status_code == 404
    for name in ("import_job", "import_job_status", "import_cancel"):
        url = reverse(f"portability:{name}", args=[program_a.pk, job.pk])
        assert client.get(url).status_code == 404
    template = reverse("portability:template", args=[program_a.pk, "people", "csv"])
    assert client.get(template).status_code == 404
    assert program_a.roles.filter(person__email="helene.berube@exemple.org").count() == 0


def test_anonymous_is_sent_to_sign_in(client, program_a):
    response = client.get(reverse("portability:import", args=[program_a.pk]))

    assert response.status_code == 302 and "/comptes/" in response["Location"]


def test_a_page_acted_on_already_changes_nothing(
    as_coordinator, program_a, people_rows, logistique
):
    """A form from an older state of the page (a second tab): the revision moved on."""
    post_file(as_coordinator, program_a, csv_bytes(people_rows))
    job = last_job(program_a)

    response = confirm(as_coordinator, program_a, job, revision=job.revision - 1)

    assert "a déjà été confirmée" in response.content.decode()
    assert program_a.roles.count() == 1


def test_a_closed_programs_preview_offers_no_confirmation(
    as_coordinator, program_a, people_rows, logistique
):
    from maillage.programs.services import close_program

    post_file(as_coordinator, program_a, csv_bytes(people_rows))
    job = last_job(program_a)
    close_program(program=program_a)

    page = as_coordinator.get(reverse("portability:import_job", args=[program_a.pk, job.pk]))
    response = confirm(as_coordinator, program_a, job)

    assert "ne peut plus être confirmée" in page.content.decode()
    assert "Confirmer l’importation" not in page.content.decode()
    assert program_a.roles.count() == 1
    assert response.status_code == 200
