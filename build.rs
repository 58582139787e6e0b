//! Rebuilds onwatch when the string catalogue changes: rust-i18n compiles
//! `assets/locales/*.toml` into the binary but does not tell cargo it read them.

fn main() {
    println!("cargo:rerun-if-changed=assets/locales");
}
