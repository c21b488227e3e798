"""Lists a coordinator puts in order by hand (the questions of a form, of a questionnaire).

One copy for every app: the siblings are locked while they are renumbered, so that two clicks at
once cannot leave two items on one place, and each move is written in the audit trail.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from .audit import acting_as, record
from .errors import DomainError
from .models import AuditEntry

DIRECTIONS = ("up", "down")


def move_in_order(
    *,
    item: models.Model,
    within: str,
    direction: str,
    by: Any,
    error: type[DomainError] = DomainError,
) -> models.Model:
    """Move `item` one place up or down among its siblings, the rows of its model that share its
    `within` foreign key (a question's form), ordered by an `order` field; returns `item` with
    its new `order`.

    The siblings are locked and renumbered 0, 1, 2… so that gaps and ties disappear; only the
    rows whose place changes are written (in one query, so the move is recorded once, as done by
    `by`, in the trail of the parent's program, or the item's). The first item moved up or the
    last moved down stays: nothing is written or recorded. An unknown direction, or an item
    deleted meanwhile, raises `error`.
    """
    if direction not in DIRECTIONS:
        raise error(_("Direction inconnue."), "direction")
    siblings = type(item)._default_manager.filter(**{within: getattr(item, f"{within}_id")})
    program_id = getattr(getattr(item, within), "program_id", None)
    with acting_as(by), transaction.atomic():
        ordered = list(siblings.select_for_update().order_by("order", "pk"))
        index = next((i for i, sibling in enumerate(ordered) if sibling.pk == item.pk), None)
        if index is None:
            raise error(_("Cet élément n’est plus dans la liste."))
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(ordered):
            return item
        moved = ordered[index]
        before = moved.order
        ordered[index], ordered[other] = ordered[other], ordered[index]
        changed = []
        for position, sibling in enumerate(ordered):
            if sibling.order != position:
                sibling.order = position
                changed.append(sibling)
        siblings.bulk_update(changed, ["order"])
        record(
            action=AuditEntry.Action.UPDATE,
            instance=moved,
            changes={"order": [before, moved.order], "moved": direction},
            program_id=program_id,
        )
    item.order = moved.order
    return item
