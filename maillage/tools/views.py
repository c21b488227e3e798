"""Tool library pages: a group's tools, the coordinator's view of all groups, the tools opened to
the program, and the only way a stored file ever leaves the server (download, access checked).
"""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from maillage.core.audit import record
from maillage.core.models import Person
from maillage.core.tables import table_download
from maillage.mentoring.models import Group
from maillage.programs.access import INSIDE, STAFF, get_program, post_only
from maillage.programs.models import Program, Role

from . import selectors, services
from .errors import ToolError
from .forms import CompleteToolForm, ToolForm
from .models import Tool, observed_group


def _is_coordinator(request: HttpRequest) -> bool:
    return Role.Kind.COORDINATOR in request.program_roles


def _group_for(request: HttpRequest, program: Program, group_pk: int) -> Group:
    """The group if the user coordinates the program, belongs to the group, or observes a group
    that agreed to it; otherwise 404 (another group's members must not learn it exists)."""
    group = get_object_or_404(Group, pk=group_pk, program=program)
    if _is_coordinator(request):
        return group
    if Group.objects.of_user(request.user).filter(pk=group.pk).exists():
        return group
    if Role.Kind.OBSERVER in request.program_roles and observed_group(group):
        return group
    raise Http404


def _person(request: HttpRequest) -> Person:
    person = Person.objects.filter(user=request.user).first()
    if person is None:
        raise Http404
    return person


def _may_share(request: HttpRequest, group: Group) -> bool:
    return (
        _is_coordinator(request) or Group.objects.of_user(request.user).filter(pk=group.pk).exists()
    )


@login_required
def group_tools(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    program = get_program(request, pk, INSIDE)
    group = _group_for(request, program, group_pk)
    may_share = _may_share(request, group)
    form = ToolForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not may_share:
            raise Http404
        if form.is_valid():
            try:
                tool = services.add_tool(group=group, shared_by=_person(request), **form.values())
            except ToolError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(request, _("Outil « %(title)s » partagé.") % {"title": tool.title})
                return redirect("tools:group", pk=program.pk, group_pk=group.pk)
        if request.FILES.get("file"):
            # A browser cannot refill a file input: say so rather than let the file vanish.
            form.add_error(
                None,
                _(
                    "Ce que vous avez écrit est conservé ; le fichier, lui, doit être choisi de nouveau."
                ),
            )
    tools = group.tools.select_related("shared_by").order_by("theme", "type", "title", "pk")
    return render(
        request,
        "tools/group.html",
        {
            "program": program,
            "group": group,
            "form": form,
            # A closed program's library is read-only; a form sent anyway shows the refusal.
            "may_share": may_share and (not program.is_closed() or form.is_bound),
            "themes": _by_theme(tools),
            "section": "tools",
        },
    )


def _by_theme(tools) -> list[tuple[str, list[Tool]]]:
    return [(theme, list(items)) for theme, items in groupby(tools, key=lambda t: t.theme)]


@login_required
def program_tools(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    tools = selectors.program_tools(program)
    return render(
        request,
        "tools/program.html",
        {
            "program": program,
            "tracks": selectors.tools_by_track(program),
            "tools": tools,
            "groups": program.groups.all(),
            "awaiting": [t for t in tools if t.awaits_public_confirmation],
            "section": "tools",
        },
    )


@login_required
def program_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    headers, rows = selectors.program_tool_table(program)
    return table_download(
        fmt=fmt, headers=headers, rows=rows, name=_("outils"), instance=program, by=request.user
    )


@login_required
def reusable_tools(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, INSIDE)
    tools = (
        Tool.objects.filter(group__program=program)
        .shared_with_program()
        .available()
        .select_related("shared_by", "group__track")
        .order_by("theme", "type", "title", "pk")
    )
    return render(
        request,
        "tools/reusable.html",
        {
            "program": program,
            "themes": _by_theme(tools),
            "my_groups": Group.objects.of_user(request.user).filter(program=program),
            "section": "tools",
        },
    )


@login_required
def download(request: HttpRequest, pk: int, tool_pk: int) -> HttpResponse:
    program = get_program(request, pk, INSIDE)
    tool = get_object_or_404(Tool.objects.visible_to(request.user, program), pk=tool_pk)
    if not tool.file:
        if tool.url:
            return redirect(tool.url)
        raise Http404
    try:
        handle = tool.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record(action="download", instance=tool, program_id=program.pk)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=tool.original_name or "fichier",
        content_type=tool.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # A file a person opens must not run scripts in our origin, even if a browser renders it.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def confirm_public(request: HttpRequest, pk: int, tool_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    tool = get_object_or_404(Tool, pk=tool_pk, group__program=program)
    if request.method != "POST":
        return post_only()
    try:
        services.confirm_public(tool=tool, by=request.user)
        messages.success(
            request,
            _("« %(title)s » est maintenant dans la bibliothèque publique.")
            % {"title": tool.title},
        )
    except ToolError as error:
        messages.error(request, error.message)
    return redirect("tools:program", pk=program.pk)


@login_required
def complete(request: HttpRequest, pk: int, tool_pk: int) -> HttpResponse:
    """The author (or the coordinator) adds the file or link of a tool announced « à venir »."""
    program = get_program(request, pk, INSIDE)
    tool = get_object_or_404(Tool.objects.visible_to(request.user, program), pk=tool_pk)
    if not (tool.shared_by.user_id == request.user.pk or _is_coordinator(request)):
        raise Http404
    if request.method != "POST":
        return post_only()
    form = CompleteToolForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.complete_tool(tool=tool, **form.values())
            messages.success(
                request, _("« %(title)s » est maintenant disponible.") % {"title": tool.title}
            )
        except ToolError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("tools:group", pk=program.pk, group_pk=tool.group_id)


@login_required
def remove(request: HttpRequest, pk: int, tool_pk: int) -> HttpResponse:
    program = get_program(request, pk, INSIDE)
    tool = get_object_or_404(Tool.objects.visible_to(request.user, program), pk=tool_pk)
    mine = tool.shared_by.user_id == request.user.pk
    if not (mine or _is_coordinator(request)):
        raise Http404
    if request.method != "POST":
        return post_only()
    group_pk = tool.group_id
    services.remove_tool(tool=tool)
    messages.success(request, _("Outil « %(title)s » retiré.") % {"title": tool.title})
    return redirect("tools:group", pk=program.pk, group_pk=group_pk)
