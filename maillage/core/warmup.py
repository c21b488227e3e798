"""Work a web process would otherwise do on its first requests, done once before gunicorn forks
its workers (`MAILLAGE_PRELOAD=1`, maillage/wsgi.py): the workers then share it."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.template import TemplateSyntaxError, engines
from django.template.loader import get_template
from django.utils import translation

log = logging.getLogger(__name__)

SUFFIXES = (".html", ".txt", ".xml", ".svg", ".ics")


def template_names() -> set[str]:
    """Every template the Django engine's loaders can find (ours, allauth's, the admin's)."""
    engine = engines["django"].engine
    names: set[str] = set()
    for loader in engine.template_loaders:
        for inner in getattr(loader, "loaders", [loader]):
            for folder in map(Path, inner.get_dirs()):
                names.update(
                    str(path.relative_to(folder))
                    for path in folder.rglob("*")
                    if path.suffix in SUFFIXES and path.is_file()
                )
    return names


def warm_templates_and_catalogues() -> int:
    """Compile every template into the cached loader and load each language's catalogue;
    returns the number of templates compiled."""
    compiled = 0
    for name in sorted(template_names()):
        try:
            get_template(name)
            compiled += 1
        except TemplateSyntaxError:  # a template of a library we do not use: its first use says
            log.info("template not compiled ahead: %s", name, exc_info=True)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Maillage")
    return compiled
