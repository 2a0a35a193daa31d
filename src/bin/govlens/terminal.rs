//! The command line's [`Observer`]: progress of a run on stderr, a live bar on a
//! terminal, a plain line every few seconds otherwise (logs of batch jobs),
//! nothing when quiet; warnings always. Part of the binary, not of the library,
//! which never prints.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use govlens::progress::Observer;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// An indicatif bar (stderr is a terminal).
    Bar,
    /// A line every `every` (stderr is a file or a pipe).
    Lines {
        every: Duration,
    },
    Quiet,
}

impl Mode {
    /// Bar on a terminal, otherwise a line when a document finishes at least 10 s
    /// after the last line (`GOVLENS_PROGRESS_SECONDS` changes the interval),
    /// nothing when `quiet`.
    pub fn for_stderr(quiet: bool) -> Mode {
        use std::io::IsTerminal;
        if quiet {
            Mode::Quiet
        } else if std::io::stderr().is_terminal() {
            Mode::Bar
        } else {
            let every = std::env::var("GOVLENS_PROGRESS_SECONDS")
                .ok()
                .and_then(|s| s.parse::<f64>().ok())
                .and_then(|s| Duration::try_from_secs_f64(s).ok())
                .unwrap_or(Duration::from_secs(10));
            Mode::Lines { every }
        }
    }
}

struct State {
    docs_total: u64,
    bytes_total: u64,
    docs: u64,
    bytes: u64,
    started: Instant,
    last_line: Instant,
}

/// Progress of one run; shared by the worker threads.
pub struct Progress {
    mode: Mode,
    bar: Mutex<Option<ProgressBar>>,
    state: Mutex<State>,
}

impl Progress {
    pub fn new(mode: Mode) -> Progress {
        let now = Instant::now();
        Progress {
            mode,
            bar: Mutex::new(None),
            state: Mutex::new(State {
                docs_total: 0,
                bytes_total: 0,
                docs: 0,
                bytes: 0,
                started: now,
                last_line: now,
            }),
        }
    }
}

impl Observer for Progress {
    fn start(&self, docs: u64, bytes: u64) {
        {
            let mut s = self.state.lock().expect("progress lock");
            (s.docs_total, s.bytes_total) = (docs, bytes);
            s.started = Instant::now();
            s.last_line = s.started;
        }
        if self.mode == Mode::Bar {
            let bar = ProgressBar::with_draw_target(Some(bytes), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {elapsed_precise} [{bar:30}] {bytes}/{total_bytes} \
                     {bytes_per_sec}, ETA {eta} · {msg}",
                )
                .expect("valid template")
                .progress_chars("=> "),
            );
            bar.set_message(format!("0/{docs} documents"));
            bar.enable_steady_tick(Duration::from_millis(200));
            *self.bar.lock().expect("progress lock") = Some(bar);
        }
    }

    fn document_done(&self, bytes: u64) {
        if self.mode == Mode::Quiet {
            return;
        }
        let mut s = self.state.lock().expect("progress lock");
        s.docs += 1;
        s.bytes += bytes;
        let bar = self.bar.lock().expect("progress lock");
        match (self.mode, bar.as_ref()) {
            (Mode::Bar, Some(bar)) => {
                bar.inc(bytes);
                bar.set_message(format!("{}/{} documents", s.docs, s.docs_total));
            }
            (Mode::Lines { every }, _) if s.last_line.elapsed() >= every => {
                s.last_line = Instant::now();
                eprintln!("govlens: {}", line(&s));
            }
            _ => {}
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.bar.lock().expect("progress lock").as_ref() {
            bar.finish_and_clear();
        }
    }

    /// Shown even when quiet: a warning is not progress.
    fn warn(&self, message: &str) {
        match self.bar.lock().expect("progress lock").as_ref() {
            Some(bar) => bar.suspend(|| eprintln!("govlens: {message}")),
            None => eprintln!("govlens: {message}"),
        }
    }
}

/// `120/775 documents, 7.5/50.1 MB, 25.3 MB/s, ETA 12 s`
fn line(s: &State) -> String {
    let mb = |b: u64| b as f64 / 1e6;
    let secs = s.started.elapsed().as_secs_f64().max(1e-9);
    let rate = mb(s.bytes) / secs;
    let eta = if s.bytes > 0 {
        format!(
            "{:.0} s",
            (s.bytes_total.saturating_sub(s.bytes)) as f64 / (s.bytes as f64 / secs)
        )
    } else {
        "unknown".into()
    };
    format!(
        "{}/{} documents, {:.1}/{:.1} MB, {rate:.1} MB/s, ETA {eta}",
        s.docs,
        s.docs_total,
        mb(s.bytes),
        mb(s.bytes_total)
    )
}
