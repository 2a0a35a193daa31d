//! The `govlens` binary: parse flags, run the command, map errors to exit codes.
//!
//! [`args`] holds the flags (clap), [`commands`] translates each command into
//! library calls, [`show`] prints what they return, and [`terminal`] is the
//! observer that draws the progress bar. The work itself is the library's (`govlens::Pipeline`
//! and the functions of `govlens::inspect`, `merge`, `report`, `validate`).

use std::process::ExitCode;

use clap::Parser;

mod args;
mod commands;
mod show;
mod terminal;

/// jemalloc instead of the system allocator. A run frees a batch's memory
/// while it keeps things between batches; glibc's allocator then keeps much of
/// the freed memory resident, so the peak grew with the number of documents
/// (`benches/compare.py`: x500 of the shared corpus at 286 MB against 167 MB at
/// x35 with glibc; with jemalloc, freed pages returned within half a second, 248
/// against 174 MB, and no slower).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's settings: a background thread returns freed pages to the system
/// after 0.5 s (`MALLOC_CONF` syntax, read by jemalloc at start).
#[cfg(not(target_env = "msvc"))]
#[allow(non_upper_case_globals)]
#[unsafe(export_name = "_rjem_malloc_conf")]
pub static malloc_conf: &[u8; 59] = b"background_thread:true,dirty_decay_ms:500,muzzy_decay_ms:0\0";

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match commands::dispatch(cli) {
        Ok(code) => code,
        // `govlens segment big.txt | head` is not an error.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("govlens: error: {e}");
            ExitCode::FAILURE
        }
    }
}
