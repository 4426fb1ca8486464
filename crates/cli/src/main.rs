//! The `praxcheck` program: parses arguments and hands over to the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    praxcheck_cli::main_with_args(std::env::args_os().collect())
}
