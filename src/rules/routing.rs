//! Does an alarm or an event reach a person? An SNS topic counts only when it has at
//! least one confirmed subscription ("PendingConfirmation" does not count).

use std::collections::BTreeMap;

use crate::snapshot::{AccountSnapshot, Alarm, Read, ReadError};

/// What is known about a notification target.
#[derive(Debug, Clone, PartialEq)]
pub enum Reach {
    /// It reaches someone; the text says how ("topic ops-alerts: 2 confirmed").
    Person(String),
    /// It does not; the text says why.
    Nobody(String),
    /// It could not be read.
    Unknown(ReadError),
}

/// Answers routing questions over one snapshot.
pub struct Routing<'a> {
    snapshot: &'a AccountSnapshot,
}

fn topic_name(arn: &str) -> &str {
    arn.rsplit(':').next().unwrap_or(arn)
}

/// The region part of an ARN (`arn:aws:sns:eu-west-1:...`).
pub fn arn_region(arn: &str) -> Option<&str> {
    arn.split(':').nth(3).filter(|r| !r.is_empty())
}

impl<'a> Routing<'a> {
    pub fn new(snapshot: &'a AccountSnapshot) -> Self {
        Routing { snapshot }
    }

    /// Whether an SNS topic delivers to at least one confirmed subscriber.
    pub fn topic(&self, topic_arn: &str) -> Reach {
        let name = topic_name(topic_arn);
        let Some(region) = arn_region(topic_arn) else {
            return Reach::Nobody(format!("{topic_arn} is not a topic ARN"));
        };
        let Some(data) = self.snapshot.regions.get(region) else {
            return Reach::Unknown(ReadError::Other {
                action: "sns:ListSubscriptions".into(),
                code: "OutOfScope".into(),
                message: format!("topic {name} is in {region}, outside the scan's regions"),
            });
        };
        match &data.sns_topics {
            Read::Failed(e) => return Reach::Unknown(e.clone()),
            Read::Ok(topics) if !topics.iter().any(|t| t.arn == topic_arn) => {
                return Reach::Nobody(format!("topic {name} does not exist"));
            }
            Read::Ok(_) => {}
        }
        let subscriptions = match &data.sns_subscriptions {
            Read::Failed(e) => return Reach::Unknown(e.clone()),
            Read::Ok(s) => s,
        };
        let mut confirmed: BTreeMap<&str, usize> = BTreeMap::new();
        let mut pending = 0;
        for s in subscriptions.iter().filter(|s| s.topic_arn == topic_arn) {
            if s.confirmed {
                *confirmed.entry(s.protocol.as_str()).or_insert(0) += 1;
            } else {
                pending += 1;
            }
        }
        if confirmed.is_empty() {
            let why = if pending > 0 {
                format!(
                    "topic {name}: {pending} subscription(s) pending confirmation, none confirmed"
                )
            } else {
                format!("topic {name} has no subscriptions")
            };
            Reach::Nobody(why)
        } else {
            let list: Vec<String> = confirmed.iter().map(|(p, n)| format!("{n} {p}")).collect();
            Reach::Person(format!("topic {name}: confirmed {}", list.join(", ")))
        }
    }

    /// Whether any of these action ARNs reaches a person. Incident Manager response
    /// plans and Lambda functions count as delivering; Auto Scaling and EC2 actions do not.
    pub fn actions(&self, actions: &[String]) -> Reach {
        if actions.is_empty() {
            return Reach::Nobody("no alarm action".into());
        }
        let mut unknown = None;
        let mut why = Vec::new();
        for action in actions {
            let service = action.split(':').nth(2).unwrap_or("");
            let reach = match service {
                "sns" => self.topic(action),
                "ssm-incidents" => Reach::Person("an Incident Manager response plan".into()),
                "lambda" => Reach::Person(format!("Lambda {}", topic_name(action))),
                _ => Reach::Nobody(format!("{action} does not notify anyone")),
            };
            match reach {
                Reach::Person(_) => return reach,
                Reach::Unknown(e) => unknown = Some(e),
                Reach::Nobody(w) => why.push(w),
            }
        }
        match unknown {
            Some(e) => Reach::Unknown(e),
            None => Reach::Nobody(why.join("; ")),
        }
    }

    /// Whether an alarm going into ALARM reaches a person.
    pub fn alarm(&self, alarm: &Alarm) -> Reach {
        if !alarm.actions_enabled {
            return Reach::Nobody("actions are disabled".into());
        }
        self.actions(&alarm.alarm_actions)
    }
}

/// A metric a resource needs a routed alarm on: any of `metrics` in `namespace`, with
/// these dimension values.
pub struct MetricNeed<'a> {
    pub label: &'a str,
    pub namespace: &'a str,
    pub metrics: &'a [&'a str],
    pub dimensions: Vec<(&'a str, &'a str)>,
}

/// The alarms that watch a metric a need names.
pub fn alarms_for<'s>(alarms: &'s [Alarm], need: &MetricNeed) -> Vec<&'s Alarm> {
    alarms
        .iter()
        .filter(|a| {
            a.metrics.iter().any(|m| {
                m.namespace == need.namespace
                    && need.metrics.contains(&m.metric_name.as_str())
                    && need
                        .dimensions
                        .iter()
                        .all(|(k, v)| m.dimensions.get(*k).is_some_and(|x| x == v))
            })
        })
        .collect()
}

/// One finding for a resource that needs routed alarms on some metrics.
pub fn routed_alarms_finding(
    routing: &Routing,
    region: &str,
    alarms: &Read<Vec<Alarm>>,
    resource: &str,
    needs: &[MetricNeed],
) -> crate::report::Finding {
    use crate::report::Finding;
    let alarms = match alarms {
        Read::Ok(a) => a,
        Read::Failed(e) => return Finding::unreadable(region, resource, e),
    };
    let mut met = Vec::new();
    let mut missing = Vec::new();
    let mut unknown = None;
    for need in needs {
        let mut candidates = alarms_for(alarms, need);
        candidates.sort_by(|a, b| a.arn.cmp(&b.arn));
        if candidates.is_empty() {
            missing.push(format!("no alarm on {}", need.label));
            continue;
        }
        let mut why = Vec::new();
        let mut need_unknown = None;
        let mut done = false;
        for alarm in &candidates {
            match routing.alarm(alarm) {
                Reach::Person(how) => {
                    met.push(format!("{}: alarm {} → {how}", need.label, alarm.name));
                    done = true;
                    break;
                }
                Reach::Unknown(e) => need_unknown = Some(e),
                Reach::Nobody(w) => why.push(format!("alarm {} reaches nobody ({w})", alarm.name)),
            }
        }
        match (done, need_unknown) {
            (true, _) => {}
            (false, Some(e)) => unknown = Some(e),
            (false, None) => {
                why.sort();
                missing.push(format!("{}: {}", need.label, why.join("; ")))
            }
        }
    }
    if !missing.is_empty() {
        let evidence = if met.is_empty() {
            "no routed alarm".to_string()
        } else {
            met.join("; ")
        };
        Finding::fail(region, resource, evidence, missing.join("; "))
    } else if let Some(e) = unknown {
        Finding::unreadable(region, resource, &e)
    } else {
        Finding::pass(region, resource, met.join("; "))
    }
}
