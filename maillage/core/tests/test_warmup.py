"""Templates compiled before gunicorn forks its workers (core.warmup, maillage/wsgi.py)."""

from __future__ import annotations

from django.template import engines

from maillage.core.warmup import template_names, warm_templates_and_catalogues


def test_every_template_is_compiled_into_the_cached_loader_ahead():
    names = template_names()
    assert "base.html" in names and "mentoring/includes/group_body.html" in names
    compiled = warm_templates_and_catalogues()
    assert compiled == len(names)
    loader = engines["django"].engine.template_loaders[0]
    if hasattr(loader, "get_template_cache"):  # the cached loader (DEBUG off, as in production)
        assert len(loader.get_template_cache) >= compiled
