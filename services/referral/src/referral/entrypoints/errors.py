"""The referral domain's refusals as HTTP answers (problem details); the runtime answers its own
(`NotFound` 404, `Forbidden` 403, `Conflict` 409, `Invalid` 422) and the request's."""

from __future__ import annotations

from collections.abc import Mapping

from linkwell_runtime.http_refusals import Refusal
from linkwell_runtime.problems import body_field_problems
from referral.domain import InvalidCommand, InvalidTransition, MalformedReferral

REFUSALS: Mapping[type[Exception], Refusal] = {
    # every malformed field at once, named as the request names it (`referrer.role`, `conditions[0]`)
    MalformedReferral: lambda exc: body_field_problems((p.field, p.message) for p in exc.problems),
    InvalidTransition: 409,  # the lifecycle forbids the move from the referral's status
    InvalidCommand: 409,  # contradicts the referral's history (e.g. dated before its last change)
}
