//! PDF: the text layer, read by poppler's `pdftotext`, laid out by govlens.
//!
//! Poppler (Debian's `poppler-utils`) is run as a separate program: its licence
//! (GPL) does not reach govlens, which stays MIT OR Apache-2.0, and a PDF that
//! makes it crash, loop or swell cannot take the run with it. It gets the file on
//! standard input and writes every word with its box (`-bbox-layout`); govlens
//! parses that ([`bbox`]) and makes the reading order, paragraphs and pages itself
//! ([`layout`]). The library was chosen by measurement (see `benches/pdf/`):
//! on the same rendered files poppler's words were right where `pdf-extract`'s
//! running headers came out letter-spaced, and it was the faster of the two.
//!
//! Bounded: poppler runs with an address-space limit, a CPU-time limit and a
//! wall-clock deadline, and its output is read up to a size; past any of them it
//! is killed and the document is recorded as `limit_exceeded`. An encrypted PDF
//! (one that needs a password to open), one that is broken, and one whose pages
//! carry no text (a scan) are recorded as such.

pub mod bbox;
pub mod layout;

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::corpus::layout::Layout;
use crate::corpus::problem::{DocProblem, ProblemKind};

/// The program that reads PDFs; `GOVLENS_PDFTOTEXT` names another.
pub const PDFTOTEXT: &str = "pdftotext";

/// How much poppler may use on one PDF.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Address space of the poppler process.
    pub memory_bytes: u64,
    /// Wall-clock time (the CPU-time limit is the same number of seconds).
    pub time: Duration,
    /// Poppler's output (words and their boxes, about 100 bytes a word: 256 MiB
    /// is some 2.5 million words, a shelf of books in one file).
    pub output_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory_bytes: 2 << 30,
            time: Duration::from_secs(120),
            output_bytes: 256 << 20,
        }
    }
}

impl Limits {
    /// The defaults, or the seconds in `GOVLENS_PDF_TIMEOUT_SECS` and the MiB in
    /// `GOVLENS_PDF_MEMORY_MB` when they are set.
    pub fn from_env() -> Limits {
        let mut limits = Limits::default();
        let var = |name: &str| std::env::var(name).ok()?.trim().parse::<u64>().ok();
        if let Some(secs) = var("GOVLENS_PDF_TIMEOUT_SECS").filter(|s| *s > 0) {
            limits.time = Duration::from_secs(secs);
        }
        if let Some(mb) = var("GOVLENS_PDF_MEMORY_MB").filter(|m| *m > 0) {
            limits.memory_bytes = mb.saturating_mul(1 << 20);
        }
        limits
    }
}

/// The text of the PDF `bytes` and its pages.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<(String, Layout), DocProblem> {
    let out = run_pdftotext(bytes, limits)?;
    let pages = bbox::parse(&out).map_err(|m| DocProblem::new(ProblemKind::Malformed, m))?;
    if pages.is_empty() {
        return Err(DocProblem::new(
            ProblemKind::Malformed,
            "poppler found no pages in it",
        ));
    }
    if pages.iter().all(|p| p.lines.is_empty()) {
        return Err(DocProblem::new(
            ProblemKind::NoTextLayer,
            format!(
                "none of its {} pages has a text layer (a scan? run OCR first, e.g. ocrmypdf)",
                pages.len()
            ),
        ));
    }
    let (text, pages) = layout::text(&pages);
    Ok((
        text,
        Layout {
            pages,
            headings: Vec::new(),
        },
    ))
}

/// Runs poppler on `bytes` within `limits`; its XHTML word list, or the problem.
fn run_pdftotext(bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, DocProblem> {
    let program = std::env::var_os("GOVLENS_PDFTOTEXT").unwrap_or_else(|| PDFTOTEXT.into());
    let mut command = Command::new(&program);
    command
        .args(["-bbox-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    limit_child(&mut command, limits);
    let mut child = command.spawn().map_err(|e| {
        let message = if e.kind() == std::io::ErrorKind::NotFound {
            format!(
                "reading PDF needs poppler's {} (Debian/Ubuntu: apt-get install poppler-utils; macOS: brew install poppler)",
                program.to_string_lossy()
            )
        } else {
            format!("could not start {}: {e}", program.to_string_lossy())
        };
        DocProblem::new(ProblemKind::ToolMissing, message)
    })?;
    let (mut stdin, mut stdout, mut stderr) = (
        child.stdin.take().expect("piped"),
        child.stdout.take().expect("piped"),
        child.stderr.take().expect("piped"),
    );
    let out_limit = limits.output_bytes;
    let overflow = AtomicBool::new(false);
    std::thread::scope(|s| {
        // Poppler may stop reading early (a broken file): a failed write is fine.
        s.spawn(move || {
            let _ = stdin.write_all(bytes);
        });
        let reader = s.spawn(|| {
            let mut out = Vec::new();
            let read = (&mut stdout).take(out_limit + 1).read_to_end(&mut out);
            if out.len() as u64 > out_limit {
                overflow.store(true, Ordering::Relaxed);
            }
            read.map(|_| out).unwrap_or_default()
        });
        let errors = s.spawn(move || {
            let mut err = Vec::new();
            let _ = (&mut stderr).take(64 << 10).read_to_end(&mut err);
            String::from_utf8_lossy(&err).into_owned()
        });
        let started = Instant::now();
        let status = loop {
            if let Ok(Some(status)) = child.try_wait() {
                break Ok(status);
            }
            let over = overflow.load(Ordering::Relaxed);
            if over || started.elapsed() >= limits.time {
                let _ = child.kill();
                let _ = child.wait();
                break Err(over);
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let out = reader.join().unwrap_or_default();
        let err = errors.join().unwrap_or_default();
        // Output over the limit is refused even when poppler finished writing
        // it: what was read is not the whole document.
        let status = match status {
            Ok(_) if overflow.load(Ordering::Relaxed) => Err(true),
            other => other,
        };
        classify(status, out, &err, limits)
    })
}

/// What poppler's exit, output and messages say about the PDF.
/// `status` is the exit status, or whether the output went over its limit when
/// poppler had to be stopped.
fn classify(
    status: Result<std::process::ExitStatus, bool>,
    out: Vec<u8>,
    err: &str,
    limits: &Limits,
) -> Result<Vec<u8>, DocProblem> {
    let first_error = || {
        err.lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no message")
            .to_string()
    };
    let status = match status {
        Ok(status) => status,
        Err(true) => {
            return Err(DocProblem::new(
                ProblemKind::LimitExceeded,
                format!(
                    "its text is larger than {} MB (a PDF bomb?)",
                    limits.output_bytes >> 20
                ),
            ));
        }
        Err(false) => {
            return Err(DocProblem::new(
                ProblemKind::LimitExceeded,
                format!(
                    "poppler took longer than {} s on it and was stopped",
                    limits.time.as_secs()
                ),
            ));
        }
    };
    if status.success() {
        return Ok(out);
    }
    if err.contains("Incorrect password") || err.contains("ncrypt") {
        return Err(DocProblem::new(
            ProblemKind::Encrypted,
            "it is encrypted and needs a password to open",
        ));
    }
    let out_of_memory = err.contains("bad_alloc") || err.contains("Out of memory");
    if out_of_memory {
        return Err(DocProblem::new(
            ProblemKind::LimitExceeded,
            format!(
                "poppler ran out of its {} MB of memory (GOVLENS_PDF_MEMORY_MB)",
                limits.memory_bytes >> 20
            ),
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        match status.signal() {
            Some(libc::SIGXCPU) | Some(libc::SIGKILL) => {
                return Err(DocProblem::new(
                    ProblemKind::LimitExceeded,
                    format!(
                        "poppler used up its {} s of CPU time (GOVLENS_PDF_TIMEOUT_SECS)",
                        limits.time.as_secs()
                    ),
                ));
            }
            Some(signal) => {
                return Err(DocProblem::new(
                    ProblemKind::Malformed,
                    format!("poppler crashed on it (signal {signal}): {}", first_error()),
                ));
            }
            None => {}
        }
    }
    Err(DocProblem::new(
        ProblemKind::Malformed,
        format!("not a readable PDF: {}", first_error()),
    ))
}

/// Limits the child's address space and CPU time (Unix).
fn limit_child(command: &mut Command, limits: &Limits) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let memory = limits.memory_bytes as libc::rlim_t;
        let cpu = limits.time.as_secs().max(1) as libc::rlim_t;
        // SAFETY: between fork and exec only getrlimit and setrlimit run, which
        // are async-signal-safe and allocate nothing.
        unsafe {
            command.pre_exec(move || {
                // Never above the hard limit the process already has (raising
                // it is not allowed), else the program would not start at all.
                let lower = |resource, value: libc::rlim_t| {
                    let mut limit = libc::rlimit {
                        rlim_cur: 0,
                        rlim_max: 0,
                    };
                    if libc::getrlimit(resource, &mut limit) != 0 {
                        return -1;
                    }
                    let value = value.min(limit.rlim_max);
                    limit.rlim_cur = value;
                    limit.rlim_max = value;
                    libc::setrlimit(resource, &limit)
                };
                if lower(libc::RLIMIT_AS, memory) != 0 || lower(libc::RLIMIT_CPU, cpu) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    #[cfg(not(unix))]
    let _ = (command, limits);
}
