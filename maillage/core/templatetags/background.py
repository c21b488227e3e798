"""What the pages that follow work done off the request share: a plain word when no task
worker is there to do it (see core.health.worker_silent)."""

from __future__ import annotations

from typing import Any

from django import template

from maillage.core.health import worker_silent

register = template.Library()


@register.inclusion_tag("core/includes/worker_notice.html")
def worker_notice() -> dict[str, Any]:
    """Under a progress bar: nothing while a worker beats; otherwise, that the work waits for
    it and will carry on by itself (nothing is lost, nothing needs to be asked again)."""
    return {"silent": worker_silent()}
