"""Helpers for the tests of `core.once`: the token a rendered form carries."""

from __future__ import annotations

import re

from maillage.core.once import FIELD


def form_token(html: str, action: str | None = None) -> str:
    """The token of the POST form whose action starts with `action`, or of the first form on the
    page that has one."""
    for match in re.finditer(r'<form\b[^>]*method="post"[^>]*>(.*?)</form>', html, re.S):
        tag = match.group(0)[: match.group(0).index(">") + 1]
        if action is not None:
            found = re.search(r'action="([^"]*)"', tag)
            if not found or not found.group(1).startswith(action):
                continue
        token = re.search(rf'name="{FIELD}" value="([0-9a-f]{{32}})"', match.group(1))
        if token:
            return token.group(1)
        assert action is None, f"this form has no {FIELD}: {tag}"
    raise AssertionError(f"no POST form with a {FIELD} (action {action!r}) on the page")
