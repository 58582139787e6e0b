//! Writes the demo account with N extra log groups (default 10,000; every third has a
//! retention policy) as a snapshot file, for timing reports on a large account:
//!
//!     cargo run --release --example big_snapshot -- big.json [N]
//!     /usr/bin/time -v target/release/onwatch evaluate big.json --format html --output big.html

use onwatch::snapshot::{LogGroup, Read};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: big_snapshot FILE [N]"))?;
    let n: usize = args
        .next()
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(10_000);
    let mut snapshot = onwatch::demo::snapshot()?;
    let region = snapshot
        .regions
        .keys()
        .next()
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("demo has no region"))?;
    let groups: Vec<LogGroup> = (0..n)
        .map(|i| LogGroup {
            name: format!("/ecs/service-{i:05}"),
            arn: format!("arn:aws:logs:{region}:111122223333:log-group:/ecs/service-{i:05}"),
            retention_days: (i % 3 == 0).then_some(30),
            stored_bytes: Some(1_000_000),
            class: None,
        })
        .collect();
    if let Some(r) = snapshot.regions.get_mut(&region) {
        r.log_groups = Read::Ok(groups);
    }
    snapshot.save(std::path::Path::new(&path))?;
    println!("wrote {path}: the demo with {n} extra log groups");
    Ok(())
}
