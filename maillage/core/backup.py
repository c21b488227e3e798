"""Backups of the whole platform, and their restore: the database and the uploads in one archive.

An archive is a `.tar.gz` whose first member is `manifest.json`: the format, Maillage's version,
the date, how the database was dumped, the migrations it had applied, and each member's size and
SHA-256. Then `database/…` (one file) and `media/…` (every file of the default storage, read
through Django's storage API, so that object storage backs up as the local disk does).

How the database is dumped, by what it is:
- SQLite: SQLite's online backup API (`sqlite3.Connection.backup`), a page-by-page copy that
  is consistent while the web processes and the worker keep writing; restored the same way.
- PostgreSQL with `pg_dump` on the PATH (and not older than the server, which it refuses):
  `pg_dump --format=custom`, one consistent snapshot that holds the schema, sequences and
  every table, Django's or not; restored by `pg_restore --clean --single-transaction`, so that a
  failed restore leaves the database as it was.
- Otherwise (no client tools, or `--method logical`): a portable logical dump, Django's
  serializer over every model's base manager (JSON lines) read in one REPEATABLE READ
  transaction, restored by `flush` then `loaddata` in one transaction. Slower, but it needs
  nothing outside Python and loads into either database (SQLite ↔ PostgreSQL).

Consistency of the database and the files: the database is dumped first, then the files are
copied. Uploads are written once under random names and never rewritten, so every file the
dumped database names is still there when the files are copied (a file added meanwhile is only
an orphan); a named file that is missing is listed in the manifest under `missing_files`.

A restore checks before it changes anything: every checksum, and that the archive's migrations
are exactly those this database has applied (run `migrate` first on an empty database; an
archive from another version of Maillage is restored by that version, then migrated).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Serializer as JSONLSerializer
from django.db import DEFAULT_DB_ALIAS, connections, models, router, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError

FORMAT = 1
MANIFEST = "manifest.json"
METHODS = ("auto", "sqlite", "pg_dump", "logical")
_CHUNK = 1024 * 1024


class BackupError(DomainError):
    """A backup could not be made or an archive cannot be restored (the message says why)."""


@dataclass
class Manifest:
    data: dict[str, Any]

    @property
    def method(self) -> str:
        return self.data["database"]["method"]

    @property
    def migrations(self) -> list[str]:
        return self.data["migrations"]

    @property
    def media(self) -> list[str]:
        return [name[len("media/") :] for name in self.data["files"] if name.startswith("media/")]

    @property
    def database_member(self) -> str:
        return self.data["database"]["file"]


@dataclass
class Plan:
    """What a restore would do, once the archive has been checked (for the confirmation)."""

    manifest: Manifest
    workdir: Path
    extra_files: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Backup


def make_backup(
    *,
    path: Path,
    method: str = "auto",
    using: str = DEFAULT_DB_ALIAS,
    storage: Storage | None = None,
) -> Manifest:
    """Write the archive of the database and every upload to `path` (readable by its owner
    only: it holds personal data). The archive appears whole or not at all."""
    storage = storage or default_storage
    connection = connections[using]
    method, reason = _choose_method(method, connection)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="maillage-backup-") as tmp:
        work = Path(tmp)
        (work / "database").mkdir()
        dump, applied = _DUMPERS[method](connection, work / "database")
        files: dict[str, dict[str, Any]] = {}
        files[f"database/{dump.name}"] = _describe(dump)
        for name in walk_storage(storage):
            target = work / "media" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(name, "rb") as source, open(target, "wb") as out:
                shutil.copyfileobj(source, out, _CHUNK)
            files[f"media/{name}"] = _describe(target)
        manifest = {
            "format": FORMAT,
            "application": "maillage",
            "version": _version(),
            "created_at": timezone.now().isoformat(),
            "database": {
                "vendor": connection.vendor,
                "method": method,
                "why": reason,
                "file": f"database/{dump.name}",
            },
            "migrations": applied,
            "files": files,
            "missing_files": _missing_files(set(files), using),
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        partial = path.with_name(path.name + ".part")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            archive.add(work / MANIFEST, arcname=MANIFEST)
            for name in files:
                archive.add(work / name, arcname=name)
        partial.replace(path)
    return Manifest(manifest)


def _choose_method(method: str, connection: Any) -> tuple[str, str]:
    if method not in METHODS:
        raise BackupError(_("Méthode inconnue : %(method)s.") % {"method": method})
    vendor = connection.vendor
    if method == "sqlite" and vendor != "sqlite":
        raise BackupError(_("La méthode sqlite ne sert qu’une base SQLite."))
    if method == "pg_dump":
        if vendor != "postgresql":
            raise BackupError(_("La méthode pg_dump ne sert qu’une base PostgreSQL."))
        problem = _pg_tool_problem("pg_dump", connection)
        if problem:
            raise BackupError(problem)
    if method != "auto":
        return method, "chosen"
    if vendor == "sqlite":
        return "sqlite", "SQLite online backup API"
    if vendor == "postgresql":
        problem = _pg_tool_problem("pg_dump", connection)
        if problem is None:
            return "pg_dump", "pg_dump on the PATH"
        return "logical", problem
    return "logical", f"no native dump for {vendor}"


def _dump_sqlite(connection: Any, folder: Path) -> tuple[Path, list[str]]:
    target = folder / "db.sqlite3"
    # A connection of its own, read-only: the online backup API cannot read through a
    # connection that is writing, and in WAL mode a reader copies the last committed state
    # while the web processes and the worker go on writing.
    source = sqlite3.connect(
        Path(connection.settings_dict["NAME"]).resolve().as_uri() + "?mode=ro",
        uri=True,
        timeout=connection.settings_dict.get("OPTIONS", {}).get("timeout", 20),
    )
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        applied = sorted(
            f"{app}.{name}" for app, name in copy.execute("SELECT app, name FROM django_migrations")
        )
    finally:
        copy.close()
        source.close()
    return target, applied


def _dump_pg(connection: Any, folder: Path) -> tuple[Path, list[str]]:
    target = folder / "db.pgdump"
    applied = _applied(connection)
    _run_pg(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"],
        connection,
    )
    return target, applied


def _dump_logical(connection: Any, folder: Path) -> tuple[Path, list[str]]:
    target = folder / "db.jsonl"
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=connection.alias):
        if connection.vendor == "postgresql" and outermost:
            # Every table read from the same snapshot, as pg_dump would.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        applied = _applied(connection)
        with open(target, "w", encoding="utf-8") as out:
            for model in _models_in_order(connection.alias):
                rows = model._base_manager.using(connection.alias).order_by(model._meta.pk.name)
                _RowSerializer().serialize(rows.iterator(), stream=out, cls=_ExactEncoder)
    return target, applied


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to the millisecond; a backup keeps the microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


class _RowSerializer(JSONLSerializer):
    """Many-to-many links as the rows of their own table (with their ids), not as lists on
    the objects, which loaddata would write again under new ids."""

    def handle_m2m_field(self, obj: models.Model, field: Any) -> None:
        return


def _models_in_order(using: str) -> list[type[models.Model]]:
    """Every model with a table, those referred to before those that refer (as dumpdata
    does), then the link tables of many-to-many fields."""
    ordered = serializers.sort_dependencies(
        [(config, None) for config in apps.get_app_configs()], allow_cycles=True
    )
    links = [
        model for model in apps.get_models(include_auto_created=True) if model._meta.auto_created
    ]
    return [
        model
        for model in [*ordered, *links]
        if not model._meta.proxy and router.allow_migrate_model(using, model)
    ]


_DUMPERS: dict[str, Callable[[Any, Path], tuple[Path, list[str]]]] = {
    "sqlite": _dump_sqlite,
    "pg_dump": _dump_pg,
    "logical": _dump_logical,
}


def walk_storage(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name of a storage, through `listdir` (which object storages implement)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from walk_storage(storage, f"{folder}/{sub}" if folder else sub)


def _missing_files(archived: set[str], using: str) -> list[str]:
    """Files the database names that the storage did not have (should stay empty)."""
    missing = []
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if isinstance(model_field, models.FileField) and model_field.concrete:
                names = (
                    model._base_manager.using(using)
                    .exclude(**{model_field.attname: ""})
                    .values_list(model_field.attname, flat=True)
                )
                missing += [n for n in names if n and f"media/{n}" not in archived]
    return sorted(missing)


# ---------------------------------------------------------------------------------------------
# Restore


def check_archive(
    *, path: Path, workdir: Path, using: str = DEFAULT_DB_ALIAS, storage: Storage | None = None
) -> Plan:
    """Unpack the archive into `workdir` and check everything a restore depends on; change
    nothing. Raises BackupError with the reason when the archive must not be restored."""
    storage = storage or default_storage
    connection = connections[using]
    try:
        archive = tarfile.open(path, mode="r:gz")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(_("Ce fichier n’est pas une sauvegarde de Maillage lisible.")) from error
    with archive:
        try:
            manifest_file = archive.extractfile(MANIFEST)
            data = json.load(manifest_file) if manifest_file else None
        except (KeyError, ValueError, tarfile.TarError) as error:
            raise BackupError(_("L’archive n’a pas de manifeste lisible.")) from error
        if not isinstance(data, dict) or data.get("application") != "maillage":
            raise BackupError(_("L’archive n’a pas de manifeste lisible."))
        if data.get("format") != FORMAT:
            raise BackupError(
                _("Format d’archive %(found)s inconnu de cette version (attendu : %(expected)s).")
                % {"found": data.get("format"), "expected": FORMAT}
            )
        manifest = Manifest(data)
        listed = data["files"]
        for name in listed:
            if not _safe_member(name):
                raise BackupError(
                    _("L’archive contient un chemin refusé : %(name)s.") % {"name": name}
                )
        seen = set()
        for member in archive:
            if member.name == MANIFEST:
                continue
            if member.name not in listed or not member.isfile():
                raise BackupError(
                    _("L’archive contient un fichier absent du manifeste : %(name)s.")
                    % {"name": member.name}
                )
            target = workdir / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(member)
            assert source is not None
            with source, open(target, "wb") as out:
                shutil.copyfileobj(source, out, _CHUNK)
            if _describe(target) != listed[member.name]:
                raise BackupError(
                    _("La somme de contrôle de %(name)s ne correspond pas : l’archive est abîmée.")
                    % {"name": member.name}
                )
            seen.add(member.name)
    absent = sorted(set(listed) - seen)
    if absent:
        raise BackupError(_("L’archive est incomplète : %(name)s manque.") % {"name": absent[0]})
    _check_method(manifest, connection)
    _check_migrations(manifest, connection)
    archived = set(manifest.media)
    extra = [name for name in walk_storage(storage) if name not in archived]
    return Plan(manifest=manifest, workdir=workdir, extra_files=extra)


def restore_backup(
    *, plan: Plan, using: str = DEFAULT_DB_ALIAS, storage: Storage | None = None, by: Any = None
) -> None:
    """Put the checked archive's database and files in place. Files of the storage that the
    archive lacks are deleted, so that the uploads are exactly the archive's."""
    storage = storage or default_storage
    connection = connections[using]
    manifest = plan.manifest
    dump = plan.workdir / manifest.database_member
    _RESTORERS[manifest.method](connection, dump)
    for name in plan.extra_files:
        storage.delete(name)
    for name in manifest.media:
        if storage.exists(name):
            storage.delete(name)
        with open(plan.workdir / "media" / name, "rb") as source:
            saved = storage.save(name, File(source, name=PurePosixPath(name).name))
        if saved != name:
            raise BackupError(
                _("Le stockage a renommé %(name)s en %(saved)s.") % {"name": name, "saved": saved}
            )
    from .audit import acting_as, record

    with acting_as(by):
        record(
            action="platform.restored",
            model="maillage.backup",
            object_repr=manifest.data["created_at"],
            changes={
                "created_at": manifest.data["created_at"],
                "version": manifest.data["version"],
                "method": manifest.method,
                "files": len(manifest.media),
            },
        )


def _restore_sqlite(connection: Any, dump: Path) -> None:
    if connection.in_atomic_block:
        raise BackupError(_("Une restauration ne se fait pas à l’intérieur d’une transaction."))
    connection.close()
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def _restore_pg(connection: Any, dump: Path) -> None:
    problem = _pg_tool_problem("pg_restore", connection)
    if problem:
        raise BackupError(problem)
    # Our own open connection would hold no lock, but a restore should not share a session.
    connection.close()
    _run_pg(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            str(dump),
        ],
        connection,
        database_flag=True,
    )
    connection.close()


def _restore_logical(connection: Any, dump: Path) -> None:
    with transaction.atomic(using=connection.alias):
        # No post_migrate: content types and permissions come back from the dump with their ids.
        call_command(
            "flush",
            interactive=False,
            inhibit_post_migrate=True,
            database=connection.alias,
            verbosity=0,
        )
        call_command("loaddata", str(dump), database=connection.alias, verbosity=0)


_RESTORERS: dict[str, Callable[[Any, Path], None]] = {
    "sqlite": _restore_sqlite,
    "pg_dump": _restore_pg,
    "logical": _restore_logical,
}


def _check_method(manifest: Manifest, connection: Any) -> None:
    needs = {"sqlite": "sqlite", "pg_dump": "postgresql"}.get(manifest.method)
    if manifest.method not in _RESTORERS:
        raise BackupError(
            _("Méthode de sauvegarde inconnue : %(method)s.") % {"method": manifest.method}
        )
    if needs and connection.vendor != needs:
        raise BackupError(
            _(
                "Cette sauvegarde vient d’une base %(found)s et ne se restaure que dans une base "
                "%(found)s (la base actuelle est %(current)s). Une sauvegarde faite avec "
                "« --method logical » passe de l’une à l’autre."
            )
            % {"found": needs, "current": connection.vendor}
        )


def _check_migrations(manifest: Manifest, connection: Any) -> None:
    current = set(_applied(connection))
    archived = set(manifest.migrations)
    if current == archived:
        return
    only_archive = sorted(archived - current)
    only_here = sorted(current - archived)
    details = []
    if only_archive:
        details.append(_("dans l’archive seulement : %(names)s") % {"names": _first(only_archive)})
    if only_here:
        details.append(_("dans cette base seulement : %(names)s") % {"names": _first(only_here)})
    raise BackupError(
        _(
            "L’état des migrations de l’archive (Maillage %(version)s) n’est pas celui de cette "
            "base (%(details)s). Restaurez avec la version de Maillage qui a fait l’archive, ou "
            "appliquez d’abord les migrations (manage.py migrate) sur une base vide."
        )
        % {"version": manifest.data.get("version", "?"), "details": " ; ".join(details)}
    )


def _first(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" (+{len(names) - limit})" if len(names) > limit else "")


# ---------------------------------------------------------------------------------------------
# Helpers


def _applied(connection: Any) -> list[str]:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _describe(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return {"sha256": digest.hexdigest(), "size": path.stat().st_size}


def _safe_member(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return (
        bool(parts)
        and parts[0] in ("database", "media")
        and len(parts) > 1
        and not name.startswith("/")
        and ".." not in parts
        and "\\" not in name
    )


def _version() -> str:
    try:
        return metadata.version("maillage")
    except metadata.PackageNotFoundError:
        return "unknown"


def _pg_tool_problem(tool: str, connection: Any) -> str | None:
    """Why the PostgreSQL client tool cannot serve this server, or None when it can."""
    binary = shutil.which(tool)
    if binary is None:
        return f"{tool} is not on the PATH"
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return f"{tool} --version failed"
    found = re.search(r"(\d+)", out.stdout)
    connection.ensure_connection()
    server = connection.pg_version // 10000
    if not found or int(found.group(1)) < server:
        # pg_dump refuses a newer server; an older pg_restore cannot read a newer dump.
        return f"{tool} {found.group(1) if found else '?'} is older than the server ({server})"
    return None


def _run_pg(args: list[str], connection: Any, database_flag: bool = False) -> None:
    settings = connection.settings_dict
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    sslmode = (settings.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    name = settings["NAME"]
    args = [*args, f"--dbname={name}"] if database_flag else [*args, name]
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s a échoué : %(error)s")
            % {"tool": args[0], "error": done.stderr.strip()[-500:]}
        )
