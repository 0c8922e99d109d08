"""What the referral routes depend on beyond the runtime's: its unit of work typed as the referral's,
and the roles each kind of change needs (object-level rules stay in the routes' `access`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from contracts.roles import Role
from linkwell_runtime import web
from linkwell_runtime.auth import Principal, require_roles
from referral.service_layer.unit_of_work import ReferralUnitOfWork

UowDep = Annotated[ReferralUnitOfWork, Depends(web.unit_of_work)]
Referrer = Annotated[Principal, Depends(require_roles(Role.REFERRER))]
MayDecline = Annotated[Principal, Depends(require_roles(Role.REFERRER, Role.LINK_WORKER, Role.PROVIDER_MANAGER))]
MayCorrect = Annotated[Principal, Depends(require_roles(Role.REFERRER, Role.LINK_WORKER, Role.PROVIDER_MANAGER))]
# Withdrawal undoes a referral: those who make and triage referrals, not the link worker holding the case.
MayWithdraw = Annotated[Principal, Depends(require_roles(Role.REFERRER, Role.PROVIDER_MANAGER))]
# The referral's own entries: those who make and triage referrals (the link worker asks them).
MayCorrectEntries = Annotated[Principal, Depends(require_roles(Role.REFERRER, Role.PROVIDER_MANAGER))]
Operator = Annotated[Principal, Depends(require_roles(Role.OPERATOR))]
Staffing = Annotated[Principal, Depends(require_roles(Role.OPERATOR, Role.PROVIDER_MANAGER))]
