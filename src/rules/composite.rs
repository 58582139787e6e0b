//! Composite alarms and the alarms their rules watch: a child whose composite acts
//! needs no actions of its own. AWS's own pattern for cutting alarm noise is exactly
//! that: children with no actions, one composite that notifies
//! (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm.html).

use std::collections::BTreeMap;

use crate::snapshot::Alarm;

/// For each alarm that an acting composite alarm watches, that composite's name. A
/// composite acts when its actions are enabled and it has at least one alarm action.
pub(crate) fn acting_parents(alarms: &[Alarm]) -> BTreeMap<String, String> {
    let mut parents = BTreeMap::new();
    for composite in alarms
        .iter()
        .filter(|a| a.actions_enabled && !a.alarm_actions.is_empty())
    {
        for child in composite
            .alarm_rule
            .as_deref()
            .map(children)
            .unwrap_or_default()
        {
            parents
                .entry(child)
                .or_insert_with(|| composite.name.clone());
        }
    }
    parents
}

/// The alarms a rule names: the arguments of `ALARM(...)`, `OK(...)` and
/// `INSUFFICIENT_DATA(...)`, each an alarm name or ARN, quoted or not. An ARN is
/// reduced to the name after `:alarm:`. Untrusted text: anything unparsable is skipped.
fn children(rule: &str) -> Vec<String> {
    let mut out = Vec::new();
    for state in ["ALARM(", "OK(", "INSUFFICIENT_DATA("] {
        let mut rest = rule;
        while let Some(at) = rest.find(state) {
            // `OK(` also ends `...LOOK(`: only a function call at a word start counts.
            let start_ok = rest[..at]
                .chars()
                .last()
                .is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_');
            rest = &rest[at + state.len()..];
            let Some(end) = rest.find(')') else { break };
            if start_ok {
                let arg = rest[..end].trim().trim_matches('"').trim();
                let name = arg.rsplit_once(":alarm:").map_or(arg, |(_, n)| n);
                if !name.is_empty() {
                    out.push(name.to_string());
                }
            }
            rest = &rest[end..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::children;

    #[test]
    fn a_rule_names_its_children() {
        assert_eq!(
            children(r#"ALARM("cpu-high") OR ALARM(memory-high)"#),
            vec!["cpu-high", "memory-high"]
        );
        assert_eq!(
            children(
                r#"ALARM("arn:aws:cloudwatch:us-east-1:123456789012:alarm:api-5xx") AND NOT OK(deploying)"#
            ),
            vec!["api-5xx", "deploying"]
        );
        assert_eq!(children("TRUE"), Vec::<String>::new());
        assert_eq!(children("ALARM(unclosed"), Vec::<String>::new());
    }
}
