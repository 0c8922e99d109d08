"""Hospital activity upload: `nhs_number, activity_type, activity_date, cost_pence`, one row per
hospital episode. NHS numbers are matched through the keyed pseudonym the referral service
publishes (on `linkwell.referral.patient-pseudonyms.v1`, `contracts.patient_pseudonyms`): the caller passes the pseudonymise
function and the pseudonym → patient lookup, so no NHS number is kept. Rows for unknown patients
are counted, not applied. Any bad row rejects the whole upload (`CsvRejected`, every error listed).

The commissioner's files have no row key (docs/domain.md §6.4 gives none), so a file sent twice, or a period sent
again with a few more rows, would count the same hospital episodes twice. A row identical (patient,
type, date, cost) to one already applied from an earlier upload is taken as re-sent and not applied
again: as many of them as were applied before (a multiset, so two genuine identical episodes in one
file both count). Re-sending a file is also how rows for patients referred since are matched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from uuid import UUID

from contracts.nhs_number import InvalidNhsNumber, Reason, normalise_nhs_number
from reporting.domain.commissioner_data import ActivityRow, ActivityType, row_id
from reporting.domain.csv_upload import non_negative_pence, read_rows
from reporting.domain.errors import CsvRejected, RowError

COLUMNS = ("nhs_number", "activity_type", "activity_date", "cost_pence")
# The platform's NHS number rule (dashes allowed: these files come from another system), in the
# words the commissioner's data team reads in an upload's errors.
NHS_NUMBER_PROBLEMS: dict[Reason, str] = {
    "format": "must be 10 digits",
    "length": "must be 10 digits",
    "checksum": "check digit is wrong",
}


@dataclass(frozen=True)
class ActivityUpload:
    upload_id: UUID
    rows: tuple[ActivityRow, ...]  # matched to a known patient: applied
    unmatched_lines: tuple[int, ...]  # valid rows for NHS numbers the platform does not know
    resent_lines: tuple[int, ...] = ()  # rows applied already from an earlier upload: not again


ActivityKey = tuple[UUID, ActivityType, date, int]
ParsedRow = tuple[str, ActivityType, date, int]  # NHS number (digits only), type, date, pence


def activity_key(row: ActivityRow) -> ActivityKey:
    return row.patient_id, row.activity_type, row.activity_date, row.cost_pence


def without_resent(upload: ActivityUpload, applied_before: Counter[ActivityKey]) -> ActivityUpload:
    """The upload minus rows already applied from earlier uploads (`applied_before`: how many rows
    of each key are stored), earliest lines taken as the re-sent ones."""
    left = Counter(applied_before)
    kept, resent = [], []
    for row in upload.rows:
        key = activity_key(row)
        if left[key] > 0:
            left[key] -= 1
            resent.append(row.line)
        else:
            kept.append(row)
    return replace(upload, rows=tuple(kept), resent_lines=tuple(resent))


def parse_hospital_activity(
    text: str,
    *,
    upload_id: UUID,
    recorded_at: datetime,
    pseudonymise: Callable[[str], str],
    patient_for_pseudonym: Mapping[str, UUID],
    not_before: date | None = None,
) -> ActivityUpload:
    """`not_before`: the programme's start (`programme_start(rulebooks)`); an activity dated before
    it is covered by no rulebook and refused."""
    errors: list[RowError] = []
    rows: list[ActivityRow] = []
    unmatched: list[int] = []
    for line, raw in read_rows(text, COLUMNS, errors):
        parsed = _parse_row(line, raw, errors, not_before)
        if parsed is None:
            continue
        nhs_number, kind, day, cost = parsed
        patient_id = patient_for_pseudonym.get(pseudonymise(nhs_number))
        if patient_id is None:
            unmatched.append(line)
            continue
        rows.append(ActivityRow(row_id(upload_id, line), upload_id, line, patient_id, kind, day, cost, recorded_at))
    if errors:
        raise CsvRejected(errors)
    return ActivityUpload(upload_id, tuple(rows), tuple(unmatched))


def _parse_row(line: int, raw: dict[str, str], errors: list[RowError], not_before: date | None) -> ParsedRow | None:
    nhs_number = _nhs_number(line, raw["nhs_number"], errors)
    kind = _activity_type(line, raw["activity_type"], errors)
    day = _iso_date(line, raw["activity_date"], errors)
    if day is not None and not_before is not None and day < not_before:
        errors.append(RowError(line, "activity_date", before_programme(not_before)))
        day = None
    cost = non_negative_pence(line, "cost_pence", raw["cost_pence"], errors)
    if nhs_number is None or kind is None or day is None or cost is None:
        return None
    return nhs_number, kind, day, cost


def before_programme(start: date) -> str:
    return f"must not be before the programme's start, {start.isoformat()} (no rulebook covers it)"


def _nhs_number(line: int, value: str, errors: list[RowError]) -> str | None:
    try:
        return normalise_nhs_number(value, dashes=True)
    except InvalidNhsNumber as exc:
        errors.append(RowError(line, "nhs_number", NHS_NUMBER_PROBLEMS[exc.reason]))
        return None


def _activity_type(line: int, value: str, errors: list[RowError]) -> ActivityType | None:
    try:
        return ActivityType(value)
    except ValueError:
        errors.append(RowError(line, "activity_type", "must be one of admission, ae, outpatient"))
        return None


def _iso_date(line: int, value: str, errors: list[RowError]) -> date | None:
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        errors.append(RowError(line, "activity_date", "must be a date YYYY-MM-DD"))
        return None
