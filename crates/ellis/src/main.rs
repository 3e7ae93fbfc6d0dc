//! The `ellis` binary.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = ellis::cli::Cli::parse();
    match ellis::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("ellis: {error:#}");
            ExitCode::FAILURE
        }
    }
}
