"""Putting a list in order by hand: one place up or down, renumbered, recorded."""

from __future__ import annotations

import pytest

from maillage.core.errors import DomainError
from maillage.core.models import AuditEntry
from maillage.core.ordering import move_in_order

pytestmark = pytest.mark.django_db


class AppError(DomainError):
    """Stands for an app's own error class."""


@pytest.fixture
def questions(program_a):
    """The questions of program A's default interest form, with gaps and a tie in `order`."""
    form = program_a.forms.first()
    items = list(form.questions.order_by("order", "pk")[:3])
    form.questions.exclude(pk__in=[q.pk for q in items]).delete()
    for item, order in zip(items, (5, 9, 9), strict=True):
        item.order = order
        item.save(update_fields=["order"])
    return items


def order_of(questions):
    siblings = questions[0].form.questions.order_by("order", "pk")
    return [q.pk for q in siblings], [q.order for q in siblings]


def move(item, direction, by=None, error=DomainError):
    return move_in_order(item=item, within="form", direction=direction, by=by, error=error)


def test_moving_up_swaps_with_the_one_above_and_renumbers(questions):
    first, second, third = questions
    moved = move(third, "up")
    assert order_of(questions) == ([first.pk, third.pk, second.pk], [0, 1, 2])
    assert moved.order == 1


def test_moving_down_swaps_with_the_one_below(questions):
    first, second, third = questions
    move(first, "down")
    assert order_of(questions)[0] == [second.pk, first.pk, third.pk]


def test_the_move_is_recorded_with_who_and_where(questions, coordinator, program_a):
    third = questions[2]
    move(third, "up", by=coordinator.user)
    entry = AuditEntry.objects.get(object_id=str(third.pk), model=third._meta.label)
    assert (entry.action, entry.actor, entry.program_id) == (
        "update",
        coordinator.user,
        program_a.pk,
    )
    assert entry.changes == {"order": [9, 1], "moved": "up"}


def test_the_first_item_moved_up_stays_and_nothing_is_recorded(questions):
    first = questions[0]
    before = order_of(questions)
    entries = AuditEntry.objects.count()
    assert move(first, "up").order == 5
    assert order_of(questions) == before
    assert AuditEntry.objects.count() == entries


def test_the_last_item_moved_down_stays(questions):
    before = order_of(questions)
    move(questions[2], "down")
    assert order_of(questions) == before


def test_an_unknown_direction_raises_the_callers_error(questions):
    before = order_of(questions)
    with pytest.raises(AppError) as caught:
        move(questions[0], "sideways", error=AppError)
    assert caught.value.field == "direction"
    assert order_of(questions) == before


def test_an_item_deleted_meanwhile_is_refused(questions):
    gone = questions[1]
    type(gone).objects.filter(pk=gone.pk).delete()
    with pytest.raises(DomainError):
        move(gone, "up")
