#!/usr/bin/env bash
# One run of the command round trip (1 000 cars, 1 000 commands/s, 10 s warm-up, 30 s measured) with, 15 s into the
# load and for 20 s, the server's syscalls and bytes written per command: perf stat (context switches, pwrite64 = WAL and
# checkpoint writes, fsync, pread64, sendto, futex) and /proc/<pid>/io (wchar, write_bytes). bench/README.md §3,
# fifteenth session. Needs perf and root; the benchmark built (dotnet build bench/Pitwall.Bench -c Release).
#
#   bench/commands-io.sh LABEL SERVER_DLL [more `commands` options, e.g. --server-env K=V]
#   PITWALL_BENCH_WORK   work directory (default /tmp/pitwall-bench-io); PITWALL_BENCH_PORT (default 5471)
set -uo pipefail
label=$1; dll=$2; shift 2
cd "$(dirname "$0")/.."
work=${PITWALL_BENCH_WORK:-/tmp/pitwall-bench-io}
mkdir -p "$work"
out=$work/io-$label-$(date +%H%M%S)
dotnet bench/Pitwall.Bench/bin/Release/net10.0/pitwall-bench.dll --work "$work" --quiet-wait 0 --server-dll "$dll" \
  commands --cars 1000 --rate 1000 --warmup 10 --duration 30 --reuse-setup --port "${PITWALL_BENCH_PORT:-5471}" "$@" > "$out.txt" 2>&1 &
bench=$!
until grep -qs "event streams ready" "$out.txt"; do
  sleep 0.5
  kill -0 $bench 2>/dev/null || { echo "the benchmark ended early:"; cat "$out.txt"; exit 1; }
done
pid=$(grep -oP "server pid \K[0-9]+" "$out.txt")
sleep 15
io() { grep -E "^(wchar|write_bytes)" /proc/$pid/io | awk '{print $2}' | tr '\n' ' '; }
before=$(io)
perf stat -x, -e context-switches,syscalls:sys_enter_pwrite64,syscalls:sys_enter_fsync,syscalls:sys_enter_pread64,syscalls:sys_enter_sendto,syscalls:sys_enter_futex \
  -p "$pid" -- sleep 20 2> "$out.perf"
after=$(io)
wait $bench
echo "== $label ($dll), $(date -u +%H:%M:%S) UTC; full output: $out.txt"
grep -E "round trip p50|CPU: Pitwall|Pitwall CPU per command:" "$out.txt"
awk -F, '{printf "  %s per command: %.2f\n", $3, $1/20000}' "$out.perf"
read -r w1 b1 <<<"$before"; read -r w2 b2 <<<"$after"
echo "  bytes written per command: wchar $(( (w2 - w1) / 20000 )), write_bytes $(( (b2 - b1) / 20000 ))"
