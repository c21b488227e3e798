from __future__ import annotations

from django.http import Http404


def _todo(request, pk, **kwargs):
    raise Http404


home = settings_update = run = lock = forbid = move = constraint_remove = _todo
constraints_clear = exclusion_add = exclusion_remove = accept = accept_all = _todo
run_inputs = my_group = _todo
