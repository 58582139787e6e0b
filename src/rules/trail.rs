//! What makes a logging, multi-region CloudTrail trail still useless as a record: its
//! last delivery failed, or it records no management events.

use crate::snapshot::{EventSelectors, Read, ReadError, Trail};
use crate::t;

/// What is wrong with a trail's record beyond the three properties the item names.
pub(crate) enum Gap<'a> {
    None,
    /// It does not record what the item needs; the text says what was seen.
    Known(String),
    /// Its event selectors could not be read.
    Unknown(&'a ReadError),
}

pub(crate) fn gap(t: &Trail) -> Gap<'_> {
    // GetTrailStatus: "LatestDeliveryError ... the error that CloudTrail encountered
    // when it tried to deliver log files to the designated bucket"
    // (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html).
    if let Some(error) = &t.delivery_error {
        return Gap::Known(t!("rules_trail.delivery_error", error = error).into_owned());
    }
    match &t.event_selectors {
        Some(Read::Ok(s)) if !records_management(s) => {
            Gap::Known(t!("rules_trail.no_management_events").into_owned())
        }
        Some(Read::Failed(e)) => Gap::Unknown(e),
        _ => Gap::None,
    }
}

/// Whether the selectors record management events, write events at least (who changed
/// what): a basic selector with IncludeManagementEvents and ReadWriteType All or
/// WriteOnly, or an advanced selector on `eventCategory` = Management that does not
/// keep read-only events alone
/// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html).
/// A trail with advanced selectors ignores basic ones.
fn records_management(s: &EventSelectors) -> bool {
    if !s.advanced.is_empty() {
        return s.advanced.iter().any(|a| {
            a.event_categories.iter().any(|c| c == "Management") // i18n: technical
                && (a.read_only.is_empty() || a.read_only.iter().any(|r| r == "false"))
        });
    }
    s.basic
        .iter()
        .any(|b| b.include_management_events && b.read_write_type != "ReadOnly") // i18n: technical
}

#[cfg(test)]
mod tests {
    use super::records_management;
    use crate::snapshot::{AdvancedEventSelector, BasicEventSelector, EventSelectors};

    fn basic(rw: &str, management: bool) -> EventSelectors {
        EventSelectors {
            basic: vec![BasicEventSelector {
                read_write_type: rw.to_string(),
                include_management_events: management,
            }],
            advanced: vec![],
        }
    }

    fn advanced(categories: &[&str], read_only: &[&str]) -> EventSelectors {
        EventSelectors {
            basic: vec![],
            advanced: vec![AdvancedEventSelector {
                event_categories: categories.iter().map(|c| c.to_string()).collect(),
                read_only: read_only.iter().map(|c| c.to_string()).collect(),
            }],
        }
    }

    #[test]
    fn which_selectors_record_management_events() {
        assert!(records_management(&basic("All", true)));
        assert!(records_management(&basic("WriteOnly", true)));
        assert!(!records_management(&basic("ReadOnly", true)));
        assert!(!records_management(&basic("All", false)));
        assert!(records_management(&advanced(&["Management"], &[])));
        assert!(records_management(&advanced(&["Management"], &["false"])));
        assert!(!records_management(&advanced(&["Management"], &["true"])));
        assert!(!records_management(&advanced(&["Data"], &[])));
        assert!(!records_management(&EventSelectors {
            basic: vec![],
            advanced: vec![]
        }));
    }
}
