"""Mint a token signed with the platform's JWT_SECRET (ENVIRONMENT must be set, like every process).

    python -m linkwell_runtime.tokens --role referrer --practice A86001            (every API)
    linkwell tokens --role service --sub service:commissioner-feed --audience reporting

The token names the APIs it is for (`--audience`, repeatable; default every platform API) and lives
`--hours` (default and most: JWT_TTL_MINUTES, which every API enforces). Outside development and test
`--sub` must name an accountable principal (docs/security.md): a person as `<idp>:<id>`, a service as
`service:<name>`. Exit 0 with the token on stdout, 2 when refused (the reason on stderr).
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta

from pydantic import ValidationError

from linkwell_runtime.auth import PLATFORM_SERVICES, Principal, Role, mint_for, subject_problem
from linkwell_runtime.settings import PlatformSettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="linkwell tokens", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--role", required=True, choices=[r.value for r in Role])
    parser.add_argument("--sub", help="subject (default in development and test: the role name)")
    parser.add_argument("--practice")
    parser.add_argument("--provider-id")
    parser.add_argument("--link-worker-id")
    parser.add_argument(
        "--audience", action="append", choices=PLATFORM_SERVICES, help="an API the token is for (default: all)"
    )
    parser.add_argument("--hours", type=float, help="lifetime (default and most: JWT_TTL_MINUTES)")
    args = parser.parse_args(argv)
    try:
        settings = PlatformSettings()
        principal = Principal(
            sub=args.sub or args.role,
            role=Role(args.role),
            practice=args.practice,
            provider_id=args.provider_id,
            link_worker_id=args.link_worker_id,
        )
    except (ValidationError, ValueError) as exc:
        print(f"linkwell tokens: {_first_error(exc)}", file=sys.stderr)
        return 2
    cap = timedelta(minutes=settings.jwt_ttl_minutes)
    ttl = cap if args.hours is None else timedelta(hours=args.hours)
    if ttl > cap:
        print(f"linkwell tokens: --hours is longer than JWT_TTL_MINUTES ({settings.jwt_ttl_minutes})", file=sys.stderr)
        return 2
    if not settings.development and (problem := subject_problem(principal)) is not None:
        print(f"linkwell tokens: refused outside development: {problem}", file=sys.stderr)
        return 2
    print(mint_for(principal, settings, *(args.audience or ()), ttl=ttl))
    return 0


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        return str(error["msg"]).removeprefix("Value error, ")
    return str(exc)


if __name__ == "__main__":
    sys.exit(main())
