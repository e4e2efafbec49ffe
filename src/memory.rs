//! Giving freed memory back to the system between the phases of a run.
//!
//! glibc's allocator keeps what a thread freed in that thread's arena, to
//! serve that thread's next allocations. A phase that runs on other threads
//! than the one before it does not reuse that memory: the reading workers'
//! blocks stay resident while the main thread classifies, and the workbook,
//! made on the main thread, while the documents are rendered on workers.
//! Without a trim between phases, their peaks add up.

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
