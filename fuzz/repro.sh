#!/usr/bin/env bash
# One minimal reproducer per distinct 5xx found by the fuzzing (see fuzz/README.md).
# Every request here is bad input: the house rule says each must answer 4xx and change nothing.
# Prints "BUG" for every 5xx.  Usage: fuzz/repro.sh   (platform running via `make up`)
set -u
cd "$(dirname "$0")/.."
PY=.venv/bin/python
tok() { $PY -m linkwell_runtime.tokens "$@"; }
REF=$(tok --role referrer --practice A85001); OP=$(tok --role operator); FIN=$(tok --role finance)
LW=$($PY -m linkwell_demo tokens | grep -A1 'link_worker (' | tail -1 | tr -d ' ')
CASE=$(curl -s -H "Authorization: Bearer $LW" http://127.0.0.1:8002/cases | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["case_id"])')
LWID=$(curl -s -H "Authorization: Bearer $OP" http://127.0.0.1:8001/link-workers | python3 -c '
import json,sys; d=json.load(sys.stdin); d=d.get("items",d) if isinstance(d,dict) else d; print(d[0].get("link_worker_id") or d[0].get("id"))')
PM_BAD=$(tok --role provider_manager --provider-id not-a-uuid)
NOW1H=$(date -u -d '-1 hour' +%FT%TZ)
fails=0
t() { # id token method url [body] [content-type]
  local id=$1 tk=$2 m=$3 url=$4 body=${5-} ct=${6:-application/json} code
  if [ -n "$body" ]; then
    code=$(curl -s -o "${TMPDIR:-/var/tmp}/repro.out" -w '%{http_code}' -X "$m" -H "Authorization: Bearer $tk" -H "Content-Type: $ct" "$url" --data-binary "$body")
  else
    code=$(curl -s -o "${TMPDIR:-/var/tmp}/repro.out" -w '%{http_code}' -X "$m" -H "Authorization: Bearer $tk" "$url")
  fi
  if [ "$code" -ge 500 ]; then fails=$((fails+1)); echo "BUG $code  $id  $m $url"; else echo "ok  $code  $id"; fi
}
R=http://127.0.0.1:8001 E=http://127.0.0.1:8002 D=http://127.0.0.1:8003 P=http://127.0.0.1:8004
# 1 non-finite JSON numbers (1e999 / NaN / Infinity) crash FastAPI's default 422 handler — every service
t 1a-referral  "$OP"  POST  "$R/providers" '{"name": 1e999}'
t 1b-engage    "$LW"  POST  "$E/cases/$CASE/goals" '{"description": NaN, "star_areas": []}'
t 1c-directory "$OP"  POST  "$D/organizations" '{"name": "x", "description": Infinity}'
t 1d-reporting "$FIN" POST  "$P/claims" '{"period": 1e999}'
# 2 NUL in a JSON string that lands in the event store (jsonb: "unsupported Unicode escape sequence")
t 2a-referral  "$REF" POST  "$R/referrals" '{"nhs_number":"9434765919","given_name":"A","family_name":"B","date_of_birth":"1960-01-01","sex":"female","postcode":"NE4 6QA","phone":"0191 496 0000","practice_ods_code":"A85001","referrer":{"name":"\u0000","role":"gp"}}'
t 2b-referral  "$OP"  POST  "$R/providers" '{"name":"a\u0000b"}'
t 2c-referral  "$OP"  POST  "$R/practices" '{"ods_code":"Z99999","name":"a\u0000b"}'
t 2d-referral  "$OP"  POST  "$R/link-workers" '{"provider_id":"3faeb725-4172-5ad1-8fee-b39ecacf7641","display_name":"a\u0000b","capacity":1}'
t 2e-referral  "$OP"  PATCH "$R/link-workers/$LWID" '{"display_name":"a\u0000b"}'
# 3 NUL in a JSON string that lands in a text column ("A string literal cannot contain NUL")
t 3a-directory "$OP"  POST  "$D/organizations" '{"name":"a\u0000b","description":"d"}'
t 3b-directory "$OP"  POST  "$D/services" '{"organization_id":"d00af92f-b734-5808-b05f-1da37153b6d5","name":"a\u0000b"}'
t 3c-engage    "$LW"  POST  "$E/cases/$CASE/contact-attempts" "{\"occurred_at\":\"$NOW1H\",\"note\":\"a\\u0000b\"}"
t 3d-engage    "$LW"  POST  "$E/cases/$CASE/extension" '{"reason":"a\u0000b","review_on":"2027-01-01"}'
# 4 NUL in a query/path parameter
t 4a-referral  "$OP"  GET   "$R/referrals?practice=%00"
t 4b-referral  "$OP"  PATCH "$R/practices/%00" '{"name":"x"}'
t 4c-engage    "$LW"  GET   "$E/cases?status=%00"
t 4d-directory "$OP"  GET   "$D/services?search=%00"
t 4e-directory "$OP"  GET   "$D/service_at_locations?search=%00"
t 4f-reporting "$FIN" GET   "$P/claims/%00"
# 5 page numbers beyond bigint OFFSET
t 5a-referral  "$OP"  GET   "$R/referrals?page=9223372036854775807"
t 5b-engage    "$LW"  GET   "$E/cases?page=9223372036854775807"
# 6 datetimes whose offset pushes them outside year 1..9999
t 6a-reporting "$FIN" GET   "$P/outcomes/payable?known_at=0001-01-01T00:00:00%2B23:59"
t 6b-reporting "$FIN" GET   "$P/outcomes/00000000-0000-0000-0000-000000000000/evidence?known_at=9999-12-31T23:59:59-23:59"
t 6c-directory "$OP"  GET   "$D/services?modified_after=0001-01-01T00:00:00%2B23:59"
t 6d-engage    "$LW"  POST  "$E/cases/$CASE/contacts" '{"occurred_at":"0001-01-01T00:00:00Z","mode":"telephone","duration_minutes":5,"attended":true}'
t 6e-engage    "$LW"  POST  "$E/cases/$CASE/contact-attempts" '{"occurred_at":"0001-01-01T00:00:00Z"}'
# 6' any UTC offset beyond +-15:59 (Python accepts up to +-23:59, PostgreSQL does not)
t 6f-reporting "$FIN" GET   "$P/outcomes/payable?known_at=2026-01-01T00:00:00%2B16:00"
t 6g-directory "$OP"  GET   "$D/services?end_time=10:00%2B16:00"
t 6h-engage    "$LW"  POST  "$E/cases/$CASE/contact-attempts" "{\"occurred_at\":\"$(date -u -d '+15 hour' +%FT%H:%M:%S)+16:00\"}"
# 7 reporting: claim period in year 0
t 7-reporting  "$FIN" POST  "$P/claims" '{"period":"0000-01"}'
# 8 reporting: comparison-cost quarter with year < 1000 ("0999Q1" -> str "999Q1" fails the event schema)
t 8-reporting  "$FIN" POST  "$P/commissioner/comparison-costs" $'quarter,per_head_cost_pence\n0999Q1,1\n' text/csv
# 9 reporting: a CSV field longer than csv.field_size_limit (131072)
BIG=$(mktemp); { echo quarter,per_head_cost_pence; head -c 140000 /dev/zero | tr '\0' x; echo; } > "$BIG"
t 9a-reporting "$FIN" POST  "$P/commissioner/comparison-costs" "@$BIG" text/csv
{ echo nhs_number,activity_type,activity_date,cost_pence; head -c 140000 /dev/zero | tr '\0' x; echo; } > "$BIG"
t 9b-reporting "$FIN" POST  "$P/commissioner/hospital-activity" "@$BIG" text/csv
rm -f "$BIG"
# 10 directory: a schedule with an offset-aware opens_at and a naive closes_at
t 10-directory "$OP"  POST  "$D/services" '{"organization_id":"d00af92f-b734-5808-b05f-1da37153b6d5","name":"x","schedules":[{"opens_at":"09:00:00+01:00","closes_at":"17:00:00"}]}'
# 12 directory: a service id that is already an organisation's id (shared event-stream aggregate ids)
ORG=d00af92f-b734-5808-b05f-1da37153b6d5
t 12a-directory "$OP" POST  "$D/services" "{\"id\":\"$ORG\",\"organization_id\":\"$ORG\",\"name\":\"x\"}"
t 12b-directory "$OP" POST  "$D/services/$ORG/status" '{"status":"inactive"}'
t 12c-directory "$OP" PUT   "$D/services/$ORG" "{\"organization_id\":\"$ORG\",\"name\":\"x\"}"
# 11 reporting: a provider_manager token whose provider_id claim is not a UUID
t 11-reporting "$PM_BAD" GET "$P/metrics/funnel"
echo "$fails server errors (BUG lines)"
