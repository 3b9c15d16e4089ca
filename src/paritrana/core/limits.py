"""The limits of an uploaded file (decision 0011) and their defaults (``core.uploads.upload_limits`` reads the
settings ``UPLOAD_LIMITS``, from these environment variables):

- ``PARITRANA_UPLOAD_MAX_BYTES`` (20 MiB): the size of one uploaded file; above it the upload is refused
  without keeping its bytes (``core.uploads.BoundedUploadHandler``);
- ``PARITRANA_UPLOAD_MAX_UNZIPPED_BYTES`` (64 MiB): what an XLSX inflates to, all its parts together,
  counted while inflating (a zip may declare less than it holds);
- ``PARITRANA_UPLOAD_MAX_CELLS`` (4,000,000): the rows × columns of an XLSX sheet's used range (the reader
  holds the whole range; one cell far away makes it huge);
- ``PARITRANA_UPLOAD_MAX_ROWS`` (200,000): data rows of a file, counted while reading;
- ``PARITRANA_UPLOAD_ERRORS_SHOWN`` (1,000): row errors kept and answered; the rest are counted;
- ``PARITRANA_UPLOAD_MAX_NAME`` (255): characters of an uploaded file's name.

With these, reading any upload stays well under 200 MB of memory (measured in ``tests/core``).
"""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = 20 * MIB
    max_unzipped_bytes: int = 64 * MIB
    max_cells: int = 4_000_000
    max_rows: int = 200_000
    errors_shown: int = 1_000
    max_name: int = 255


DEFAULTS = UploadLimits()
