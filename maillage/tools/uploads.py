"""The shared tools' upload check: core's, raising the library's own error."""

from __future__ import annotations

from typing import IO

from maillage.core.uploads import ALLOWED_LABEL, CheckedUpload, clean_filename, max_bytes
from maillage.core.uploads import check_upload as _check_upload

from .errors import ToolError

__all__ = ["ALLOWED_LABEL", "CheckedUpload", "check_upload", "clean_filename", "max_bytes"]


def check_upload(upload: IO[bytes] | object) -> CheckedUpload:
    return _check_upload(upload, error=ToolError)
