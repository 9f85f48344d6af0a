//! The `paralign` binary: parse the command line, run it, exit with its code.
//! All the work is in the library; `paralign::main_with_args` prints errors once and picks the
//! exit code.

// mimalloc instead of the system allocator: `import-tmx` allocates units on its parsing thread
// and frees them on the storing one, and glibc's allocator then spends a third of the run on
// its locks (measured: a 1,000,000-unit import took 23 s with it, 14 s with mimalloc).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    paralign::main_with_args(std::env::args_os())
}
