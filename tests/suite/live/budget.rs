//! The scan's call budget: in a region, the calls grow with the pages of the listings,
//! never with the number of alarms, log groups, repositories or services, and no call
//! is sent twice. The `scaled` seed holds N of each in us-east-1; scanning N and 5N
//! must differ only by the extra pages.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use onwatch::snapshot::AccountSnapshot;

use crate::local_aws::LocalAws;

const REGION: &str = "us-east-1";

/// Calls per (service, operation) the scan sent to `REGION`.
fn region_calls(calls: &Value) -> BTreeMap<(String, String), u64> {
    let mut out = BTreeMap::new();
    if let Some(services) = calls["regions"][REGION].as_object() {
        for (service, ops) in services {
            for (op, n) in ops.as_object().into_iter().flatten() {
                out.insert((service.clone(), op.clone()), n.as_u64().unwrap_or(0));
            }
        }
    }
    out
}

struct Scan {
    snapshot: AccountSnapshot,
    calls: BTreeMap<(String, String), u64>,
}

impl Scan {
    fn resources(&self) -> Resources {
        let r = &self.snapshot.regions[REGION];
        let alarms = r.alarms.ok().expect("alarms listed");
        Resources {
            alarms: alarms.len(),
            tagged_alarms: alarms
                .iter()
                .filter(|a| a.tags.ok().is_some_and(|t| !t.is_empty()))
                .count(),
            log_groups: r.log_groups.ok().map_or(0, Vec::len),
            repositories: r.ecr_repositories.ok().map_or(0, Vec::len),
            services: r
                .ecs_clusters
                .ok()
                .into_iter()
                .flatten()
                .map(|c| c.services.ok().map_or(0, Vec::len))
                .sum(),
            task_definitions: r.ecs_task_definitions.ok().map_or(0, Vec::len),
        }
    }

    fn n(&self, service: &str, op: &str) -> u64 {
        self.calls
            .get(&(service.to_string(), op.to_string()))
            .copied()
            .unwrap_or(0)
    }
}

#[derive(Debug)]
struct Resources {
    alarms: usize,
    tagged_alarms: usize,
    log_groups: usize,
    repositories: usize,
    services: usize,
    task_definitions: usize,
}

fn pages(items: usize, per_page: usize) -> u64 {
    items.div_ceil(per_page).max(1) as u64
}

async fn scan(aws: &LocalAws, n: usize) -> Scan {
    aws.reset();
    aws.post(
        "/_onwatch/seed",
        &json!({"scenario": "scaled", "regions": [REGION], "n": n}),
    );
    aws.clear_calls();
    let snapshot = aws.collect(&[REGION]).await;
    let calls = aws.calls();
    assert_eq!(calls["duplicates"], json!([]), "n = {n}: {calls}");
    Scan {
        snapshot,
        calls: region_calls(&calls),
    }
}

/// The listings that page, the page each is read at, and how many items it lists.
fn paged(r: &Resources) -> [(&'static str, &'static str, u64); 5] {
    [
        // MaxRecords 100, the largest DescribeAlarms allows.
        ("monitoring", "DescribeAlarms", pages(r.alarms, 100)),
        // ResourcesPerPage 100, the largest GetResources allows.
        ("tagging", "GetResources", pages(r.tagged_alarms, 100)),
        // DescribeLogGroups answers at most 50 a page.
        ("logs", "DescribeLogGroups", pages(r.log_groups, 50)),
        // DescribeRepositories answers 100 a page by default.
        ("ecr", "DescribeRepositories", pages(r.repositories, 100)),
        // DescribeServices takes at most 10 services a call.
        ("ecs", "DescribeServices", pages(r.services, 10)),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn calls_per_region_grow_with_pages_not_with_resources() {
    let aws = LocalAws::start();
    let small = scan(&aws, 20).await;
    let big = scan(&aws, 100).await;
    let (rs, rb) = (small.resources(), big.resources());
    // The seed really grew five-fold, or this test proves nothing.
    for (what, s, b) in [
        ("alarms", rs.alarms, rb.alarms),
        ("log groups", rs.log_groups, rb.log_groups),
        ("repositories", rs.repositories, rb.repositories),
        ("services", rs.services, rb.services),
    ] {
        assert!(s >= 20 && b >= 5 * s, "{what}: {s} then {b}");
    }
    assert!(rb.tagged_alarms >= 100, "{rb:?}");

    for (scan, r) in [(&small, &rs), (&big, &rb)] {
        for (service, op, want) in paged(r) {
            assert_eq!(
                scan.n(service, op),
                want,
                "{service} {op} for {r:?}: {:?}",
                scan.calls
            );
        }
        // Each task definition is read once, however many services share it.
        assert_eq!(
            scan.n("ecs", "DescribeTaskDefinition"),
            r.task_definitions as u64,
            "{r:?}"
        );
        assert!(r.task_definitions <= 2, "{r:?}");
        assert_eq!(scan.n("monitoring", "ListTagsForResource"), 0);
    }
    // Every other call is the same at N and 5N.
    let growing: Vec<(&str, &str)> = paged(&rb).iter().map(|(s, o, _)| (*s, *o)).collect();
    let keys: std::collections::BTreeSet<_> = small
        .calls
        .keys()
        .chain(big.calls.keys())
        .cloned()
        .collect();
    for (service, op) in keys {
        if growing.contains(&(service.as_str(), op.as_str())) {
            continue;
        }
        assert_eq!(
            small.n(&service, &op),
            big.n(&service, &op),
            "{service} {op} grew with the resources"
        );
    }
    let total = |s: &Scan| s.calls.values().sum::<u64>();
    // A handful of extra pages, where one call per alarm would add hundreds.
    assert!(
        total(&big) <= total(&small) + 20,
        "{} then {}",
        total(&small),
        total(&big)
    );
}
