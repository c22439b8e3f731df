//! How the process allocates memory. Bulk loads spent a third of their time allocating and
//! freeing: rows made on one thread are freed on the writer, which glibc's per-thread arenas
//! handle with locks. Rust allocates with mimalloc; SQLite keeps glibc's allocator, told not
//! to shrink its heap during a bulk load (it did, then faulted the pages in again, with a TLB
//! flush on every core each time). Measured in docs/PERFORMANCE.md.

use libmimalloc_sys as mi;
use rusqlite::ffi;
use std::ffi::{c_int, c_long};
use std::sync::Once;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3 (libmimalloc-sys names no constant for it).
const PURGE_DELAY: mi::mi_option_t = 15;

/// Stops SQLite keeping memory statistics: a global mutex taken at every allocation, and
/// Prospect never reads them. Called before the first connection opens; when SQLite has
/// already started (a test that opened one itself), SQLite refuses the change and keeps its
/// default, which is harmless.
pub fn configure_sqlite() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config is only allowed before sqlite3_initialize and returns
        // SQLITE_MISUSE (changing nothing) after it.
        unsafe {
            ffi::sqlite3_config(ffi::SQLITE_CONFIG_MEMSTATUS, 0 as c_int);
        }
    });
}

/// While it lives, memory freed is kept for the next allocation instead of being handed back
/// to the system, by mimalloc and by glibc (SQLite's page cache): a bulk load frees and
/// allocates hundreds of megabytes in turn, and every page handed back was faulted in again.
/// Dropping it restores the usual behaviour, so a TUI that ran an import gives the memory
/// back afterwards.
#[derive(Debug)]
pub struct KeepFreedMemory {
    before: c_long,
}

impl KeepFreedMemory {
    /// Stops handing memory back until dropped.
    pub fn new() -> KeepFreedMemory {
        // SAFETY: reading and setting a mimalloc option has no preconditions.
        let before = unsafe { mi::mi_option_get(PURGE_DELAY) };
        unsafe { mi::mi_option_set(PURGE_DELAY, -1) };
        // SAFETY: mallopt only changes glibc's thresholds; an unknown option is ignored.
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        unsafe {
            libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
            libc::mallopt(libc::M_TOP_PAD, 64 << 20);
            libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        }
        KeepFreedMemory { before }
    }
}

impl Default for KeepFreedMemory {
    fn default() -> Self {
        KeepFreedMemory::new()
    }
}

impl Drop for KeepFreedMemory {
    fn drop(&mut self) {
        // SAFETY: as in `new`.
        unsafe { mi::mi_option_set(PURGE_DELAY, self.before) };
        // glibc's defaults (fixed now rather than adapting, which costs nothing here).
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        unsafe {
            libc::mallopt(libc::M_TRIM_THRESHOLD, 128 << 10);
            libc::mallopt(libc::M_TOP_PAD, 0);
            libc::mallopt(libc::M_MMAP_THRESHOLD, 128 << 10);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeping_freed_memory_sets_mimallocs_purge_delay_and_gives_it_back() {
        let before = unsafe { mi::mi_option_get(PURGE_DELAY) };
        {
            let _keep = KeepFreedMemory::new();
            assert_eq!(unsafe { mi::mi_option_get(PURGE_DELAY) }, -1);
        }
        assert_eq!(unsafe { mi::mi_option_get(PURGE_DELAY) }, before);
    }
}
