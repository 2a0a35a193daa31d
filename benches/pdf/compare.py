#!/usr/bin/env python3
"""PDF text extraction, side by side: fidelity and speed of the candidate readers.

Prints shared documents (../shared/corpora/ai-governance, Chinese and English) to PDF with
headless Chromium, in one and in two columns, with Chromium's running header and footer and
soft hyphens in long words (the page tests/integration/render.rs makes), then extracts each PDF
with:
  - govlens      `govlens segment --text` (poppler's word boxes, govlens' own layout),
  - pdftotext    poppler's plain `pdftotext` (its own reading order and de-hyphenation),
  - pdf-extract  the pure-Rust crate (benches/pdf/pdf-extract-probe, built here),
and scores each against the text it was printed from: word-token F1 of the terms govlens counts
(`govlens segment --tsv` on the extracted text), median extraction time of RUNS runs and MB/s
of PDF. Then it times `govlens run` on the documents as text and as PDF (medians, one run,
alternating) for MB/s of PDF against plain text.

Usage: python3 benches/pdf/compare.py [--runs 3]
Needs: cargo, chromium, fonts-noto-cjk, poppler-utils.
"""
import argparse, collections, statistics, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "corpora" / "ai-governance"
GOVLENS = ROOT / "target" / "release" / "govlens"
PROBE_DIR = ROOT / "benches" / "pdf" / "pdf-extract-probe"
PROBE = PROBE_DIR / "target" / "release" / "pdf-extract-probe"
DOCS = [
    ("cn/aidp-2017.zh.txt", "zh"),
    ("cn/global-ai-governance-initiative-2023.zh.txt", "zh"),
    ("tw/ai-basic-act-2026.zh.txt", "zh"),
    ("us/nist-ai-rmf-1.0-2023.en.txt", "en"),
    ("eu/hleg-ethics-guidelines-trustworthy-ai-2019.en.txt", "en"),
    ("tw/ai-basic-act-2026.en.txt", "en"),
]


def html(text, title, columns):
    def esc(s):
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def word(w):
        if len(w) >= 10 and w.isascii() and w.isalpha():
            return esc(w[: len(w) // 2]) + "&shy;" + esc(w[len(w) // 2 :])
        return esc(w)

    body = "".join(
        "<p>" + " ".join(word(w) for w in line.split(" ")) + "</p>\n"
        for line in text.splitlines()
        if line.strip()
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{esc(title)}</title><style>"
        "body { font-family: 'Noto Serif CJK SC', 'Noto Sans CJK SC', serif; font-size: 11pt; "
        f"column-count: {columns}; column-gap: 1.5em; }} p {{ margin: 0 0 0.6em 0; }}"
        f"</style></head><body>{body}</body></html>"
    )


def terms(path):
    out = subprocess.run([str(GOVLENS), "segment", "--tsv", str(path)], capture_output=True,
                         text=True, check=True).stdout.split("\n")[1:]
    return collections.Counter(line.split("\t")[3] for line in out if line)


def f1(want, got):
    common = sum((want & got).values())
    total = sum(want.values()) + sum(got.values())
    return 2 * common / total if total else 1.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=PROBE_DIR, check=True)
    readers = {
        "govlens": lambda pdf, out: subprocess.run(
            [str(GOVLENS), "segment", "--text", str(pdf)], stdout=open(out, "w"), check=True),
        "pdftotext": lambda pdf, out: subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), str(out)],
                                                     check=True),
        "pdf-extract": lambda pdf, out: subprocess.run([str(PROBE), str(pdf), str(out)], check=True),
    }
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "txt").mkdir()
        (tmp / "pdf").mkdir()
        rows, manifest_txt, manifest_pdf = [], ["file,doc_id,jurisdiction,lang"], ["file,doc_id,jurisdiction,lang"]
        pdf_bytes = txt_bytes = 0
        for k, (file, lang) in enumerate(DOCS):
            source = SHARED / file
            text = source.read_text(encoding="utf-8")
            want = terms(source)
            (tmp / "txt" / f"d{k}.txt").write_text(text, encoding="utf-8")
            manifest_txt.append(f"d{k}.txt,d{k},X,{lang}")
            for columns in (1, 2):
                page = tmp / "page.html"
                page.write_text(html(text, f"Rendered {file}", columns), encoding="utf-8")
                pdf = tmp / "pdf" / f"d{k}-{columns}.pdf"
                subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                                f"--print-to-pdf={pdf}", f"file://{page}"], check=True,
                               capture_output=True)
                manifest_pdf.append(f"d{k}-{columns}.pdf,d{k}-{columns},X,{lang}")
                pdf_bytes += pdf.stat().st_size
                txt_bytes += source.stat().st_size
                for name, read in readers.items():
                    out = tmp / f"{name}.txt"
                    times = []
                    for _ in range(args.runs):
                        t0 = time.perf_counter()
                        read(pdf, out)
                        times.append(time.perf_counter() - t0)
                    score = f1(want, terms(out))
                    rows.append((file, columns, name, score, statistics.median(times), pdf.stat().st_size))
        (tmp / "txt" / "manifest.csv").write_text("\n".join(manifest_txt) + "\n")
        (tmp / "pdf" / "manifest.csv").write_text("\n".join(manifest_pdf) + "\n")

        print(f"{'document':52} {'cols':>4} {'reader':12} {'F1':>7} {'s':>7} {'MB/s':>6}")
        for file, columns, name, score, secs, size in rows:
            print(f"{file:52} {columns:>4} {name:12} {score:7.4f} {secs:7.3f} {size / secs / 1e6:6.2f}")
        print()
        for name in readers:
            mine = [r for r in rows if r[2] == name]
            print(f"{name:12} F1 median {statistics.median(r[3] for r in mine):.4f}, "
                  f"min {min(r[3] for r in mine):.4f}; "
                  f"{sum(r[5] for r in mine) / sum(r[4] for r in mine) / 1e6:.2f} MB of PDF per s")

        # govlens run on the same documents as text (each once) and as PDF (each twice).
        runs = {"text": [], "pdf": []}
        for _ in range(args.runs):
            for kind in runs:
                t0 = time.perf_counter()
                subprocess.run([str(GOVLENS), "run", "-q", "--no-report", "--threads", "2",
                                "--corpus", str(tmp / ("txt" if kind == "text" else "pdf")),
                                "--out", str(tmp / f"out-{kind}")], check=True)
                runs[kind].append(time.perf_counter() - t0)
        t_text, t_pdf = statistics.median(runs["text"]), statistics.median(runs["pdf"])
        print(f"\ngovlens run, text: {txt_bytes / 2 / 1e6:.2f} MB of text in {t_text:.2f} s "
              f"({txt_bytes / 2 / t_text / 1e6:.2f} MB/s); PDF: {pdf_bytes / 1e6:.2f} MB of PDF "
              f"({txt_bytes / 1e6:.2f} MB of text) in {t_pdf:.2f} s ({pdf_bytes / t_pdf / 1e6:.2f} MB/s "
              f"of PDF, {txt_bytes / t_pdf / 1e6:.2f} MB/s of the text in it); medians of {args.runs}")


if __name__ == "__main__":
    sys.exit(main())
