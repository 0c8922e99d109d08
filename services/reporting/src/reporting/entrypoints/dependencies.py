"""What reporting's routes share: the unit of work, who may read or write what, the provider scope,
the export format."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import Depends, Query

from linkwell_runtime import web
from linkwell_runtime.auth import Principal, Role, require_roles
from linkwell_runtime.refusals import Forbidden
from reporting.service_layer.unit_of_work import ReportingUnitOfWork

Uow = Annotated[ReportingUnitOfWork, Depends(web.unit_of_work)]
Format = Annotated[Literal["json", "csv", "xlsx"], Query(alias="format", description="json, csv or xlsx")]

LedgerReader = Annotated[Principal, Depends(require_roles(Role.FINANCE, Role.PROVIDER_MANAGER))]
FinanceOnly = Annotated[Principal, Depends(require_roles(Role.FINANCE))]
# commissioner data is a finance input only: an upload's answer says which lines matched a patient
Uploader = Annotated[Principal, Depends(require_roles(Role.FINANCE))]
MetricsReader = Annotated[Principal, Depends(require_roles(Role.FINANCE, Role.OPERATOR, Role.PROVIDER_MANAGER))]


class OtherProvider(Forbidden):
    def __init__(self) -> None:
        super().__init__("a provider manager sees only their own provider")


def scoped_provider(principal: Principal, provider_id: UUID | None) -> UUID | None:
    """A provider manager sees only their own provider; asking for another is 403."""
    if principal.role == Role.PROVIDER_MANAGER:
        own = UUID(principal.provider_id or "")  # a provider manager's token always names one
        if provider_id is not None and provider_id != own:
            raise OtherProvider()
        return own
    return provider_id
