"""Two groups in program A (Marc with Élise and Inès; Nadia with Théo) and files to upload."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from maillage.conftest import make_person
from maillage.mentoring.services import create_group
from maillage.programs.models import Role, Track
from maillage.programs.services import assign_role


@pytest.fixture
def tracks(program_a):
    logistics, _ = Track.objects.get_or_create(program=program_a, name="Logistique")
    synergies, _ = Track.objects.get_or_create(program=program_a, name="Synergies")
    return {"logistique": logistics, "synergies": synergies}


@pytest.fixture
def second_mentee(db, program_a):
    person = make_person("Inès", "Deuxième")
    assign_role(program=program_a, person=person, kind=Role.Kind.MENTEE)
    return person


@pytest.fixture
def group(program_a, mentor, mentee, second_mentee, coordinator, tracks):
    return create_group(
        program=program_a,
        mentor_roles=[program_a.roles.get(person=mentor, kind=Role.Kind.MENTOR)],
        mentee_roles=[
            program_a.roles.get(person=mentee, kind=Role.Kind.MENTEE),
            program_a.roles.get(person=second_mentee, kind=Role.Kind.MENTEE),
        ],
        approved_by=coordinator.user,
        track=tracks["logistique"],
        name="Groupe logistique",
    )


@pytest.fixture
def other_mentor(db, program_a):
    person = make_person("Nadia", "Autre")
    assign_role(program=program_a, person=person, kind=Role.Kind.MENTOR)
    return person


@pytest.fixture
def other_mentee(db, program_a):
    person = make_person("Théo", "Ailleurs")
    assign_role(program=program_a, person=person, kind=Role.Kind.MENTEE)
    return person


@pytest.fixture
def other_group(program_a, other_mentor, other_mentee, coordinator, tracks):
    return create_group(
        program=program_a,
        mentor_roles=[program_a.roles.get(person=other_mentor, kind=Role.Kind.MENTOR)],
        mentee_roles=[program_a.roles.get(person=other_mentee, kind=Role.Kind.MENTEE)],
        approved_by=coordinator.user,
        track=tracks["synergies"],
        name="Groupe synergies",
    )


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def pdf(name: str = "calcul-GES.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def odt_bytes(mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
