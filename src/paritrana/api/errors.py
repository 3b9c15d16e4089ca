"""Domain errors as HTTP answers: 403, 404 and 422 naming the field, in the caller's language (the language
cookie; Bahasa Indonesia by default); never a 500 for bad input."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import ValidationError as RequestInvalid

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


def field_error(loc: list[str | int], message: str) -> dict[str, list[dict[str, object]]]:
    return {"detail": [{"loc": loc, "msg": message, "type": "value_error"}]}


def install(api: NinjaAPI) -> None:
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
        return api.create_response(request, {"detail": str(exc)}, status=404)

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
