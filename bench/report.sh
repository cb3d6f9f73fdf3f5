#!/usr/bin/env bash
# Write the benchmark report from the guest's test channel.
#
#   bench/report.sh CHANNEL_FILE OUTDIR
#
# Writes OUTDIR/results.json, OUTDIR/results.md, OUTDIR/throughput.gp and,
# with gnuplot, OUTDIR/throughput.png. Exit status 1 when the channel holds
# no figures or the plot cannot be drawn; missed targets are not errors.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 CHANNEL_FILE OUTDIR" >&2; exit 2; }
channel=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"

if [ ! -s "$channel" ]; then
	echo "report: $channel is missing or empty" >&2
	exit 1
fi
# Serial lines may carry a CR; the awk script wants plain lines.
# One line about the host the guest ran on, written by run.sh.
host=$(cat "$out/host.txt" 2>/dev/null || true)
if ! tr -d '\r' <"$channel" | awk -v out="$out" -v host="$host" -f "$here/report.awk"; then
	echo "report: no BENCH records in $channel" >&2
	exit 1
fi
if ! command -v gnuplot >/dev/null; then
	echo "report: gnuplot not found (package gnuplot-nox): no $out/throughput.png" >&2
	exit 1
fi
gnuplot "$out/throughput.gp"
echo "report: $out/results.md, $out/results.json, $out/throughput.png" >&2
