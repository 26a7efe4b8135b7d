#!/usr/bin/env bash
# Pitwall vehicle-link benchmarks (bench/README.md): builds Release, then runs
#   1. ingest: end-to-end status reports/s (durable and acked) against two ceilings measured in the same run,
#      for each load profile CONNECTIONSxWINDOW in $PITWALL_BENCH_PROFILES;
#   2. connections: idle vehicle links held by one server process and its memory per connection, then the reconnect
#      storm after a server restart (time until every car is back and acked);
#   3. commands: remote-command round trip (API call → car → outcome on the app's event stream), p50 and p99 at a rate;
# and prints a summary table. Everything runs on loopback; databases, logs and JSON results go to $PITWALL_BENCH_WORK.
#
#   bench/run.sh smoke         ≤ 3 minutes: the command round trip at 1 000/s (p99 and Pitwall CPU per command) and the
#                              fleet-shape ingest ratio (10000x1, end to end vs the ack-only ceiling), short runs, after
#                              the machine's fsync latency with its CPUs idle and busy. Run it before a change to the
#                              gateway, the database layer or a per-request path lands.
#
#   bench/run.sh curve         the 10000x1 ack latency at 25 / 50 / 70 / 90 % of the maximum end-to-end rate (cars paced).
#
#   bench/run.sh artifacts     software-update artifact serving over hawkBit DDI (200 downloads of 50 MiB with resumed byte
#                              ranges while 1 000 cars poll every 10 s): Pitwall alone, Pitwall behind Debian's nginx with
#                              deploy/nginx/pitwall-updates.conf (nginx sends the file), and nginx alone serving the same file
#                              (nginx installed here as root when missing); extra arguments go to `pitwall-bench artifacts`.
#
#   PITWALL_BENCH_PROFILES     ingest load profiles           (default "500x256 4000x4 10000x1")
#   PITWALL_BENCH_WARMUP       seconds of load before measuring (default 10; ingest and commands)
#   PITWALL_BENCH_DURATION     seconds measured                 (default 30; ingest and commands)
#   PITWALL_BENCH_CONNECTIONS  idle connections to hold         (default 19500; the machine allows 20000 open files per process)
#   PITWALL_BENCH_IDLE         seconds they stay idle before the final reading (default 45)
#   PITWALL_BENCH_COMMAND_CARS cars the commands go to          (default 1000, paired to 100 owners)
#   PITWALL_BENCH_COMMAND_RATE commands per second              (default 1000)
#   PITWALL_BENCH_ONLY         "ingest", "connections" or "commands" to run one of them (default all three)
#   PITWALL_BENCH_WORK         work directory                   (default /tmp/pitwall-bench)
set -uo pipefail
cd "$(dirname "$0")/.."

work=${PITWALL_BENCH_WORK:-/tmp/pitwall-bench}
profiles=${PITWALL_BENCH_PROFILES:-"500x256 4000x4 10000x1"}
warmup=${PITWALL_BENCH_WARMUP:-10}
duration=${PITWALL_BENCH_DURATION:-30}
connections=${PITWALL_BENCH_CONNECTIONS:-19500}
idle=${PITWALL_BENCH_IDLE:-45}
command_cars=${PITWALL_BENCH_COMMAND_CARS:-1000}
command_rate=${PITWALL_BENCH_COMMAND_RATE:-1000}
only=${PITWALL_BENCH_ONLY:-}

echo "Building Release (bench/Pitwall.Bench and the server it references) …"
dotnet build bench/Pitwall.Bench -c Release --nologo -v quiet -clp:ErrorsOnly || exit 1
bench=(dotnet bench/Pitwall.Bench/bin/Release/net10.0/pitwall-bench.dll --work "$work")

if [ "${1:-}" = "smoke" ]; then
  # Short runs, no long wait for a quiet CPU (CPU per command is robust to other load; latencies and rates are not: the
  # "other" CPU is printed beside them). The commands' cars and owners are prepared once and kept in $work/smoke.
  smoke=(dotnet bench/Pitwall.Bench/bin/Release/net10.0/pitwall-bench.dll --work "$work/smoke" --quiet-wait 20)
  mkdir -p "$work/smoke"
  # The disk's state first: an fsync with the CPUs idle and busy (a command's round trip waits for two; README §3).
  python3 bench/fsync-latency.py "$work/smoke" > "$work/smoke/fsync.txt" 2>&1
  "${smoke[@]}" commands --cars 1000 --rate 1000 --warmup 5 --duration 15 --reuse-setup > "$work/smoke/commands.txt" 2>&1
  commands_status=$?
  "${smoke[@]}" ingest --connections 10000 --window 1 --only e2e,websocket --warmup 3 --duration 8 > "$work/smoke/ingest.txt" 2>&1
  ingest_status=$?
  echo
  echo "=== smoke (details: $work/smoke/commands.txt, $work/smoke/ingest.txt) ==="
  sed 's/^/fsync, /' "$work/smoke/fsync.txt"
  grep -E '^\| (round trip p50|CPU: Pitwall|commands issued)' "$work/smoke/commands.txt"
  grep -E '^(Round trip p99|Pitwall CPU per command|WARNING|PROBLEM)' "$work/smoke/commands.txt"
  grep -E '^\| \((b|c)\)' "$work/smoke/ingest.txt" | cut -c1-160
  grep -E '^(End to end|WARNING|PROBLEM)' "$work/smoke/ingest.txt"
  [ $commands_status -eq 0 ] && [ $ingest_status -eq 0 ]
  exit $?
fi
if [ "${1:-}" = "artifacts" ]; then
  if [ ! -x /usr/sbin/nginx ]; then
    if [ "$(id -u)" -eq 0 ]; then
      echo "Installing nginx (Debian package nginx)"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null || exit 1
    else
      echo "nginx is not installed and this is not root: install Debian's nginx." >&2
      exit 1
    fi
  fi
  shift
  "${bench[@]}" artifacts "$@"
  exit $?
fi
if [ "${1:-}" = "curve" ]; then
  # The fleet's ack latency below saturation (10000x1): the maximum end-to-end rate first, then each car paced so that
  # the fleet sends 25, 50, 70 and 90 % of it. A real fleet never runs at 100 %; the target is p99 <= 100 ms at 70 %.
  curve=(dotnet bench/Pitwall.Bench/bin/Release/net10.0/pitwall-bench.dll --work "$work/curve" --quiet-wait 60)
  mkdir -p "$work/curve"
  run_at() { "${curve[@]}" ingest --connections 10000 --window 1 --only e2e --warmup "$warmup" --duration "$duration" "$@"; }
  run_at > "$work/curve/max.txt" 2>&1 || exit 1
  acked() { grep -oP '^  \K[0-9,]+(?= reports/s acked over)' "$1" | head -1 | tr -d ,; }
  max=$(acked "$work/curve/max.txt")
  echo "=== 10000x1 ack latency by load (maximum $max reports/s; details in $work/curve) ==="
  echo "| load | paced at | acked per s | ack p50 | ack p99 | other CPU |"
  echo "|---:|---:|---:|---:|---:|---:|"
  line() { grep -oP 'ack latency p50 \K[0-9.]+ ms, p99 [0-9.]+ ms' "$1" | head -1 | sed 's/, p99 / | /'; }
  other() { grep -oP '\(WARNING: \K[0-9.]+(?= cores used by other)' "$1" | head -1 | grep . || echo "< 0.2"; }
  echo "| 100 % | as fast as acked | $max | $(line "$work/curve/max.txt") | $(other "$work/curve/max.txt") |"
  for pct in 25 50 70 90; do
    rate=$((max * pct / 100))
    run_at --rate "$rate" > "$work/curve/at$pct.txt" 2>&1 || exit 1
    echo "| $pct % | $rate | $(acked "$work/curve/at$pct.txt") | $(line "$work/curve/at$pct.txt") | $(other "$work/curve/at$pct.txt") |"
  done
  exit 0
fi
mkdir -p "$work"
summary="$work/summary.txt"
{
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, open files per process $(ulimit -Sn) (hard $(ulimit -Hn)); $(dotnet --version) SDK"
  echo "Started $(date -u +%Y-%m-%dT%H:%M:%SZ)"
} > "$summary"
status=0

if [ -z "$only" ] || [ "$only" = "ingest" ]; then
  for profile in $profiles; do
    echo
    echo "=== ingest, profile $profile ==="
    "${bench[@]}" ingest --connections "${profile%x*}" --window "${profile#*x}" --warmup "$warmup" --duration "$duration" \
      | tee "$work/ingest-$profile.txt" || status=1
    { echo; sed -n '/^Ingest, profile/,/^Results:/p' "$work/ingest-$profile.txt"; } >> "$summary"
  done
fi

if [ -z "$only" ] || [ "$only" = "connections" ]; then
  echo
  echo "=== connections: $connections idle vehicle links ==="
  "${bench[@]}" connections --count "$connections" --idle "$idle" | tee "$work/connections.txt" || status=1
  { echo; sed -n '/^Idle connections/,/^Results:/p' "$work/connections.txt"; echo; sed -n '/^Reconnect storm (/,/^Results:/p' "$work/connections.txt"; } >> "$summary"
fi

if [ -z "$only" ] || [ "$only" = "commands" ]; then
  echo
  echo "=== commands: $command_rate/s over $command_cars cars ==="
  "${bench[@]}" commands --cars "$command_cars" --rate "$command_rate" --warmup "$warmup" --duration "$duration" \
    | tee "$work/commands.txt" || status=1
  { echo; sed -n '/^Commands, /,/^Results:/p' "$work/commands.txt"; } >> "$summary"
fi

echo
echo "================================ Summary ================================"
cat "$summary"
exit $status
