use std::process::ExitCode;

use clap::Parser;
use onwatch::cli::{Cli, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(command) => run(command),
        None => {
            eprintln!(
                "onwatch: the window is not part of this build yet; try `onwatch scan --demo` or `onwatch --help`"
            );
            ExitCode::from(2)
        }
    }
}
