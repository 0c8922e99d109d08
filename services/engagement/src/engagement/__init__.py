"""Linkwell engagement service: the link worker's case for one allocated referral."""
