#!/usr/bin/env bash
# Time and peak memory of `govlens run` on pathological inputs at full size, with the
# release build. Usage: benches/pathological.sh   (needs python3 and /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import os, sys
w = sys.argv[1]
def put(name, data, lang):
    d = os.path.join(w, name)
    os.makedirs(d)
    open(os.path.join(d, "doc" + (".html" if name == "nested-html" else ".txt")), "wb").write(data)
    open(os.path.join(d, "manifest.csv"), "w").write(
        "file,doc_id,lang\n%s,%s,%s\n" % ("doc.html" if name == "nested-html" else "doc.txt", name, lang))
put("one-50mb-line", ("the rule of law and good governance " * 1_400_000).encode(), "en")
put("one-char-1m", ("法" * 1_000_000).encode(), "zh")
put("han-no-punctuation-20mb", ("坚持依法治理推进法治建设发展可信赖的人工智能" * 300_000).encode(), "zh")
put("nested-html", ("<div>" * 100_000 + "<p>坚持法治</p>" + "</div>" * 100_000).encode(), "zh")
mixed = ("这是一个用统一码写成的段落，讲的是法治与善治。\n" * 100_000).encode() + "这一段却是国标码。".encode("gbk")
put("mixed-encodings", mixed, "zh")
PY
printf '%-26s %10s %10s %12s %s\n' input MB wall_s peak_rss_MB exit
for d in "$work"/*/; do
  name=$(basename "$d")
  mb=$(du -bs "$d" | awk '{printf "%.1f", $1/1e6}')
  set +e
  /usr/bin/time -f '%e %M' -o "$work/time" target/release/govlens run --corpus "$d" --out "$work/out-$name" -q 2>/dev/null
  code=$?
  set -e
  read -r secs kb < <(tail -n 1 "$work/time")
  printf '%-26s %10s %10s %12s %s\n' "$name" "$mb" "$secs" "$((kb / 1024))" "$code"
done
