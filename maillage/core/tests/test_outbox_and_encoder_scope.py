"""The two switches a replay of past events uses: e-mails held, the text fit fixed."""

from __future__ import annotations

import pytest

from jumelage import fit
from maillage.core import outbox
from maillage.core.errors import DomainError
from maillage.core.textfit import get_encoder, using_encoder


class Recorder:
    def __init__(self) -> None:
        self.calls: list[dict] = []

    def enqueue(self, **kwargs) -> None:
        self.calls.append(kwargs)


def test_an_email_is_queued_after_commit_unless_held(db, django_capture_on_commit_callbacks):
    task = Recorder()
    with django_capture_on_commit_callbacks(execute=True):
        outbox.send_after_commit(task, person_id=1)
        with outbox.held():
            outbox.send_after_commit(task, person_id=2)
        outbox.send_after_commit(task, person_id=3)
    assert task.calls == [{"person_id": 1}, {"person_id": 3}]


def test_using_encoder_wins_over_the_setting_then_gives_it_back(settings):
    settings.MATCHING_FIT_BACKEND = "no-such-backend"
    lexical = fit.get_encoder("lexical")
    with using_encoder(lexical):
        assert get_encoder() is lexical
    with pytest.raises(DomainError):
        get_encoder()
