"""The JSON API under /api/v1 (django-ninja, OpenAPI at /api/v1/openapi.json).

Every app adds its router here.  Errors are structured: ``{"error": code, "errors": [{"field", "message"}]}``,
every ``field`` in the one path syntax of the case format: ``case.events[0].date`` (:func:`error_path`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

api = NinjaAPI(
    title="晋创通 JinChuang API",
    version="1",
    description="晋创谷政策计算、政策库与申报服务接口。金额单位为元, 以字符串表示, 精确到分。",
    urls_namespace="api",
)


def error_path(loc: Iterable[object]) -> str:
    """A pydantic location as the case format names fields: ('case', 'events', 0, 'date') → 'case.events[0].date'."""
    path = ""
    for part in loc:
        if isinstance(part, int) and not isinstance(part, bool):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "$"


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for err in exc.errors:
        loc = [p for p in err.get("loc", []) if p not in ("body", "payload")]
        if len(loc) > 1 and loc[0] in ("form", "file"):  # a multipart field: named as sent (source, file)
            loc = loc[1:]
        errors.append({"field": error_path(loc), "message": str(err.get("msg", "invalid"))})
    return api.create_response(request, {"error": "invalid_request", "errors": errors}, status=422)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        429: "too_many_requests",
    }.get(exc.status_code, "error")
    field = "$body" if exc.status_code == 400 else "$"
    return api.create_response(
        request, {"error": code, "errors": [{"field": field, "message": str(exc.message)}]}, status=exc.status_code
    )


def _register_routers() -> None:
    from jinchuang.calculator.api import router as calculator_router
    from jinchuang.policies.api import router as policies_router

    api.add_router("/", calculator_router)
    api.add_router("/", policies_router)
    api.add_router("/", "jinchuang.applications.api.api.router")
    # the organisation record's API (the backbone imports no business area: the token auth is given here)
    from jinchuang.applications.api.auth import ApiTokenAuth

    # department data import, before the record's /records/{organisation_id} so that "imports" is not read as an id
    api.add_router("/records/imports", "jinchuang.records.api.imports.router", auth=ApiTokenAuth())
    api.add_router("/", "jinchuang.records.api.api.router", auth=ApiTokenAuth())
    # the calculator from the caller's record (an organisation member, by API token)
    api.add_router("/", "jinchuang.calculator.api.record_router", auth=ApiTokenAuth())


_register_routers()
