//! Facts read from this machine.

use praxcheck_hostscan::{Options, Platform, collect};

#[test]
fn this_machine_prints() {
    if Platform::current() != Platform::Linux {
        return;
    }
    let t = std::time::Instant::now();
    let scan = collect(&Options::default()).unwrap();
    eprintln!("took {:?}", t.elapsed());
    eprintln!("{}", serde_json::to_string_pretty(&scan.facts).unwrap());
    eprintln!("components: {}", scan.components.len());
}
