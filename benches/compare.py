#!/usr/bin/env python3
"""Side-by-side speed of govlens, the bare segmentation baseline and the Python reference.

Builds, from ../shared/corpora/ai-governance, the corpus replicated REPEAT times (default 35, 70 MB:
the manifest lists every document REPEAT times under new doc_ids; files are linked, not copied), and
with --zh-repeat its Chinese documents alone, then runs on each, RUNS times in alternation:
  - govlens run (release build, all tables written, 2 threads),
  - examples/segment_baseline (jieba-rs / UAX #29 cut per line, 2 threads, nothing counted),
  - ../shared/bench/python_reference.py (jieba + Counter + polars) with --repeat.
Prints medians (wall time, MB/s, peak RSS) and the ratios the project targets, plus govlens'
wall time and peak RSS on the corpus LARGE-REPEAT times (default 500) and on SMALL-DOCS one-line
files (default 100,000), to show how memory grows with the number of documents.

With --before BIN, a second govlens binary (say, a build of the previous commit) runs in
the same alternation, on every corpus, so a change is measured against its parent in one run.

With --python PY (a Python where `pip install ./python` installed the package, release build),
govlens.run in that Python runs in the same alternation on the replicated corpus: all tables in
memory as polars DataFrames (interpreter start and imports included), against the command line.
--no-scale skips the larger corpus and the one-line files.

Usage: python3 benches/compare.py [--runs 3] [--repeat 35] [--large-repeat 500] [--small-docs 100000]
       [--zh-repeat 0] [--before BIN] [--python PY] [--no-scale]
Needs: cargo, /usr/bin/time, and a Python with jieba and polars (made in .bench-venv if missing).
"""
import argparse, csv, os, statistics, subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpora" / "ai-governance"
REFERENCE = ROOT.parent / "shared" / "bench" / "python_reference.py"


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def python_with_deps():
    venv = ROOT / ".bench-venv"
    py = venv / "bin" / "python"
    if not py.exists():
        sh([sys.executable, "-m", "venv", str(venv)])
        sh([str(py), "-m", "pip", "install", "-q", "jieba", "polars"])
    return str(py)


def make_corpus(dest: Path, rows, header, repeat):
    dest.mkdir(parents=True)
    for entry in SHARED.iterdir():
        if entry.is_dir():
            (dest / entry.name).symlink_to(entry)
    with open(dest / "manifest.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=header)
        w.writeheader()
        for k in range(repeat):
            for r in rows:
                w.writerow({**r, "doc_id": f"{r['doc_id']}~{k}" if repeat > 1 else r["doc_id"]})
    return sum((SHARED / r["file"]).stat().st_size for r in rows) * repeat


def timed(cmd):
    """(wall seconds, peak RSS in MB) of one run."""
    with tempfile.NamedTemporaryFile("r") as t:
        subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", t.name, *cmd], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall, kb = t.read().strip().splitlines()[-1].split()
    return float(wall), int(kb) / 1024


def make_small_docs(dest: Path, n: int):
    """n one-line documents (zh and en alternately, about 150 bytes each), written by the
    script from a fixed word list: the corpus of many small files."""
    import random
    rng = random.Random(1)
    en = ("governance trustworthy sovereignty rule of law cooperation safety innovation "
          "oversight accountability transparency risk data privacy security standards").split()
    zh = ["治理", "可信", "主权", "法治", "合作", "安全", "创新", "监管", "数据", "隐私", "标准", "风险"]
    (dest / "d").mkdir(parents=True)
    with open(dest / "manifest.csv", "w", encoding="utf-8") as m:
        m.write("file,doc_id,jurisdiction,lang\n")
        for i in range(n):
            if i % 2:
                text, lang = " ".join(rng.choice(en) for _ in range(22)) + ".\n", "en"
            else:
                text, lang = "".join(rng.choice(zh) for _ in range(40)) + "。\n", "zh"
            (dest / "d" / f"{i:06d}.txt").write_text(text, encoding="utf-8")
            m.write(f"d/{i:06d}.txt,doc{i:06d},J{i % 7},{lang}\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=35)
    ap.add_argument("--zh-repeat", type=int, default=0, help="also a Chinese-only corpus (0: not)")
    ap.add_argument("--large-repeat", type=int, default=500, help="govlens' memory on a larger copy")
    ap.add_argument("--small-docs", type=int, default=100_000, help="govlens on this many one-line files")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--before", help="another govlens binary to time side by side")
    ap.add_argument("--python", help="a Python with the govlens package: govlens.run in-process")
    ap.add_argument("--no-scale", action="store_true", help="skip the larger corpus and the small files")
    a = ap.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"needs {SHARED}")
    sh(["cargo", "build", "--release", "-q", "--bin", "govlens", "--example", "segment_baseline"], cwd=ROOT)
    govlens = str(ROOT / "target" / "release" / "govlens")
    baseline = str(ROOT / "target" / "release" / "examples" / "segment_baseline")
    py = python_with_deps()
    rows = list(csv.DictReader(open(SHARED / "manifest.csv", encoding="utf-8")))
    header = list(rows[0].keys())
    zh_rows = [r for r in rows if r["lang"] == "zh"]

    def run_cmd(binary, corpus, out):
        return [binary, "run", "--corpus", str(corpus), "--out", str(out), "--threads", str(a.threads), "-q"]

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cases = []
        subsets = [("all documents", rows, a.repeat)]
        if a.zh_repeat:
            subsets.append(("Chinese only", zh_rows, a.zh_repeat))
        for name, subset, repeat in subsets:
            key = name.split()[0]
            once = tmp / f"{key}-once"
            make_corpus(once, subset, header, 1)
            big = tmp / f"{key}-x{repeat}"
            nbytes = make_corpus(big, subset, header, repeat)
            out = tmp / f"out-{key}"
            cmds = {
                "govlens run": run_cmd(govlens, big, out),
                "segmentation baseline": [baseline, str(once), "--repeat", str(repeat), "--threads", str(a.threads)],
                "python reference": [py, str(REFERENCE), str(once), str(tmp / "py-out"), "--repeat", str(repeat)],
            }
            if a.before:
                cmds["govlens run (before)"] = run_cmd(a.before, big, str(out) + "-before")
            if a.python:
                code = (f"import govlens; r = govlens.run(corpus={str(big)!r}, threads={a.threads}, "
                        f"progress=False); assert r.documents.height > 0")
                cmds["python govlens.run"] = [a.python, "-c", code]
            results = {k: [] for k in cmds}
            for _ in range(a.runs):
                for k, cmd in cmds.items():
                    results[k].append(timed(cmd))
            cases.append((f"{name} x{repeat}", nbytes, results))
        # Memory against the number of documents: the corpus many times larger, and
        # many small files.
        if a.no_scale:
            a.large_repeat = a.small_docs = 0
        large = tmp / f"all-x{a.large_repeat}"
        large_bytes = make_corpus(large, rows, header, a.large_repeat)
        small = tmp / "small-docs"
        make_small_docs(small, a.small_docs)
        small_bytes = sum(f.stat().st_size for f in (small / "d").iterdir())
        scale = {f"all documents x{a.large_repeat}": (large, large_bytes),
                 f"{a.small_docs} one-line files": (small, small_bytes)}
        scale_tools = {"govlens run": govlens}
        if a.before:
            scale_tools["govlens run (before)"] = a.before
        scale_results = {}
        for k, (c, _) in scale.items():
            if a.no_scale:
                break
            runs = {tool: [] for tool in scale_tools}
            for _ in range(a.runs):
                for tool, binary in scale_tools.items():
                    # Each binary its own output: an older one may not mark its runs.
                    out = tmp / ("out-scale-before" if "before" in tool else "out-scale")
                    runs[tool].append(timed(run_cmd(binary, c, out)))
            scale_results[k] = runs

    print(f"machine: {os.cpu_count()} cores; {a.runs} runs each, medians; {a.threads} threads")
    print(f"{'input':<24} {'tool':<22} {'MB':>7} {'wall s':>8} {'MB/s':>8} {'peak RSS MB':>12}")
    med = {}
    for name, nbytes, results in cases:
        for tool, runs in results.items():
            wall = statistics.median(r[0] for r in runs)
            rss = statistics.median(r[1] for r in runs)
            med[(name, tool)] = (wall, rss)
            print(f"{name:<24} {tool:<22} {nbytes / 1e6:>7.1f} {wall:>8.2f} {nbytes / 1e6 / wall:>8.1f} {rss:>12.0f}")
    for name, tools in scale_results.items():
        for tool, runs in tools.items():
            wall = statistics.median(r[0] for r in runs)
            rss = statistics.median(r[1] for r in runs)
            med[(name, tool)] = (wall, rss)
            nbytes = scale[name][1]
            print(f"{name:<24} {tool:<22} {nbytes / 1e6:>7.1f} {wall:>8.2f} {nbytes / 1e6 / wall:>8.1f} {rss:>12.0f}")
    for name, _, _ in cases:
        g, b, p = (med[(name, t)][0] for t in ("govlens run", "segmentation baseline", "python reference"))
        print(f"{name}: govlens / python speed {p / g:.1f}x; govlens / baseline throughput "
              f"{100 * b / g:.0f}% (target >= 50%)")
        if a.before:
            gb = med[(name, 'govlens run (before)')][0]
            print(f"{name}: govlens wall time / before: {g / gb:.2f}; before / baseline throughput "
                  f"{100 * b / gb:.0f}%")
        if a.python:
            pw, pr = med[(name, "python govlens.run")]
            print(f"{name}: python govlens.run / command line wall time {pw / g:.2f} (target <= 1.15); "
                  f"peak RSS {pr:.0f} / {med[(name, 'govlens run')][1]:.0f} MB")
    if a.no_scale:
        return
    base = med[(cases[0][0], "govlens run")][1]
    large_rss = med[(f"all documents x{a.large_repeat}", "govlens run")][1]
    small_rss = med[(f"{a.small_docs} one-line files", "govlens run")][1]
    print(f"govlens peak RSS: x{a.large_repeat} / x{a.repeat} = {large_rss:.0f} / {base:.0f} MB = "
          f"{large_rss / base:.2f} (target <= 1.5); {a.small_docs} one-line files {small_rss:.0f} MB "
          f"(target < 300)")
    if a.before:
        before = med[(f"{a.small_docs} one-line files", "govlens run (before)")][1]
        print(f"before: {a.small_docs} one-line files {before:.0f} MB")


if __name__ == "__main__":
    main()
