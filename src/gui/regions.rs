//! The regions the window offers. The table of commercial regions itself is
//! [`crate::regions`].

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
