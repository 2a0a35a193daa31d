#!/usr/bin/env python3
"""Side-by-side speed of govlens, the bare segmentation baseline and the Python reference.

Builds, from ../shared/corpora/ai-governance, a corpus replicated to >= 50 MB (the manifest lists
every document REPEAT times under new doc_ids; files are linked, not copied) and one of its Chinese
documents alone, then runs on each, RUNS times in alternation:
  - govlens run (release build, all tables written, 2 threads),
  - examples/segment_baseline (jieba-rs / UAX #29 cut per line, 2 threads, nothing counted),
  - ../shared/bench/python_reference.py (jieba + Counter + polars) with --repeat.
Prints medians (wall time, MB/s, peak RSS) and the ratios the project targets, plus govlens' peak
RSS on a corpus 10x smaller, to show how memory grows with the corpus.

With --before BIN, a second govlens binary (say, a build of the previous commit) runs in
the same alternation, so a change is measured against its parent in one run.

Usage: python3 benches/compare.py [--runs 3] [--repeat 25] [--zh-repeat 60] [--before BIN]
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=25)
    ap.add_argument("--zh-repeat", type=int, default=60)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--before", help="another govlens binary to time side by side")
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

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cases = []
        for name, subset, repeat in [("all documents", rows, a.repeat), ("Chinese only", zh_rows, a.zh_repeat)]:
            key = name.split()[0]
            once = tmp / f"{key}-once"
            make_corpus(once, subset, header, 1)
            big = tmp / f"{key}-x{repeat}"
            nbytes = make_corpus(big, subset, header, repeat)
            out = tmp / f"out-{key}"
            cmds = {
                "govlens run": [govlens, "run", "--corpus", str(big), "--out", str(out), "--threads", str(a.threads), "-q"],
                "segmentation baseline": [baseline, str(once), "--repeat", str(repeat), "--threads", str(a.threads)],
                "python reference": [py, str(REFERENCE), str(once), str(tmp / "py-out"), "--repeat", str(repeat)],
            }
            if a.before:
                cmds["govlens run (before)"] = [a.before, *cmds["govlens run"][1:]]
                cmds["govlens run (before)"][cmds["govlens run"].index(str(out))] = str(out) + "-before"
            results = {k: [] for k in cmds}
            for _ in range(a.runs):
                for k, cmd in cmds.items():
                    results[k].append(timed(cmd))
            cases.append((name, nbytes, results))
        # Memory against corpus size: the same corpus at a tenth of the size.
        small = tmp / "all-small"
        make_corpus(small, rows, header, max(1, a.repeat // 10))
        small_rss = statistics.median(
            timed([govlens, "run", "--corpus", str(small), "--out", str(tmp / "out-small"), "-q"])[1]
            for _ in range(a.runs))

    print(f"machine: {os.cpu_count()} cores; {a.runs} runs each, medians; {a.threads} threads")
    print(f"{'input':<14} {'tool':<22} {'MB':>7} {'wall s':>8} {'MB/s':>8} {'peak RSS MB':>12}")
    for name, nbytes, results in cases:
        med = {}
        for tool, runs in results.items():
            wall = statistics.median(r[0] for r in runs)
            rss = statistics.median(r[1] for r in runs)
            med[tool] = (wall, rss)
            print(f"{name:<14} {tool:<22} {nbytes / 1e6:>7.1f} {wall:>8.2f} {nbytes / 1e6 / wall:>8.1f} {rss:>12.0f}")
        g, b, p = med["govlens run"][0], med["segmentation baseline"][0], med["python reference"][0]
        print(f"{name:<14} govlens / python: {p / g:.1f}x   govlens / baseline throughput: {100 * b / g:.0f}%")
        if a.before:
            print(f"{name:<14} govlens wall time / before: {g / med['govlens run (before)'][0]:.2f}")
    big_rss = statistics.median(r[1] for r in cases[0][2]["govlens run"])
    print(f"govlens peak RSS: {small_rss:.0f} MB at {max(1, a.repeat // 10)}x, {big_rss:.0f} MB at {a.repeat}x "
          f"({big_rss / small_rss:.1f}x for {a.repeat / max(1, a.repeat // 10):.0f}x the corpus)")


if __name__ == "__main__":
    main()
