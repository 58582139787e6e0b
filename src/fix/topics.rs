//! sns-confirmed-subscriptions: a topic that alerts use but that reaches nobody gets the
//! e-mail channel's address subscribed. It counts once the person clicks the link in
//! AWS's message; the plan and the re-check say so.

use super::channel::Channel;
use super::planners::{Ctx, Planned};
use super::{NoPlan, Op, State, Step, Undo};
use crate::rules::routing::{Reach, Routing};
use crate::snapshot::{Read, SnsSubscription};
use crate::t;

pub(super) fn subscribe_channel(ctx: &Ctx) -> Result<Planned, NoPlan> {
    let mut p = Planned::default();
    let failing = ctx.failing(&mut p.skipped);
    let address = match &ctx.choices.channel {
        Some(Channel::Email(a)) => a.clone(),
        other => {
            let why = match other {
                None => t!("fix_topics.needs_email_channel"),
                _ => t!("fix_topics.topic_cannot_subscribe"),
            };
            for (f, _) in failing {
                p.skipped
                    .push(t!("fix_topics.topic_why", topic = f.resource, why = why).into_owned());
            }
            p.cost = t!("fix_topics.no_charge").into_owned();
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
            p.skipped.push(
                t!(
                    "fix_topics.already_pending",
                    topic = name,
                    address = address
                )
                .into_owned(),
            );
            continue;
        }
        match routing.topic(topic) {
            Reach::Person(_) => {}
            Reach::Nobody(why) => {
                p.skipped.push(
                    t!(
                        "fix_topics.still_nobody",
                        topic = name,
                        address = address,
                        why = why
                    )
                    .into_owned(),
                );
                continue;
            }
            Reach::Unknown(e) => {
                p.skipped.push(
                    t!(
                        "fix_topics.could_not_be_checked",
                        topic = name,
                        why = e.reason()
                    )
                    .into_owned(),
                );
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
            t!("fix_topics.subscribe", address = address, topic = name).into_owned(),
            State::Subscribed(false),
            Undo::AfterRun {
                says: t!("fix_channel.undo_unsubscribe").into_owned(),
            },
        ));
    }
    if !p.steps.is_empty() {
        p.warnings
            .push(t!("fix_channel.confirm_pending", address = address).into_owned());
    }
    p.cost = t!("fix_topics.cost").into_owned();
    Ok(p)
}
