"""Every refusal of the API as its HTTP answer, in one place: 401, 403, 404, 422 naming the field, 429, in the
caller's language (the language cookie, else ``Accept-Language``; Bahasa Indonesia by default: see
``web/middleware.py``); never a 500 for bad input. Each message comes from the catalogue: the domain's through
``core/messages.py``, the rules' refusal reasons through ``core/rule_words.py``, the answers' own here."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext, gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as RequestInvalid

from paritrana.accounts.rate_limits import TooManyRequests
from paritrana.api.schemas import Message, ValidationErrors
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.core.messages import translate_message
from paritrana.rules import InvalidInput, ParameterNotInForce, RuleError, UnknownRule

ERRORS = {
    400: Message,
    401: Message,
    403: Message,
    404: Message,
    422: ValidationErrors,
}
PUBLIC_ERRORS = {**ERRORS, 429: Message}  # an operation open to anyone, limited per address

NOT_SIGNED_IN = gettext_lazy("sign in first: send Authorization: Bearer <token> (paritrana token USERNAME)")
NOT_FOUND = gettext_lazy("not found, or not yours to see")
FORBIDDEN = gettext_lazy("your role does not allow this")
UNKNOWN_RULE = gettext_lazy("there is no rule named %(name)s")


def field_error(loc: list[str | int], message: str) -> dict[str, list[dict[str, object]]]:
    return {"detail": [{"loc": loc, "msg": message, "type": "value_error"}]}


def install(api: NinjaAPI) -> None:
    @api.exception_handler(AuthenticationError)
    def not_signed_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(request, {"detail": str(NOT_SIGNED_IN)}, status=401)

    @api.exception_handler(Http404)
    def no_such_address(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": str(NOT_FOUND)}, status=404)

    @api.exception_handler(PermissionDenied)
    def denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api.create_response(request, {"detail": str(FORBIDDEN)}, status=403)

    @api.exception_handler(TooManyRequests)
    def too_many(request: HttpRequest, exc: TooManyRequests) -> HttpResponse:
        response = api.create_response(request, {"detail": exc.message()}, status=429)
        response["Retry-After"] = str(exc.wait)
        return response

    @api.exception_handler(NotAllowed)
    def not_allowed(request: HttpRequest, exc: NotAllowed) -> HttpResponse:
        return api.create_response(request, {"detail": translate_message(str(exc))}, status=403)

    @api.exception_handler(NotFound)
    def not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
        return api.create_response(request, {"detail": translate_message(str(exc))}, status=404)

    @api.exception_handler(ValidationFailed)
    def invalid_field(request: HttpRequest, exc: ValidationFailed) -> HttpResponse:
        loc: list[str | int] = ["body", *exc.field.split(".")]
        return api.create_response(request, field_error(loc, translate_message(exc.reason)), status=422)

    @api.exception_handler(RequestInvalid)
    def request_invalid(request: HttpRequest, exc: RequestInvalid) -> HttpResponse:
        """The schemas' refusals, each naming its field; the platform's own messages among them translated."""
        details = []
        for error in exc.errors:
            item = dict(error)
            if isinstance(item.get("msg"), str):
                bare = item["msg"].removeprefix("Value error, ")
                if (translated := translate_message(bare)) != bare:
                    item["msg"] = translated
            details.append(item)
        return api.create_response(request, {"detail": details}, status=422)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        detail = gettext("the request body is above %(limit)s bytes") % {"limit": limit}
        return api.create_response(request, {"detail": detail}, status=413)

    @api.exception_handler(RawPostDataException)
    def form_for_json(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
        """A JSON body sent as a form (multipart: its stream already read by the upload check), refused before any
        use case runs."""
        message = gettext("send the request body as JSON (Content-Type: application/json)")
        return api.create_response(request, field_error(["body"], message), status=415)

    @api.exception_handler(UnknownRule)
    def unknown_rule(request: HttpRequest, exc: UnknownRule) -> HttpResponse:
        return api.create_response(request, {"detail": str(UNKNOWN_RULE) % {"name": exc.name}}, status=404)

    @api.exception_handler(RuleError)
    def rule_error(request: HttpRequest, exc: RuleError) -> HttpResponse:
        if isinstance(exc, InvalidInput):
            loc: list[str | int] = ["body", "inputs", exc.field]
            message = exc.reason
        elif isinstance(exc, ParameterNotInForce):
            loc, message = ["body", "date"], str(exc)
        else:
            loc, message = ["body"], str(exc)
        return api.create_response(request, field_error(loc, translate_message(message)), status=422)
