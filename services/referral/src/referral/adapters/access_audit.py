"""The access audit (docs/domain.md §7, docs/security.md): every opening of a patient's identifiable
fields, every correction of them and every erasure, with who, in which role, which fields, when and
the request id. Not derived from events: it is kept only here. The writing is the runtime's
(`linkwell_runtime.audit`), shared with engagement."""

from __future__ import annotations

from linkwell_runtime.audit import record_access

# A correction of the referral's own entries (docs/domain.md §3.5): the entries' names, never values.
CORRECT_REFERRAL = "correct_referral"

__all__ = ["CORRECT_REFERRAL", "record_access"]
