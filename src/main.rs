use std::process::ExitCode;

use clap::Parser;
use onwatch::cli::{Cli, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(command) => run(command),
        None => onwatch::gui::run(cli.demo),
    }
}
