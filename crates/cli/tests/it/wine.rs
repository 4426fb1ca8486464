//! `praxcheck.exe` under Wine (issue 16): registry values written with `wine reg add` into a
//! fresh Wine prefix become host facts and findings of `praxcheck.exe --lang de scan
//! --host-only --format json` — SMBv1 on, RDP without NLA, auto-logon with a stored
//! password, an old KBV-Prüfmodul in the Uninstall key — and the planted auto-logon password
//! appears in no output, no file and no report.
//!
//! The prefix is made Windows 10 (`winecfg /v win10`; a fresh Wine 8 prefix says Windows 7)
//! and the test writes a supported Windows 11 25H2 into `CurrentVersion`: the OS facts are
//! the configured ones and no end-of-life finding follows.
//!
//! The test drives the cross-built `target/windows/x86_64-pc-windows-gnu/release/praxcheck.exe`
//! (`scripts/windows.sh build`, which also builds the test-only `bcryptprimitives.dll` shim
//! Wine 8 needs) or the exe named by `PRAXCHECK_WINDOWS_EXE` with the shim named by
//! `PRAXCHECK_WINDOWS_SHIM` (CI: the debug exe `scripts/windows.sh ci` built and kept in
//! `target/tmp/windows-ci`). Without Wine or the exe it
//! prints SKIPPED; with `PRAXCHECK_REQUIRE_WINE=1` (set by CI's Windows block) or
//! `PRAXCHECK_WINDOWS=1` that is a failure. Every Wine command is bounded in time; the prefix
//! lives below `target/tmp` and is removed afterwards (its wineserver is stopped first).

#![cfg(unix)]
#![allow(clippy::print_stderr)]

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

use praxcheck_i18n::{Arg, Catalog, Lang};
use praxcheck_model::{Document, FactValue};

const TARGET: &str = "x86_64-pc-windows-gnu";

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
}

fn required() -> bool {
    ["PRAXCHECK_REQUIRE_WINE", "PRAXCHECK_WINDOWS"]
        .iter()
        .any(|v| std::env::var(v).as_deref() == Ok("1"))
}

/// A Wine path for a Linux path (Wine's `Z:` is `/`).
fn z(p: &Path) -> String {
    format!("Z:{}", p.display()).replace('/', "\\")
}

/// A fresh Wine prefix with the shim, and the exe to run in it.
struct Wine {
    prefix: tempfile::TempDir,
    exe: PathBuf,
}

impl Wine {
    /// The prefix, or `None` after printing why the test is skipped.
    fn start(test: &str) -> Option<Self> {
        let root = praxcheck_testsupport::workspace_root();
        let exe = std::env::var_os("PRAXCHECK_WINDOWS_EXE")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join(format!("target/windows/{TARGET}/release/praxcheck.exe")));
        let shim = std::env::var_os("PRAXCHECK_WINDOWS_SHIM")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("target/windows/shim/bcryptprimitives.dll"));
        let mut missing = Vec::new();
        for tool in ["wine", "wineboot", "wineserver"] {
            if !on_path(tool) {
                missing.push(tool.to_owned());
            }
        }
        for f in [&exe, &shim] {
            if !f.is_file() {
                missing.push(f.display().to_string());
            }
        }
        if !missing.is_empty() {
            assert!(
                !required(),
                "{test}: PRAXCHECK_REQUIRE_WINE/PRAXCHECK_WINDOWS is set but {missing:?} is missing \
                 (run scripts/windows.sh build)"
            );
            eprintln!("SKIPPED {test}: needs Wine and the cross-built exe; missing {missing:?}");
            return None;
        }
        let tmp = root.join("target/tmp");
        std::fs::create_dir_all(&tmp).unwrap();
        let prefix = tempfile::Builder::new()
            .prefix("wine-registry.")
            .tempdir_in(&tmp)
            .unwrap();
        let w = Self { prefix, exe };
        let o = w.run("wineboot", &["-i"], Duration::from_secs(600));
        let sys32 = w.prefix.path().join("drive_c/windows/system32");
        assert!(
            sys32.is_dir(),
            "wineboot made no prefix: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        std::fs::copy(&shim, sys32.join("bcryptprimitives.dll")).unwrap();
        // A fresh Wine 8 prefix says Windows 7 (long past its end of life); winecfg makes
        // it Windows 10 (its newest choice), the test then writes the exact version.
        let o = w.run("winecfg", &["/v", "win10"], Duration::from_secs(120));
        assert!(o.status.success(), "winecfg /v win10 failed");
        let o = w.run("winecfg", &["/v"], Duration::from_secs(120));
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("win10"),
            "the prefix is not Windows 10: {}",
            String::from_utf8_lossy(&o.stdout)
        );
        Some(w)
    }

    fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.env("WINEPREFIX", self.prefix.path())
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "bcryptprimitives=n;mscoree,mshtml=")
            // Command-line arguments reach Windows through the Unix locale: UTF-8 keeps
            // "Prüfmodul" intact whatever the caller's locale is.
            .env("LC_ALL", "C.UTF-8")
            .env("NO_COLOR", "1")
            .env("PRAXCHECK_TODAY", "2026-11-29")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("PRAXCHECK_STATE_DIR")
            .env_remove("PRAXCHECK_OUTPUT_DIR")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }

    /// Runs a program in the prefix, killed after `limit`.
    fn run(&self, program: &str, args: &[&str], limit: Duration) -> Output {
        let mut child = self.command(program).args(args).spawn().unwrap();
        let mut out = child.stdout.take().unwrap();
        let mut err = child.stderr.take().unwrap();
        let t_out = std::thread::spawn(move || {
            let mut b = Vec::new();
            let _ = out.read_to_end(&mut b);
            b
        });
        let t_err = std::thread::spawn(move || {
            let mut b = Vec::new();
            let _ = err.read_to_end(&mut b);
            b
        });
        let t0 = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if t0.elapsed() > limit {
                let _ = child.kill();
                self.stop();
                panic!("{program} {args:?} did not finish within {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        Output {
            status,
            stdout: t_out.join().unwrap(),
            stderr: t_err.join().unwrap(),
        }
    }

    /// `wine reg add KEY /v NAME /t TYPE /d DATA /f` (64-bit view).
    fn reg_add(&self, key: &str, name: &str, ty: &str, data: &str) {
        let o = self.run(
            "wine",
            &[
                "reg", "add", key, "/v", name, "/t", ty, "/d", data, "/f", "/reg:64",
            ],
            Duration::from_secs(120),
        );
        assert!(
            o.status.success(),
            "wine reg add {key} {name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }

    /// Stops this prefix's wineserver (and every Windows process in it).
    fn stop(&self) {
        let _ = self
            .command("wineserver")
            .arg("-k")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for Wine {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Every regular file below `dir` changed at or after `since`.
fn files_since(dir: &Path, since: SystemTime, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let Ok(m) = std::fs::symlink_metadata(e.path()) else {
            continue;
        };
        if m.is_dir() {
            files_since(&e.path(), since, out);
        } else if m.is_file() && m.modified().is_ok_and(|t| t >= since) {
            out.push(e.path());
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The needle as UTF-8 and as UTF-16LE (Windows programs write either).
fn secret_forms(secret: &str) -> [Vec<u8>; 2] {
    [
        secret.as_bytes().to_vec(),
        secret.encode_utf16().flat_map(u16::to_le_bytes).collect(),
    ]
}

#[test]
fn registry_values_written_with_wine_reg_become_facts_and_findings() {
    let test = "registry_values_written_with_wine_reg_become_facts_and_findings";
    let Some(wine) = Wine::start(test) else {
        return;
    };
    // A secret no part of praxcheck could produce by chance.
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let secret = format!("Pw-{nanos:x}-Empfang!");
    let cv = "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";
    let ccs = "HKLM\\SYSTEM\\CurrentControlSet";
    let uninstall = "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\KBV-XPM-KVDT";
    wine.reg_add(
        &format!("{ccs}\\Services\\LanmanServer\\Parameters"),
        "SMB1",
        "REG_DWORD",
        "1",
    );
    wine.reg_add(
        &format!("{ccs}\\Control\\Terminal Server"),
        "fDenyTSConnections",
        "REG_DWORD",
        "0",
    );
    wine.reg_add(
        &format!("{ccs}\\Control\\Terminal Server\\WinStations\\RDP-Tcp"),
        "UserAuthentication",
        "REG_DWORD",
        "0",
    );
    let winlogon = format!("{cv}\\Winlogon");
    wine.reg_add(&winlogon, "AutoAdminLogon", "REG_SZ", "1");
    wine.reg_add(&winlogon, "DefaultUserName", "REG_SZ", "Empfang");
    wine.reg_add(&winlogon, "DefaultPassword", "REG_SZ", &secret);
    // A supported Windows: 11 Pro 25H2 (its registry says "Windows 10 Pro", as a real
    // Windows 11 does; the build tells them apart), serviced until 2027-10-12.
    wine.reg_add(cv, "ProductName", "REG_SZ", "Windows 10 Pro");
    wine.reg_add(cv, "EditionID", "REG_SZ", "Professional");
    wine.reg_add(cv, "InstallationType", "REG_SZ", "Client");
    wine.reg_add(cv, "CurrentBuild", "REG_SZ", "26200");
    wine.reg_add(cv, "CurrentBuildNumber", "REG_SZ", "26200");
    wine.reg_add(cv, "UBR", "REG_DWORD", "7171");
    wine.reg_add(cv, "DisplayVersion", "REG_SZ", "25H2");
    wine.reg_add(uninstall, "DisplayName", "REG_SZ", "KBV-Prüfmodul KVDT");
    wine.reg_add(uninstall, "DisplayVersion", "REG_SZ", "2019.2.1");
    wine.reg_add(
        uninstall,
        "Publisher",
        "REG_SZ",
        "Kassenärztliche Bundesvereinigung",
    );

    // The control: the secret is really stored (Wine keeps HKLM in `system.reg`, outside
    // drive_c, and writes it when its wineserver ends), and the search finds it there.
    wine.run("wineserver", &["-w"], Duration::from_secs(120));
    let hive = std::fs::read(wine.prefix.path().join("system.reg")).unwrap();
    assert!(
        secret_forms(&secret).iter().any(|f| contains(&hive, f)),
        "DefaultPassword was not written"
    );

    // File times have a coarse resolution on some file systems: a second of margin.
    let started = SystemTime::now() - Duration::from_secs(1);
    let exe = wine.exe.display().to_string();
    let json = wine.run(
        "wine",
        &[
            &exe,
            "--lang",
            "de",
            "scan",
            "--host-only",
            "--fail-on",
            "none",
            "--format",
            "json",
        ],
        Duration::from_secs(300),
    );
    let out_dir = wine.prefix.path().join("drive_c/praxcheck-test");
    std::fs::create_dir_all(&out_dir).unwrap();
    let html = out_dir.join("bericht.html");
    let report = wine.run(
        "wine",
        &[
            &exe,
            "--lang",
            "de",
            "scan",
            "--host-only",
            "--fail-on",
            "none",
            "--format",
            "html",
            "--output",
            &z(&html),
        ],
        Duration::from_secs(300),
    );
    assert_eq!(
        json.status.code(),
        Some(0),
        "scan: {}",
        String::from_utf8_lossy(&json.stderr)
    );
    assert_eq!(
        report.status.code(),
        Some(0),
        "scan --format html: {}",
        String::from_utf8_lossy(&report.stderr)
    );

    // The password is in no output and in no file the scans wrote (the prefix's own
    // registry files, which hold it, lie outside drive_c).
    let mut written = Vec::new();
    files_since(&wine.prefix.path().join("drive_c"), started, &mut written);
    assert!(html.is_file() && written.contains(&html), "{written:?}");
    for form in secret_forms(&secret) {
        for (what, bytes) in [
            ("json stdout", &json.stdout),
            ("json stderr", &json.stderr),
            ("html stdout", &report.stdout),
            ("html stderr", &report.stderr),
        ] {
            assert!(!contains(bytes, &form), "the password is in the {what}");
        }
        for f in &written {
            let bytes = std::fs::read(f).unwrap();
            assert!(
                !contains(&bytes, &form),
                "the password is in {}",
                f.display()
            );
        }
    }

    let doc = Document::from_json(&json.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&json.stdout),
            String::from_utf8_lossy(&json.stderr)
        )
    });
    let host = doc.inventory.host.as_ref().expect("host facts");
    assert_eq!(host.platform, "windows");
    let value = |key: &str| -> &FactValue {
        &host
            .get(key)
            .unwrap_or_else(|| panic!("{key} missing"))
            .value
    };
    // The operating system is the one configured above, read from the registry.
    let text = |t: &str| FactValue::Text(t.to_owned());
    assert_eq!(value("os.family"), &text("windows"));
    assert_eq!(value("os.id"), &text("windows"));
    assert_eq!(value("os.name"), &text("Windows 11 Pro"));
    assert_eq!(value("os.version"), &text("10.0.26200.7171"));
    assert_eq!(value("os.build"), &FactValue::Int(26200));
    assert_eq!(value("os.edition"), &text("Professional"));
    assert_eq!(value("os.release"), &text("25H2"));
    assert_eq!(value("os.eol_cycle"), &text("Windows 11 25H2 (W)"));
    assert_eq!(value("remote.smb1.enabled"), &FactValue::Bool(true));
    assert_eq!(value("remote.rdp.enabled"), &FactValue::Bool(true));
    assert_eq!(value("remote.rdp.nla"), &FactValue::Bool(false));
    assert_eq!(value("logon.autologon"), &FactValue::Bool(true));
    assert_eq!(
        value("logon.autologon_password_stored"),
        &FactValue::Bool(true)
    );
    let FactValue::List(products) = value("software.products") else {
        panic!("software.products: {:?}", value("software.products"));
    };
    assert!(
        products
            .iter()
            .any(|p| p.contains("kbv-xpm") && p.contains("2019.2.1")),
        "{products:?}"
    );

    let rules: Vec<&str> = doc
        .findings
        .iter()
        .flat_map(|f| [f.rule_id.as_str(), f.advisory_id.as_str()])
        .collect();
    assert!(
        !rules.contains(&"PRAX-HOST-OS-EOL"),
        "a supported Windows is no end-of-life finding: {rules:?}"
    );
    for id in [
        "PRAX-HOST-SMB1",
        "PRAX-HOST-RDP-NO-NLA",
        "PRAX-HOST-AUTOLOGON",
        "PRAX-PROD-KBV-XPM-LOG4J",
    ] {
        assert!(rules.contains(&id), "{id} missing from {rules:?}");
    }

    // What only PowerShell knows says why it is unknown, in German, from the catalogue:
    // Wine's powershell.exe is a stub that prints nothing.
    let cat = Catalog::new(Lang::De);
    let listening = host
        .get("listening.services")
        .and_then(|f| f.unknown())
        .expect("listening.services is unknown under Wine");
    let part = vec![("part", Arg::Str("inventory".into()))];
    let mut expected = vec![
        cat.t_args("hostwin-pwsh-missing", &part),
        cat.t_args("hostwin-pwsh-killed", &part),
        cat.t_args("hostwin-pwsh-timeout", &part),
    ];
    for code in ["0", "1"] {
        let mut a = part.clone();
        a.push(("code", Arg::Str(code.into())));
        expected.push(cat.t_args("hostwin-pwsh-no-output", &a));
    }
    assert!(
        expected.contains(&listening.detail),
        "{:?} is no catalogue text of {expected:?}",
        listening.detail
    );
}
