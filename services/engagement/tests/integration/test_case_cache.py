"""The folded-case cache never answers for a case that is not what the store holds: writes by another
process are folded in, and a command whose transaction rolled back is forgotten."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from engagement_testkit import NOW, PROVIDER, WORKER

from engagement.adapters.case_cache import CaseCache
from engagement.domain import InvalidCommand
from engagement.service_layer import handlers
from engagement.service_layer.unit_of_work import EngagementUnitOfWork
from linkwell_runtime import db
from linkwell_runtime.auth import Principal, Role
from linkwell_runtime.testing import query

WHO = Principal(sub="lw-1", role=Role.LINK_WORKER, provider_id=str(PROVIDER), link_worker_id=str(WORKER))


class Process:
    """One API process's view: its own connection and its own cache."""

    def __init__(self, settings, cache_size: int = 100) -> None:
        self.settings, self.cache = settings, CaseCache(cache_size)
        self.conn = db.connect(settings.database_url)

    def contact(self, case_id, day: int, *, commit: bool = True) -> dict:
        cur = self.conn.cursor()
        try:
            answer = handlers.record_contact(
                self._uow(cur),
                WHO,
                case_id,
                occurred_at=datetime(2024, 6, day, 10, tzinfo=UTC),
                mode="telephone",
                duration_minutes=20,
                attended=True,
                venue=None,
            )
        except Exception:
            self.conn.rollback()
            raise
        self.conn.commit() if commit else self.conn.rollback()
        return answer

    def discharge(self, case_id, day: int) -> None:
        with db.transaction(self.conn) as cur:
            handlers.discharge(
                self._uow(cur), WHO, case_id, reason="goals_met", discharged_on=datetime(2024, 6, day).date()
            )

    def _uow(self, cur) -> EngagementUnitOfWork:
        return EngagementUnitOfWork(cur=cur, settings=self.settings, now=NOW, cases=self.cache)


@pytest.fixture
def processes(settings):
    made = [Process(settings), Process(settings)]
    yield made
    for p in made:
        p.conn.close()


def stored(settings, case_id) -> list[str]:
    """The case's event types in version order."""
    return [
        r[0]
        for r in query(
            settings.database_url,
            "SELECT event_type FROM events WHERE aggregate_id = %s ORDER BY aggregate_version",
            (str(case_id),),
        )
    ]


def test_a_cached_case_sees_what_another_process_wrote_since(settings, open_case, processes):
    a, b = processes
    case_id = open_case()
    a.contact(case_id, 5)  # a caches the case after its contact
    b.contact(case_id, 6)
    b.discharge(case_id, 7)
    with pytest.raises(InvalidCommand):  # a folds b's discharge in rather than trusting its copy
        a.contact(case_id, 8)
    assert stored(settings, case_id).count("ContactRecorded") == 2
    assert stored(settings, case_id)[-1] == "CaseDischarged"
    assert a.cache.get(case_id)[0].version == len(stored(settings, case_id))


def test_a_rolled_back_command_is_not_served_from_the_cache(settings, open_case, processes):
    a, _ = processes
    case_id = open_case()
    a.contact(case_id, 5)
    a.contact(case_id, 6, commit=False)  # cached at version 3, then rolled back
    assert a.contact(case_id, 7)["case_status"] == "contacted"
    assert stored(settings, case_id).count("ContactRecorded") == 2
    assert a.cache.get(case_id)[0].attended_contacts_count == 2
    assert a.cache.get(case_id)[0].version == len(stored(settings, case_id))


def test_a_rolled_back_command_whose_version_another_process_took_is_refolded(settings, open_case, processes):
    a, b = processes
    case_id = open_case()
    a.contact(case_id, 5)
    a.contact(case_id, 6, commit=False)  # a's cache: version 3 with an event the store never kept
    b.discharge(case_id, 7)  # the store's version 3 is b's discharge
    with pytest.raises(InvalidCommand):
        a.contact(case_id, 8)
    assert a.cache.get(case_id)[0].status.value == "discharged"


def test_the_cache_keeps_only_the_most_recently_used_cases(settings, open_case):
    p = Process(settings, cache_size=2)
    try:
        first, second, third = open_case(), open_case(), open_case()
        for case_id in (first, second, first, third):
            p.contact(case_id, 5)
        assert p.cache.get(second) is None and p.cache.get(first) and p.cache.get(third)
    finally:
        p.conn.close()
