"""The loader's pure helpers: category names, tokens, the summary."""

from __future__ import annotations

from linkwell_demo.load import Summary, category_of, format_summary
from linkwell_demo.tokens import TokenMinter
from linkwell_runtime.auth import Role, audience, decode_token


def test_directory_terms_map_to_the_domain_categories():
    assert category_of("Weight management healthy eating") == "weight_management_healthy_eating"
    assert category_of("Nhs services") == "nhs_services"
    assert category_of("Long-term condition management") == "long_term_condition_management"
    assert category_of("Walking groups") is None


def test_tokens_carry_the_scope_each_role_needs():
    minter = TokenMinter()
    secret, issuer = minter.settings.jwt_secret, minter.settings.jwt_issuer
    referrer = decode_token(minter.referrer("A85001"), secret, issuer=issuer, audience=audience("referral"))
    assert referrer.role is Role.REFERRER and referrer.practice == "A85001"
    provider, link_worker = "0f6d3c4e-8d1b-4c59-9a55-6f1d2b7c9e01", "6b1f0a2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
    worker = decode_token(
        minter.link_worker(provider, link_worker), secret, issuer=issuer, audience=audience("engagement")
    )
    assert (worker.role, worker.provider_id, worker.link_worker_id) == (Role.LINK_WORKER, provider, link_worker)
    assert minter.referrer("A85001") == minter.referrer("A85001")  # cached


def test_the_summary_names_counts_and_refusals():
    summary = Summary(http_calls=12, reporting="reporting not reachable: skipped", elapsed=1.5)
    summary.add("referral_status", "allocated", 3)
    summary.add("counts", "referrals", 3)
    summary.error("decline refused (409)", "POST /referrals/x/decline -> 409")
    text = format_summary(summary)
    assert "12 HTTP calls" in text and "allocated 3" in text and "reporting not reachable: skipped" in text
    assert "1 x decline refused (409)" in text
