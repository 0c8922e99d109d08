"""FastAPI dependencies of the directory's routes: its services, its unit of work, the page size."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from directory.domain.errors import ValidationFailed
from directory.service_layer.unit_of_work import DirectoryServices, DirectoryUnitOfWork
from linkwell_runtime import web

ServicesDep = Annotated[DirectoryServices, Depends(web.services)]
UowDep = Annotated[DirectoryUnitOfWork, Depends(web.unit_of_work)]


def page_size(
    services: ServicesDep,
    per_page: Annotated[int | None, Query(ge=1, description="Results per page (default 50, at most 200)")] = None,
) -> int:
    """`per_page`, or the configured default; above the configured maximum is 422."""
    settings = services.settings
    if per_page is None:
        return settings.default_per_page
    if per_page > settings.max_per_page:
        raise ValidationFailed.field(("query", "per_page"), f"at most {settings.max_per_page}", "less_than_equal")
    return per_page


PageSize = Annotated[int, Depends(page_size)]
