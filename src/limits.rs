//! The bounds of every size and count a user can set or feed, in one place.
//!
//! No setting and no input may make govlens cost without bound: a typo such as
//! `bootstrap = 1e7` must be an error that names the key and its limit, not an hour
//! of work and a killed process. Each bound is far above any sensible use (the
//! README lists them with their keys); what lies beyond it is refused before any
//! document is read.

/// Worker threads (`threads`, `--threads`).
pub const THREADS: u64 = 1024;
/// MiB of one file read (`max_file_mb`, `--max-file-mb`).
pub const MAX_FILE_MB: u64 = 16_384;
/// MiB of files analysed at a time (`batch_mb`, `--batch-mb`).
pub const BATCH_MB: f64 = 16_384.0;
/// Bootstrap resamples of the rate intervals (`[stats] bootstrap`, `--bootstrap`).
pub const BOOTSTRAP: u64 = 100_000;
/// Tokens of context on each side (`[stats] kwic_window`, `kwic --window`,
/// `audit --window`).
pub const KWIC_WINDOW: u64 = 1_000;
/// Tokens on each side counted as collocates (`[stats] collocation_window`).
pub const COLLOCATION_WINDOW: u64 = 100;
/// Keywords per document and method (`[stats] keywords`).
pub const KEYWORDS: u64 = 10_000;
/// Nearest neighbours per document (`[stats] neighbours`).
pub const NEIGHBOURS: u64 = 10_000;
/// Terms Wordfish fits (`[stats] wordfish_terms`).
pub const WORDFISH_TERMS: u64 = 50_000;
/// Cells of Wordfish's dense documents x terms matrix (8 bytes each).
pub const WORDFISH_CELLS: u64 = 50_000_000;
/// Wordfish's bootstrap replicates, each a whole refit (`[stats] wordfish_bootstrap`).
pub const WORDFISH_BOOTSTRAP: u64 = 2_000;
/// Shards of one corpus (`--shard K/N`).
pub const SHARDS: u64 = 1_000_000;
/// Characters of a concordance side printed (`kwic --width`, `parallel --width`).
pub const WIDTH: u64 = 100_000;
/// Bytes of a lexicon or dictionary file.
pub const LEXICON_BYTES: u64 = 64 << 20;
/// Entries of a dictionary, all categories together (an entry in two categories
/// counts twice).
pub const DICTIONARY_ENTRIES: usize = 1_000_000;
/// Bytes of one dictionary entry.
pub const ENTRY_BYTES: usize = 256;
/// Levels of nesting of a dictionary's categories.
pub const DICTIONARY_DEPTH: usize = 64;
/// Categories of a dictionary.
pub const DICTIONARY_CATEGORIES: usize = 100_000;
/// Bytes of one category's name, and of its whole path of names.
pub const NAME_BYTES: usize = 256;
pub const PATH_BYTES: usize = 1_024;
/// Bytes of a pipeline file.
pub const PIPELINE_BYTES: u64 = 1 << 20;
/// Bytes of a corpus manifest.
pub const MANIFEST_BYTES: u64 = 256 << 20;
/// Bytes of a run's `run.json`.
pub const RUN_JSON_BYTES: u64 = 256 << 20;
/// Bytes of a coding sheet.
pub const SHEET_BYTES: u64 = 64 << 20;

/// `Err` with the message when `value` of `key` is above `max`.
pub fn at_most(key: &str, value: u64, max: u64) -> Result<(), String> {
    if value > max {
        Err(format!("{key} = {value} is above the limit of {max}"))
    } else {
        Ok(())
    }
}

/// `Err` with the message when `value` of `key` is 0 or above `max`: a count
/// that must be at least one and is bounded (threads, MiB of a file).
pub fn from_one_to(key: &str, value: u64, max: u64) -> Result<(), String> {
    if value == 0 {
        return Err(format!("{key} must be at least 1"));
    }
    at_most(key, value, max)
}

/// Reads `reader` to its end, or `None` as soon as it holds more than `limit`
/// bytes: no more than `limit + 1` bytes are ever read.
pub fn read_at_most(reader: impl std::io::Read, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// Reads at most `limit` bytes of `path` (a regular file, a device or a pipe
/// alike); more is an error naming the limit, found before it is all read.
pub fn read_bounded(
    path: &std::path::Path,
    limit: u64,
    what: &str,
) -> crate::error::Result<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(|e| crate::error::Error::io(path, e))?;
    let too_big = || {
        crate::error::Error::config(
            path,
            format!("larger than the limit of {} MiB for a {what}", limit >> 20),
        )
    };
    if let Ok(meta) = file.metadata()
        && meta.is_file()
        && meta.len() > limit
    {
        return Err(too_big());
    }
    read_at_most(file, limit)
        .map_err(|e| crate::error::Error::io(path, e))?
        .ok_or_else(too_big)
}

/// For tests of growth (not of speed): the seconds of the fastest of three
/// calls of `f`, so one slow moment of a busy machine does not count.
#[cfg(test)]
pub(crate) fn fastest_of_three(f: impl Fn()) -> f64 {
    (0..3)
        .map(|_| {
            let t = std::time::Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

/// The worker threads of a run (or merge): `threads`, or one per core.
pub fn thread_pool(threads: Option<usize>) -> crate::error::Result<(rayon::ThreadPool, usize)> {
    // rayon reads 0 as "one per core": here it is a mistake, as in a pipeline.
    if let Some(n) = threads {
        from_one_to("threads", n as u64, THREADS)
            .map_err(|why| crate::error::Error::Invalid(format!("--threads: {why}")))?;
    }
    let threads =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| {
            crate::error::Error::Invalid(format!("cannot start {threads} threads: {e}"))
        })?;
    Ok((pool, threads))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_reads_stop_at_the_limit_whatever_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("a.toml");
        std::fs::write(&small, "x".repeat(10)).unwrap();
        assert_eq!(read_bounded(&small, 10, "lexicon").unwrap().len(), 10);
        let err = read_bounded(&small, 9, "lexicon").unwrap_err().to_string();
        assert!(err.contains("a.toml") && err.contains("limit"), "{err}");
        // A device with no end is read only up to the limit.
        if std::path::Path::new("/dev/zero").exists() {
            let err = read_bounded(std::path::Path::new("/dev/zero"), 1 << 20, "lexicon")
                .unwrap_err()
                .to_string();
            assert!(err.contains("limit of 1 MiB"), "{err}");
        }
        assert!(at_most("bootstrap", 10, 10).is_ok());
        assert_eq!(
            at_most("bootstrap", 11, 10).unwrap_err(),
            "bootstrap = 11 is above the limit of 10"
        );
    }
}
