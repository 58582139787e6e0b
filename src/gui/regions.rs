//! The regions the window offers and the order a scan asks for them in. The table of
//! commercial regions itself is [`crate::regions`].

pub use crate::regions::{DEFAULT_ENABLED, is_region_name, standard};

/// The default region the SDK would find in the environment, for the window to name.
pub fn from_env() -> Option<(&'static str, String)> {
    ["AWS_REGION", "AWS_DEFAULT_REGION"].iter().find_map(|var| {
        std::env::var(var)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .map(|v| (*var, v))
    })
}

/// The regions a scan asks for: the home region first when it is among them, because
/// collect asks STS and EC2 in the first region when the profile names none.
pub fn scan_order(home: Option<&str>, chosen: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut regions: Vec<String> = chosen.into_iter().collect();
    if let Some(at) = home.and_then(|h| regions.iter().position(|r| r == h)) {
        let home = regions.remove(at);
        regions.insert(0, home);
    }
    regions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_region_goes_first() {
        let chosen = ["eu-west-1", "us-east-1", "us-west-2"].map(String::from);
        assert_eq!(
            scan_order(Some("us-west-2"), chosen.clone()),
            ["us-west-2", "eu-west-1", "us-east-1"]
        );
        assert_eq!(
            scan_order(Some("ap-south-1"), chosen.clone()),
            ["eu-west-1", "us-east-1", "us-west-2"]
        );
        assert_eq!(
            scan_order(None, chosen),
            ["eu-west-1", "us-east-1", "us-west-2"]
        );
    }
}
