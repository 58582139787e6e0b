//! Writes the demo account with N log groups (default 10,000; every third has a
//! retention policy) as a snapshot file, for timing reports on a large account:
//!
//!     cargo run --release --example big_snapshot -- big.json [N]
//!     /usr/bin/time -v target/release/onwatch evaluate big.json --format html --output big.html

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
    let snapshot = onwatch::demo::with_log_groups(n)?;
    snapshot.save(std::path::Path::new(&path))?;
    println!("wrote {path}: the demo with {n} log groups in its first region");
    Ok(())
}
