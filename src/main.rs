//! The `hotwash` binary: all of it lives in the library, so tests drive it too.

fn main() -> std::process::ExitCode {
    hotwash::cli::main()
}
