"""What every page of base.html shares: its tab title."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

SITE = "Maillage"


@register.filter(is_safe=True)
def page_title(title: str) -> str:
    """« Accueil — Maillage » for a page's own title, « Maillage » alone when it has none."""
    # The title block may span lines in a template; the tab shows one line.
    text = " ".join(str(title).split())
    if isinstance(title, SafeData):
        text = mark_safe(text)  # already escaped by the template: do not escape it twice
    return format_html("{} — {}", text, SITE) if text else SITE
