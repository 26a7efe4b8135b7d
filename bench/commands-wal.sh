#!/usr/bin/env bash
# One run of the command round trip (1 000 cars, 1 000 commands/s, 10 s warm-up, 30 s measured) whose write-ahead log keeps
# every frame: a read transaction opened at the warm-up holds a snapshot, so no checkpoint lets the log start over, and the
# writer's own copy is put off (CheckpointPages 100 000 000). Right after the window the database and its log are copied and
# bench/wal-pages.py reads them: pages per command and per checkpoint round, by B-tree. bench/README.md §3, nineteenth
# session. The log grows to about 1 GB. Needs python3; the benchmark built (dotnet build bench/Pitwall.Bench -c Release).
#
#   bench/commands-wal.sh LABEL SERVER_DLL [more `commands` options, e.g. --server-env K=V]
#   PITWALL_BENCH_WORK   work directory (default /tmp/pitwall-bench-wal); PITWALL_BENCH_PORT (default 5472)
set -uo pipefail
label=$1; dll=$2; shift 2
cd "$(dirname "$0")/.."
work=${PITWALL_BENCH_WORK:-/tmp/pitwall-bench-wal}
mkdir -p "$work"
out=$work/wal-$label-$(date +%H%M%S)
dotnet bench/Pitwall.Bench/bin/Release/net10.0/pitwall-bench.dll --work "$work" --quiet-wait 0 --server-dll "$dll" \
  commands --cars 1000 --rate 1000 --warmup 10 --duration 30 --reuse-setup --port "${PITWALL_BENCH_PORT:-5472}" \
  --server-env Pitwall__Database__CheckpointPages=100000000 "$@" > "$out.txt" 2>&1 &
bench=$!
until grep -qs "warming up" "$out.txt"; do
  sleep 0.5
  kill -0 $bench 2>/dev/null || { echo "the benchmark ended early:"; cat "$out.txt"; exit 1; }
done
python3 - "$work/commands.db" "$out.before" <<'EOF' &
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN")
open(sys.argv[2], "w").write(str(connection.execute("SELECT count(*) FROM vehicle_commands").fetchone()[0]))
time.sleep(50)
EOF
sleep 38
cp "$work/commands.db" "$out.db" && cp "$work/commands.db-wal" "$out.db-wal"
wait $bench
echo "== $label ($dll), $(date -u +%H:%M:%S) UTC; full output: $out.txt"
grep -E "round trip p50|Pitwall CPU per command:" "$out.txt"
# The log holds the frames since its last start before the snapshot: at most the commands stored before it, all after.
commands=$(( $(python3 -c "import sqlite3,sys; print(sqlite3.connect('file:$out.db?mode=ro', uri=True).execute('SELECT count(*) FROM vehicle_commands').fetchone()[0])") - $(cat "$out.before") ))
python3 bench/wal-pages.py "$out.db" "$out.db-wal" "$commands"
rm -f "$out.db" "$out.db-wal"
