//! Handing freed memory back to the system where a run knows much was just freed.
//!
//! The binary's allocator is jemalloc (see `src/bin/govlens/main.rs`, and the
//! feature `jemalloc`), whose background thread
//! returns freed pages half a second after they are freed. Where a run frees a
//! whole batch and then builds what it keeps (the profiles read back at the end of
//! the corpus pass), the two would otherwise be resident together for that half
//! second, which set the peak of a large corpus.

/// Returns every arena's freed pages to the system now. Harmless where jemalloc
/// is not the allocator (its arenas are then empty); nothing without the feature.
pub fn release_freed() {
    #[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
    {
        // 4096 is MALLCTL_ARENAS_ALL: every arena.
        let name = c"arena.4096.purge";
        let (none, no_len) = (std::ptr::null_mut(), std::ptr::null_mut());
        // SAFETY: `arena.<i>.purge` takes no value in or out; the name is a valid
        // NUL-terminated string. An error (no such arena) changes nothing.
        unsafe {
            tikv_jemalloc_sys::mallctl(name.as_ptr(), none, no_len, none, 0);
        }
    }
}
