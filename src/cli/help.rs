//! The command line's help and argument errors in the reader's language. clap writes
//! both in English: its texts come from the doc comments, and its headings ("Usage:",
//! "Options:"), `--help`/`--version` lines and errors are built in. In Japanese every
//! text is replaced from the catalogue (`cli_help.<command path>.<argument id>`), the
//! headings come from our own template, and argument errors are written here from
//! clap's error context. English is left exactly as clap makes it.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};

use super::Cli;
use crate::i18n::Lang;
use crate::t;

/// The catalogue key of a command's or an argument's text: `cli_help.scan.profile`,
/// `cli_help.fix.undo._about`; the top-level command is `onwatch`.
fn key(path: &str, id: &str) -> String {
    format!("cli_help.{path}.{id}") // i18n: technical
}

/// The catalogue's text for a key, or None when it has none (rust-i18n answers a
/// missing key with `<locale>.<key>`).
fn text(key: &str) -> Option<String> {
    let found = t!(key);
    (!found.ends_with(key)).then(|| found.into_owned())
}

/// The key that holds a command's or an argument's text: its own
/// (`cli_help.scan.format`), else the one texts shared by several commands use
/// (`cli_help.shared.format`: the output and target options), else the top-level
/// command's (global options such as `--lang`). None when none exists.
pub fn key_for(path: &str, id: &str) -> Option<String> {
    [path, "shared", "onwatch"] // i18n: technical
        .iter()
        .map(|p| key(p, id))
        .find(|k| text(k).is_some())
}

/// A catalogue text in a language (for the tests, which cannot call `t!`).
pub fn text_in(key: &str, lang: Lang) -> String {
    crate::i18n::with_lang(lang, || t!(key).into_owned())
}

/// A command's or an argument's text in the current language.
fn localized(path: &str, id: &str) -> Option<String> {
    key_for(path, id).and_then(|k| text(&k))
}

/// The command line, its texts in `lang`.
pub fn command(lang: Lang) -> Command {
    let cmd = Cli::command();
    if lang == Lang::En {
        return cmd;
    }
    let mut cmd = localize(cmd, "onwatch", true); // i18n: technical
    // clap adds its `help` subcommand when it builds the command: its texts after.
    cmd.build();
    help_subcommands(cmd)
}

/// The texts of clap's `help` subcommand, under every command that has subcommands.
fn help_subcommands(mut cmd: Command) -> Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = if name == "help" {
            cmd.mut_subcommand("help", |help| {
                let help = match localized("help", "_about") {
                    Some(about) => help.about(about.clone()).long_about(about),
                    None => help,
                };
                match localized("help", "subcommand") {
                    Some(text) if help.get_arguments().any(|a| a.get_id() == "subcommand") => {
                        help.mut_arg("subcommand", |a| a.help(text.clone()).long_help(text))
                    }
                    _ => help,
                }
            })
        } else {
            cmd.mut_subcommand(&name, help_subcommands)
        };
    }
    cmd
}

fn localize(mut cmd: Command, path: &str, top: bool) -> Command {
    if let Some(about) = localized(path, "_about") {
        if cmd.get_long_about().is_some() {
            let long = text(&key(path, "_long_about")).unwrap_or_else(|| about.clone());
            cmd = cmd.long_about(long);
        }
        cmd = cmd.about(about);
    }
    if let Some(after) = localized(path, "_after_help") {
        cmd = cmd.after_help(after.clone()).after_long_help(after);
    }
    let template = t!("cli_help.template").into_owned();
    cmd = cmd
        .help_template(template)
        .subcommand_help_heading(t!("cli_help.commands_heading").into_owned())
        .disable_help_flag(true)
        .arg(
            Arg::new("help") // i18n: technical
                .short('h')
                .long("help") // i18n: technical
                .action(ArgAction::Help)
                .help(t!("cli_help.help_flag").into_owned()),
        );
    if top {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version") // i18n: technical
                .short('V')
                .long("version") // i18n: technical
                .action(ArgAction::Version)
                .help(t!("cli_help.version_flag").into_owned()),
        );
    }
    let options = t!("cli_help.options_heading").into_owned();
    let arguments = t!("cli_help.arguments_heading").into_owned();
    let path_owned = path.to_string();
    cmd = cmd.mut_args(|arg| {
        let heading = if arg.is_positional() {
            arguments.clone()
        } else {
            options.clone()
        };
        let mut arg = arg.help_heading(heading);
        // Our own --help and --version already carry their texts (no key names them).
        let id = arg.get_id().as_str().to_string();
        if let Some(mut help) = localized(&path_owned, &id) {
            let defaults: Vec<String> = arg
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            let possible: Vec<String> = arg
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string())
                .collect();
            // clap's "[possible values: ..]" and "[default: ..]", in the help's language.
            let takes_values = arg.get_action().takes_values();
            if !possible.is_empty() && takes_values {
                help.push_str(&t!("cli_help.possible", values = possible.join(", ")));
                arg = arg.hide_possible_values(true);
            }
            if !defaults.is_empty() && takes_values {
                help.push_str(&t!("cli_help.default", value = defaults.join(", ")));
                arg = arg.hide_default_value(true);
            }
            // A long help only where the English has one, so `-h` stays the short form.
            if arg.get_long_help().is_some() {
                arg = arg.long_help(help.clone());
            }
            arg = arg.help(help);
        }
        arg
    });
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        let sub_path = if top {
            name.clone()
        } else {
            format!("{path}.{name}") // i18n: technical
        };
        cmd = cmd.mut_subcommand(&name, |sub| localize(sub, &sub_path, false));
    }
    cmd
}

/// Parses the command line (`args` with the program name first); prints help, the
/// version or an argument error in `lang` and exits as clap would (0, or 2 for an
/// error).
pub fn parse(lang: Lang, args: impl IntoIterator<Item = OsString>) -> Cli {
    let mut cmd = command(lang);
    let result = cmd
        .try_get_matches_from_mut(args)
        .and_then(|m| Cli::from_arg_matches(&m));
    match result {
        Ok(cli) => cli,
        Err(e) if lang == Lang::En => e.exit(),
        Err(e) => match e.kind() {
            ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => e.exit(),
            _ => {
                super::say(&error_text(&e));
                std::process::exit(2);
            }
        },
    }
}

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        ContextValue::Bool(b) => Some(b.to_string()),
        ContextValue::None => None,
        _ => None,
    }
}

/// An argument error in Japanese: what is wrong, a suggestion when clap has one, the
/// usage, and where to read more.
pub fn error_text(e: &clap::Error) -> String {
    let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
    let mut out = match e.kind() {
        ErrorKind::UnknownArgument => t!("cli_help.unknown_argument", arg = arg).into_owned(),
        ErrorKind::InvalidSubcommand => {
            let name = context(e, ContextKind::InvalidSubcommand).unwrap_or_default();
            t!("cli_help.unknown_command", name = name).into_owned()
        }
        ErrorKind::InvalidValue => {
            let valid = context(e, ContextKind::ValidValue);
            match valid {
                Some(valid) => t!(
                    "cli_help.invalid_choice",
                    value = value,
                    arg = arg,
                    valid = valid
                )
                .into_owned(),
                None if value.is_empty() => t!("cli_help.needs_value", arg = arg).into_owned(),
                None => t!("cli_help.invalid_value", value = value, arg = arg).into_owned(),
            }
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(ToString::to_string)
                .unwrap_or_default();
            t!(
                "cli_help.value_rejected",
                value = value,
                arg = arg,
                why = why
            )
            .into_owned()
        }
        ErrorKind::MissingRequiredArgument => {
            t!("cli_help.missing_required", args = arg).into_owned()
        }
        ErrorKind::MissingSubcommand => t!("cli_help.missing_command").into_owned(),
        ErrorKind::ArgumentConflict => {
            let prior = context(e, ContextKind::PriorArg).unwrap_or_default();
            t!("cli_help.conflict", arg = arg, prior = prior).into_owned()
        }
        ErrorKind::WrongNumberOfValues | ErrorKind::TooManyValues | ErrorKind::TooFewValues => {
            t!("cli_help.wrong_values", arg = arg).into_owned()
        }
        ErrorKind::NoEquals => t!("cli_help.no_equals", arg = arg).into_owned(),
        // Kinds onwatch's arguments cannot raise; clap's own words, under our heading.
        _ => t!("cli_help.other", error = e.kind()).into_owned(),
    };
    if let Some(suggested) = context(e, ContextKind::SuggestedArg)
        .or_else(|| context(e, ContextKind::SuggestedSubcommand))
        .or_else(|| context(e, ContextKind::SuggestedValue))
    {
        out.push('\n');
        out.push_str(&t!("cli_help.did_you_mean", suggestion = suggested));
    }
    if let Some(usage) = context(e, ContextKind::Usage) {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim(); // i18n: technical
        out.push_str("\n\n");
        out.push_str(&t!("cli_help.usage", usage = usage));
    }
    out.push_str("\n\n");
    out.push_str(&t!("cli_help.more"));
    out
}

/// Every catalogue key the command line's help uses with the English text it stands
/// for (the doc comment), for the test that each has a Japanese text.
pub fn english_texts() -> Vec<(String, String)> {
    fn walk(cmd: &Command, path: &str, out: &mut Vec<(String, String)>) {
        if let Some(about) = cmd.get_about() {
            out.push((key(path, "_about"), about.to_string()));
        }
        if let Some(long) = cmd.get_long_about() {
            out.push((key(path, "_long_about"), long.to_string()));
        }
        if let Some(after) = cmd.get_after_help() {
            out.push((key(path, "_after_help"), after.to_string()));
        }
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            let help = arg
                .get_long_help()
                .or_else(|| arg.get_help())
                .map(ToString::to_string)
                .unwrap_or_default();
            if id != "help" && id != "version" {
                out.push((key(path, id), help));
            }
        }
        for sub in cmd.get_subcommands() {
            let name = sub.get_name();
            let sub_path = if path == "onwatch" {
                name.to_string()
            } else {
                format!("{path}.{name}") // i18n: technical
            };
            walk(sub, &sub_path, out);
        }
    }
    let mut out = Vec::new();
    walk(&Cli::command(), "onwatch", &mut out); // i18n: technical
    out
}
