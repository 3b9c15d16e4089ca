"""Hand-made XLSX files for the reader's limits: a sheet written part by part (no spreadsheet library holds it)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def write_xlsx(path: Path, sheet_parts: Iterable[bytes]) -> Path:
    """An XLSX whose first sheet's ``sheetData`` is ``sheet_parts`` (streamed into the zip)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            f.write(SHEET_HEAD)
            for part in sheet_parts:
                f.write(part)
            f.write(SHEET_TAIL)
    return path


def wage_rows(count: int, first: int = 2) -> Iterable[bytes]:
    """A header row and ``count`` rows of (NIK, month, wage), in chunks of about a megabyte."""
    yield ('<row r="1">' + inline("A1", "nik") + inline("B1", "period") + inline("C1", "wage") + "</row>").encode()
    chunk: list[str] = []
    for i in range(first, first + count):
        chunk.append(
            f'<row r="{i}">{inline(f"A{i}", f"33740101018{i % 100000:05d}")}{inline(f"B{i}", "2025-03")}'
            f'<c r="C{i}"><v>3500000</v></c></row>'
        )
        if len(chunk) == 5_000:
            yield "".join(chunk).encode()
            chunk = []
    yield "".join(chunk).encode()


def declare_smaller(path: Path, member: str, declared: int) -> None:
    """Make the zip say ``member`` inflates to ``declared`` bytes (in its local and central headers)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            if data[at + name_at : at + name_at + len(name)] == name:
                data[at + size_at : at + size_at + 4] = declared.to_bytes(4, "little")
            start = at + 4
    path.write_bytes(bytes(data))
