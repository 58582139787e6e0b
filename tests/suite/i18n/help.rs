//! The command line's help and argument errors in Japanese (`--lang ja`): every text
//! of every command from the catalogue, clap's headings and errors in Japanese too,
//! English left as clap writes it.

use onwatch::cli::help;
use onwatch::i18n::Lang;

fn onwatch(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_onwatch"))
        .args(args)
        .env_remove("ONWATCH_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C")
        .output()
        .expect("onwatch runs")
}

fn has_japanese(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}'))
}

/// Each command's and argument's doc comment has a catalogue key whose English is
/// that doc comment, word for word (so changing a doc comment without its Japanese
/// fails here), and whose Japanese is Japanese.
#[test]
fn every_help_text_has_a_japanese_text_for_its_english() {
    let mut problems = Vec::new();
    for (key, english) in help::english_texts() {
        let rest = key.strip_prefix("cli_help.").expect("a cli_help key");
        let (path, id) = rest.rsplit_once('.').expect("path.id");
        let Some(found) = help::key_for(path, id) else {
            problems.push(format!("{key}: no text ({english:?})"));
            continue;
        };
        let en = help::text_in(&found, Lang::En);
        let ja = help::text_in(&found, Lang::Ja);
        if en != english {
            problems.push(format!(
                "{key} (from {found}): the catalogue's English {en:?} is not the doc comment {english:?}"
            ));
        }
        if !has_japanese(&ja) {
            problems.push(format!("{found}: the Japanese {ja:?} has no Japanese"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `--help` of each command in Japanese: the catalogue's texts under Japanese
/// headings, and none of the English doc comments or clap's English words.
#[test]
fn help_in_japanese_has_no_english_left() {
    let english = help::english_texts();
    for command in [
        vec![],
        vec!["scan"],
        vec!["evaluate"],
        vec!["diff"],
        vec!["history"],
        vec!["checklist"],
        vec!["checklist", "validate"],
        vec!["checklist", "list"],
        vec!["fix"],
        vec!["fix", "log"],
        vec!["fix", "undo"],
        vec!["drill"],
    ] {
        for flag in ["--help", "-h"] {
            let mut args = vec!["--lang", "ja"];
            args.extend(&command);
            args.push(flag);
            let out = onwatch(&args);
            assert!(out.status.success(), "{args:?}: {out:?}");
            let text = String::from_utf8(out.stdout).expect("UTF-8");
            assert!(text.contains("使い方: onwatch"), "{args:?}: {text}");
            assert!(text.contains("ヘルプを表示します"), "{args:?}: {text}");
            for word in [
                "Usage:",
                "Options:",
                "Arguments:",
                "Commands:",
                "Print help",
                "[default:",
                "[possible values:",
            ] {
                assert!(
                    !text.contains(word),
                    "{args:?} still says {word:?}:\n{text}"
                );
            }
            for (key, en) in &english {
                // Short texts ("The older snapshot.") could hide in a longer one; the
                // doc comments are full sentences.
                if en.len() > 25 {
                    assert!(
                        !text.contains(en.as_str()),
                        "{args:?} shows the English of {key}:\n{text}"
                    );
                }
            }
        }
    }
    // `help COMMAND` is the same help.
    let out = onwatch(&["--lang", "ja", "help", "fix", "undo"]);
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        text.contains("使い方: onwatch fix undo [OPTIONS] <RUN>"),
        "{text}"
    );
    let out = onwatch(&["--lang", "ja", "scan", "--help"]);
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.contains("--profile <NAME>"), "{text}");
    assert!(text.contains("［既定値: 16］"), "{text}");
    assert!(
        text.contains("［指定できる値: text, json, markdown"),
        "{text}"
    );
}

/// English stays clap's own: headings, the help flag, defaults.
#[test]
fn help_in_english_is_clap_s() {
    let out = onwatch(&["scan", "--help"]);
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    for word in [
        "Usage: onwatch scan",
        "Options:",
        "-h, --help",
        "[default: 16]",
    ] {
        assert!(text.contains(word), "{word:?}:\n{text}");
    }
    assert!(!has_japanese(&text), "{text}");
}

/// An argument error in Japanese: what is wrong, clap's suggestion, the usage, exit 2.
#[test]
fn argument_errors_in_japanese() {
    let cases: [(&[&str], &[&str]); 5] = [
        (
            &["--lang", "ja", "scan", "--profle", "x"],
            &[
                "エラー: 不明な引数 '--profle' があります",
                "ヒント: '--profile' のことですか？",
                "使い方: onwatch scan",
            ],
        ),
        (
            &["--lang", "ja", "scan", "--demo", "--format", "xml"],
            &[
                "エラー: '--format <FORMAT>' に 'xml' は指定できません",
                "text, json",
            ],
        ),
        (
            &["--lang", "ja", "scna"],
            &[
                "エラー: 不明なサブコマンド 'scna' です",
                "'scan' のことですか",
            ],
        ),
        (
            &["--lang", "ja", "scan", "--demo", "--fail-under", "101"],
            &["エラー: '--fail-under <N>' の値 '101' が正しくありません"],
        ),
        (
            &["--lang", "ja", "fix", "undo"],
            &["エラー: 次の必須の引数が指定されていません: <RUN>"],
        ),
    ];
    for (args, expected) in cases {
        let out = onwatch(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        let err = String::from_utf8(out.stderr).expect("UTF-8");
        for e in expected {
            assert!(err.contains(e), "{args:?}: expected {e:?} in\n{err}");
        }
        assert!(
            err.contains("詳しくは '--help' を指定して実行してください。"),
            "{err}"
        );
        assert!(
            !err.contains("error:") && !err.contains("Usage:"),
            "{args:?}:\n{err}"
        );
    }
    // The same mistake in English is clap's message.
    let out = onwatch(&["scan", "--profle", "x"]);
    let err = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(
        err.contains("error: unexpected argument '--profle' found"),
        "{err}"
    );
    assert_eq!(out.status.code(), Some(2));
}
