"""Linkwell referral service: a GP practice's referral from intake to discharge (DOMAIN §2-3)."""
