#!/usr/bin/env bash
# Side by side, in one run: importing 200,000 entries in one category from each
# dictionary format against the same entries as govlens TOML (the release binary's
# `lexicon convert`, so reading, checking and writing TOML alike), and the peak
# memory of refusing 5,000-deep block-style YAML. Medians of 5 runs.
#   cargo build --release && benches/dictionaries.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${GOVLENS:-target/release/govlens}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" <<'PY'
import sys, os
d = sys.argv[1]
n = 200_000
w = [f"w{i}" for i in range(n)]
files = {
    "d.toml": '[[frame]]\nid = "gov"\nlabel = "Gov"\nen = [' + ", ".join(f'"{x}"' for x in w) + "]\n",
    "d.dic": "%\n1\tgov\n%\n" + "".join(f"{x}\t1\n" for x in w),
    "d.yml": "gov:\n" + "".join(f"  - {x}\n" for x in w),
    "d.lc3": "+gov\n" + "".join(f"{x}\n" for x in w),
    "d.cat": "GOV\n" + "".join(f"\t{x} (1)\n" for x in w),
    "deep.yml": "".join(" " * l + "a:\n" for l in range(5000)) + " " * 5000 + "- x\n",
}
for name, text in files.items():
    open(os.path.join(d, name), "w").write(text)
PY
python3 - "$bin" "$dir" <<'PY'
import os, resource, statistics, subprocess, sys, time
binary, d = sys.argv[1], sys.argv[2]
def once(args):
    t = time.perf_counter()
    p = subprocess.run([binary, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - t, p.returncode, p.stderr.decode().strip()
p = subprocess.run([binary, "lexicon", "check", os.path.join(d, "deep.yml")], stderr=subprocess.PIPE)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"5,000-deep YAML: exit {p.returncode}, peak RSS {peak:.0f} MB: {p.stderr.decode().strip()}")
times = {ext: [] for ext in ["toml", "dic", "yml", "lc3", "cat"]}
for round in range(5):
    for ext in times:
        out = os.path.join(d, f"out-{round}-{ext}.toml")
        secs, code, err = once(["lexicon", "convert", os.path.join(d, f"d.{ext}"), "-o", out])
        assert code == 0, err
        times[ext].append(secs)
toml = statistics.median(times["toml"])
print("format  median_s  x_toml   (200,000 entries in one category; lexicon convert)")
for ext, t in times.items():
    m = statistics.median(t)
    print(f"{ext:6}  {m:8.3f}  {m / toml:6.2f}")
PY
