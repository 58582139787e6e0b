//! The commercial AWS regions as plain data: which every account has enabled, which
//! are opt-in, and what a region name looks like. Used by collection (is a failed
//! region opt-in?) and by the window (the list offered when DescribeRegions is denied).
//! https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html

/// Enabled in every account by default (the regions launched before March 2019).
pub const DEFAULT_ENABLED: [&str; 17] = [
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-north-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

/// Opt-in regions: an account must enable them first.
pub const OPT_IN: [&str; 17] = [
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-south-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-west-1",
    "eu-central-2",
    "eu-south-1",
    "eu-south-2",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
];

/// Every commercial region, sorted.
pub fn standard() -> Vec<&'static str> {
    let mut all: Vec<&str> = DEFAULT_ENABLED
        .iter()
        .chain(OPT_IN.iter())
        .copied()
        .collect();
    all.sort_unstable();
    all
}

/// Whether `name` looks like a region id (`eu-west-1`, `us-gov-west-1`): what the user
/// types is checked before it is sent anywhere.
pub fn is_region_name(name: &str) -> bool {
    let parts: Vec<&str> = name.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()))
        && parts[0].chars().all(|c| c.is_ascii_lowercase())
}

/// Whether `region` is one an account must opt in to (commercial partition only).
pub fn is_opt_in(partition: &str, region: &str) -> bool {
    partition == "aws" && !DEFAULT_ENABLED.contains(&region)
}

/// The region where a partition's global services (Budgets, Cost Explorer, IAM)
/// answer.
pub fn global_region(partition: &str) -> &'static str {
    match partition {
        "aws-cn" => "cn-northwest-1",
        "aws-us-gov" => "us-gov-west-1",
        _ => "us-east-1",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names() {
        for ok in ["eu-west-1", "us-gov-west-1", "ap-southeast-7", "cn-north-1"] {
            assert!(is_region_name(ok), "{ok}");
        }
        for bad in [
            "",
            "eu-west",
            "EU-west-1",
            "eu west 1",
            "eu--1",
            "1-west-1",
            "eu-west-x",
        ] {
            assert!(!is_region_name(bad), "{bad}");
        }
        assert_eq!(standard().len(), 34);
    }

    #[test]
    fn opt_in_regions() {
        assert!(is_opt_in("aws", "ap-east-1"));
        assert!(!is_opt_in("aws", "eu-west-1"));
        assert!(!is_opt_in("aws-cn", "cn-north-1"));
    }
}
