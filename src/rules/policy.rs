//! Does a resource policy (an SNS topic policy, a KMS key policy) let an AWS service
//! principal do one action? A small evaluator of the policy language for exactly that
//! question, following the IAM policy evaluation logic
//! (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
//! an explicit Deny that applies wins; else an Allow that applies allows; else the
//! request is implicitly denied. What onwatch cannot evaluate (a condition operator or
//! key it does not know, a malformed policy) makes the answer unknown, never allowed
//! or denied.

use serde_json::Value;

use crate::t;

/// The request a service makes: `principal` (a service principal such as
/// `events.amazonaws.com`) calls `action` on `resource`, with the request context's
/// condition keys (lower-case names) and their values.
pub struct Request<'a> {
    pub principal: &'a str,
    pub action: &'a str,
    pub resource: &'a str,
    pub context: &'a [(&'a str, String)],
    /// Keys known to be absent from the request; a condition on any other key that is
    /// not in `context` cannot be evaluated.
    pub absent: &'a [&'a str],
}

/// The policy's answer for one request.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// An Allow statement applies (its Sid, or its position).
    Allowed(String),
    /// An explicit Deny applies.
    Denied(String),
    /// No statement allows it.
    NotAllowed,
    /// onwatch cannot tell; the text says why.
    Unknown(String),
}

/// Three-valued: does a part of a statement match the request?
#[derive(Debug, Clone, PartialEq)]
enum Match {
    Yes,
    No,
    Unknown(String),
}

/// Evaluates `policy` (a JSON policy document) for `req`.
pub fn evaluate(policy: &str, req: &Request) -> Decision {
    let doc: Value = match serde_json::from_str(policy) {
        Ok(v) => v,
        Err(e) => return Decision::Unknown(t!("rules_policy.not_json", error = e).into_owned()),
    };
    let statements = doc.get("Statement"); // i18n: technical
    let statements = match statements {
        Some(Value::Array(list)) => list.iter().collect::<Vec<_>>(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => return Decision::NotAllowed,
    };
    let mut allowed = None;
    let mut unknown_allow = None;
    let mut unknown_deny = None;
    for (i, st) in statements.iter().enumerate() {
        let name = st
            .get("Sid") // i18n: technical
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map_or_else(
                || t!("rules_policy.statement", name = i + 1).into_owned(),
                |s| t!("rules_policy.statement", name = s).into_owned(),
            );
        let effect = st.get("Effect").and_then(Value::as_str); // i18n: technical
        let deny = match effect {
            Some("Allow") => false, // i18n: technical
            Some("Deny") => true,   // i18n: technical
            _ => continue,
        };
        match applies(st, req) {
            Match::Yes if deny => return Decision::Denied(name),
            Match::Yes => {
                allowed.get_or_insert(name);
            }
            Match::No => {}
            Match::Unknown(why) if deny => {
                unknown_deny.get_or_insert(format!("{name}: {why}"));
            }
            Match::Unknown(why) => {
                unknown_allow.get_or_insert(format!("{name}: {why}"));
            }
        }
    }
    match (allowed, unknown_deny, unknown_allow) {
        (Some(_), Some(why), _) => Decision::Unknown(why),
        (Some(name), None, _) => Decision::Allowed(name),
        (None, _, Some(why)) => Decision::Unknown(why),
        (None, _, None) => Decision::NotAllowed,
    }
}

/// A statement applies when its principal, action, resource and conditions all match.
fn applies(st: &Value, req: &Request) -> Match {
    let parts = [
        principal(st, req.principal),
        listed(st, "Action", "NotAction", req.action, false), // i18n: technical
        listed(st, "Resource", "NotResource", req.resource, true), // i18n: technical
        conditions(st.get("Condition"), req),                 // i18n: technical
    ];
    let mut unknown = None;
    for p in parts {
        match p {
            Match::No => return Match::No,
            Match::Unknown(why) => unknown = unknown.or(Some(why)),
            Match::Yes => {}
        }
    }
    unknown.map_or(Match::Yes, Match::Unknown)
}

fn strings(v: &Value) -> Vec<&str> {
    match v {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Whether a Principal (or NotPrincipal) names the service: `*`, `{"AWS": "*"}` (the
/// same thing, per the IAM reference) or `{"Service": ...}` listing it.
fn names_service(p: &Value, service: &str) -> bool {
    match p {
        Value::String(s) => s == "*",
        Value::Object(map) => {
            let any = map.get("AWS").is_some_and(|v| strings(v).contains(&"*"));
            let listed = map
                .get("Service") // i18n: technical
                .is_some_and(|v| strings(v).iter().any(|s| s.eq_ignore_ascii_case(service)));
            any || listed
        }
        _ => false,
    }
}

fn principal(st: &Value, service: &str) -> Match {
    let given = (st.get("Principal"), st.get("NotPrincipal")); // i18n: technical
    match given {
        (Some(p), _) => bool_match(names_service(p, service)),
        (None, Some(np)) => bool_match(!names_service(np, service)),
        (None, None) => Match::No,
    }
}

fn bool_match(b: bool) -> Match {
    if b { Match::Yes } else { Match::No }
}

/// Action/NotAction (case-insensitive) or Resource/NotResource (case-sensitive) with
/// `*` and `?` wildcards. A resource policy may leave Resource out: it then means the
/// resource the policy is attached to.
fn listed(st: &Value, key: &str, not_key: &str, value: &str, optional: bool) -> Match {
    let hit = |v: &Value| {
        strings(v).iter().any(|p| {
            if optional {
                glob(p, value)
            } else {
                glob(&p.to_ascii_lowercase(), &value.to_ascii_lowercase())
            }
        })
    };
    match (st.get(key), st.get(not_key)) {
        (Some(v), _) => bool_match(hit(v)),
        (None, Some(v)) => bool_match(!hit(v)),
        (None, None) => bool_match(optional),
    }
}

/// `*` matches any run of characters, `?` any one character.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Every condition of the block must hold.
fn conditions(block: Option<&Value>, req: &Request) -> Match {
    let Some(block) = block else {
        return Match::Yes;
    };
    let Some(ops) = block.as_object() else {
        return Match::Unknown(t!("rules_policy.condition_not_object").into_owned());
    };
    let mut unknown = None;
    for (op, keys) in ops {
        let Some(keys) = keys.as_object() else {
            return Match::Unknown(
                t!("rules_policy.condition_op_not_object", op = op).into_owned(),
            );
        };
        for (key, values) in keys {
            match condition(op, key, &strings(values), req) {
                Match::No => return Match::No,
                Match::Unknown(why) => unknown = unknown.or(Some(why)),
                Match::Yes => {}
            }
        }
    }
    unknown.map_or(Match::Yes, Match::Unknown)
}

/// One condition: `op` (StringEquals, ArnLike, …, optionally …IfExists) on `key`.
/// A negated operator matches a missing key, as does any …IfExists operator; a
/// positive one does not
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
fn condition(op: &str, key: &str, values: &[&str], req: &Request) -> Match {
    let lower = key.to_ascii_lowercase();
    if op.contains(':') {
        return Match::Unknown(t!("rules_policy.set_operator", op = op, key = key).into_owned());
    }
    let stripped = op.strip_suffix("IfExists"); // i18n: technical
    let (base, if_exists) = match stripped {
        Some(b) => (b, true),
        None => (op, false),
    };
    let found = req
        .context
        .iter()
        .find(|(k, _)| *k == lower)
        .map(|(_, v)| v.as_str());
    let null = base == "Null"; // i18n: technical
    if null {
        let Some(want_null) = values.first().map(|v| v.eq_ignore_ascii_case("true")) else {
            return Match::Unknown(t!("rules_policy.null_without_value", key = key).into_owned());
        };
        return match found {
            Some(_) => bool_match(!want_null),
            None if req.absent.contains(&lower.as_str()) => bool_match(want_null),
            None => Match::Unknown(t!("rules_policy.condition_key", key = key).into_owned()),
        };
    }
    let (negated, test): (bool, fn(&str, &str) -> bool) = match base {
        "StringEquals" | "ArnEquals" => (false, |p, v| p == v), // i18n: technical
        "StringNotEquals" | "ArnNotEquals" => (true, |p, v| p == v), // i18n: technical
        "StringEqualsIgnoreCase" => (false, |p, v| p.eq_ignore_ascii_case(v)), // i18n: technical
        "StringNotEqualsIgnoreCase" => (true, |p, v| p.eq_ignore_ascii_case(v)), // i18n: technical
        "StringLike" | "ArnLike" => (false, glob),              // i18n: technical
        "StringNotLike" | "ArnNotLike" => (true, glob),         // i18n: technical
        "Bool" => (false, |p, v| p.eq_ignore_ascii_case(v)),    // i18n: technical
        _ => {
            return Match::Unknown(
                t!("rules_policy.condition_operator", op = op, key = key).into_owned(),
            );
        }
    };
    match found {
        Some(v) => {
            let hit = values.iter().any(|p| test(p, v));
            bool_match(hit != negated)
        }
        None if req.absent.contains(&lower.as_str()) => bool_match(negated || if_exists),
        None => Match::Unknown(t!("rules_policy.condition_key", key = key).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOPIC: &str = "arn:aws:sns:eu-west-1:123456789012:ops";

    fn req<'a>(principal: &'a str, context: &'a [(&'a str, String)]) -> Request<'a> {
        Request {
            principal,
            action: "sns:Publish",
            resource: TOPIC,
            context,
            absent: &["aws:sourceowner", "aws:sourceaccount", "aws:sourcearn"],
        }
    }

    const DEFAULT: &str = r#"{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:GetTopicAttributes","SNS:Publish"],"Resource":"arn:aws:sns:eu-west-1:123456789012:ops","Condition":{"StringEquals":{"AWS:SourceOwner":"123456789012"}}}]}"#;

    #[test]
    fn the_default_policy_admits_only_callers_that_carry_the_source_owner() {
        let owner = [("aws:sourceowner", "123456789012".to_string())];
        assert_eq!(
            evaluate(DEFAULT, &req("cloudwatch.amazonaws.com", &owner)),
            Decision::Allowed("statement __default_statement_ID".into())
        );
        assert_eq!(
            evaluate(DEFAULT, &req("events.amazonaws.com", &[])),
            Decision::NotAllowed
        );
        let other = [("aws:sourceowner", "999999999999".to_string())];
        assert_eq!(
            evaluate(DEFAULT, &req("cloudwatch.amazonaws.com", &other)),
            Decision::NotAllowed
        );
    }

    #[test]
    fn a_service_statement_with_a_source_arn_condition() {
        let policy = r#"{"Statement":{"Effect":"Allow","Principal":{"Service":["events.amazonaws.com"]},"Action":"sns:*","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:events:eu-west-1:123456789012:rule/gd-*"}}}}"#;
        let ok = [(
            "aws:sourcearn",
            "arn:aws:events:eu-west-1:123456789012:rule/gd-high".to_string(),
        )];
        assert!(matches!(
            evaluate(policy, &req("events.amazonaws.com", &ok)),
            Decision::Allowed(_)
        ));
        let other = [(
            "aws:sourcearn",
            "arn:aws:events:eu-west-1:123456789012:rule/app".to_string(),
        )];
        assert_eq!(
            evaluate(policy, &req("events.amazonaws.com", &other)),
            Decision::NotAllowed
        );
        assert_eq!(
            evaluate(policy, &req("budgets.amazonaws.com", &ok)),
            Decision::NotAllowed
        );
    }

    #[test]
    fn an_explicit_deny_wins_and_an_unknown_key_is_unknown() {
        let policy = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"SNS:Publish"},{"Sid":"no","Effect":"Deny","Principal":"*","Action":"sns:Publish","Condition":{"StringNotEquals":{"aws:SourceAccount":"123456789012"}}}]}"#;
        let mine = [("aws:sourceaccount", "123456789012".to_string())];
        assert!(matches!(
            evaluate(policy, &req("events.amazonaws.com", &mine)),
            Decision::Allowed(_)
        ));
        // A negated operator matches a missing key: the deny applies.
        assert_eq!(
            evaluate(policy, &req("events.amazonaws.com", &[])),
            Decision::Denied("statement no".into())
        );
        let odd = r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"sns:Publish","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}}"#;
        assert!(matches!(
            evaluate(odd, &req("events.amazonaws.com", &mine)),
            Decision::Unknown(_)
        ));
        assert!(matches!(
            evaluate("not json", &req("events.amazonaws.com", &mine)),
            Decision::Unknown(_)
        ));
    }

    #[test]
    fn wildcards() {
        assert!(glob("arn:aws:sns:*:123456789012:*", TOPIC));
        assert!(glob("sns:Pub?ish", "sns:Publish"));
        assert!(!glob("arn:aws:sns:us-*", TOPIC));
        assert!(glob("*", ""));
    }
}
