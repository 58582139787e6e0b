//! sns-confirmed-subscriptions: a topic that alerts use but that reaches nobody gets the
//! e-mail channel's address subscribed. It counts once the person clicks the link in
//! AWS's message; the plan and the re-check say so.

use super::channel::Channel;
use super::planners::{Ctx, Planned};
use super::{NoPlan, Op, State, Step, Undo};
use crate::rules::routing::{Reach, Routing};
use crate::snapshot::{Read, SnsSubscription};

pub(super) fn subscribe_channel(ctx: &Ctx) -> Result<Planned, NoPlan> {
    let mut p = Planned::default();
    let failing = ctx.failing(&mut p.skipped);
    let address = match &ctx.choices.channel {
        Some(Channel::Email(a)) => a.clone(),
        other => {
            let why = match other {
                None => "needs an alert channel: pass --channel-email ADDRESS",
                _ => {
                    "a topic cannot subscribe to another topic: pass --channel-email ADDRESS to subscribe a person"
                }
            };
            for (f, _) in failing {
                p.skipped.push(format!("topic {}: {why}", f.resource));
            }
            p.cost = "No charge".into();
            return Ok(p);
        }
    };
    // The account as it would be once the address confirms: does each topic then reach
    // a person, or does something else still stop it?
    let mut confirmed = ctx.snapshot.clone();
    for (f, _) in &failing {
        if let Some(Read::Ok(subs)) = confirmed
            .regions
            .get_mut(&f.region)
            .map(|r| &mut r.sns_subscriptions)
        {
            subs.push(SnsSubscription {
                topic_arn: f.resource.clone(),
                protocol: "email".into(),
                endpoint: Some(address.clone()),
                confirmed: true,
            });
        }
    }
    let routing = Routing::of(&confirmed, &[]);
    for (f, data) in failing {
        let Read::Ok(subs) = &data.sns_subscriptions else {
            continue;
        };
        let topic = &f.resource;
        let name = topic.rsplit(':').next().unwrap_or(topic);
        if subs.iter().any(|s| {
            &s.topic_arn == topic
                && s.protocol == "email"
                && s.endpoint.as_deref() == Some(&address)
        }) {
            p.skipped.push(format!(
                "topic {name}: {address} is already subscribed and waits for the link in AWS's message to be clicked"
            ));
            continue;
        }
        match routing.topic(topic) {
            Reach::Person(_) => {}
            Reach::Nobody(why) => {
                p.skipped.push(format!(
                    "topic {name}: even with {address} subscribed, {why}"
                ));
                continue;
            }
            Reach::Unknown(e) => {
                p.skipped.push(format!(
                    "topic {name}: could not be checked: {}",
                    e.reason()
                ));
                continue;
            }
        }
        p.steps.push(Step::new(
            &f.region,
            Op::Subscribe {
                topic_arn: topic.clone(),
                protocol: "email".into(),
                endpoint: address.clone(),
            },
            format!(
                "Subscribe {address} to topic {name} (pending until the link in AWS's message is clicked)"
            ),
            State::Subscribed(false),
            Undo::AfterRun {
                says: "removes the subscription (Unsubscribe)".into(),
            },
        ));
    }
    if !p.steps.is_empty() {
        p.warnings.push(format!(
            "AWS sends {address} a message with a link to confirm each new subscription; until it is clicked nothing reaches them and the item keeps failing (the re-check says so)"
        ));
    }
    p.cost = "No charge: SNS e-mail notifications are free for the first 1,000 a month".into();
    Ok(p)
}
