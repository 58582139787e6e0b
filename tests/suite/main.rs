//! onwatch's one integration-test binary (one binary keeps link time and disk down).
//! Each area of the product has its own module.

mod engine;
