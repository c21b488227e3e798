"""``python -m jumelage`` is the ``jumelage`` command."""

from __future__ import annotations

import sys

from jumelage.cli import main

sys.exit(main())
