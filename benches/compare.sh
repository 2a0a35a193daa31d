#!/usr/bin/env bash
# Side-by-side benchmark: govlens vs bare segmentation vs the Python reference.
# See benches/compare.py for what it runs and prints.
set -euo pipefail
exec python3 "$(dirname "$0")/compare.py" "$@"
