#!/usr/bin/env bash
# The test command: every test project, on SQLite and on PostgreSQL.
# As root it installs what the tests need when missing (PostgreSQL, Chromium, python3-aiosmtpd, swupdate, nats-server, haproxy, nginx, osmium-tool and tilemaker from Debian)
# and starts a throwaway PostgreSQL cluster on loopback; it ends with one line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"
source scripts/test-services.sh

ensure_postgres
ensure_chromium
ensure_aiosmtpd
ensure_swupdate
ensure_nats
ensure_haproxy
ensure_nginx
ensure_maptools

results=$(mktemp -d)
trap 'stop_postgres; rm -rf "$results"' EXIT

status=0
dotnet test Pitwall.slnx --nologo 2>&1 | tee "$results/output.txt" || status=$?

# Each test assembly prints "Passed! - Failed: F, Passed: P, Skipped: S, Total: T"; add them up.
read -r passed failed skipped < <(grep -E '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$results/output.txt" \
  | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the build or a test host failed before reporting
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
