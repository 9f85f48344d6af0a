//! The `paralign` binary: parse the command line, run it, exit with its code.
//! All the work is in the library; `paralign::main_with_args` prints errors once and picks the
//! exit code.

// mimalloc instead of the system allocator: `import-tmx` allocates units on its parsing thread
// and frees them on the storing one, and glibc's allocator then spends a third of the run on
// its locks (measured: a 1,000,000-unit import took 23 s with it, 14 s with mimalloc).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_t`; libmimalloc-sys names only
/// some options).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // mimalloc gives memory it has not used for a second back to the system, and the kernel
    // clears each page again when it is used again: aligning a 32,000-verse pair spent a
    // fifth of its CPU time in those page faults (2,862 faults of 2 MB; 525 with a delay of
    // 10 s, which outlasts such a run and still returns what a long `serve` frees).
    // SAFETY: mi_option_set is not thread safe: it runs first, before any thread is started.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 10_000) };
    paralign::main_with_args(std::env::args_os())
}
