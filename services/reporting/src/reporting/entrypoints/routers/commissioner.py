"""POST /commissioner/hospital-activity and /commissioner/comparison-costs: CSV uploads, all or nothing;
GET /commissioner/uploads: what was accepted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from linkwell_runtime import web
from linkwell_runtime.auth import Principal, Role, require_roles
from linkwell_runtime.problems import responses
from linkwell_runtime.refusals import InvalidFields
from reporting.entrypoints.dependencies import Uow, Uploader
from reporting.entrypoints.schemas import ComparisonCostsAccepted, HospitalActivityAccepted, Items, UploadSummary
from reporting.service_layer import commissioner
from reporting.service_layer.unit_of_work import ReportingUnitOfWork

router = APIRouter(prefix="/commissioner", tags=["commissioner"])

CSV_TYPES = ("text/csv", "text/plain", "application/csv")
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # a quarter's activity for the whole programme is a few MB
_CSV_BODY = {
    "requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}},
    "x-max-body-bytes": MAX_UPLOAD_BYTES,
}


async def csv_text(request: Request) -> str:
    """The request body as UTF-8 CSV text (422 on the header or body otherwise)."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in CSV_TYPES:
        raise InvalidFields([(["header", "Content-Type"], f"send the CSV as {CSV_TYPES[0]}")])
    raw = await request.body()
    if len(raw) > MAX_UPLOAD_BYTES:
        raise InvalidFields([(["body"], f"larger than {MAX_UPLOAD_BYTES} bytes: split the upload by period")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidFields([(["body"], "the CSV must be UTF-8 text")]) from None


CsvText = Annotated[str, Depends(csv_text)]
UploadHistoryReader = Annotated[Principal, Depends(require_roles(Role.FINANCE, Role.OPERATOR))]


@router.post(
    "/hospital-activity",
    status_code=201,
    summary="Upload hospital activity (CSV)",
    response_model=HospitalActivityAccepted,
    responses=responses(401, 403, 409, 422),
    openapi_extra=_CSV_BODY,
)
def upload_hospital_activity(
    principal: Uploader, text: CsvText, request: Request, uow: Uow, idempotency_key: web.IdempotencyKey = None
) -> Response:
    """CSV `nhs_number, activity_type, activity_date, cost_pence`: every row valid or nothing applied (422
    lists each bad row's line). Rows for NHS numbers nobody was referred with are counted, not applied."""
    return _upload(uow, request, principal, idempotency_key, text, commissioner.upload_hospital_activity)


@router.post(
    "/comparison-costs",
    status_code=201,
    summary="Upload comparison costs (CSV)",
    response_model=ComparisonCostsAccepted,
    responses=responses(401, 403, 409, 422),
    openapi_extra=_CSV_BODY,
)
def upload_comparison_costs(
    principal: Uploader, text: CsvText, request: Request, uow: Uow, idempotency_key: web.IdempotencyKey = None
) -> Response:
    """CSV `quarter, per_head_cost_pence`; a later upload for a quarter supersedes earlier ones."""
    return _upload(uow, request, principal, idempotency_key, text, commissioner.upload_comparison_costs)


@router.get(
    "/uploads",
    summary="The accepted uploads, newest first",
    response_model=Items[UploadSummary],
    responses=responses(401, 403),
)
def list_uploads(principal: UploadHistoryReader, uow: Uow) -> dict[str, Any]:
    """Each accepted upload's id, kind, moment and counts (applied, unknown NHS number, already
    uploaded) and, for comparison costs, its quarters. Counts only: no rows, no patient identifiers."""
    return {"items": commissioner.history(uow)}


def _upload(
    uow: ReportingUnitOfWork,
    request: Request,
    principal: Principal,
    key: str | None,
    text: str,
    upload: Callable[[ReportingUnitOfWork, str], dict[str, Any]],
) -> Response:
    """The same Idempotency-Key and file replay the first answer; the role is the whole access rule."""
    return web.idempotent_write(uow, request, principal, key, text, lambda: (201, upload(uow, text)), access=None)
