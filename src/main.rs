//! The `paralign` binary: parse the command line, run it, exit with its code.
//! All the work is in the library; `cli::run` prints errors once and picks the exit code.

fn main() {
    std::process::exit(paralign::cli::run());
}
