"""The programme's start that referral and engagement refuse earlier business dates against
(`contracts.programme.PROGRAMME_START`) is the day reporting's earliest rulebook takes effect
(docs/domain.md §6.1): were they to differ, a date one service accepts could be one no rulebook covers."""

from __future__ import annotations

from contracts.programme import PROGRAMME_START
from reporting.domain import load_packaged_rulebooks, programme_start


def test_the_shared_programme_start_is_the_earliest_rulebooks_effective_date():
    assert programme_start(load_packaged_rulebooks()) == PROGRAMME_START
