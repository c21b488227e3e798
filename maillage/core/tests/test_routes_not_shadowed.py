"""Every named route is reached by its own address (issue 14: the public form's routes are
tried first, so that the busiest anonymous page is resolved without trying every other route;
a route moved ahead must never take another's address)."""

from __future__ import annotations

import re

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern

SAMPLES = {"int": "7", "str": "abc-XY_1", "slug": "abc-1", "path": "a/b.txt"}
SAMPLES["uuid"] = "12345678-1234-5678-1234-567812345678"
_CONVERTER = re.compile(r"<(?:(\w+):)?\w+>")


def _routes(patterns, prefix="", namespace=""):
    for entry in patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue  # a regular expression (the admin's): nothing of ours
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from _routes(entry.url_patterns, route, inner.strip(":"))
        elif isinstance(entry, URLPattern) and entry.name:
            yield route, f"{namespace}:{entry.name}".strip(":")


def test_each_named_route_resolves_to_itself():
    checked = []
    for route, name in _routes(get_resolver().url_patterns):
        converters = _CONVERTER.findall(route)
        if any(c not in SAMPLES and c for c in converters):
            continue
        path = "/" + _CONVERTER.sub(lambda m: SAMPLES[m.group(1) or "str"], route)
        match = resolve(path)
        assert match.view_name == name, f"{path} is taken by {match.view_name}, not {name}"
        checked.append(name)
    assert "intake:public_form" in checked and "intake:public_thanks" in checked
    assert len(checked) > 100
