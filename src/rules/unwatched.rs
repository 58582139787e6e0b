//! "No resources" that really means "nothing watches this": an account with workloads
//! and not one alarm.

use crate::report::Finding;
use crate::snapshot::{AccountSnapshot, GLOBAL_REGION, Read, ReadError, RegionSnapshot};
use crate::t;

/// An account that runs workloads the resource items judge (RDS instances, ECS
/// services, load balancers) and has not one alarm anywhere: no alarm can be
/// misrouted, and nothing will ever alert. That is a failure, not "nothing to check".
/// Only when every region's alarms were read: an unread region may hold them.
pub(crate) fn nothing_watches(snapshot: &AccountSnapshot) -> Option<Finding> {
    let mut alarms = 0;
    for data in snapshot.regions.values() {
        match &data.alarms {
            Read::Ok(a) => alarms += a.len(),
            // A region that is not enabled, or without CloudWatch, holds no alarm.
            Read::Failed(ReadError::RegionNotEnabled { .. } | ReadError::NotOffered { .. }) => {}
            Read::Failed(_) => return None,
        }
    }
    if alarms > 0 {
        return None;
    }
    let count =
        |f: &dyn Fn(&RegionSnapshot) -> usize| -> usize { snapshot.regions.values().map(f).sum() };
    let dbs = count(&|r| r.rds_instances.ok().map_or(0, Vec::len));
    let services = count(&|r| {
        r.ecs_clusters.ok().map_or(0, |c| {
            c.iter().map(|c| c.services.ok().map_or(0, Vec::len)).sum()
        })
    });
    let lbs = count(&|r| r.load_balancers.ok().map_or(0, Vec::len));
    if dbs + services + lbs == 0 {
        return None;
    }
    Some(Finding::fail(
        GLOBAL_REGION,
        "CloudWatch alarms", // i18n: technical (a resource name)
        t!(
            "rules_unwatched.evidence",
            regions = snapshot.regions.len(),
            dbs = dbs,
            services = services,
            lbs = lbs
        ),
        t!("rules_unwatched.no_alarm"),
    ))
}
