#!/usr/bin/env bash
# Run schemathesis (not_a_server_error) against each running Linkwell API.
# Usage: fuzz/run_schemathesis.sh [referral|engagement|directory|reporting|all] (default all)
# Env: ST=/path/to/schemathesis (default .local/fuzzvenv/bin/schemathesis)
#      N=max examples per operation (default 30), MAXTIME=seconds per run (default 240)
#      OUT=report dir (default .local/fuzz)
set -u
cd "$(dirname "$0")/.."
ST=${ST:-.local/fuzzvenv/bin/schemathesis}
PY=.venv/bin/python
N=${N:-30}; MAXTIME=${MAXTIME:-240}; OUT=${OUT:-.local/fuzz}
mkdir -p "$OUT"
tok() { $PY -m linkwell_runtime.tokens "$@" | tail -1 | awk '{print $NF}'; }
# ids of a link worker who holds real cases in the demo data
LW_LINE=$($PY -m linkwell_demo tokens | grep -A1 'link_worker (' )
LW_TOKEN=$(echo "$LW_LINE" | tail -1 | tr -d ' ')

run() { # name port token [extra args]
  local name=$1 port=$2 token=$3; shift 3
  echo "=== $name :$port ==="
  timeout $((MAXTIME+120)) "$ST" run "http://127.0.0.1:$port/openapi.json" \
    -H "Authorization: Bearer $token" \
    --checks not_a_server_error \
    --phases examples,coverage,fuzzing \
    -n "$N" --max-time "$MAXTIME" --workers 2 \
    --generation-allow-x00 true \
    --continue-on-failure --no-color \
    --request-timeout 20 \
    --report junit,ndjson --report-dir "$OUT/$name" "$@" 2>&1 | tee "$OUT/$name.txt" | tail -60
}
what=${1:-all}
case $what in referral|all)
  run referral-referrer 8001 "$(tok --role referrer --practice A85001)"
  run referral-operator 8001 "$(tok --role operator)";; esac
case $what in engagement|all) run engagement 8002 "$LW_TOKEN";; esac
case $what in directory|all)  run directory 8003 "$(tok --role operator)";; esac
case $what in reporting|all)  run reporting 8004 "$(tok --role finance)";; esac
