"""Linkwell referral service: a GP practice's referral from intake to discharge (docs/domain.md §2-3)."""
