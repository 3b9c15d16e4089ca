"""Domain errors through the pages, answered in one place (``paritrana.web.errors``): a record out of scope is 404, a
refused role 403, an invalid value 400 naming its field, each on the error page in the user's language; Django's own
403 and 404 on the same page. A refusal a form shows stays on the form."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import translation

from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.web.errors import DomainErrors

World = dict[str, Any]


def signed_in(world: World, role: str, language: str = "id") -> Client:
    client = Client()
    client.force_login(world["users"][role])
    if language != "id":
        client.post("/i18n/setlang/", {"language": language, "next": "/"})
    return client


def message(response: Any) -> str:
    page = response.content.decode()
    start = page.index('id="error-message"')
    return page[page.index(">", start) + 1 : page.index("</p>", start)]


def test_a_worker_out_of_scope_is_not_found_in_bahasa_indonesia(world: World) -> None:
    joko = world["workers"]["joko"]  # a Semarang worker of no company: not the textile HR's
    answer = signed_in(world, "employer_hr").get(f"/workers/{joko.pk}/")
    assert answer.status_code == 404
    assert message(answer) == "Tidak ditemukan, atau bukan wewenang Anda untuk melihatnya."
    assert "<h1>Tidak ditemukan</h1>" in answer.content.decode()
    # a record that does not exist at all gets the very same page
    missing = signed_in(world, "employer_hr").get("/workers/999999/")
    assert (missing.status_code, message(missing)) == (404, message(answer))


def test_the_same_refusal_in_english_on_the_switch(world: World) -> None:
    joko = world["workers"]["joko"]
    answer = signed_in(world, "employer_hr", "en").get(f"/workers/{joko.pk}/")
    assert answer.status_code == 404
    assert message(answer) == "Not found, or not yours to see."
    for page in ("/employers/999999/", f"/workers/{joko.pk}/contributions/"):
        assert signed_in(world, "employer_hr", "en").get(page).status_code == 404, page


def test_a_role_refused_by_the_use_case_is_403_with_its_reason(world: World) -> None:
    answer = signed_in(world, "employer_hr").get("/programmes/")
    assert answer.status_code == 403
    assert message(answer) == "peran Anda tidak dapat melihat program daerah"
    english = signed_in(world, "employer_hr", "en").get("/programmes/")
    assert (english.status_code, message(english)) == (403, "your role does not see regional programmes")
    assert signed_in(world, "regional_officer").get("/programmes/").status_code == 200  # the allowed role still sees it


def test_a_role_refused_by_the_page_itself_gets_the_same_page(world: World) -> None:
    answer = signed_in(world, "worker").get("/programmes/new/")  # the view's own role check: PermissionDenied
    assert answer.status_code == 403
    assert message(answer) == "Peran Anda tidak mengizinkan halaman ini."


def _through_middleware(error: Exception, language: str = "id") -> HttpResponse:
    def view(request: Any) -> HttpResponse:
        raise error

    middleware = DomainErrors(view)
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with translation.override(language):
        try:
            return middleware(request)
        except Exception as raised:  # as Django's handler does: the middleware's answer, else the error
            answer = middleware.process_exception(request, raised)
            if answer is None:
                raise
            return answer


def test_an_invalid_value_a_page_lets_rise_is_400_naming_the_field(world: World) -> None:
    answer = _through_middleware(ValidationFailed("region", "region code 99.99 does not exist"))
    assert answer.status_code == 400
    assert message(answer).startswith("region: ")
    assert _through_middleware(NotAllowed("x"), "en").status_code == 403
    assert _through_middleware(NotFound("worker 5 in region 33"), "en").status_code == 404
    # the not-found reason is never shown: the page does not tell a missing record from one out of scope
    assert "33" not in message(_through_middleware(NotFound("worker 5 in region 33"), "en"))


def test_other_errors_are_left_to_django(world: World) -> None:
    for error in (PermissionDenied(), ValueError("a bug")):
        try:
            _through_middleware(error)
        except type(error):
            pass
        else:
            raise AssertionError(f"{error!r} was answered by the domain-error middleware")


def test_a_page_s_own_not_found_gets_the_same_page(world: World) -> None:
    batik = world["employers"]["batik"]  # another company than the HR's own
    answer = signed_in(world, "employer_hr").get(f"/workers/new/?employer={batik.pk}")
    assert answer.status_code == 404
    assert message(answer) == "Tidak ditemukan, atau bukan wewenang Anda untuk melihatnya."
