"""The REST API (django-ninja): one NinjaAPI with a router per module, OpenAPI at /api/docs."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError as RequestInvalid

from masterplan.climate.api import ops as climate
from masterplan.core.api import API_AUTH, actor, declare, request_errors
from masterplan.core.models import Masterplan
from masterplan.core.permissions import Level
from masterplan.core.queries import visible_masterplans
from masterplan.core.services import StaleVersionError
from masterplan.directory.api import ops as directory
from masterplan.governance.api import ops as governance
from masterplan.indicators.api import ops as indicators
from masterplan.land.api import ops as land
from masterplan.permits.api import ops as permits
from masterplan.plans.api import ops as plans

api = NinjaAPI(
    title="Masterplan API",
    version="1",
    description=(
        "Read and write the data of a masterplan. Authenticate with `Authorization: Bearer "
        "<token>` (tokens are issued by an administrator) or with the browser session. "
        "Writes need the object's version, as `If-Match` header (the ETag of a GET) or as "
        "field `version`; a stale version is refused with 409 or 412."
    ),
    auth=API_AUTH,
    urls_namespace="api",
)


@api.exception_handler(StaleVersionError)
def stale_version(request: HttpRequest, exc: StaleVersionError) -> HttpResponse:
    status = 412 if request.headers.get("If-Match") else 409
    response = api.create_response(
        request, {"detail": str(exc), "current_version": exc.current.version}, status=status
    )
    response["ETag"] = f'"{exc.current.version}"'
    return response


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    if not actor(request).is_authenticated:
        return api.create_response(request, {"detail": "Authentication required."}, status=401)
    return api.create_response(request, {"detail": "Permission denied."}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(
        request, {"detail": "The data is not valid.", "errors": errors}, status=422
    )


@api.exception_handler(RequestInvalid)
def request_invalid(request: HttpRequest, exc: RequestInvalid) -> HttpResponse:
    """A request that does not fit the schema: the documented 422, errors by field."""
    return api.create_response(
        request,
        {"detail": "The data is not valid.", "errors": request_errors(exc.errors)},
        status=422,
    )


class MasterplanOut(Schema):
    slug: str
    name: str
    city: str
    ags: str
    publication: str


@api.get(
    "/plans", response=list[MasterplanOut], tags=["plans"], openapi_extra=declare(Level.PUBLIC)
)
def plan_list(request: HttpRequest) -> list[Masterplan]:
    """The masterplans this client may see."""
    return list(visible_masterplans(actor(request)))


api.add_router("/plans", directory.router)
api.add_router("/plans", plans.router)
api.add_router("/plans", governance.router)
api.add_router("/plans", indicators.router)
api.add_router("/plans", climate.router)
api.add_router("/plans", land.router)
api.add_router("/plans", permits.router)
