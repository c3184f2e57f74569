#!/usr/bin/env bash
# Record or compare checksums of what `make run` writes (a refactor proves itself: docs/architecture.md).
#   scripts/output-checksums.sh save DIR      after `make run` on the old code
#   scripts/output-checksums.sh compare DIR   after `make run` on the new code; exit 1 on any difference
# Executed notebooks and the run log hold times and durations, and the build stamp hashes code, so they are left out.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?save or compare}; dir=${2:?folder for the checksum file}
sums() { find data/processed reports/results reports/briefs reports/figures reports/dashboard.html -type f ! -name build_stamp.json | sort | xargs sha256sum; }
case "$mode" in
  save) mkdir -p "$dir"; sums > "$dir/outputs.sha256"; echo "saved $(wc -l < "$dir/outputs.sha256") checksums to $dir/outputs.sha256" ;;
  compare) sums | diff "$dir/outputs.sha256" - && echo "identical: $(wc -l < "$dir/outputs.sha256") files" ;;
  *) echo "usage: $0 save|compare DIR" >&2; exit 2 ;;
esac
