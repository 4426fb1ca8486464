//! Signing helper for tests, benchmarks and local trials (the association signs releases
//! offline with the `minisign` command-line tool, see `SIGNING.md`).
//!
//! ```text
//! cargo run -p praxcheck-advisories --example sign_set -- keygen PREFIX
//!     writes PREFIX.pub and an UNENCRYPTED PREFIX.key (for tests only)
//! cargo run -p praxcheck-advisories --example sign_set -- sign KEYFILE SETFILE
//!     writes SETFILE.minisig
//! cargo run -p praxcheck-advisories --example sign_set -- bundle OUT [--version N] [--add OSV.json ...]
//!     writes the embedded set with a new version and extra OSV records, for trials
//! ```

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write as _;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("keygen") => {
            let prefix = args.get(1).ok_or("keygen PREFIX")?;
            let kp = minisign::KeyPair::generate_unencrypted_keypair()?;
            let pk = kp.pk.to_box()?.into_string();
            let sk = kp
                .sk
                .to_box(Some("praxcheck TEST key - never use for releases"))?
                .into_string();
            std::fs::write(format!("{prefix}.pub"), pk)?;
            std::fs::write(format!("{prefix}.key"), sk)?;
            println!("{}", kp.pk.to_base64());
        }
        Some("sign") => {
            let key = args.get(1).ok_or("sign KEYFILE SETFILE")?;
            let file = args.get(2).ok_or("sign KEYFILE SETFILE")?;
            let sk_box = minisign::SecretKeyBox::from_string(&std::fs::read_to_string(key)?)?;
            let sk = sk_box.into_unencrypted_secret_key()?;
            let data = std::fs::read(file)?;
            let sig = minisign::sign(
                None,
                &sk,
                std::io::Cursor::new(&data),
                Some("praxcheck advisory set"),
                None,
            )?;
            let mut f = std::fs::File::create(format!("{file}.minisig"))?;
            f.write_all(sig.into_string().as_bytes())?;
        }
        Some("bundle") => {
            let out = args
                .get(1)
                .ok_or("bundle OUT [--version N] [--add FILE]...")?;
            let mut value: serde_json::Value =
                serde_json::from_str(praxcheck_advisories::AdvisorySet::embedded_json())?;
            let mut i = 2;
            while i < args.len() {
                match args[i].as_str() {
                    "--version" => {
                        let v: u64 = args.get(i + 1).ok_or("--version N")?.parse()?;
                        value["version"] = v.into();
                        i += 2;
                    }
                    "--add" => {
                        let rec: serde_json::Value = serde_json::from_str(
                            &std::fs::read_to_string(args.get(i + 1).ok_or("--add FILE")?)?,
                        )?;
                        value["records"].as_array_mut().ok_or("records")?.push(rec);
                        i += 2;
                    }
                    other => return Err(format!("unknown option {other}").into()),
                }
            }
            std::fs::write(out, serde_json::to_string_pretty(&value)?)?;
        }
        _ => {
            eprintln!(
                "usage: sign_set keygen PREFIX | sign KEYFILE SETFILE | bundle OUT [--version N] [--add OSV.json]..."
            );
            std::process::exit(2);
        }
    }
    Ok(())
}
