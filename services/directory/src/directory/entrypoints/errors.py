"""The directory's refusals as problem details (the runtime answers everything else the same way)."""

from __future__ import annotations

from directory.domain.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from linkwell_runtime.http_refusals import Refusal
from linkwell_runtime.problems import problem

REFUSALS: dict[type[Exception], Refusal] = {
    NotFound: 404,
    NotAllowed: 403,
    Conflict: 409,
    ValidationFailed: lambda exc: problem(422, errors=exc.errors),
}
