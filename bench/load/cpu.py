"""CPU seconds used so far by the server's processes, for CPU ms per request under load.

    python bench/load/cpu.py GUNICORN_MASTER_PID   → "web postgres" in seconds

web: the gunicorn master and its workers (workers replaced by max_requests are in the master's
cutime once reaped); postgres: every process of the cluster (the postmaster's cutime holds the
backends that ended). Another program's queries on the same cluster count too: the bench's
own database is the only busy one when the machine is not shared with other PostgreSQL users.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: str) -> tuple[str, int, list[str]] | None:
    try:
        comm = Path(f"/proc/{pid}/comm").read_text().strip()
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return comm, int(fields[1]), fields  # fields[1] is the parent's pid


def main() -> None:
    master = int(sys.argv[1])
    web = postgres = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        seen = _stat(pid)
        if seen is None:
            continue
        comm, parent, fields = seen
        used = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
        if int(pid) == master or parent == master:
            web += used
        elif comm.startswith(("postgres", "postmaster")):
            postgres += used
    print(f"{web / TICKS:.2f} {postgres / TICKS:.2f}")


if __name__ == "__main__":
    main()
