"""Each group's content revision: the key of its cached page fragments (issue 14).

The rows of the follow-up dashboard and of the groups list, and the body of the group page,
are rendered once per group and revision, then served from a cache (`fragments.py`). That is
only right if the revision changes whenever anything they show changes: the group itself, its
members, the names and the organizations of its people (members, and authors of its follow-up
messages), its track, its meetings and hours, its agreement and its acceptances,
its action plans and their needs, its follow-up messages, its alerts (the alerts app connects
those). The revision is changed here on every
save and delete of those models (model signals catch the services, the admin, imports and the
demo alike) and on every bulk write, which sends no model signal but is always recorded through
`core.audit.record_bulk` (its `rows_written` signal).

Changing a revision is cache bookkeeping, not a change of anyone's data: it is not audited (the
change that caused it is).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.db.models.signals import post_save, pre_delete

from maillage.core.audit import rows_written
from maillage.core.models import Organization, Person
from maillage.programs.models import Track

from .models import (
    ActionPlan,
    Agreement,
    AgreementAcceptance,
    Group,
    GroupMember,
    Meeting,
    Need,
    TimeEntry,
    UpdateMessage,
)


def new_revision() -> int:
    # 62 random bits: never negative in a signed BIGINT, and never repeated in practice.
    return secrets.randbits(62)


def touch_groups(ids: QuerySet | Iterable[int]) -> None:
    """Give these groups (their ids, or a one-column queryset of them) a new content revision."""
    if not isinstance(ids, QuerySet):
        ids = [int(i) for i in ids]
        if not ids:
            return
    Group.objects.filter(pk__in=ids).update(content_revision=new_revision())


# model → the ids of the groups whose pages show these rows (a list or a one-column queryset).
_GROUPS_OF: dict[type[Model], Any] = {
    Group: lambda ids: ids,
    GroupMember: lambda ids: GroupMember.objects.filter(pk__in=ids).values("group_id"),
    Meeting: lambda ids: Meeting.objects.filter(pk__in=ids).values("group_id"),
    TimeEntry: lambda ids: TimeEntry.objects.filter(pk__in=ids).values("group_id"),
    Agreement: lambda ids: Agreement.objects.filter(pk__in=ids).values("group_id"),
    AgreementAcceptance: lambda ids: AgreementAcceptance.objects.filter(pk__in=ids).values(
        "agreement__group_id"
    ),
    ActionPlan: lambda ids: ActionPlan.objects.filter(pk__in=ids).values("group_id"),
    Need: lambda ids: Need.objects.filter(pk__in=ids).values("plan__group_id"),
    UpdateMessage: lambda ids: UpdateMessage.objects.filter(pk__in=ids).values("group_id"),
    # A person's name shows where they are a member, and on the follow-up messages they wrote
    # (a coordinator may write one without being a member).
    Person: lambda ids: Group.objects.filter(
        Q(members__role__person__in=ids) | Q(updates__author__in=ids)
    ).values("pk"),
    Organization: lambda ids: GroupMember.objects.filter(role__person__organization__in=ids).values(
        "group_id"
    ),
    Track: lambda ids: Group.objects.filter(track__in=ids).values("pk"),
}


def register(model: type[Model], groups_of: Any) -> None:
    """Another app's model whose rows a group's pages show (alerts): `groups_of(ids)` gives
    the ids of their groups (a list or a one-column queryset)."""
    _GROUPS_OF[model] = groups_of
    _connect(model)


def _saved(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    group_id = instance.pk if sender is Group else getattr(instance, "group_id", None)
    touch_groups([group_id] if group_id is not None else _GROUPS_OF[sender]([instance.pk]))


def _deleting(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    # Before the delete, while the links to the groups still exist (a deleted track or
    # organization is set to null on its rows by a bulk update, which sends no signal).
    if sender is not Group:
        touch_groups(_GROUPS_OF[sender]([instance.pk]))


def _bulk(sender: type[Model], ids: list[Any], **kwargs: Any) -> None:
    groups_of = _GROUPS_OF.get(sender)
    if groups_of is not None:
        touch_groups(groups_of(ids))


def _connect(model: type[Model]) -> None:
    post_save.connect(_saved, sender=model, dispatch_uid=f"revision-save-{model.__name__}")
    pre_delete.connect(_deleting, sender=model, dispatch_uid=f"revision-del-{model.__name__}")


for _model in list(_GROUPS_OF):
    _connect(_model)
rows_written.connect(_bulk, dispatch_uid="revision-bulk")
