//! Prints what the decoder makes of each line of standard input (a debugging aid):
//! `cargo run -p praxcheck-logscan --example decode < payloads.txt`.
#![allow(clippy::print_stdout)]

use std::io::Read as _;

fn main() -> std::io::Result<()> {
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input)?;
    for (n, line) in input.split(|b| *b == b'\n').enumerate() {
        for h in praxcheck_logscan::decode::decode_bytes(line) {
            let cb = h
                .callback
                .map(|c| {
                    format!(
                        "{}|{}|{}",
                        c.protocol,
                        c.host.unwrap_or_default(),
                        c.port.map(|p| p.to_string()).unwrap_or_default()
                    )
                })
                .unwrap_or_default();
            let ob: Vec<&str> = h.obfuscation.iter().map(|o| o.as_str()).collect();
            println!("{}\t{}\t{}\t{}", n + 1, h.payload, cb, ob.join(","));
        }
    }
    Ok(())
}
