"""Who may see what: every view gets its program through here, and anyone without a role gets 404.

A 404 rather than a 403 so that an outsider cannot even learn that a program or an application
exists.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed

from .models import Program, Role

Kind = Role.Kind
# Roles that may manage a program's recruiting and selection.
STAFF = (Kind.COORDINATOR,)
# Roles that review applications and see them (the advisory committee gives opinions).
REVIEWERS = (Kind.COORDINATOR, Kind.COMMITTEE)
ANY = tuple(Kind.values)
# Everyone who works inside the program; a funder sees aggregates and published reports only.
INSIDE = tuple(kind for kind in Kind.values if kind != Kind.FUNDER)


def roles_in(program: Program, user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    if user.is_superuser:
        return set(Kind.values)
    return set(program.roles.of_user(user).values_list("kind", flat=True))


def get_program(request: HttpRequest, pk: int, kinds: tuple[str, ...] = ANY) -> Program:
    """The program if the user holds one of `kinds` in it; otherwise 404. One query: the
    user's roles in it, each with the program (every page of a program starts here)."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        raise Http404
    if user.is_superuser:
        program = Program.objects.filter(pk=pk).first()
        held = set(Kind.values)
    else:
        roles = list(Role.objects.of_user(user).filter(program_id=pk).select_related("program"))
        program = roles[0].program if roles else None
        held = {role.kind for role in roles}
    if program is None or not held & set(kinds):
        raise Http404
    request.program_roles = held
    return program


def can_create_programs(user: Any, *, coordinates: bool | None = None) -> bool:
    """The platform's administrator, whoever coordinates a program already, and the people the
    administrator gave Django's `programs.add_program` permission. `coordinates`: whether the
    caller already knows the user coordinates a program (« Mes programmes » loaded the roles)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if coordinates is None:
        coordinates = Role.objects.of_user(user).filter(kind=Kind.COORDINATOR).exists()
    return coordinates or "programs.add_program" in account_permissions(user)


def account_permissions(user: Any) -> set[str]:
    """The account's permissions ("app.codename", its own and its groups'), as Django's model
    backend answers `has_perm` for an active account that is no superuser: in one query instead
    of the backend's two, kept where the backend keeps them (`_perm_cache`), so that the
    page's next `has_perm` (the privacy officer's menu) asks nothing."""
    if not user.is_active:
        return set()
    if not hasattr(user, "_perm_cache"):
        user._perm_cache = {
            f"{app}.{codename}"
            for app, codename in Permission.objects.filter(Q(user=user) | Q(group__user=user))
            .values_list("content_type__app_label", "codename")
            .distinct()
        }
    return user._perm_cache


def can(user: Any, program: Program, kinds: tuple[str, ...]) -> bool:
    return bool(roles_in(program, user) & set(kinds))


def post_only() -> HttpResponse:
    """The answer to a GET on an action page. Views call it after `get_program` and their
    object look-ups, so that anyone without the right gets the same 404 as everywhere else
    rather than a 405 that would confirm the page exists."""
    return HttpResponseNotAllowed(["POST"])
