"""Commissioner data: hospital activity and comparison costs as CSV, with every bad row listed, and the
accepted uploads (newest first, from the reporting service; counts only)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from console.adapters.platform_api import ApiRefused, PlatformApi
from console.domain.access import Area
from console.entrypoints.web import ApiDep, CsrfDep, ServicesDep, area, render

router = APIRouter(tags=["uploads"], dependencies=[area(Area.UPLOADS)])
KINDS = {"hospital-activity": "Hospital activity", "comparison-costs": "Comparison costs"}
HISTORY_KINDS = {"hospital_activity": "Hospital activity", "comparison_costs": "Comparison costs"}
CSV_TYPES = ("text/csv", "text/plain", "application/csv", "application/vnd.ms-excel", "")


@router.get("/uploads", response_class=HTMLResponse, summary="Commissioner data")
def uploads_page(request: Request, api: ApiDep) -> Response:
    return _page(request, api, 200, problems={}, result=None, errors=[])


@router.post("/uploads", response_class=HTMLResponse, summary="Upload a commissioner file", dependencies=[CsrfDep])
async def upload(
    request: Request,
    api: ApiDep,
    svc: ServicesDep,
    kind: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    problems: dict[str, str] = {}
    if kind not in KINDS:
        problems["kind"] = "Choose what the file holds"
    content = b""
    if file is None or not file.filename:
        problems["file"] = "Choose a CSV file to upload"
    else:
        content = await file.read(svc.settings.max_upload_bytes + 1)
        problems |= _file_problems(file, content, svc.settings.max_upload_bytes)
    if problems:
        return _page(request, api, 422, problems=problems, result=None, errors=[], kind=kind)
    try:
        result = api.upload(kind, content, str(uuid.uuid4()))
    except ApiRefused as refused:
        errors = refused.errors or [{"msg": refused.detail}]
        return _page(request, api, 422, problems={}, result=None, errors=errors, kind=kind)
    return _page(request, api, 201, problems={}, result=result, errors=[], kind=kind)


def _page(request: Request, api: PlatformApi, status: int, **context: Any) -> Response:
    history = api.uploads()
    return render(request, "uploads.html", status, kinds=KINDS, history=history, history_kinds=HISTORY_KINDS, **context)


def _file_problems(file: UploadFile, content: bytes, limit: int) -> dict[str, str]:
    name = (file.filename or "").lower()
    media = (file.content_type or "").split(";")[0].strip().lower()
    if len(content) > limit:
        return {"file": f"The file is larger than {limit // (1024 * 1024)} MB: split it by period"}
    if not name.endswith(".csv") or media not in CSV_TYPES:
        return {"file": "The file must be a CSV file (.csv)"}
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return {"file": "The file must be CSV text in UTF-8 (save it from the spreadsheet as CSV UTF-8)"}
    if not content.strip():
        return {"file": "The file is empty"}
    return {}
