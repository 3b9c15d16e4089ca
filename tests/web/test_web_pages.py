"""The pages' behaviour without a browser: languages, domain errors as form errors, registration, the calculator."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from paritrana.registry.models import Employer, Worker
from paritrana.rules import all_rules

World = dict[str, Any]


def signed_in(world: World, role: str, language: str = "id") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(world["users"][role])
    return client


def text(response: Any) -> str:
    return response.content.decode()


def error_of(response: Any, field: str) -> str:
    """The text of the error list shown next to ``field``."""
    m = re.search(rf'<ul class="errorlist" id="error-{field}">(.*?)</ul>', text(response), re.DOTALL)
    assert m, f"no error next to {field}: {text(response)[:2000]}"
    return re.sub(r"<[^>]+>", "", m.group(1)).strip()


def worker_form(world: World, **changes: Any) -> dict[str, Any]:
    data = {
        "scheme": "BPU",
        "employer": "",
        "nik": "3273014404920003",  # a woman born 4 April 1992 in Kota Bandung
        "name": "Sri Wahyuni",
        "birth_date": "1992-04-04",
        "sex": "F",
        "occupation": "trader",
        "region": world["regions"]["32.73"].pk,
        "wage": "1500000",
    }
    data.update(changes)
    return data


def test_bahasa_indonesia_by_default_with_the_data_attribution(world: World) -> None:
    page = text(Client().get("/login/"))
    assert '<html lang="id">' in page
    assert "Masuk" in page
    assert "idn-area-data" in page and "ODbL" in page
    assert "Kode dan nama wilayah" in page
    assert 'action="/i18n/setlang/"' in page


def test_english_on_request(world: World) -> None:
    client = signed_in(world, "admin")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = text(client.get("/"))
    assert '<html lang="en">' in page and "Home" in page


def test_a_bpu_worker_registers_individually(world: World) -> None:
    client = signed_in(world, "branch_officer")
    response = client.post("/workers/new/", worker_form(world))
    worker = Worker.objects.get(nik="3273014404920003")
    assert response.status_code == 302 and response["Location"] == f"/workers/{worker.pk}/"
    assert worker.scheme == "BPU" and worker.employer is None
    page = text(client.get(response["Location"]))
    assert "Sri Wahyuni" in page and "JKK" in page and "JKM" in page


def test_a_wrong_nik_is_an_error_next_to_the_nik(world: World) -> None:
    client = signed_in(world, "branch_officer")
    response = client.post("/workers/new/", worker_form(world, nik="3273014404920"))
    assert response.status_code == 200
    message = error_of(response, "nik")
    assert "13 digit" in message and "16" in message, message
    # the birth date in the NIK disagrees with the recorded one
    response = client.post("/workers/new/", worker_form(world, birth_date="1992-04-05"))
    assert "tanggal lahir" in error_of(response, "nik").lower()
    assert not Worker.objects.filter(name="Sri Wahyuni").exists()


def test_a_wrong_nik_in_english(world: World) -> None:
    client = signed_in(world, "branch_officer", language="en")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    message = error_of(client.post("/workers/new/", worker_form(world, nik="3273014404920")), "nik")
    assert "13 digits" in message and "16" in message, message


def test_a_pu_worker_needs_an_employer_and_a_nik_only_once(world: World) -> None:
    client = signed_in(world, "branch_officer")
    response = client.post("/workers/new/", worker_form(world, scheme="PU"))
    assert error_of(response, "employer")
    tekstil = world["employers"]["tekstil"]
    response = client.post("/workers/new/", worker_form(world, scheme="PU", employer=tekstil.pk))
    assert response.status_code == 302
    response = client.post("/workers/new/", worker_form(world, scheme="PU", employer=tekstil.pk, name="Lagi"))
    assert response.status_code == 200 and error_of(response, "nik")


def test_employer_hr_cannot_register_for_another_company(world: World) -> None:
    client = signed_in(world, "employer_hr")
    batik = world["employers"]["batik"]
    response = client.post("/workers/new/", worker_form(world, scheme="PU", employer=batik.pk))
    assert response.status_code == 200 and error_of(response, "employer")
    assert not Worker.objects.filter(nik="3273014404920003").exists()


def employer_form(world: World, **changes: Any) -> dict[str, Any]:
    data = {
        "registration_number": "PK-32-0099",
        "name": "PT Kopi Bandung",
        "sector": "food",
        "size_class": "small",
        "risk_group": "2",
        "region": world["regions"]["32.73"].pk,
        "branch": world["users"]["branch_officer"].profile.branch_id,
    }
    data.update(changes)
    return data


def test_register_an_employer_then_a_duplicate_is_refused(world: World) -> None:
    client = signed_in(world, "branch_officer")
    response = client.post("/employers/new/", employer_form(world))
    employer = Employer.objects.get(registration_number="PK-32-0099")
    assert response.status_code == 302 and response["Location"] == f"/employers/{employer.pk}/"
    response = client.post("/employers/new/", employer_form(world, name="PT Lain"))
    assert response.status_code == 200 and error_of(response, "registration_number")


def test_a_branch_officer_cannot_register_an_employer_outside_its_regions(world: World) -> None:
    client = signed_in(world, "branch_officer")
    response = client.post("/employers/new/", employer_form(world, region=world["regions"]["33.74"].pk))
    assert response.status_code == 200 and error_of(response, "region")
    assert not Employer.objects.filter(registration_number="PK-32-0099").exists()


def test_the_calculator_lists_every_rule(world: World) -> None:
    page = text(signed_in(world, "assessor").get("/calculator/"))
    for rule in all_rules():
        assert f'href="/calculator/{rule.name}/"' in page, rule.name


@pytest.mark.parametrize("rule", [r.name for r in all_rules()])
def test_every_rule_has_a_form(world: World, rule: str) -> None:
    response = signed_in(world, "worker").get(f"/calculator/{rule}/")
    assert response.status_code == 200
    assert 'name="date"' in text(response)


def test_the_calculator_explains_its_result(world: World) -> None:
    client = signed_in(world, "worker")
    response = client.get("/calculator/pu_contributions/?date=2024-05-01&wage=5000000&risk_group=1")
    page = text(response)
    assert 'id="outputs"' in page and 'id="explanation"' in page
    explanation = page[page.index('id="explanation"') :]
    assert "PP" in explanation  # a legal reference
    assert re.search(r"\d{1,2} [A-Z][a-z]+ \d{4}", explanation)  # an effective date, written as "1 Mei 2024"


def test_the_explanation_links_the_official_text_where_one_is_known(world: World) -> None:
    client = signed_in(world, "worker")
    page = text(client.get("/calculator/bpu_contributions/?date=2026-04-01&declared_income=1000000"))
    explanation = page[page.index('id="explanation"') :]
    assert 'href="https://peraturan.bpk.go.id/Details/339151/pp-no-50-tahun-2025"' in explanation
    assert "teks resmi" in explanation and "PP 50/2025" in explanation
    assert ".md" not in explanation and "../shared" not in explanation


def test_an_invalid_input_is_shown_next_to_its_field(world: World) -> None:
    client = signed_in(world, "worker", language="en")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post(
        "/calculator/jkk_disability_benefit/",
        {
            "date": "2024-05-01",
            "wage": "5000000",
            "disability_type": "partial_anatomical",
            "body_part": "scalp_peeled",
            "assessed_percent": "35",
        },
    )
    assert response.status_code == 200
    assert "outside the range" in error_of(response, "assessed_percent")


def test_an_htmx_search_gets_only_the_results(world: World) -> None:
    client = signed_in(world, "admin")
    response = client.get("/workers/?q=asih", headers={"hx-request": "true"})
    page = text(response)
    assert "Asih Lestari" in page and "<html" not in page
    response = client.get("/workers/?q=3374")  # by NIK
    assert "Joko Widodo Susanto" in text(response) and "Asih" not in text(response)


def test_employers_are_found_by_registration_number_in_any_case_within_scope(world: World) -> None:
    found = text(signed_in(world, "admin").get("/employers/?q=pk-33"))
    assert "CV Batik Semarang" in found
    assert "PT Tekstil Priangan" not in found
    # a branch officer of Bandung finds its own employer, and not the Semarang one, whatever it types
    officer = signed_in(world, "branch_officer")
    assert "PT Tekstil Priangan" in text(officer.get("/employers/?q=pk-32"))
    assert "CV Batik Semarang" not in text(officer.get("/employers/?q=PK-33"))


def test_a_worker_page_shows_memberships_and_heirs(world: World) -> None:
    page = text(signed_in(world, "heir").get(f"/workers/{world['workers']['asih'].pk}/"))
    assert "JKK" in page and "Budi Santoso" in page


def test_rule_titles_and_field_descriptions_are_in_bahasa_indonesia() -> None:
    """A new rule, or a changed text, needs the catalogue regenerated (``./dev messages``) and the .po file."""
    from django.utils import translation

    from paritrana.core.rules_catalogue import RULE_TEXTS

    texts = [t for r in all_rules() for t in (r.title, *(f.description for f in (*r.inputs, *r.outputs)))]
    assert not [t for t in texts if t not in RULE_TEXTS]
    labels = {f.name.replace("_", " ") for r in all_rules() for f in r.inputs}
    with translation.override("id"):
        assert not [t for t in texts if translation.gettext(t) == t]
        # the inputs' labels; a few are the same word in both languages
        same = {label for label in labels if translation.pgettext("calculator input", label) == label}
        assert not same


def test_the_calculator_speaks_bahasa_indonesia(world: World) -> None:
    page = text(signed_in(world, "worker").get("/calculator/"))
    assert "Iuran bulanan peserta penerima upah (PU)" in page
    page = text(signed_in(world, "worker").get("/calculator/pu_contributions/"))
    assert "upah bulanan (upah pokok ditambah tunjangan tetap), rupiah" in page


ROLES = ("admin", "branch_officer", "regional_officer", "employer_hr", "worker", "heir", "assessor", "policy_analyst")


def test_login_page_is_open_and_signed_in_users_go_home(world: World) -> None:
    assert Client().get("/login/").status_code == 200
    for role in ROLES:
        response = signed_in(world, role).get("/login/")
        assert response.status_code == 302 and response["Location"] == "/", role


def test_the_language_switch_answers_everyone(world: World) -> None:
    for client in [Client(), *(signed_in(world, role) for role in ROLES)]:
        response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        assert response.status_code == 302


def test_an_english_browser_still_gets_bahasa_indonesia_until_it_switches(world: World, settings: Any) -> None:
    assert "paritrana.web.middleware.IndonesianByDefault" in settings.MIDDLEWARE
    client = Client(headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="id">' in text(client.get("/login/"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert '<html lang="en">' in text(client.get("/login/"))


def test_the_default_language_middleware() -> None:
    from django.middleware.locale import LocaleMiddleware
    from django.test import RequestFactory
    from django.utils import translation

    from paritrana.web.middleware import IndonesianByDefault

    def view(request: Any) -> Any:
        from django.http import HttpResponse

        return HttpResponse(translation.get_language())

    chain = IndonesianByDefault(LocaleMiddleware(view))
    factory = RequestFactory(headers={"accept-language": "en-US,en;q=0.9"})
    assert chain(factory.get("/")).content == b"id"
    factory.cookies["django_language"] = "en"
    assert chain(factory.get("/")).content == b"en"
    translation.activate("id")


def test_a_malformed_nik_is_named_even_when_other_fields_are_missing(world: World) -> None:
    response = signed_in(world, "branch_officer").post("/workers/new/", {"scheme": "BPU", "nik": "12345"})
    assert "5 digit" in error_of(response, "nik")
    assert error_of(response, "name")


def test_date_inputs_carry_iso_dates(world: World) -> None:
    """An <input type=date> shows only a YYYY-MM-DD value, whatever the language's date format."""
    page = text(signed_in(world, "worker").get("/calculator/pu_contributions/"))
    assert re.search(r'name="date" value="\d{4}-\d{2}-\d{2}"', page)
