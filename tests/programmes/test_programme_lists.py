"""Beneficiary lists: every reason a row is refused, the preview stores nothing, the confirmation enrols the
valid rows in one transaction (all or nothing), and a second upload of the same list enrols no one twice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import translation

from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.programmes.models import Beneficiary, BeneficiaryList, Programme
from paritrana.programmes.services import lists, staging
from paritrana.registry.models import Membership, Worker
from tests.platform.world import World
from tests.programmes.progkit import CILACAP_VILLAGE, ON, SEMARANG_VILLAGE, csv_file, person


def counts() -> tuple[int, int, int]:
    return Worker.objects.count(), Membership.objects.count(), Beneficiary.objects.count()


def reasons(lst: BeneficiaryList) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = {}
    for e in lst.errors:
        out.setdefault(e["row"], []).append((e["field"], e["message"]))
    return out


def test_each_reason_names_its_row_and_field(world: World, semarang: Programme, tmp_path: Path) -> None:
    good = person(1)
    bad_nik = person(2)
    rows = [
        good.cells(),  # row 2
        [bad_nik.nik[:15], *bad_nik.cells()[1:]],  # row 3: 15 digits
        person(3, district="33.01.01", village=CILACAP_VILLAGE).cells(),  # row 4: a village of another regency
        person(4, birth=dt.date(1950, 1, 1)).cells(),  # row 5: 76 years old
        person(5, birth=dt.date(2010, 1, 1)).cells(),  # row 6: 16 years old
        person(6, occupation="teacher").cells(),  # row 7: not an occupation the programme covers
        person(7, occupation="astronaut").cells(),  # row 8: not an occupation at all
        [*person(8).cells()[:5], "33.74.01.9999", "x"],  # row 9: no such village
        [*person(9).cells()[:3], "F", *person(9).cells()[4:]],  # row 10: the NIK says male, the row female
        good.cells(),  # row 11: the same NIK as row 2
        [person(10).nik, "", "17-07-1980", "L", "petani", "3374011001", ""],  # row 12: no name
        [person(11).nik, "Warga 11", "1980-13-45", "M", "farmer", SEMARANG_VILLAGE, ""],  # row 13: not a date
        [person(12).nik, "Warga 12", "1980-07-17", "X", "farmer", SEMARANG_VILLAGE, ""],  # row 14: not a sex
    ]
    path = csv_file(tmp_path / "p3ke.csv", rows)
    lst = lists.preview_list(world.users["city"], semarang.pk, path, "p3ke.csv", on=ON)
    got = reasons(lst)
    assert lst.row_count == 13
    assert sorted(got) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]
    assert got[3][0][0] == "nik" and "15 digits" in got[3][0][1]
    assert got[4] == [("village", got[4][0][1])] and "is not in Kota Semarang" in got[4][0][1]
    assert got[5][0][0] == "birth_date" and "aged 76" in got[5][0][1] and "maximum age of 65" in got[5][0][1]
    assert got[6][0][0] == "birth_date" and "aged 16" in got[6][0][1]
    assert got[7][0][0] == "occupation" and "not an occupation this programme covers" in got[7][0][1]
    assert got[8][0][0] == "occupation" and "astronaut" in got[8][0][1]
    assert got[9][0][0] == "village" and "33.74.01.9999 does not exist" in got[9][0][1]
    assert got[10][0][0] == "nik" and "recorded sex is female" in got[10][0][1]
    assert got[11] == [("nik", got[11][0][1])] and "also on row 2" in got[11][0][1]
    assert got[12] == [
        ("name", "the name is empty")
    ]  # Indonesian spellings (17-07-1980, L, petani, undotted code) read
    assert got[13][0][0] == "birth_date" and "1980-13-45" in got[13][0][1]
    assert got[14][0][0] == "sex"
    assert lst.valid_count == 1 and lst.error_count == 12 and lst.reported_count == 0


def test_district_missing_from_the_registry(world: World, semarang: Programme, tmp_path: Path) -> None:
    # 33.74.02 is a real district of Kota Semarang, but this small registry does not hold it
    path = csv_file(tmp_path / "l.csv", [person(1, district="33.74.02", village="33.74.02.1001")])
    lst = lists.preview_list(world.users["city"], semarang.pk, path, "l.csv", on=ON)
    assert [(e["row"], e["field"]) for e in lst.errors] == [(2, "village")]
    assert "district 33.74.02" in lst.errors[0]["message"]


def test_missing_column_and_empty_file(world: World, semarang: Programme, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path / "l.csv", [person(1).cells()[:5]], header=["nik", "name", "birth_date", "sex", "occupation"]
    )
    lst = lists.preview_list(world.users["city"], semarang.pk, path, "l.csv", on=ON)
    assert [(e["row"], e["field"]) for e in lst.errors] == [(1, "village")]
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    lst = lists.preview_list(world.users["city"], semarang.pk, empty, "empty.csv", on=ON)
    assert lst.errors[0]["field"] == "file" and lst.valid_count == 0


def test_people_already_protected_are_reported_not_enrolled(world: World, semarang: Programme, tmp_path: Path) -> None:
    pu, city = world.workers["W33PU"], world.workers["W33CITY"]  # a wage earner; a self-paying BPU worker
    rows = [
        [pu.nik, pu.name, pu.birth_date.isoformat(), pu.sex, "farmer", "33.74.01.1002", ""],
        [city.nik, city.name, city.birth_date.isoformat(), city.sex, "trader", "33.74.01.1002", ""],
        person(1).cells(),
    ]
    lst = lists.preview_list(world.users["city"], semarang.pk, csv_file(tmp_path / "l.csv", rows), "l.csv", on=ON)
    assert lst.errors == []
    assert [(r["row"], r["field"]) for r in lst.reported] == [(2, "nik"), (3, "nik")]
    assert "wage earner (PU) of PT Semarang" in lst.reported[0]["message"]
    assert "pays its own contributions" in lst.reported[1]["message"]
    assert lst.valid_count == 1
    before = counts()
    done = lists.confirm_list(world.users["city"], lst.pk, on=ON)
    assert done.enrolled_count == 1 and counts() == (before[0] + 1, before[1] + 2, before[2] + 1)
    assert Membership.objects.filter(worker=pu).count() == 1  # untouched: its JKK at PT Semarang only


def test_preview_stores_nothing_and_confirm_enrols(world: World, semarang: Programme, tmp_path: Path) -> None:
    people = [person(i) for i in range(1, 6)] + [person(6, occupation="ojek_driver")]
    path = csv_file(tmp_path / "l.csv", people)
    before = counts()
    lst = lists.preview_list(world.users["city"], semarang.pk, path, "l.csv", on=ON)
    assert counts() == before  # nothing enrolled: no worker, membership or beneficiary
    assert lst.status == "preview" and lst.valid_count == 6 and lst.enrolled_count == 0
    done = lists.confirm_list(world.users["city"], lst.pk, on=ON)
    assert done.status == "confirmed" and done.enrolled_count == 6
    assert counts() == (before[0] + 6, before[1] + 12, before[2] + 6)
    w = Worker.objects.get(nik=people[0].nik)
    assert (w.scheme, w.sponsor_id, w.region.code, w.occupation, w.employer_id) == (
        "BPU",
        semarang.sponsor_id,
        "33.74.01",
        "farmer",
        None,
    )
    spans = set(Membership.objects.filter(worker=w).values_list("programme", "start", "end"))
    assert spans == {("JKK", ON, dt.date(2026, 12, 31)), ("JKM", ON, dt.date(2026, 12, 31))}
    b = Beneficiary.objects.get(worker=w)
    assert (b.programme_id, b.row, b.village_code, b.source_id) == (semarang.pk, 2, "33.74.01.1001", lst.pk)
    # the history names who enrolled them
    assert w.history.get().history_type == "+" and w.history.get().history_user == world.users["city"]
    assert Membership.history.filter(worker_id=w.pk).count() == 2
    # a confirmed list is not confirmed twice
    with pytest.raises(ValidationFailed) as err, translation.override("en"):  # the English source message
        lists.confirm_list(world.users["city"], lst.pk, on=ON)
    assert err.value.field == "list"


def test_reupload_enrols_no_one_twice(world: World, semarang: Programme, tmp_path: Path) -> None:
    people = [person(i) for i in range(1, 21)]
    path = csv_file(tmp_path / "l.csv", people)
    first = lists.preview_list(world.users["city"], semarang.pk, path, "l.csv", on=ON)
    lists.confirm_list(world.users["city"], first.pk, on=ON)
    after_first = counts()
    # the same list again, with two new people at its end
    path2 = csv_file(tmp_path / "l2.csv", [*people, person(21), person(22)])
    second = lists.preview_list(world.users["city"], semarang.pk, path2, "l2.csv", on=ON)
    assert second.reported_count == 20 and second.valid_count == 2
    assert all("already enrolled by this programme since 2026-03-02" in r["message"] for r in second.reported)
    done = lists.confirm_list(world.users["city"], second.pk, on=ON)
    assert done.enrolled_count == 2
    assert counts() == (after_first[0] + 2, after_first[1] + 4, after_first[2] + 2)
    # two previews of one list, both confirmed: the second enrols no one
    a = lists.preview_list(world.users["city"], semarang.pk, path2, "l2.csv", on=ON)
    b = lists.preview_list(world.users["city"], semarang.pk, path2, "l2.csv", on=ON)
    assert lists.confirm_list(world.users["city"], a.pk, on=ON).enrolled_count == 0
    assert lists.confirm_list(world.users["city"], b.pk, on=ON).enrolled_count == 0
    assert Beneficiary.objects.filter(programme=semarang).count() == 22


def test_confirm_is_all_or_nothing(
    world: World, semarang: Programme, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = csv_file(tmp_path / "l.csv", [person(i) for i in range(1, 11)])
    lst = lists.preview_list(world.users["city"], semarang.pk, path, "l.csv", on=ON)
    before = counts()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    # the last step (the history rows) fails: the workers, memberships and beneficiaries before it are undone
    monkeypatch.setattr(staging, "_history", broken)
    with pytest.raises(RuntimeError):
        lists.confirm_list(world.users["city"], lst.pk, on=ON)
    assert counts() == before
    assert BeneficiaryList.objects.get(pk=lst.pk).status == "preview"


def test_someone_registered_meanwhile_fails_the_whole_confirmation(
    world: World, semarang: Programme, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = person(1)
    lst = lists.preview_list(
        world.users["city"], semarang.pk, csv_file(tmp_path / "l.csv", [p, person(2)]), "l.csv", on=ON
    )
    classify = lists.Stage.classify

    def then_registered_elsewhere(self: lists.Stage, programme: Programme, on: dt.date) -> object:
        found = classify(self, programme, on)
        # between the check and the insert, another office registers the first person
        Worker.objects.create(
            nik=p.nik, name=p.name, birth_date=dt.date(1980, 7, 17), sex="M", occupation="farmer",
            region=world.regions["33.74"], scheme="BPU",
        )  # fmt: skip
        return found

    monkeypatch.setattr(lists.Stage, "classify", then_registered_elsewhere)
    before = counts()
    with pytest.raises(ValidationFailed) as err, translation.override("en"):  # the English source message
        lists.confirm_list(world.users["city"], lst.pk, on=ON)
    assert err.value.field == "list" and "1 people" in err.value.reason
    assert counts() == before  # not even the second person: all or nothing
    assert BeneficiaryList.objects.get(pk=lst.pk).status == "preview"


def test_a_registered_person_without_membership_is_reused(world: World, semarang: Programme, tmp_path: Path) -> None:
    p = person(1)
    lst = lists.preview_list(
        world.users["city"], semarang.pk, csv_file(tmp_path / "l.csv", [p, person(2)]), "l.csv", on=ON
    )
    # meanwhile the same person is registered as a self-paying BPU worker elsewhere, with no membership in force:
    # the check at confirmation finds the record and reuses it (renewal path), enrolling both
    Worker.objects.create(
        nik=p.nik, name=p.name, birth_date=dt.date(1980, 7, 17), sex="M", occupation="farmer",
        region=world.regions["33.74"], scheme="BPU",
    )  # fmt: skip
    done = lists.confirm_list(world.users["city"], lst.pk, on=ON)
    assert done.enrolled_count == 2
    reused = Worker.objects.get(nik=p.nik)
    assert reused.sponsor_id == semarang.sponsor_id and reused.history.first().history_type == "~"


def test_the_budget_year_ends_the_sponsorship_and_renewal_reenrols(
    world: World, semarang: Programme, tmp_path: Path
) -> None:
    from paritrana.programmes.services.programmes import renew_programme

    people = [person(i) for i in range(1, 4)]
    path = csv_file(tmp_path / "l.csv", people)
    lists.confirm_list(
        world.users["city"], lists.preview_list(world.users["city"], semarang.pk, path, "l.csv", on=ON).pk, on=ON
    )
    # after 31 December the programme enrols no one
    with pytest.raises(ValidationFailed) as err, translation.override("en"):  # the English source message
        lists.preview_list(world.users["city"], semarang.pk, path, "l.csv", on=dt.date(2027, 1, 4))
    assert err.value.field == "programme" and "renew" in err.value.reason
    renewed = renew_programme(
        world.users["city"], semarang.pk, budget_amount=600_000_000, legal_basis_number="3 Tahun 2027",
        legal_basis_date="2027-01-02",
    )  # fmt: skip
    assert (renewed.budget_year, renewed.renewed_from_id, renewed.region_id) == (2027, semarang.pk, semarang.region_id)
    assert renewed.sponsor_id != semarang.sponsor_id
    lst = lists.preview_list(world.users["city"], renewed.pk, path, "l.csv", on=dt.date(2027, 1, 4))
    assert lst.valid_count == 3 and lst.reported_count == 0  # last year's sponsorship ended on 31 December
    lists.confirm_list(world.users["city"], lst.pk, on=dt.date(2027, 1, 4))
    w = Worker.objects.get(nik=people[0].nik)
    assert w.sponsor_id == renewed.sponsor_id
    assert sorted(Membership.objects.filter(worker=w, programme="JKK").values_list("start", "end")) == [
        (ON, dt.date(2026, 12, 31)),
        (dt.date(2027, 1, 4), dt.date(2027, 12, 31)),
    ]
    with pytest.raises(ValidationFailed):
        renew_programme(
            world.users["city"], semarang.pk, budget_amount=1, legal_basis_number="x", legal_basis_date="2027-01-02"
        )


def test_scope_of_lists(world: World, semarang: Programme, cilacap: Programme, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "l.csv", [person(1)])
    # another regency's officer, the province, HR, a worker: the programme does not exist for them
    for role in ("cilacap", "province", "hr", "worker", "heir", "assessor"):
        with pytest.raises(NotFound):
            lists.preview_list(world.users[role], semarang.pk, path, "l.csv", on=ON)
    # the branch officer reads it but may not enrol
    with pytest.raises(NotAllowed):
        lists.preview_list(world.users["branch"], semarang.pk, path, "l.csv", on=ON)
    lst = lists.preview_list(world.users["city"], semarang.pk, path, "l.csv", on=ON)
    with pytest.raises(NotFound):
        lists.confirm_list(world.users["cilacap"], lst.pk, on=ON)
    with pytest.raises(NotAllowed):
        lists.confirm_list(world.users["branch"], lst.pk, on=ON)
    assert Beneficiary.objects.count() == 0
    # the administrator may
    assert lists.confirm_list(world.users["admin"], lst.pk, on=ON).enrolled_count == 1
    # Cilacap's officer cannot enrol Semarang's people in its own programme either
    other = lists.preview_list(world.users["cilacap"], cilacap.pk, path, "l.csv", on=ON)
    assert other.valid_count == 0 and "is not in Kabupaten Cilacap" in other.errors[0]["message"]


def test_an_xlsx_list_with_text_niks_and_date_cells(world: World, semarang: Programme, tmp_path: Path) -> None:
    import openpyxl  # type: ignore[import-untyped]

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["NIK", "Nama", "Tanggal Lahir", "Jenis Kelamin", "Pekerjaan", "Kode Desa", "Alamat"])
    for i in (1, 2):
        p = person(i)
        ws.append([p.nik, p.name, dt.datetime(1980, 7, 17), "L", "Petani", p.village, "Jl. Kenanga"])
    ws.append([person(3).nik[:15], "Warga 3", dt.datetime(1980, 7, 17), "L", "Petani", SEMARANG_VILLAGE, ""])
    path = tmp_path / "daftar.xlsx"
    wb.save(path)
    lst = lists.preview_list(world.users["city"], semarang.pk, path, "daftar.xlsx", on=ON)
    assert (lst.row_count, lst.valid_count) == (3, 2)
    assert [(e["row"], e["field"]) for e in lst.errors] == [(4, "nik")]
    assert lists.confirm_list(world.users["city"], lst.pk, on=ON).enrolled_count == 2


def test_a_row_with_two_errors_counts_once(world: World, semarang: Programme, tmp_path: Path) -> None:
    old = person(1, birth=dt.date(1950, 1, 1))
    # the birth date says 76 (over-age) and the NIK encodes another birth date: two errors, one row
    rows = [[old.nik, "Mbah", "1950-01-02", "M", "farmer", SEMARANG_VILLAGE, ""], person(2).cells()]
    lst = lists.preview_list(world.users["city"], semarang.pk, csv_file(tmp_path / "l.csv", rows), "l.csv", on=ON)
    assert sorted(e["field"] for e in lst.errors) == ["birth_date", "nik"]
    assert (lst.error_count, lst.valid_count) == (1, 1)
