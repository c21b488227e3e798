"""Writes for the shared-tools library."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.models import Person
from maillage.mentoring.models import Group
from maillage.programs.services import ensure_open

from .errors import ToolError
from .models import Tool, derive_direction
from .uploads import check_upload


def add_tool(
    *,
    group: Group,
    shared_by: Person,
    title: str,
    type: str,
    description: str = "",
    theme: str = "",
    file: UploadedFile | None = None,
    url: str = "",
    reuse: str = Tool.Reuse.GROUP,
    planned: bool = False,
) -> Tool:
    """Share a tool in `group`: a checked file or a link (neither only if it is still to come).

    The file is checked (size, type, content) before anything is written; it is stored under a
    random name in MEDIA_ROOT, which no URL serves."""
    ensure_open(group.program, error=ToolError)
    url = url.strip()
    if file and url:
        raise ToolError(_("Partagez un fichier ou un lien, pas les deux."), field="url")
    if not file and not url and not planned:
        raise ToolError(
            _("Joignez un fichier ou indiquez un lien (ou cochez « à venir »)."), field="file"
        )
    checked = check_upload(file) if file else None
    tool = Tool(
        group=group,
        shared_by=shared_by,
        direction=derive_direction(group, shared_by),
        title=title.strip(),
        description=description.strip(),
        theme=theme.strip(),
        type=type,
        url=url,
        reuse=reuse,
        planned=planned and not file and not url,
    )
    if checked:
        tool.original_name = checked.original_name
        tool.content_type = checked.content_type
        tool.size = checked.size
    ToolError.check(tool, exclude=["file"])
    with transaction.atomic():
        if file:
            # FileField.save picks the random name (upload_to) and saves the row.
            tool.file.save(checked.original_name, file, save=False)  # type: ignore[union-attr]
        tool.save()
    return tool


def complete_tool(*, tool: Tool, file: UploadedFile | None = None, url: str = "") -> Tool:
    """A tool announced as « à venir » gets its file or link; it then counts as shared."""
    ensure_open(tool.group.program, error=ToolError)
    url = url.strip()
    if not tool.planned:
        raise ToolError(_("Cet outil a déjà son fichier ou son lien."))
    if file and url:
        raise ToolError(_("Partagez un fichier ou un lien, pas les deux."), field="url")
    if not file and not url:
        raise ToolError(_("Joignez un fichier ou indiquez un lien."), field="file")
    checked = check_upload(file) if file else None
    tool.url = url
    tool.planned = False
    if checked:
        tool.original_name = checked.original_name
        tool.content_type = checked.content_type
        tool.size = checked.size
    ToolError.check(tool, exclude=["file"])
    with transaction.atomic():
        if file:
            tool.file.save(checked.original_name, file, save=False)  # type: ignore[union-attr]
        tool.save()
    return tool


def confirm_public(*, tool: Tool, by: Any) -> Tool:
    """The coordinator confirms a tool may go to the network's public library."""
    ensure_open(tool.group.program, error=ToolError)
    if tool.reuse != Tool.Reuse.PUBLIC:
        raise ToolError(_("Les personnes qui ont partagé cet outil ne l’ont pas ouvert au public."))
    if tool.public_confirmed_at is None:
        tool.public_confirmed_by = by
        tool.public_confirmed_at = timezone.now()
        tool.save(update_fields=["public_confirmed_by", "public_confirmed_at"])
    return tool


def remove_tool(*, tool: Tool) -> None:
    """Delete the tool and its stored file (the row goes first: a file left over is harmless,
    a row pointing to nothing is not)."""
    ensure_open(tool.group.program, error=ToolError)
    file = tool.file
    name = file.name if file else ""
    with transaction.atomic():
        tool.delete()
        if name:
            storage = file.storage
            transaction.on_commit(lambda: storage.delete(name))
