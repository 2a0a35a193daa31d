#!/usr/bin/env python3
"""explorer.html on the shared corpus and on it replicated REPEAT times (default 35): the page's
size, its time to interactive in Chromium, and what writing it adds to a run.

For each corpus, `govlens run` (release build, 2 threads) runs RUNS times with the report and
the explorer and RUNS times with --no-report, in alternation; the page is then opened LOADS
times in headless Chromium, driven over the DevTools protocol on a pipe
(--remote-debugging-pipe), each load a fresh navigation; time to interactive is the page's own
`govlensInteractiveAt` (ms from navigation start until its script has drawn the first view and
bound its controls). Medians are printed.

Usage: python3 benches/explorer.py [--runs 3] [--loads 5] [--repeat 35] [--chromium chromium]
Needs: cargo, /usr/bin/time, chromium.
"""
import argparse, csv, json, os, shutil, statistics, subprocess, sys, tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare import ROOT, SHARED, make_corpus, timed  # noqa: E402


class Chromium:
    """A headless Chromium and one page, over the DevTools protocol on fds 3 and 4."""

    def __init__(self, binary):
        self.profile = tempfile.mkdtemp()
        to_r, self.to_w = os.pipe()
        self.from_r, from_w = os.pipe()

        def fds():
            # Above 4 first, so neither end overwrites the other; dup2 leaves 3 and 4
            # inheritable (subprocess's own close_fds would close them after this runs).
            r, w = os.dup(to_r), os.dup(from_w)
            while r <= 4 or w <= 4:
                r, w = os.dup(r), os.dup(w)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(
            [binary, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
             "--no-first-run", f"--user-data-dir={self.profile}", "--window-size=1280,900",
             "about:blank"],
            preexec_fn=fds, close_fds=False, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_r)
        os.close(from_w)
        self.buf, self.next, self.session, self.events = b"", 0, None, []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable", {})
        self.call("Runtime.enable", {})

    def read(self):
        while b"\0" not in self.buf:
            chunk = os.read(self.from_r, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed its pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params):
        self.next += 1
        m = {"id": self.next, "method": method, "params": params}
        if self.session:
            m["sessionId"] = self.session
        os.write(self.to_w, json.dumps(m).encode() + b"\0")
        while True:
            v = self.read()
            if v.get("id") == self.next:
                if "error" in v:
                    raise RuntimeError(f"{method}: {v['error']}")
                return v["result"]
            self.events.append(v)

    def wait(self, method):
        while True:
            for i, e in enumerate(self.events):
                if e.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self.read())

    def eval(self, expression):
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                           "awaitPromise": True})
        return r["result"].get("value")

    def interactive_ms(self, page):
        """A fresh load of `page`; ms from navigation start to interactive."""
        for url in ("about:blank", page.resolve().as_uri()):
            self.events.clear()
            self.call("Page.navigate", {"url": url})
            self.wait("Page.loadEventFired")
        exceptions = [e for e in self.events if e.get("method") == "Runtime.exceptionThrown"]
        if exceptions:
            raise RuntimeError(f"page error: {exceptions[0]}")
        while not self.eval("document.body && document.body.dataset.ready === 'true'"):
            pass
        return self.eval("window.govlensInteractiveAt")

    def close(self):
        self.proc.kill()
        self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--loads", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=35)
    ap.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    govlens = str(ROOT / "target" / "release" / "govlens")
    with open(SHARED / "manifest.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows, header = list(reader), reader.fieldnames
    browser = Chromium(a.chromium)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpora = {"shared corpus": SHARED}
        if a.repeat > 1:
            make_corpus(tmp / f"x{a.repeat}", rows, header, a.repeat)
            corpora[f"shared corpus x{a.repeat}"] = tmp / f"x{a.repeat}"
        print(f"{'corpus':<22} {'run, page (s)':>14} {'run, no page (s)':>17} {'page MB':>8} "
              f"{'interactive (ms)':>17}")
        for name, corpus in corpora.items():
            times = {"with": [], "without": []}
            for _ in range(a.runs):
                for kind in ("with", "without"):
                    out = tmp / f"out-{kind}"
                    cmd = [govlens, "run", "--corpus", str(corpus), "--out", str(out),
                           "--threads", "2", "--quiet"]
                    if kind == "without":
                        cmd.append("--no-report")
                    times[kind].append(timed(cmd)[0])
            page = tmp / "out-with" / "explorer.html"
            ms = [browser.interactive_ms(page) for _ in range(a.loads)]
            print(f"{name:<22} {statistics.median(times['with']):>14.2f} "
                  f"{statistics.median(times['without']):>17.2f} "
                  f"{page.stat().st_size / 1e6:>8.2f} {statistics.median(ms):>17.0f}")
    browser.close()


if __name__ == "__main__":
    main()
