//! Giving freed memory back to the system between the phases of a run.
//!
//! glibc's allocator keeps what a thread freed in that thread's arena, to
//! serve that thread's next allocations; another thread does not reuse it.
//! `classify` frees the reading threads' ledger before the workbook is made
//! on the main thread, and `build` makes the workbook on the main thread
//! before the documents are rendered on workers: without a trim between the
//! phases, their peaks add up.

/// Returns the free memory of every arena to the system, where the
/// allocator allows it; elsewhere does nothing.
pub fn give_back_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: malloc_trim only releases pages the allocator holds free;
        // it is thread-safe and has no precondition.
        unsafe {
            malloc_trim(0);
        }
    }
}
