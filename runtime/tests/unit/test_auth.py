from datetime import UTC, datetime, timedelta

import jwt
import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from linkwell_runtime.auth import (
    ALL_AUDIENCES,
    Principal,
    Role,
    audience,
    decode_token,
    mint_for,
    mint_token,
    require_roles,
    subject_problem,
)
from linkwell_runtime.settings import PlatformSettings

SECRET = "x" * 40
REPORTING = audience("reporting")
LINK_WORKER = Principal(
    sub="lw-1",
    role=Role.LINK_WORKER,
    provider_id="0f6d3c4e-8d1b-4c59-9a55-6f1d2b7c9e01",
    link_worker_id="6b1f0a2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b",
)


def app_with_finance_route(environment: str = "test") -> FastAPI:
    app = FastAPI()
    app.state.settings = PlatformSettings(jwt_secret=SECRET, environment=environment, jwt_ttl_minutes=480)
    app.state.jwt_audience = REPORTING

    @app.get("/ledger")
    def ledger(who: Principal = Depends(require_roles(Role.FINANCE))) -> dict:
        return {"sub": who.sub}

    return app


def ledger_answer(token: str, environment: str = "test"):
    return TestClient(app_with_finance_route(environment)).get("/ledger", headers={"Authorization": f"Bearer {token}"})


def test_minted_token_decodes_to_the_same_principal():
    assert decode_token(mint_token(LINK_WORKER, SECRET, audience=REPORTING), SECRET, audience=REPORTING) == LINK_WORKER


def test_token_signed_with_another_secret_is_refused():
    with pytest.raises(PermissionError, match="invalid token"):
        decode_token(mint_token(LINK_WORKER, "y" * 40, audience=REPORTING), SECRET, audience=REPORTING)


def test_expired_token_is_refused():
    token = mint_token(LINK_WORKER, SECRET, audience=REPORTING, ttl=timedelta(seconds=-1))
    with pytest.raises(PermissionError, match="expired"):
        decode_token(token, SECRET, audience=REPORTING)


def test_token_for_another_service_is_refused():
    token = mint_token(LINK_WORKER, SECRET, audience=audience("referral"))
    with pytest.raises(PermissionError, match="not for this service"):
        decode_token(token, SECRET, audience=REPORTING)


def test_token_naming_several_services_is_accepted_by_each_of_them():
    token = mint_token(LINK_WORKER, SECRET, audience=ALL_AUDIENCES)
    for service in ("referral", "engagement", "directory", "reporting"):
        assert decode_token(token, SECRET, audience=audience(service)) == LINK_WORKER


def test_token_without_an_audience_is_refused():
    now = datetime.now(UTC)
    claims = {"sub": "fin-1", "role": "finance", "iss": "linkwell", "iat": now, "exp": now + timedelta(minutes=5)}
    token = jwt.encode(claims, SECRET, algorithm="HS256")
    with pytest.raises(PermissionError, match="MissingRequiredClaimError"):
        decode_token(token, SECRET, audience=REPORTING)


def test_token_living_longer_than_the_servers_cap_is_refused():
    token = mint_token(LINK_WORKER, SECRET, audience=REPORTING, ttl=timedelta(hours=9))
    with pytest.raises(PermissionError, match="lifetime is longer"):
        decode_token(token, SECRET, audience=REPORTING, max_ttl=timedelta(hours=8))
    assert decode_token(token, SECRET, audience=REPORTING, max_ttl=timedelta(hours=9)) == LINK_WORKER


def test_token_without_iat_is_refused_so_its_lifetime_cannot_be_hidden():
    claims = {"sub": "fin-1", "role": "finance", "iss": "linkwell", "aud": REPORTING}
    token = jwt.encode(claims | {"exp": datetime.now(UTC) + timedelta(minutes=5)}, SECRET, algorithm="HS256")
    with pytest.raises(PermissionError, match="MissingRequiredClaimError"):
        decode_token(token, SECRET, audience=REPORTING)


def test_token_issued_in_the_future_is_refused():
    later = datetime.now(UTC) + timedelta(hours=1)
    claims = {"sub": "fin-1", "role": "finance", "iss": "linkwell", "aud": REPORTING, "iat": later}
    token = jwt.encode(claims | {"exp": later + timedelta(minutes=5)}, SECRET, algorithm="HS256")
    with pytest.raises(PermissionError):
        decode_token(token, SECRET, audience=REPORTING)


def test_mint_for_uses_the_settings_secret_issuer_and_cap():
    settings = PlatformSettings(environment="test", jwt_secret=SECRET, jwt_issuer="other", jwt_ttl_minutes=30)
    claims = jwt.decode(
        mint_for(LINK_WORKER, settings, "reporting"), SECRET, algorithms=["HS256"], audience=REPORTING, issuer="other"
    )
    assert claims["exp"] - claims["iat"] == 30 * 60
    assert claims["aud"] == [REPORTING]


def test_link_worker_without_scope_claims_is_invalid():
    with pytest.raises(ValueError, match="scope"):
        Principal(sub="lw", role=Role.LINK_WORKER)


def test_route_without_token_answers_401():
    assert TestClient(app_with_finance_route()).get("/ledger").status_code == 401


def test_route_with_wrong_role_answers_403():
    assert ledger_answer(mint_token(LINK_WORKER, SECRET, audience=REPORTING)).status_code == 403


def test_route_with_right_role_answers():
    token = mint_token(Principal(sub="fin-1", role=Role.FINANCE), SECRET, audience=REPORTING)
    assert ledger_answer(token).json() == {"sub": "fin-1"}


def test_route_refuses_a_token_for_another_service_and_one_over_the_cap():
    finance = Principal(sub="fin-1", role=Role.FINANCE)
    assert ledger_answer(mint_token(finance, SECRET, audience=audience("referral"))).status_code == 401
    over_cap = mint_token(finance, SECRET, audience=REPORTING, ttl=timedelta(minutes=481))
    answer = ledger_answer(over_cap)
    assert answer.status_code == 401 and "lifetime" in answer.json()["detail"]


def test_outside_development_a_route_refuses_a_sub_that_names_no_person():
    for sub in ("finance", "fin-1", "demo-finance", "oidc:admin", "service:reporting", "console-finance"):
        token = mint_token(Principal(sub=sub, role=Role.FINANCE), SECRET, audience=REPORTING)
        answer = ledger_answer(token, environment="production")
        assert answer.status_code == 401, sub
    token = mint_token(
        Principal(sub="oidc:8f14e45f-ceea-467f-a0e6-7f1e2c3d4b5a", role=Role.FINANCE), SECRET, audience=REPORTING
    )
    assert ledger_answer(token, environment="production").json() == {"sub": "oidc:8f14e45f-ceea-467f-a0e6-7f1e2c3d4b5a"}


def test_in_development_any_sub_is_accepted():
    token = mint_token(Principal(sub="finance", role=Role.FINANCE), SECRET, audience=REPORTING)
    assert ledger_answer(token, environment="development").status_code == 200


def test_a_service_principal_is_named_service_colon_its_name():
    assert subject_problem(Principal(sub="service:commissioner-feed", role=Role.SERVICE)) is None
    assert subject_problem(Principal(sub="reporting", role=Role.SERVICE)) is not None
    assert subject_problem(Principal(sub="oidc:jane", role=Role.SERVICE)) is not None
    assert subject_problem(Principal(sub="service:feed", role=Role.OPERATOR)) is not None
    assert subject_problem(Principal(sub="email:jane.doe@nhs.net", role=Role.OPERATOR)) is None


def test_scope_ids_that_are_not_uuids_make_the_token_invalid():
    with pytest.raises(ValueError):
        Principal(sub="pm", role=Role.PROVIDER_MANAGER, provider_id="not-a-uuid")
