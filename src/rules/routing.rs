//! Does an alarm or an event reach a person? An SNS topic counts only when it has at
//! least one confirmed subscription ("PendingConfirmation" does not count) whose
//! protocol reaches a person or a tool that pages one: sqs and firehose subscriptions
//! feed pipelines, not people.

use std::collections::BTreeMap;
use std::fmt;

use super::RuleInput;
pub use super::publishers::{Publisher, Sender};
use super::{can_fire, topic_access};
use crate::checklist::TrustedRoute;
use crate::snapshot::{AccountSnapshot, Alarm, Read, ReadError, SnsTopic};
use crate::t;

/// SNS protocols that deliver to a person: a mailbox, a phone, an HTTP(S) endpoint (a
/// paging tool, AWS Chatbot for Slack or Teams), a Lambda function that notifies, a
/// mobile push application.
const PERSON_PROTOCOLS: [&str; 7] = [
    "email",
    "email-json",
    "sms",
    "http",
    "https",
    "lambda",
    "application",
];

/// Of those, the ones that can reach someone at once: DOMAIN.md's "act now" pattern
/// notifies by phone or chat, which an email alone does not do.
const URGENT_PROTOCOLS: [&str; 5] = ["sms", "http", "https", "lambda", "application"];

/// How a notification reaches people.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// "topic ops-alerts: confirmed 1 email, 1 https".
    pub how: String,
    /// Whether it can reach someone at once (phone, chat, paging tool), not only a mailbox.
    pub urgent: bool,
}

impl fmt::Display for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.how)
    }
}

/// What is known about a notification target.
#[derive(Debug, Clone, PartialEq)]
pub enum Reach {
    /// It reaches someone.
    Person(Delivery),
    /// It does not; the text says why.
    Nobody(String),
    /// It could not be read.
    Unknown(ReadError),
}

/// Answers routing questions over one snapshot, with the routes the user vouches for.
pub struct Routing<'a> {
    snapshot: &'a AccountSnapshot,
    trusted: &'a [TrustedRoute],
}

fn topic_name(arn: &str) -> &str {
    arn.rsplit(':').next().unwrap_or(arn)
}

/// The region part of an ARN (`arn:aws:sns:eu-west-1:...`).
pub fn arn_region(arn: &str) -> Option<&str> {
    arn.split(':').nth(3).filter(|r| !r.is_empty())
}

/// An EventBridge rule target in EventBridge itself: an API destination calls an HTTP
/// endpoint (PagerDuty's and Opsgenie's event APIs are the documented examples,
/// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-api-destinations.html),
/// so it reaches someone at once; an event bus forwards the event, to another account
/// or region, where onwatch cannot follow it from here.
fn event_target(arn: &str) -> Reach {
    let resource = arn.splitn(6, ':').nth(5).unwrap_or_default();
    if let Some(name) = resource.strip_prefix("api-destination/") {
        let name = name.split('/').next().unwrap_or(name);
        return Reach::Person(Delivery {
            how: t!("rules_routing.api_destination", name = name).into_owned(),
            urgent: true,
        });
    }
    if resource.starts_with("event-bus/") {
        return Reach::Unknown(ReadError::Other {
            action: "events:ListRules".into(),
            code: "ForwardedToEventBus".into(), // i18n: technical
            message: t!("rules_routing.forwarded_to_bus", arn = arn).into_owned(),
        });
    }
    Reach::Nobody(t!("rules_routing.does_not_notify", arn = arn).into_owned())
}

/// The account part of an ARN (`arn:aws:sns:eu-west-1:123456789012:ops`).
pub fn arn_account(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| !a.is_empty())
}

/// The service part of an ARN (`sns` in `arn:aws:sns:...`), whatever the partition.
pub fn arn_service(arn: &str) -> Option<&str> {
    let mut parts = arn.split(':');
    (parts.next() == Some("arn")).then_some(())?;
    parts.nth(1).filter(|s| !s.is_empty())
}

fn count_list(counts: &BTreeMap<&str, usize>) -> String {
    let list: Vec<String> = counts
        .iter()
        .map(|(p, n)| t!("rules_routing.protocol_count", n = n, protocol = p).into_owned())
        .collect();
    list.join(&*t!("rules_routing.list_separator"))
}

impl<'a> Routing<'a> {
    /// Routing over a snapshot outside a rule (fix plans), with the routes the user
    /// vouches for.
    pub fn of(snapshot: &'a AccountSnapshot, trusted: &'a [TrustedRoute]) -> Self {
        Routing { snapshot, trusted }
    }

    pub fn new(input: &RuleInput<'a>) -> Self {
        Routing {
            snapshot: input.snapshot,
            trusted: input.trusted,
        }
    }

    /// A target onwatch could not follow (another account, an event bus) that the user
    /// vouches for reaches a person, "trusted by you". A target onwatch could read keeps
    /// onwatch's verdict.
    fn vouch(&self, arn: &str, reach: Reach) -> Reach {
        let Reach::Unknown(_) = reach else {
            return reach;
        };
        match self.trusted.iter().find(|t| t.covers(arn)) {
            Some(t) => Reach::Person(Delivery {
                how: t!("rules_routing.trusted", arn = arn, note = t.note).into_owned(),
                urgent: t.urgent,
            }),
            None => reach,
        }
    }

    /// Whether `sender` can publish to an SNS topic (its policy and KMS key let the
    /// publisher in) and the topic delivers to a confirmed subscriber who is a person.
    pub fn topic_from(&self, topic_arn: &str, sender: &Sender) -> Reach {
        let reach = self.topic_from_unvouched(topic_arn, sender);
        self.vouch(topic_arn, reach)
    }

    fn topic_from_unvouched(&self, topic_arn: &str, sender: &Sender) -> Reach {
        let topic = match self.locate(topic_arn) {
            Ok(t) => t,
            Err(reach) => return reach,
        };
        let name = topic_name(topic_arn);
        if let Some(blocked) = topic_access::blocked(topic, name, &self.snapshot.account.id, sender)
        {
            return blocked;
        }
        self.subscribers(topic_arn)
    }

    /// Whether an SNS topic delivers to at least one confirmed subscriber that is a
    /// person, whoever publishes to it.
    pub fn topic(&self, topic_arn: &str) -> Reach {
        let reach = match self.locate(topic_arn) {
            Ok(_) => self.subscribers(topic_arn),
            Err(reach) => reach,
        };
        self.vouch(topic_arn, reach)
    }

    /// The topic, or what to answer when it is not there to read.
    fn locate(&self, topic_arn: &str) -> Result<&'a SnsTopic, Reach> {
        let name = topic_name(topic_arn);
        let Some(region) = arn_region(topic_arn) else {
            return Err(Reach::Nobody(
                t!("rules_routing.not_topic_arn", arn = topic_arn).into_owned(),
            ));
        };
        // A topic of another account (central alerting, Control Tower's aggregate
        // topic) cannot be read from this one: unknown, never "does not exist".
        if let Some(owner) = arn_account(topic_arn)
            && owner != self.snapshot.account.id
        {
            return Err(Reach::Unknown(ReadError::Other {
                action: "sns:ListSubscriptions".into(),
                code: "OtherAccount".into(), // i18n: technical
                message: t!(
                    "rules_routing.other_account",
                    arn = topic_arn,
                    owner = owner
                )
                .into_owned(),
            }));
        }
        let Some(data) = self.snapshot.regions.get(region) else {
            return Err(Reach::Unknown(ReadError::Other {
                action: "sns:ListSubscriptions".into(),
                code: "OutOfScope".into(), // i18n: technical
                message: t!("rules_routing.out_of_scope", name = name, region = region)
                    .into_owned(),
            }));
        };
        match &data.sns_topics {
            Read::Failed(e) => Err(Reach::Unknown(e.clone())),
            Read::Ok(topics) => topics.iter().find(|t| t.arn == topic_arn).ok_or_else(|| {
                Reach::Nobody(t!("rules_routing.topic_missing", name = name).into_owned())
            }),
        }
    }

    /// Whether a topic (known to exist) has a confirmed subscriber who is a person.
    fn subscribers(&self, topic_arn: &str) -> Reach {
        let name = topic_name(topic_arn);
        let Some(data) = arn_region(topic_arn).and_then(|r| self.snapshot.regions.get(r)) else {
            return Reach::Nobody(t!("rules_routing.not_topic_arn", arn = topic_arn).into_owned());
        };
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
        let people = confirmed
            .keys()
            .any(|p| PERSON_PROTOCOLS.contains(&p.to_ascii_lowercase().as_str()));
        if people {
            let urgent = confirmed
                .keys()
                .any(|p| URGENT_PROTOCOLS.contains(&p.to_ascii_lowercase().as_str()));
            return Reach::Person(Delivery {
                how: t!(
                    "rules_routing.confirmed",
                    name = name,
                    counts = count_list(&confirmed)
                )
                .into_owned(),
                urgent,
            });
        }
        let why = if !confirmed.is_empty() {
            t!(
                "rules_routing.confirmed_pipeline_only",
                name = name,
                counts = count_list(&confirmed)
            )
        } else if pending > 0 {
            t!("rules_routing.pending", name = name, n = pending)
        } else {
            t!("rules_routing.no_subscriptions", name = name)
        };
        Reach::Nobody(why.into_owned())
    }

    /// What each action reaches, in ARN order (so no answer depends on listing order).
    fn each(&self, actions: &[String], sender: &Sender) -> Vec<Reach> {
        let mut sorted: Vec<&String> = actions.iter().collect();
        sorted.sort();
        sorted.dedup();
        sorted
            .into_iter()
            .map(|action| match arn_service(action) {
                Some("sns") => self.topic_from(action, sender),
                // Incident Manager engages its contacts by phone, SMS or chat.
                Some("ssm-incidents") => Reach::Person(Delivery {
                    how: t!("rules_routing.incident_manager").into_owned(),
                    urgent: true,
                }),
                Some("lambda") => Reach::Person(Delivery {
                    how: t!("rules_routing.lambda", name = topic_name(action)).into_owned(),
                    urgent: true,
                }),
                Some("events") => self.vouch(action, event_target(action)),
                _ => Reach::Nobody(t!("rules_routing.does_not_notify", arn = action).into_owned()),
            })
            .collect()
    }

    /// Whether any of these action ARNs reaches a person. Incident Manager response
    /// plans and Lambda functions count as delivering; Auto Scaling and EC2 actions do not.
    /// A person is known to be reached even when another action could not be read.
    pub fn actions(&self, actions: &[String], sender: &Sender) -> Reach {
        if actions.is_empty() {
            return Reach::Nobody(t!("rules_routing.no_alarm_action").into_owned());
        }
        let reaches = self.each(actions, sender);
        let best = reaches
            .iter()
            .filter_map(|r| match r {
                Reach::Person(d) => Some(d),
                _ => None,
            })
            .max_by_key(|d| d.urgent);
        match best {
            Some(d) => Reach::Person(d.clone()),
            None => undecided(reaches),
        }
    }

    /// Whether any of these actions reaches someone at once (phone, chat, paging tool,
    /// Incident Manager); an email alone does not.
    pub fn actions_urgent(&self, actions: &[String], sender: &Sender) -> Reach {
        if actions.is_empty() {
            return Reach::Nobody(t!("rules_routing.no_alarm_action").into_owned());
        }
        let reaches = self.each(actions, sender);
        if let Some(Reach::Person(d)) = reaches
            .iter()
            .find(|r| matches!(r, Reach::Person(d) if d.urgent))
        {
            return Reach::Person(d.clone());
        }
        let reaches = reaches
            .into_iter()
            .map(|r| match r {
                Reach::Person(d) => {
                    Reach::Nobody(t!("rules_routing.email_only", delivery = d).into_owned())
                }
                other => other,
            })
            .collect();
        undecided(reaches)
    }

    /// Whether an alarm going into ALARM reaches a person.
    pub fn alarm(&self, alarm: &Alarm) -> Reach {
        if !alarm.actions_enabled {
            return Reach::Nobody(t!("rules_routing.actions_disabled").into_owned());
        }
        self.actions(&alarm.alarm_actions, &Sender::alarm(alarm))
    }

    /// Whether an alarm going into ALARM reaches someone at once.
    pub fn alarm_urgent(&self, alarm: &Alarm) -> Reach {
        if !alarm.actions_enabled {
            return Reach::Nobody(t!("rules_routing.actions_disabled").into_owned());
        }
        self.actions_urgent(&alarm.alarm_actions, &Sender::alarm(alarm))
    }
}

/// No action reaches a person: unknown when one could not be read, else nobody.
fn undecided(reaches: Vec<Reach>) -> Reach {
    let mut why = Vec::new();
    for r in reaches {
        match r {
            Reach::Unknown(e) => return Reach::Unknown(e),
            Reach::Nobody(w) => why.push(w),
            Reach::Person(d) => why.push(d.how),
        }
    }
    Reach::Nobody(why.join("; "))
}

/// A metric a resource needs a routed alarm on: any of the metrics of any of the
/// `(namespace, metrics)` sources, with all the dimension values of any one of the
/// dimension sets (an Aurora instance is watched through its own metric or through its
/// cluster's). An alarm with more dimensions than a set names still matches it.
pub struct MetricNeed<'a> {
    pub label: &'a str,
    pub sources: &'a [(&'a str, &'a [&'a str])],
    pub dimension_sets: Vec<Vec<(&'a str, &'a str)>>,
}

/// The alarms that watch a metric a need names.
pub fn alarms_for<'s>(alarms: &'s [Alarm], need: &MetricNeed) -> Vec<&'s Alarm> {
    alarms
        .iter()
        .filter(|a| {
            a.metrics.iter().any(|m| {
                need.sources.iter().any(|(namespace, metrics)| {
                    m.namespace == *namespace && metrics.contains(&m.metric_name.as_str())
                }) && need.dimension_sets.iter().any(|set| {
                    set.iter()
                        .all(|(k, v)| m.dimensions.get(*k).is_some_and(|x| x == v))
                })
            })
        })
        .collect()
}

/// Whether one metric need has an alarm that can fire and reaches a person.
#[derive(Debug, Clone, PartialEq)]
pub enum NeedState {
    /// "CPUUtilization: alarm db-cpu → topic ops: confirmed 1 email".
    Met(String),
    /// "no alarm on CPUUtilization", or why the alarms on it do not count.
    Missing(String),
    /// An alarm on it routes somewhere onwatch could not read.
    Unknown(ReadError),
}

/// Whether `need` is met in `region`: an alarm on it that can fire and reaches a person.
pub fn need_state(
    routing: &Routing,
    region: &str,
    alarms: &[Alarm],
    need: &MetricNeed,
) -> NeedState {
    let mut candidates = alarms_for(alarms, need);
    candidates.sort_by(|a, b| a.arn.cmp(&b.arn));
    if candidates.is_empty() {
        return NeedState::Missing(
            t!("rules_routing.no_alarm_on", metric = need.label).into_owned(),
        );
    }
    // An alarm that can never fire for this does not count (evidence says why).
    let mut why = Vec::new();
    let data = routing.snapshot.regions.get(region);
    let now = routing.snapshot.collected_at;
    candidates.retain(|alarm| match can_fire::why_not(alarm, data, now) {
        Some(reason) => {
            why.push(
                t!(
                    "rules_routing.cannot_fire",
                    name = alarm.name,
                    reason = reason
                )
                .into_owned(),
            );
            false
        }
        None => true,
    });
    let mut need_unknown = None;
    for alarm in &candidates {
        match routing.alarm(alarm) {
            Reach::Person(how) => {
                return NeedState::Met(
                    t!(
                        "rules_routing.met",
                        label = need.label,
                        name = alarm.name,
                        how = how
                    )
                    .into_owned(),
                );
            }
            Reach::Unknown(e) => need_unknown = Some(e),
            Reach::Nobody(w) => why
                .push(t!("rules_routing.reaches_nobody", name = alarm.name, why = w).into_owned()),
        }
    }
    match need_unknown {
        Some(e) => NeedState::Unknown(e),
        None => {
            why.sort();
            NeedState::Missing(format!("{}: {}", need.label, why.join("; ")))
        }
    }
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
        match need_state(routing, region, alarms, need) {
            NeedState::Met(how) => met.push(how),
            NeedState::Missing(why) => missing.push(why),
            NeedState::Unknown(e) => unknown = Some(e),
        }
    }
    if !missing.is_empty() {
        let evidence = if met.is_empty() {
            t!("rules_routing.no_routed_alarm").into_owned()
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
