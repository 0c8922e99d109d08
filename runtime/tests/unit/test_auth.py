from datetime import timedelta

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from linkwell_runtime.auth import Principal, Role, decode_token, mint_token, require_roles
from linkwell_runtime.settings import PlatformSettings

SECRET = "x" * 40
LINK_WORKER = Principal(
    sub="lw-1",
    role=Role.LINK_WORKER,
    provider_id="0f6d3c4e-8d1b-4c59-9a55-6f1d2b7c9e01",
    link_worker_id="6b1f0a2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b",
)


def app_with_finance_route() -> FastAPI:
    app = FastAPI()
    app.state.settings = PlatformSettings(jwt_secret=SECRET)

    @app.get("/ledger")
    def ledger(who: Principal = Depends(require_roles(Role.FINANCE))) -> dict:
        return {"sub": who.sub}

    return app


def test_minted_token_decodes_to_the_same_principal():
    assert decode_token(mint_token(LINK_WORKER, SECRET), SECRET) == LINK_WORKER


def test_token_signed_with_another_secret_is_refused():
    with pytest.raises(PermissionError, match="invalid token"):
        decode_token(mint_token(LINK_WORKER, "y" * 40), SECRET)


def test_expired_token_is_refused():
    with pytest.raises(PermissionError, match="expired"):
        decode_token(mint_token(LINK_WORKER, SECRET, ttl=timedelta(seconds=-1)), SECRET)


def test_link_worker_without_scope_claims_is_invalid():
    with pytest.raises(ValueError, match="scope"):
        Principal(sub="lw", role=Role.LINK_WORKER)


def test_route_without_token_answers_401():
    assert TestClient(app_with_finance_route()).get("/ledger").status_code == 401


def test_route_with_wrong_role_answers_403():
    token = mint_token(LINK_WORKER, SECRET)
    response = TestClient(app_with_finance_route()).get("/ledger", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403


def test_route_with_right_role_answers():
    token = mint_token(Principal(sub="fin-1", role=Role.FINANCE), SECRET)
    response = TestClient(app_with_finance_route()).get("/ledger", headers={"Authorization": f"Bearer {token}"})
    assert response.json() == {"sub": "fin-1"}


def test_scope_ids_that_are_not_uuids_make_the_token_invalid():
    with pytest.raises(ValueError):
        Principal(sub="pm", role=Role.PROVIDER_MANAGER, provider_id="not-a-uuid")
