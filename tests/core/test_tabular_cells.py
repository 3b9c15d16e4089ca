"""The shared cell readers of the tabular files (workforce figures, beneficiary lists): a cell as text, a header
cell as the column name looked up. Pure: no database."""

from __future__ import annotations

from paritrana.core.tabular import cell_text, header_key


def test_a_cell_as_text() -> None:
    assert cell_text(None) == ""
    assert cell_text(3374.0) == "3374"  # an XLSX number cell keeps no ".0"
    assert cell_text(33.74) == "33.74"
    assert cell_text("  Asih Lestari ") == "Asih Lestari"
    assert cell_text(2026) == "2026"


def test_a_header_cell_as_a_column_name() -> None:
    assert header_key("\ufeffKode Wilayah ") == "kode_wilayah"  # the byte-order mark of a CSV saved by Excel
    assert header_key("\ufeff region_code") == "region_code"
    assert header_key("Tanggal Lahir") == "tanggal_lahir"
    assert header_key("   ") == "" and header_key(None) == ""
