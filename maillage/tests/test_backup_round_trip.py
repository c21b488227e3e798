"""`manage.py backup` then `manage.py restore` give back every row of every table and every
upload, byte for byte, on SQLite and on PostgreSQL (CI runs this file on both); a restore refuses
an archive that was altered, or whose migrations differ, and asks before it replaces anything."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from maillage.core.backup import walk_storage
from maillage.core.models import AuditEntry, Person

# Uploads as the platform makes them (random names in folders) and some that test the copy:
# binary bytes, an empty file, a name with accents and spaces.
UPLOADS = {
    "tools/3f9c2a.pdf": b"%PDF-1.4\n" + bytes(range(256)) * 40,
    "photos/2026/ab12cd.jpg": b"\xff\xd8\xff\xe0" + b"\x00\x01" * 5000,
    "tools/vide.txt": b"",
    "tools/Compte rendu été.txt": b"Rencontre du 3 mars : bilan.",
}


def _tables() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the database, Django's or not, in a stable order."""
    snapshot = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            snapshot[table] = sorted(cursor.fetchall(), key=repr)
    return snapshot


def _files() -> dict[str, bytes]:
    return {name: default_storage.open(name, "rb").read() for name in walk_storage(default_storage)}


def _populate() -> None:
    from maillage.core.models import Domain, Organization
    from maillage.demo.editions import build_demo

    # Rows made and removed first, so that no id starts at 1: a restore that renumbers
    # (loaddata writing many-to-many links again) cannot match by luck after a flush.
    gone = Organization.objects.create(name="Organisme supprimé (fictif)")
    gone.domains.add(Domain.objects.create(code="supprime-fictif", name_fr="Supprimé"))
    gone.domains.all().delete()
    gone.delete()
    build_demo()
    for name, content in UPLOADS.items():
        assert default_storage.save(name, ContentFile(content)) == name


def _wipe() -> None:
    call_command("flush", interactive=False, verbosity=0)
    for name in list(walk_storage(default_storage)):
        default_storage.delete(name)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("method", ["auto", "logical"])
def test_backup_wipe_restore_gives_back_every_table_and_every_file(method, tmp_path):
    _populate()
    tables, files = _tables(), _files()
    assert sum(len(rows) for rows in tables.values()) > 1000
    assert files == UPLOADS
    archive = tmp_path / "sauvegarde.tar.gz"

    call_command("backup", output=str(archive), method=method, stdout=io.StringIO())
    assert archive.stat().st_mode & 0o077 == 0, "the archive holds personal data"
    # Changes after the backup, then the loss: none of it may survive the restore.
    Person.objects.update(first_name="Changé")
    _wipe()
    assert Person.objects.count() == 0
    default_storage.save("tools/arrive-apres.txt", ContentFile(b"plus tard"))
    assert _files() == {"tools/arrive-apres.txt": b"plus tard"}

    call_command("restore", str(archive), yes=True, stdout=io.StringIO())

    restored = _tables()
    # The restore writes one line in the audit trail: all else is exactly as it was.
    audit = AuditEntry._meta.db_table
    added = [row for row in restored[audit] if row not in tables[audit]]
    assert len(added) == 1
    assert AuditEntry.objects.filter(action="platform.restored").count() == 1
    restored[audit] = [row for row in restored[audit] if row not in added]
    assert restored.keys() == tables.keys()
    for table in tables:
        assert restored[table] == tables[table], f"table {table} differs after the restore"
    assert _files() == files


def _backup(tmp_path: Path, **options: Any) -> Path:
    default_storage.save("tools/a.txt", ContentFile(b"contenu"))
    archive = tmp_path / "sauvegarde.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO(), **options)
    return archive


def _rewrite(archive: Path, change, extra: dict[str, bytes] | None = None) -> None:
    """Rewrite the archive, letting `change(name, bytes)` alter members (None drops one) and
    adding the `extra` ones."""
    members = []
    with tarfile.open(archive, "r:gz") as source:
        for member in source:
            handle = source.extractfile(member)
            members.append((member.name, handle.read() if handle else b""))
    members += list((extra or {}).items())
    with tarfile.open(archive, "w:gz") as target:
        for name, content in members:
            content = change(name, content)
            if content is None:
                continue
            info = tarfile.TarInfo(name)
            info.size = len(content)
            target.addfile(info, io.BytesIO(content))


def _manifest(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive, "r:gz") as source:
        return json.load(source.extractfile("manifest.json"))


@pytest.mark.django_db
def test_the_manifest_says_what_is_inside(tmp_path):
    archive = _backup(tmp_path)
    manifest = _manifest(archive)
    assert manifest["format"] == 1 and manifest["version"]
    assert manifest["created_at"]
    assert manifest["database"]["vendor"] == connection.vendor
    expected = {"sqlite": "sqlite", "postgresql": ("pg_dump", "logical")}[connection.vendor]
    assert manifest["database"]["method"] in expected
    assert "core.0001_initial" in manifest["migrations"]
    assert set(manifest["files"]) == {manifest["database"]["file"], "media/tools/a.txt"}
    for entry in manifest["files"].values():
        assert len(entry["sha256"]) == 64
    with tarfile.open(archive, "r:gz") as source:
        assert source.getnames()[0] == "manifest.json"


@pytest.mark.django_db
def test_restore_refuses_an_altered_file(tmp_path):
    archive = _backup(tmp_path)
    _rewrite(archive, lambda name, data: b"autre" if name == "media/tools/a.txt" else data)
    with pytest.raises(CommandError, match="somme de contrôle de media/tools/a.txt"):
        call_command("restore", str(archive), yes=True, stdout=io.StringIO())
    assert default_storage.open("tools/a.txt").read() == b"contenu"


@pytest.mark.django_db
def test_restore_refuses_an_altered_database_dump(tmp_path):
    archive = _backup(tmp_path)
    database = _manifest(archive)["database"]["file"]
    _rewrite(archive, lambda name, data: data[:-1] + b"!" if name == database else data)
    with pytest.raises(CommandError, match="somme de contrôle"):
        call_command("restore", str(archive), yes=True, stdout=io.StringIO())


@pytest.mark.django_db
def test_restore_refuses_a_member_missing(tmp_path):
    archive = _backup(tmp_path)
    _rewrite(archive, lambda name, data: None if name == "media/tools/a.txt" else data)
    with pytest.raises(CommandError, match="incomplète"):
        call_command("restore", str(archive), yes=True, stdout=io.StringIO())


@pytest.mark.django_db
def test_restore_refuses_a_member_the_manifest_does_not_list(tmp_path):
    archive = _backup(tmp_path)
    _rewrite(archive, lambda name, data: data, extra={"media/tools/glisse.txt": b"?"})
    with pytest.raises(CommandError, match="absent du manifeste"):
        call_command("restore", str(archive), yes=True, stdout=io.StringIO())
    assert not default_storage.exists("tools/glisse.txt")


@pytest.mark.django_db
def test_restore_refuses_a_path_out_of_its_folders(tmp_path):
    archive = _backup(tmp_path)
    evil = "media/../../hors.txt"

    def change(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["files"][evil] = {"sha256": "0" * 64, "size": 1}
        return json.dumps(manifest).encode()

    _rewrite(archive, change, extra={evil: b"x"})
    with pytest.raises(CommandError, match="chemin refusé"):
        call_command("restore", str(archive), yes=True, stdout=io.StringIO())
    assert not (tmp_path.parent / "hors.txt").exists()


@pytest.mark.django_db
def test_restore_refuses_another_migration_state(tmp_path):
    archive = _backup(tmp_path)
    MigrationRecorder.Migration.objects.create(app="core", name="9999_from_the_future")
    with pytest.raises(CommandError, match="9999_from_the_future") as refused:
        call_command("restore", str(archive), yes=True, stdout=io.StringIO())
    assert "migrate" in str(refused.value)


@pytest.mark.django_db
def test_restore_refuses_what_is_not_an_archive(tmp_path):
    fake = tmp_path / "pas-une-sauvegarde.tar.gz"
    fake.write_bytes(b"bonjour")
    with pytest.raises(CommandError, match="pas une sauvegarde"):
        call_command("restore", str(fake), yes=True, stdout=io.StringIO())


@pytest.mark.django_db
def test_restore_asks_first_and_changes_nothing_without_yes(tmp_path, monkeypatch):
    archive = _backup(tmp_path)
    default_storage.save("tools/nouveau.txt", ContentFile(b"nouveau"))
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "non")
    with pytest.raises(CommandError, match="Nothing restored"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert asked and "oui" in asked[0]
    assert default_storage.exists("tools/nouveau.txt")
    assert not AuditEntry.objects.filter(action="platform.restored").exists()
