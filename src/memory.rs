//! How the process allocates memory. Bulk loads spent a third of their time allocating and
//! freeing: rows made on one thread are freed on the writer, which glibc's per-thread arenas
//! handle with locks. Rust allocates with mimalloc; SQLite keeps glibc's allocator, told not
//! to shrink its heap during a bulk load (it did, then faulted the pages in again, with a TLB
//! flush on every core each time). Measured in docs/PERFORMANCE.md.

use libmimalloc_sys as mi;
use rusqlite::ffi;
use std::ffi::{c_int, c_long};
use std::sync::{Mutex, Once};

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
    _private: (),
}

/// How many `KeepFreedMemory` live (a bulk load inside a one-shot command, loads on two
/// threads), and mimalloc's purge delay from before the first: the settings change when the
/// first is made and come back when the last is dropped.
static HOLDERS: Mutex<(usize, c_long)> = Mutex::new((0, 0));

impl KeepFreedMemory {
    /// Stops handing memory back until dropped.
    pub fn new() -> KeepFreedMemory {
        let mut holders = HOLDERS.lock().unwrap_or_else(|e| e.into_inner());
        if holders.0 == 0 {
            // SAFETY: reading and setting a mimalloc option has no preconditions; mallopt
            // only changes glibc's thresholds.
            unsafe {
                holders.1 = mi::mi_option_get(PURGE_DELAY);
                mi::mi_option_set(PURGE_DELAY, -1);
                #[cfg(all(target_os = "linux", target_env = "gnu"))]
                {
                    libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
                    libc::mallopt(libc::M_TOP_PAD, 64 << 20);
                    libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
                }
            }
        }
        holders.0 += 1;
        KeepFreedMemory { _private: () }
    }
}

impl Default for KeepFreedMemory {
    fn default() -> Self {
        KeepFreedMemory::new()
    }
}

impl Drop for KeepFreedMemory {
    fn drop(&mut self) {
        let mut holders = HOLDERS.lock().unwrap_or_else(|e| e.into_inner());
        holders.0 -= 1;
        if holders.0 == 0 {
            // SAFETY: as in `new`. glibc's defaults, fixed now rather than adapting.
            unsafe {
                mi::mi_option_set(PURGE_DELAY, holders.1);
                #[cfg(all(target_os = "linux", target_env = "gnu"))]
                {
                    libc::mallopt(libc::M_TRIM_THRESHOLD, 128 << 10);
                    libc::mallopt(libc::M_TOP_PAD, 0);
                    libc::mallopt(libc::M_MMAP_THRESHOLD, 128 << 10);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn purge_delay() -> c_long {
        unsafe { mi::mi_option_get(PURGE_DELAY) }
    }

    /// Nested holders keep memory until the last one goes, then the purge delay comes back.
    /// The index of the option is checked too: mimalloc 3 purges after 1000 ms by default.
    #[test]
    fn freed_memory_is_kept_until_the_last_holder_goes() {
        let outer = KeepFreedMemory::new();
        let inner = KeepFreedMemory::new();
        assert_eq!(purge_delay(), -1);
        drop(inner);
        assert_eq!(purge_delay(), -1, "the outer holder still keeps memory");
        let before = HOLDERS.lock().unwrap().1;
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(before, 1000, "PURGE_DELAY is not mimalloc's purge delay option");
        }
        drop(outer);
        // Another test of this process may hold one too; then the delay stays off.
        let holders = HOLDERS.lock().unwrap();
        if holders.0 == 0 {
            assert_eq!(purge_delay(), before);
        }
    }
}
