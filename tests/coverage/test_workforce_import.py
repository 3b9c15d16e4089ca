"""Importing workforce figures: a clean CSV or XLSX is stored; a file with any bad row stores nothing and
names each row and field; a re-import of a region and year replaces the figure and keeps its history."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook  # type: ignore[import-untyped]

from paritrana.accounts.models import Profile, Role
from paritrana.core.errors import NotAllowed, ValidationFailed
from paritrana.coverage.models import WorkforceFigure, WorkforceUpload
from paritrana.coverage.services.workforce import import_workforce_file
from paritrana.coverage.workforcefile import read_workforce_file
from paritrana.registry.models import Region

pytestmark = pytest.mark.django_db

SOURCE = "BPS Sakernas Aug 2023"


@pytest.fixture(autouse=True)
def regions() -> None:
    province = Region.objects.create(code="33", name="Jawa Tengah", level="province")
    Region.objects.create(code="33.74", name="Kota Semarang", level="regency", parent=province)
    Region.objects.create(code="33.74.01", name="Semarang Tengah", level="district")


def test_a_clean_csv_is_stored_and_a_reimport_replaces_with_history() -> None:
    data = b"Region_Code;Tahun;Bekerja\nID;2023;139.850.000\n33;2023;19990000\n3374;2023;1,000,000\n"
    upload = import_workforce_file(None, data, "bps.csv", year=2023, source=SOURCE, kind="official")
    assert (upload.status, upload.stored_count, upload.replaced_count, upload.errors) == ("stored", 3, 0, [])
    figures = {(f.region.code if f.region else "ID"): f.employed for f in WorkforceFigure.objects.all()}
    assert figures == {"ID": 139_850_000, "33": 19_990_000, "33.74": 1_000_000}
    again = import_workforce_file(None, b"region_code,employed\n33,20000000\n", "rev.csv", year=2023,
                                  source="BPS revised", kind="official")  # fmt: skip
    assert (again.stored_count, again.replaced_count) == (1, 1)
    figure = WorkforceFigure.objects.get(region__code="33", year=2023)
    assert (figure.employed, figure.source, figure.upload) == (20_000_000, "BPS revised", again)
    assert [h.employed for h in figure.history.order_by("history_date")] == [19_990_000, 20_000_000]
    assert WorkforceFigure.objects.count() == 3


def test_a_file_with_bad_rows_stores_nothing_and_names_row_and_field() -> None:
    data = (
        b"region_code,year,employed\n"
        b"33,2023,100\n"          # row 2: fine
        b"33.99,2023,100\n"       # row 3: no such regency
        b"33.74.01,2023,100\n"    # row 4: a district, not a province or regency
        b"33.74,2022,100\n"       # row 5: another year
        b"ID,2023,-5\n"           # row 6: negative
        b"33,2023,12.5\n"         # row 7: decimals; and 33 twice (rows 2 and 7)
    )  # fmt: skip
    upload = import_workforce_file(None, data, "bad.csv", year=2023, source=SOURCE, kind="official")
    assert upload.status == "rejected" and upload.stored_count == 0
    found = {(e["row"], e["field"]) for e in upload.errors}
    assert found == {(2, "region_code"), (3, "region_code"), (4, "region_code"), (5, "year"), (6, "employed"),
                     (7, "employed"), (7, "region_code")}  # fmt: skip
    messages = {(e["row"], e["field"]): e["message"] for e in upload.errors}
    assert "33.99" in messages[(3, "region_code")] and "2022" in messages[(5, "year")]
    assert "row 7" in messages[(2, "region_code")]
    assert not WorkforceFigure.objects.exists()
    assert WorkforceUpload.objects.get().errors == upload.errors


def test_an_xlsx_file_and_the_whole_file_errors() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["kode_wilayah", "penduduk_bekerja"])
    sheet.append(["33", 19990000])
    sheet.append([33.74, 1000000.0])  # a number cell: read as 33.74
    buffer = io.BytesIO()
    book.save(buffer)
    upload = import_workforce_file(None, buffer.getvalue(), "bps.xlsx", year=2023, source=SOURCE, kind="estimate")
    assert upload.status == "stored" and upload.stored_count == 2
    assert WorkforceFigure.objects.get(region__code="33.74").kind == "estimate"
    assert [e.field for e in read_workforce_file(b"code;people\n33;5\n", "x.csv", 2023).errors] == ["employed"]
    assert read_workforce_file(b"", "x.csv", 2023).errors[0].field == "file"
    assert read_workforce_file(b"region_code;employed\n", "x.csv", 2023).errors[0].field == "file"
    assert read_workforce_file(b"PK\x03\x04garbage", "x.xlsx", 2023).errors[0].field == "file"
    assert read_workforce_file(b"x", "x.pdf", 2023).errors[0].field == "file"


def test_who_may_import_and_the_upload_fields() -> None:
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.create(username="officer")
    Profile.objects.create(user=officer, role=Role.REGIONAL_OFFICER, region=Region.objects.get(code="33"))
    with pytest.raises(NotAllowed):
        import_workforce_file(officer, b"region_code;employed\n33;5\n", "x.csv", year=2023, source=SOURCE,
                              kind="official")  # fmt: skip
    for field, kwargs in (
        ("year", {"year": 1900, "source": SOURCE, "kind": "official"}),
        ("source", {"year": 2023, "source": "  ", "kind": "official"}),
        ("kind", {"year": 2023, "source": SOURCE, "kind": "guess"}),
    ):
        with pytest.raises(ValidationFailed) as err:
            import_workforce_file(None, b"region_code;employed\n33;5\n", "x.csv", **kwargs)  # type: ignore[arg-type]
        assert err.value.field == field
    assert not WorkforceFigure.objects.exists()
