"""CSRF tokens drawn with one read of the OS's random source instead of one per character.

Django masks the CSRF secret anew for every page that carries a token (BREACH), with
`get_random_string(32)`, which calls `secrets.choice` 32 times: one `os.urandom` system call and
a few Python calls per character. That was about 100 µs per masked token on this machine, a
tenth of the public form's cached showing (issue 14: the form showed to a new visitor pays
it twice, for the secret and for the mask, and its answer once more for the thanks page).

`random_string` gives the same thing, from the same source: each character is one byte of
`os.urandom` read into the alphabet, bytes at or above the largest multiple of the alphabet's
size being thrown away (rejection sampling), so every character is uniform over the alphabet and
independent of the others, as with `secrets.choice`. `install()` (CoreConfig.ready) makes it
the one `django.middleware.csrf` calls; nothing else of Django changes.
"""

from __future__ import annotations

import os

from django.utils.crypto import RANDOM_STRING_CHARS, get_random_string


def random_string(length: int, allowed_chars: str = RANDOM_STRING_CHARS) -> str:
    count = len(allowed_chars)
    if not 0 < count <= 256:
        return get_random_string(length, allowed_chars)
    limit = 256 - 256 % count  # bytes below this map evenly onto the alphabet
    chars: list[str] = []
    while len(chars) < length:
        # A few bytes more than needed: with 62 characters, 3 % of the bytes are thrown away.
        for byte in os.urandom(length - len(chars) + 16):
            if byte < limit:
                chars.append(allowed_chars[byte % count])
                if len(chars) == length:
                    break
    return "".join(chars)


def install() -> None:
    from django.middleware import csrf

    csrf.get_random_string = random_string
