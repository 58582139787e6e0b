//! synthetics-canary: in each region where an internet-facing load balancer has no
//! running canary, a heartbeat canary for the URL the user gives: a private artifact
//! bucket (kept on undo), an execution role with the permissions AWS documents for a
//! basic canary, the canary on the newest Node.js Puppeteer runtime, started, and an
//! alarm on its SuccessPercent to the channel. A canary that runs without a routed
//! success-rate alarm gets the alarm; a stopped canary is left to a person (someone may
//! have stopped it on purpose).
//!
//! Also pure: the canary's script (the URL written as a JSON string literal, so no URL
//! can break out of it) and the zip it is packaged in.

use serde_json::json;

use super::alarms::{Resource, SUCCESS_PERCENT, plan_alarm};
use super::config::new_bucket;
use super::planners::{Ctx, Planned};
use super::{NoPlan, Op, State, Step, Undo};
use crate::rules::routing::{MetricNeed, alarms_for};
use crate::snapshot::Read;
use crate::t;

/// The canary onwatch creates in a region.
pub const CANARY: &str = "onwatch-heartbeat";
/// The handler: nodejs/node_modules/onwatchHeartbeat.js, function `handler`.
pub const HANDLER: &str = "onwatchHeartbeat.handler";
/// The runtime family; the executor picks its newest version that is not deprecated.
pub const RUNTIME_PREFIX: &str = "syn-nodejs-puppeteer-";
const SCRIPT_PATH: &str = "nodejs/node_modules/onwatchHeartbeat.js";
const POLICY: &str = "onwatch-canary";

/// Whether `url` is one a canary can load: http(s), a host, no spaces or controls.
pub fn check_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| t!("fix_canary.url_not_http", url = url).into_owned())?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() {
        return Err(t!("fix_canary.url_no_host", url = url).into_owned());
    }
    if url.len() > 2048 || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(t!("fix_canary.url_bad_chars").into_owned());
    }
    Ok(())
}

const SCRIPT: &str = r#"// Created by onwatch: a heartbeat canary.
const synthetics = require('Synthetics');
const log = require('SyntheticsLogger');
const url = {URL};
exports.handler = async () => {
  const page = await synthetics.getPage();
  const response = await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 30000 });
  if (!response || response.status() < 200 || response.status() > 299) {
    throw new Error('Heartbeat failed: ' + (response ? response.status() : 'no response'));
  }
  log.info('Heartbeat ok: ' + response.status());
};
"#;

/// The heartbeat script: load the page, fail on no response or a status outside 2xx.
pub fn script(url: &str) -> String {
    // A JSON string literal is a JavaScript string literal; U+2028/2029 escaped too.
    let literal = serde_json::to_string(url)
        .unwrap_or_else(|_| "\"\"".into())
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    SCRIPT.replace("{URL}", &literal)
}

/// A zip archive (stored, no compression) holding the script at the path Puppeteer
/// runtimes load it from.
pub fn zip(url: &str) -> Vec<u8> {
    let data = script(url).into_bytes();
    let name = SCRIPT_PATH.as_bytes();
    let crc = crc32fast::hash(&data);
    let size = u32::try_from(data.len()).unwrap_or(u32::MAX);
    let name_len = u16::try_from(name.len()).unwrap_or(u16::MAX);
    // 1980-01-01 00:00, the zip epoch.
    let (time, date) = (0u16, (1u16 << 5) | 1);
    let mut out = Vec::with_capacity(data.len() + 200);
    let common = |out: &mut Vec<u8>| {
        out.extend(20u16.to_le_bytes()); // version needed
        out.extend(0u16.to_le_bytes()); // flags
        out.extend(0u16.to_le_bytes()); // stored
        out.extend(time.to_le_bytes());
        out.extend(date.to_le_bytes());
        out.extend(crc.to_le_bytes());
        out.extend(size.to_le_bytes());
        out.extend(size.to_le_bytes());
        out.extend(name_len.to_le_bytes());
        out.extend(0u16.to_le_bytes()); // extra length
    };
    out.extend(0x0403_4b50u32.to_le_bytes());
    common(&mut out);
    out.extend(name);
    out.extend(&data);
    let central = u32::try_from(out.len()).unwrap_or(u32::MAX);
    out.extend(0x0201_4b50u32.to_le_bytes());
    out.extend(20u16.to_le_bytes()); // made by
    common(&mut out);
    out.extend(0u16.to_le_bytes()); // comment length
    out.extend(0u16.to_le_bytes()); // disk
    out.extend(0u16.to_le_bytes()); // internal attributes
    out.extend(0u32.to_le_bytes()); // external attributes
    out.extend(0u32.to_le_bytes()); // offset of the local header
    out.extend(name);
    let central_size = u32::try_from(out.len()).unwrap_or(u32::MAX) - central;
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out.extend(1u16.to_le_bytes());
    out.extend(1u16.to_le_bytes());
    out.extend(central_size.to_le_bytes());
    out.extend(central.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// The permissions AWS documents for a basic canary's role, scoped to its bucket, its
/// log groups and its metric namespace.
fn role_policy(partition: &str, account: &str, region: &str, bucket: &str) -> String {
    json!({
        "Version": "2012-10-17", // i18n: technical
        "Statement": [ // i18n: technical
            {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], // i18n: technical
             "Resource": [format!("arn:{partition}:s3:::{bucket}/canary/*")]}, // i18n: technical
            {"Effect": "Allow", "Action": ["s3:GetBucketLocation"], // i18n: technical
             "Resource": [format!("arn:{partition}:s3:::{bucket}")]}, // i18n: technical
            {"Effect": "Allow", // i18n: technical
             "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:CreateLogGroup"], // i18n: technical
             "Resource": [format!("arn:{partition}:logs:{region}:{account}:log-group:/aws/lambda/cwsyn-*")]}, // i18n: technical
            {"Effect": "Allow", "Action": ["s3:ListAllMyBuckets", "xray:PutTraceSegments"], // i18n: technical
             "Resource": ["*"]}, // i18n: technical
            {"Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*", // i18n: technical
             "Condition": {"StringEquals": {"cloudwatch:namespace": "CloudWatchSynthetics"}}}, // i18n: technical
        ],
    })
    .to_string()
}

fn tls_only(partition: &str, bucket: &str) -> String {
    let arn = format!("arn:{partition}:s3:::{bucket}");
    json!({"Version": "2012-10-17", "Statement": [ // i18n: technical
        {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*", // i18n: technical
         "Resource": [arn.clone(), format!("{arn}/*")], // i18n: technical
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}) // i18n: technical
    .to_string()
}

/// The URL for a region: `REGION=URL` for it; else a URL whose host is one of the
/// region's load balancers; else the only plain URL when one region needs a canary.
fn url_for<'c>(ctx: &'c Ctx, region: &str, hosts: &[&str], regions: usize) -> Option<&'c str> {
    let urls = &ctx.choices.canary_urls;
    if let Some((_, u)) = urls.iter().find(|(r, _)| r.as_deref() == Some(region)) {
        return Some(u);
    }
    let plain: Vec<&str> = urls
        .iter()
        .filter(|(r, _)| r.is_none())
        .map(|(_, u)| u.as_str())
        .collect();
    let host_of = |u: &str| {
        u.split_once("://")
            .map(|(_, rest)| rest.split(['/', '?', '#', ':']).next().unwrap_or_default())
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    if let Some(u) = plain
        .iter()
        .find(|u| hosts.iter().any(|h| h.eq_ignore_ascii_case(&host_of(u))))
    {
        return Some(u);
    }
    (regions == 1 && plain.len() == 1).then(|| plain[0])
}

pub(super) fn synthetics_canary(ctx: &Ctx) -> Result<Planned, NoPlan> {
    for (_, url) in &ctx.choices.canary_urls {
        check_url(url).map_err(NoPlan::BadChoice)?;
    }
    let account = &ctx.snapshot.account;
    let (partition, id) = (account.partition.as_str(), account.id.as_str());
    let iam_region = crate::regions::global_region(partition);
    let mut p = Planned::default();
    let failing = ctx.failing(&mut p.skipped);
    // Regions whose public load balancers no canary probes.
    let mut need: Vec<&str> = failing
        .iter()
        .filter(|(f, _)| f.resource.contains(":loadbalancer/"))
        .map(|(f, _)| f.region.as_str())
        .collect();
    need.sort_unstable();
    need.dedup();
    let regions_needing = need.len();
    let mut canaries = 0usize;
    let mut alarms = 0usize;
    for (f, data) in &failing {
        let Some(name) = f.resource.strip_prefix("canary ") else {
            continue;
        };
        let running = matches!(&data.canaries, Read::Ok(c) if c.iter().any(|c| c.name == name && c.state == "RUNNING"));
        if !running {
            p.skipped
                .push(t!("fix_canary.not_running", name = name, region = f.region).into_owned());
            continue;
        }
        let Read::Ok(existing) = &data.alarms else {
            continue;
        };
        let need = MetricNeed {
            label: "SuccessPercent",                                   // i18n: technical
            sources: &[("CloudWatchSynthetics", &["SuccessPercent"])], // i18n: technical
            dimension_sets: vec![vec![("CanaryName", name)]],          // i18n: technical
        };
        if !alarms_for(existing, &need).is_empty() {
            p.skipped.push(
                t!(
                    "fix_canary.already_alarmed",
                    name = name,
                    region = f.region,
                    reason = f.reason.clone().unwrap_or_default()
                )
                .into_owned(),
            );
            continue;
        }
        if plan_alarm(
            ctx,
            &f.region,
            existing,
            &canary_resource(name),
            &SUCCESS_PERCENT,
            &mut p,
        ) {
            alarms += 1;
        }
    }
    for region in need {
        let Some(data) = ctx.snapshot.regions.get(region) else {
            continue;
        };
        let hosts: Vec<&str> = match &data.load_balancers {
            Read::Ok(lbs) => lbs
                .iter()
                .filter(|lb| lb.scheme == "internet-facing")
                .filter_map(|lb| lb.dns_name.as_deref())
                .collect(),
            Read::Failed(_) => Vec::new(),
        };
        let Some(url) = url_for(ctx, region, &hosts, regions_needing) else {
            // The English text holds "a canary needs the URL to probe", which the fix
            // window looks for.
            let listed = if hosts.is_empty() {
                t!("fix_canary.none_listed").into_owned()
            } else {
                hosts.join(", ")
            };
            p.skipped
                .push(t!("fix_canary.needs_url", region = region, hosts = listed).into_owned());
            continue;
        };
        let Read::Ok(existing) = &data.alarms else {
            continue;
        };
        if matches!(&data.canaries, Read::Ok(c) if c.iter().any(|c| c.name == CANARY)) {
            p.skipped
                .push(t!("fix_canary.name_taken", region = region, canary = CANARY).into_owned());
            continue;
        }
        let bucket = format!("onwatch-canary-{id}-{region}");
        let role = format!("onwatch-canary-{region}");
        let role_arn = format!("arn:{partition}:iam::{id}:role/{role}");
        p.steps.extend(new_bucket(
            region,
            &bucket,
            tls_only(partition, &bucket),
            &t!("fix_canary.artifacts"),
        ));
        let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", // i18n: technical
            "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}) // i18n: technical
        .to_string();
        p.steps.push(Step::new(
            iam_region,
            Op::CreateRole {
                role: role.clone(),
                trust,
            },
            t!("fix_canary.create_role", role = role, region = region).into_owned(),
            State::RoleExists(false),
            Undo::Call {
                op: Op::DeleteRole { role: role.clone() },
                expect: State::Managed(true),
            },
        ));
        p.steps.push(Step::new(
            iam_region,
            Op::PutRolePolicy {
                role: role.clone(),
                name: POLICY.into(),
                policy: role_policy(partition, id, region, &bucket),
            },
            t!("fix_canary.role_policy", role = role, bucket = bucket).into_owned(),
            State::RolePolicy(false),
            Undo::Call {
                op: Op::DeleteRolePolicy {
                    role: role.clone(),
                    name: POLICY.into(),
                },
                expect: State::RolePolicy(true),
            },
        ));
        p.steps.push(Step::new(
            region,
            Op::CreateCanary {
                canary: CANARY.into(),
                url: url.to_string(),
                bucket: bucket.clone(),
                role_arn,
            },
            t!(
                "fix_canary.create_canary",
                canary = CANARY,
                region = region,
                url = url
            )
            .into_owned(),
            State::CanaryExists(false),
            Undo::Call {
                op: Op::DeleteCanary {
                    canary: CANARY.into(),
                },
                expect: State::Managed(true),
            },
        ));
        p.steps.push(Step::new(
            region,
            Op::StartCanary {
                canary: CANARY.into(),
            },
            t!("fix_canary.start_canary", canary = CANARY).into_owned(),
            State::CanaryState("READY".into()),
            Undo::Call {
                op: Op::StopCanary {
                    canary: CANARY.into(),
                },
                expect: State::CanaryState("RUNNING".into()),
            },
        ));
        canaries += 1;
        if plan_alarm(
            ctx,
            region,
            existing,
            &canary_resource(CANARY),
            &SUCCESS_PERCENT,
            &mut p,
        ) {
            alarms += 1;
        }
    }
    if canaries > 0 {
        p.warnings.push(if canaries == 1 {
            t!("fix_canary.undo_warning_one").into_owned()
        } else {
            t!("fix_canary.undo_warning_many").into_owned()
        });
    }
    p.cost = t!("fix_canary.cost", canaries = canaries, alarms = alarms).into_owned();
    Ok(p)
}

fn canary_resource(name: &str) -> Resource<'static> {
    Resource {
        label: name.to_string(),
        dimensions: [("CanaryName".to_string(), name.to_string())].into(), // i18n: technical
        wants: Vec::new(),
    }
}
