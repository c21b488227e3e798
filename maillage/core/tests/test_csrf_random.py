"""CSRF tokens drawn from one read of the OS's random source (core.csrf_random, issue 14):
the same alphabet, length and uniform draw as Django's `get_random_string`, and the tokens
still checked."""

from __future__ import annotations

import collections
from unittest import mock

import pytest
from django.middleware import csrf
from django.test import Client
from django.urls import reverse
from django.utils.crypto import RANDOM_STRING_CHARS

from maillage.core import csrf_random
from maillage.core.csrf_random import random_string


def test_django_s_csrf_module_draws_with_it():
    assert csrf.get_random_string is random_string
    secret = csrf._get_new_csrf_string()
    assert len(secret) == csrf.CSRF_SECRET_LENGTH
    assert set(secret) <= set(csrf.CSRF_ALLOWED_CHARS)
    masked = csrf._mask_cipher_secret(secret)
    assert len(masked) == csrf.CSRF_TOKEN_LENGTH
    assert csrf._unmask_cipher_token(masked) == secret


def test_one_byte_a_character_and_the_uneven_top_thrown_away():
    """62 characters: bytes 0–247 map onto them (byte % 62), 248–255 are not used."""
    drawn = bytes([0, 61, 62, 247, 248, 255, 123]) + bytes(16)
    with mock.patch.object(csrf_random.os, "urandom", return_value=drawn) as urandom:
        value = random_string(5)
    assert urandom.call_count == 1
    assert value == "".join(RANDOM_STRING_CHARS[b % 62] for b in (0, 61, 62, 247, 123))


def test_reads_again_when_too_many_bytes_were_thrown_away():
    reads = iter([bytes([255] * 19), bytes([1, 2, 3]) + bytes(16)])
    with mock.patch.object(csrf_random.os, "urandom", side_effect=lambda n: next(reads)):
        assert random_string(3) == RANDOM_STRING_CHARS[1:4]


def test_every_character_is_drawn_about_as_often():
    counts = collections.Counter("".join(random_string(64) for _ in range(2_000)))
    assert set(counts) == set(RANDOM_STRING_CHARS)
    expected = 64 * 2_000 / 62
    assert all(abs(n - expected) < 0.15 * expected for n in counts.values())


@pytest.mark.django_db
def test_the_public_form_still_refuses_a_post_without_its_csrf_token(program_a):
    form = program_a.forms.get()
    browser = Client(enforce_csrf_checks=True)
    path = reverse("intake:public_form", args=[form.token])
    assert browser.get(path).status_code == 200
    assert browser.post(path, {"q_email": "x@y.example"}).status_code == 403
