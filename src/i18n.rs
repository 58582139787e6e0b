//! Languages: which one is in use, how it is chosen, and the formats that follow it.
//!
//! Texts live in the string catalogue (`assets/locales/*.yml`, one key with its English
//! and Japanese text side by side), compiled in by rust-i18n and read with `t!`. The
//! checklist's own texts are translated in `checklists/ja/` (see
//! [`crate::checklist::Checklist::localized`]). Machine-readable output (JSON reports,
//! snapshots, ids) never changes with the language.

use std::sync::atomic::{AtomicU8, Ordering};

use chrono::{DateTime, Local, Utc};
use serde::{Deserialize, Serialize};

/// A language onwatch speaks.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    En,
    Ja,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ja];

    /// The code used by `--lang`, `ONWATCH_LANG` and the catalogue.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    /// The language's own name, as a language menu shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ja => "日本語",
        }
    }

    /// Reads a language code or a locale name: `ja`, `ja-JP`, `ja_JP.UTF-8`, `en_US`.
    /// Anything else (including `C` and `POSIX`) is not a language onwatch speaks.
    pub fn parse(text: &str) -> Option<Lang> {
        let lower = text.trim().to_ascii_lowercase();
        let primary = lower.split(['-', '_', '.', '@']).next().unwrap_or_default();
        match primary {
            "en" => Some(Lang::En),
            "ja" => Some(Lang::Ja),
            _ => None,
        }
    }

    /// The language the environment asks for: `ONWATCH_LANG`, else the OS locale
    /// (on Unix `LC_ALL`, `LC_MESSAGES`, `LANG`, in that order; elsewhere the system
    /// setting), else English.
    pub fn from_environment() -> Lang {
        if let Some(lang) = std::env::var("ONWATCH_LANG")
            .ok()
            .and_then(|v| Lang::parse(&v))
        {
            return lang;
        }
        Lang::from_locale()
    }

    /// The OS locale's language; English when it is not one onwatch speaks.
    pub fn from_locale() -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            // The first variable that is set decides, as POSIX says.
            if let Ok(value) = std::env::var(var)
                && !value.is_empty()
            {
                return Lang::parse(&value).unwrap_or(Lang::En);
            }
        }
        sys_locale::get_locale()
            .and_then(|l| Lang::parse(&l))
            .unwrap_or(Lang::En)
    }
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

thread_local! {
    /// A language for this thread only, while [`with_lang`] runs.
    static THIS_THREAD: std::cell::Cell<Option<Lang>> = const { std::cell::Cell::new(None) };
}

/// Makes `lang` the language of every text from now on (the catalogue and the
/// checklist); the window calls it when the user picks another language.
pub fn set(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
    rust_i18n::set_locale(lang.code());
}

/// The language in use on this thread: the one [`with_lang`] set, else the one
/// [`set`] chose.
pub fn current() -> Lang {
    if let Some(lang) = THIS_THREAD.with(std::cell::Cell::get) {
        return lang;
    }
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::Ja,
        _ => Lang::En,
    }
}

/// Runs `f` with `lang` as this thread's language (other threads are not affected):
/// a JSON report is evaluated in English whatever the window shows.
pub fn with_lang<T>(lang: Lang, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<Lang>);
    impl Drop for Restore {
        fn drop(&mut self) {
            THIS_THREAD.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(THIS_THREAD.with(|c| c.replace(Some(lang))));
    f()
}

/// A text of the catalogue in the language in use on this thread:
/// `t!("status.fail")`, `t!("settings.language_system", lang = "English")`. Returns
/// `Cow<'static, str>`.
#[macro_export]
macro_rules! t {
    ($key:expr) => {
        rust_i18n::t!($key, locale = $crate::i18n::current().code())
    };
    ($key:expr, $($name:ident = $value:expr),+ $(,)?) => {
        rust_i18n::t!($key, locale = $crate::i18n::current().code(), $($name = $value),+)
    };
}

/// A date and time for people, in local time: "2026-12-06 20:46" in English,
/// "2026年12月6日 20:46" in Japanese.
pub fn datetime(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Local);
    match current() {
        Lang::En => local.format("%Y-%m-%d %H:%M").to_string(),
        Lang::Ja => local.format("%Y年%-m月%-d日 %H:%M").to_string(),
    }
}

/// A date and time in UTC, saying so, for reports that travel (a reviewer in another
/// time zone): "2026-11-20 09:30 UTC", "2026年11月20日 09:30 UTC".
pub fn datetime_utc(at: DateTime<Utc>) -> String {
    match current() {
        Lang::En => at.format("%Y-%m-%d %H:%M UTC").to_string(),
        Lang::Ja => at.format("%Y年%-m月%-d日 %H:%M UTC").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_names_map_to_languages() {
        assert_eq!(Lang::parse("ja_JP.UTF-8"), Some(Lang::Ja));
        assert_eq!(Lang::parse("ja-JP"), Some(Lang::Ja));
        assert_eq!(Lang::parse("JA"), Some(Lang::Ja));
        assert_eq!(Lang::parse("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::parse("C"), None);
        assert_eq!(Lang::parse("de_DE"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn a_thread_can_speak_another_language_for_a_while() {
        let before = current();
        let inside = with_lang(Lang::Ja, || {
            (current(), crate::t!("status.fail").into_owned())
        });
        assert_eq!(inside, (Lang::Ja, "不合格".to_string()));
        assert_eq!(current(), before, "the language comes back");
        let english = with_lang(Lang::En, || crate::t!("status.fail").into_owned());
        assert_eq!(english, "Fail");
    }
}
