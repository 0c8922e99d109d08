"""Ops CLI: mint development tokens. `python -m linkwell_runtime.tokens --role referrer --practice A86001`"""

from __future__ import annotations

import argparse
from datetime import timedelta

from linkwell_runtime.auth import Principal, Role, mint_token
from linkwell_runtime.settings import PlatformSettings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--role", required=True, choices=[r.value for r in Role])
    parser.add_argument("--sub", help="subject (default: the role name)")
    parser.add_argument("--practice")
    parser.add_argument("--provider-id")
    parser.add_argument("--link-worker-id")
    parser.add_argument("--hours", type=float, default=8.0)
    args = parser.parse_args(argv)
    settings = PlatformSettings()
    principal = Principal(
        sub=args.sub or args.role,
        role=Role(args.role),
        practice=args.practice,
        provider_id=args.provider_id,
        link_worker_id=args.link_worker_id,
    )
    print(mint_token(principal, settings.jwt_secret, issuer=settings.jwt_issuer, ttl=timedelta(hours=args.hours)))


if __name__ == "__main__":
    main()
