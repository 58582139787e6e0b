//! The CLI in Japanese: where the language comes from, the text report, and JSON that
//! does not change with it.

fn demo_scan(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_onwatch"));
    cmd.args(["scan", "--demo"])
        .args(args)
        .env_remove("ONWATCH_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C")
        .env("TZ", "UTC");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("onwatch runs")
}

#[test]
fn the_cli_text_report_in_japanese() {
    let out = demo_scan(&["--lang", "ja"], &[]);
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.contains("スコア"), "{text}");
    insta::assert_snapshot!("demo_text_ja", text);
}

#[test]
fn the_language_comes_from_the_flag_then_onwatch_lang_then_the_locale() {
    let lang_of = |args: &[&str], env: &[(&str, &str)]| {
        let out = demo_scan(args, env);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        if text.contains("スコア") {
            "ja"
        } else if text.contains("Score") {
            "en"
        } else {
            panic!("neither language: {text}")
        }
    };
    assert_eq!(lang_of(&[], &[]), "en", "C locale: English");
    assert_eq!(
        lang_of(&[], &[("LANG", "ja_JP.UTF-8")]),
        "ja",
        "a Japanese locale"
    );
    assert_eq!(
        lang_of(&[], &[("LANG", "ja_JP.UTF-8"), ("LC_ALL", "en_US.UTF-8")]),
        "en",
        "LC_ALL wins over LANG"
    );
    assert_eq!(lang_of(&[], &[("ONWATCH_LANG", "ja")]), "ja");
    assert_eq!(
        lang_of(&[], &[("ONWATCH_LANG", "en"), ("LANG", "ja_JP.UTF-8")]),
        "en",
        "ONWATCH_LANG wins over the locale"
    );
    assert_eq!(
        lang_of(&["--lang", "en"], &[("ONWATCH_LANG", "ja")]),
        "en",
        "the flag wins"
    );
    let bad = demo_scan(&["--lang", "fr"], &[]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("en or ja"));
}

#[test]
fn json_output_does_not_change_with_the_language() {
    let json = |lang: &str| {
        let out = demo_scan(&["--lang", lang, "--format", "json"], &[]);
        let mut v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        v.as_object_mut().expect("object").remove("generated_at");
        v
    };
    let (en, ja) = (json("en"), json("ja"));
    assert_eq!(en, ja, "the JSON report is the same in both languages");
    assert!(
        en.to_string().contains("GuardDuty is not turned on"),
        "and it is English"
    );
}
