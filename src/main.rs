use std::process::ExitCode;

use onwatch::cli::run;
use onwatch::i18n::Lang;

fn main() -> ExitCode {
    // The language is set before the arguments are parsed, so onwatch's own messages
    // about a bad argument are in it too.
    let lang = lang_in_args().unwrap_or_else(Lang::from_environment);
    onwatch::i18n::set(lang);
    let cli = onwatch::cli::help::parse(lang, std::env::args_os());
    match cli.command {
        Some(command) => run(command),
        None => onwatch::gui::run(cli.demo, cli.lang),
    }
}

/// `--lang ja` or `--lang=ja` anywhere on the command line (clap checks it properly).
/// Arguments that are not UTF-8 (a file name) are skipped, not a panic.
fn lang_in_args() -> Option<Lang> {
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    args.iter()
        .enumerate()
        .find_map(|(i, a)| match a.strip_prefix("--lang") {
            Some("") => args.get(i + 1).and_then(|v| Lang::parse(v)),
            Some(rest) => rest.strip_prefix('=').and_then(Lang::parse),
            None => None,
        })
}
