"""After a load run: every submission the server accepted is stored exactly once.

DATABASE_URL=… .venv/bin/python bench/load/check_sent.py /tmp/load-sent.txt
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")

import django  # noqa: E402

django.setup()

from maillage.intake.models import Application  # noqa: E402


def main() -> int:
    sent = [line.strip() for line in Path(sys.argv[1]).read_text().splitlines() if line.strip()]
    stored = Counter(
        Application.objects.filter(email__endswith="@charge.example").values_list(
            "email", flat=True
        )
    )
    lost = [e for e in sent if stored[e] == 0]
    doubled = [e for e, n in stored.items() if n > 1]
    print(
        f"accepted {len(sent)}, stored {sum(stored.values())}, lost {len(lost)}, doubled {len(doubled)}"
    )
    return 1 if lost or doubled else 0


if __name__ == "__main__":
    raise SystemExit(main())
