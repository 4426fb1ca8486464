//! A bare server process for the crash tests (`tests/it/kill.rs`): they start it as a
//! child, kill it with SIGKILL during uploads and start it again. Users run
//! `praxcheck serve`; this binary only exists so a test can kill a real process without
//! building the whole command-line program.
//!
//! `praxcheck-test-serve (--data DIR | --database URL) [--listen ADDR] [--rate N]
//! [--commit-pause-ms N]`;
//! prints `listening ADDR` once the port is bound.

use std::io::Write as _;

use anyhow::{Context as _, bail};
use praxcheck_server::{Config, Location, Server};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut location = None;
    let mut listen = "127.0.0.1:0".to_owned();
    let mut rate = 20.0;
    let mut pause = None;
    while let Some(a) = args.next() {
        let value = args.next().with_context(|| format!("{a} needs a value"))?;
        match a.as_str() {
            "--data" => location = Some(Location::Folder(value.into())),
            "--database" => location = Some(Location::Postgres(value)),
            "--listen" => listen = value,
            "--rate" => rate = value.parse().context("--rate")?,
            "--commit-pause-ms" => {
                pause = Some(std::time::Duration::from_millis(
                    value.parse().context("--commit-pause-ms")?,
                ));
            }
            other => bail!("unknown option {other}"),
        }
    }
    let location = location.context("--data DIR or --database URL")?;
    let mut config = Config::new(location, listen.parse().context("--listen")?)?;
    config.rate_per_host = rate;
    config.commit_pause = pause;
    let server = Server::start(config).await?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening {}", server.addr)?;
    out.flush()?;
    drop(out);
    server.wait().await
}
