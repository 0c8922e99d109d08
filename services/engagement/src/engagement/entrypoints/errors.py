"""The domain's refusals as problem details; the runtime answers its own (NotFound, Forbidden, a lost
race, a reused Idempotency-Key, ...) and the service layer's are the runtime's (CaseNotFound is a NotFound)."""

from __future__ import annotations

from engagement.domain import InvalidCommand, NotFound, ValidationFailed
from linkwell_runtime.http_refusals import Refusal
from linkwell_runtime.problems import body_field_problems

REFUSALS: dict[type[Exception], Refusal] = {
    ValidationFailed: lambda exc: body_field_problems((p.field, p.message) for p in exc.problems),  # 422, per field
    NotFound: 404,  # no such goal, Star or linkage in the case
    InvalidCommand: 409,  # the case's state or history forbids it (closed, a transition, an ordering)
}
