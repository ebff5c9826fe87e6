//! Shared harness for wasio's benchmarks: time a closure, print a table of ns/op and ratios.

use std::time::{Duration, Instant};

pub mod floor;

/// Runs `f` (which performs `ops` operations) repeatedly for about `budget` and returns the best
/// ns/op over the runs (best-of reduces noise from the other core's load).
pub fn measure(ops: u64, budget: Duration, mut f: impl FnMut()) -> f64 {
    f(); // warm-up
    let start = Instant::now();
    let mut best = f64::INFINITY;
    let mut runs = 0;
    while runs < 3 || (start.elapsed() < budget && runs < 50) {
        let t = Instant::now();
        f();
        let ns = t.elapsed().as_nanos() as f64 / ops as f64;
        best = best.min(ns);
        runs += 1;
    }
    best
}

/// One row of a comparison: a benchmark name and ns/op per runtime, wasio first.
pub struct Row {
    pub name: String,
    pub results: Vec<(&'static str, f64)>,
}

/// Prints rows as a Markdown table: ns/op for every runtime, then wasio's ratio to each peer
/// (below 1.0 means wasio is faster).
pub fn print_table(title: &str, rows: &[Row]) {
    println!("\n### {title}\n");
    let peers: Vec<&str> = rows[0].results.iter().map(|r| r.0).collect();
    let mut header = String::from("| benchmark |");
    for p in &peers {
        header += &format!(" {p} ns/op |");
    }
    for p in peers.iter().skip(1) {
        header += &format!(" wasio/{p} |");
    }
    println!("{header}");
    println!("|{}", "---|".repeat(1 + peers.len() * 2 - 1));
    for row in rows {
        let mut line = format!("| {} |", row.name);
        for (_, ns) in &row.results {
            line += &if ns.is_nan() {
                " n/a |".to_string()
            } else {
                format!(" {ns:.1} |")
            };
        }
        let w = row.results[0].1;
        for (_, ns) in row.results.iter().skip(1) {
            line += &if ns.is_nan() {
                " n/a |".to_string()
            } else {
                format!(" {:.2}x |", w / ns)
            };
        }
        println!("{line}");
    }
}
