//! Rule parameters: each rule declares the parameters it takes ([`ParamSpec`]); items
//! set them in TOML, user files override them, and loading checks their types.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    Int,
    Float,
    Text,
    TextList,
}

impl ParamKind {
    pub fn describe(self) -> &'static str {
        match self {
            ParamKind::Int => "an integer",
            ParamKind::Float => "a number",
            ParamKind::Text => "a string",
            ParamKind::TextList => "an array of strings",
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
    pub help: &'static str,
}

impl ParamSpec {
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
            format!(
                "parameter `{}` must be {}, found {}",
                self.name,
                self.kind.describe(),
                value.type_str()
            )
        };
        let in_range = |v: f64| match self.range {
            Some((lo, hi)) if !(v.is_finite() && lo <= v && v <= hi) => Err(format!(
                "parameter `{}` must be between {lo} and {hi}, found {v}: {}",
                self.name, self.help
            )),
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
