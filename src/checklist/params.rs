//! Rule parameters: each rule declares the parameters it takes ([`ParamSpec`]); items
//! set them in TOML, user files override them, and loading checks their types.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::t;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    Int,
    Float,
    Text,
    TextList,
}

impl ParamKind {
    /// What a value of this kind is, in words ("an integer"), in the language in use.
    pub fn describe(self) -> Cow<'static, str> {
        match self {
            ParamKind::Int => t!("checklist_params.int"),
            ParamKind::Float => t!("checklist_params.float"),
            ParamKind::Text => t!("checklist_params.text"),
            ParamKind::TextList => t!("checklist_params.text_list"),
        }
    }
}

/// A default a rule declares in code.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamDefault {
    Int(i64),
    Float(f64),
    Text(&'static str),
    TextList(&'static [&'static str]),
}

/// One parameter a rule takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamSpec {
    pub name: &'static str,
    pub kind: ParamKind,
    pub default: ParamDefault,
    /// The inclusive range a number must lie in (Int and Float parameters), when the
    /// rule cannot honour values outside it.
    pub range: Option<(f64, f64)>,
    /// The catalogue key of what the parameter means (`param_help.*`), shown when a
    /// value is out of range; read it with [`ParamSpec::help_text`].
    pub help: &'static str,
}

impl ParamSpec {
    /// What the parameter means, in the language in use.
    pub fn help_text(&self) -> Cow<'static, str> {
        t!(self.help)
    }

    pub fn default_value(&self) -> ParamValue {
        match self.default {
            ParamDefault::Int(v) => ParamValue::Int(v),
            ParamDefault::Float(v) => ParamValue::Float(v),
            ParamDefault::Text(v) => ParamValue::Text(v.to_string()),
            ParamDefault::TextList(v) => {
                ParamValue::TextList(v.iter().map(|s| s.to_string()).collect())
            }
        }
    }

    /// Converts a TOML value to this parameter's type, or says what was expected.
    pub fn accept(&self, value: &toml::Value) -> Result<ParamValue, String> {
        let wrong = || {
            t!(
                "checklist_params.wrong_type",
                name = self.name,
                kind = self.kind.describe(),
                found = value.type_str()
            )
            .into_owned()
        };
        let in_range = |v: f64| match self.range {
            Some((lo, hi)) if !(v.is_finite() && lo <= v && v <= hi) => Err(t!(
                "checklist_params.out_of_range",
                name = self.name,
                lo = lo,
                hi = hi,
                value = v,
                help = self.help_text()
            )
            .into_owned()),
            _ => Ok(()),
        };
        match (self.kind, value) {
            (ParamKind::Int, toml::Value::Integer(v)) => {
                in_range(*v as f64).map(|()| ParamValue::Int(*v))
            }
            (ParamKind::Float, toml::Value::Float(v)) => {
                in_range(*v).map(|()| ParamValue::Float(*v))
            }
            (ParamKind::Float, toml::Value::Integer(v)) => {
                in_range(*v as f64).map(|()| ParamValue::Float(*v as f64))
            }
            (ParamKind::Text, toml::Value::String(v)) => Ok(ParamValue::Text(v.clone())),
            (ParamKind::TextList, toml::Value::Array(values)) => values
                .iter()
                .map(|v| v.as_str().map(str::to_string).ok_or_else(wrong))
                .collect::<Result<Vec<_>, _>>()
                .map(ParamValue::TextList),
            _ => Err(wrong()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    Int(i64),
    Float(f64),
    Text(String),
    TextList(Vec<String>),
}

/// An item's resolved parameters: every parameter its rule declares, set or defaulted.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Params(pub BTreeMap<String, ParamValue>);

impl Params {
    pub fn int(&self, spec: &ParamSpec) -> i64 {
        match (self.0.get(spec.name), spec.default) {
            (Some(ParamValue::Int(v)), _) => *v,
            (_, ParamDefault::Int(v)) => v,
            _ => 0,
        }
    }

    pub fn float(&self, spec: &ParamSpec) -> f64 {
        match (self.0.get(spec.name), spec.default) {
            (Some(ParamValue::Float(v)), _) => *v,
            (Some(ParamValue::Int(v)), _) => *v as f64,
            (_, ParamDefault::Float(v)) => v,
            _ => 0.0,
        }
    }

    pub fn text(&self, spec: &ParamSpec) -> String {
        match (self.0.get(spec.name), spec.default) {
            (Some(ParamValue::Text(v)), _) => v.clone(),
            (_, ParamDefault::Text(v)) => v.to_string(),
            _ => String::new(),
        }
    }

    pub fn text_list(&self, spec: &ParamSpec) -> Vec<String> {
        match (self.0.get(spec.name), spec.default) {
            (Some(ParamValue::TextList(v)), _) => v.clone(),
            (_, ParamDefault::TextList(v)) => v.iter().map(|s| s.to_string()).collect(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::{Lang, with_lang};

    /// Every rule's parameter says what it means in both languages (the catalogue
    /// answers a missing key with the key itself).
    #[test]
    fn every_parameter_help_is_in_the_catalogue_in_both_languages() {
        let mut seen = 0;
        for id in crate::rules::ids() {
            let rule = crate::rules::find(id).expect("a listed rule");
            for spec in rule.params {
                seen += 1;
                assert!(
                    spec.help.starts_with("param_help."),
                    "{id}.{}: help is a `param_help.*` key, not {:?}",
                    spec.name,
                    spec.help
                );
                let en = with_lang(Lang::En, || spec.help_text().into_owned());
                let ja = with_lang(Lang::Ja, || spec.help_text().into_owned());
                assert_ne!(en, spec.help, "{id}.{}: no English help", spec.name);
                assert_ne!(ja, spec.help, "{id}.{}: no Japanese help", spec.name);
                assert_ne!(en, ja, "{id}.{}: the Japanese help is Japanese", spec.name);
            }
        }
        assert!(seen > 0, "the rules take parameters");
    }

    #[test]
    fn kinds_are_described_in_both_languages() {
        for kind in [
            super::ParamKind::Int,
            super::ParamKind::Float,
            super::ParamKind::Text,
            super::ParamKind::TextList,
        ] {
            let en = with_lang(Lang::En, || kind.describe().into_owned());
            let ja = with_lang(Lang::Ja, || kind.describe().into_owned());
            assert!(!en.starts_with("checklist_params."), "{en}");
            assert!(!ja.starts_with("checklist_params."), "{ja}");
            assert_ne!(en, ja);
        }
    }
}
