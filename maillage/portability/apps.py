from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def purge_import_files_hourly(**_: Any) -> int:
    """Core's hourly round: finished imports' files out of the storage, imports left waiting
    for their confirmation too long given up (a cheap query when there is nothing to do)."""
    from .jobs import purge_import_files

    return purge_import_files()


class PortabilityConfig(AppConfig):
    name = "maillage.portability"
    label = "portability"
    verbose_name = _("Importation et exportation")

    def ready(self) -> None:
        from maillage.core.signals import daily_work_due

        daily_work_due.connect(
            purge_import_files_hourly, dispatch_uid="portability.purge_import_files"
        )
