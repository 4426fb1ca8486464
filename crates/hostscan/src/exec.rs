//! Running commands: plain `std::process`, bounded in time and output size, the same code on
//! every platform. Which commands run is decided at run time by the collector for the
//! platform; tests substitute an [`Exec`] that answers from fixtures.

use std::io::Read as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What a command printed and how it ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CmdOutput {
    /// Exit code; `None` when the process was ended by a signal.
    pub status: Option<i32>,
    /// Standard output (at most the output limit).
    pub stdout: Vec<u8>,
    /// Standard error (at most the output limit).
    pub stderr: Vec<u8>,
    /// True when standard output was longer than the limit and was cut.
    pub truncated: bool,
}

impl CmdOutput {
    /// A successful run that printed `stdout`.
    #[must_use]
    pub fn ok(stdout: impl Into<Vec<u8>>) -> Self {
        Self {
            status: Some(0),
            stdout: stdout.into(),
            stderr: Vec::new(),
            truncated: false,
        }
    }

    /// A failed run with the given exit code and standard error.
    #[must_use]
    pub fn failed(code: i32, stderr: impl Into<Vec<u8>>) -> Self {
        Self {
            status: Some(code),
            stdout: Vec::new(),
            stderr: stderr.into(),
            truncated: false,
        }
    }

    /// Standard output as text (lossy).
    #[must_use]
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// Standard error as text (lossy), trimmed.
    #[must_use]
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).trim().to_owned()
    }

    /// True when the exit code is 0.
    #[must_use]
    pub fn success(&self) -> bool {
        self.status == Some(0)
    }
}

/// Why a command gave no output.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExecError {
    /// The program is not installed (not found on the search path).
    #[error("{0}: not installed")]
    NotFound(String),
    /// The command did not end within its time limit and was stopped.
    #[error("{program}: no answer within {seconds:.1} s, stopped")]
    Timeout {
        /// The program.
        program: String,
        /// The limit.
        seconds: f64,
    },
    /// Commands are not run in this mode (a foreign root folder is being read).
    #[error("{0}: commands are not run against a root folder other than /")]
    Disabled(String),
    /// Starting or waiting failed.
    #[error("{program}: {reason}")]
    Io {
        /// The program.
        program: String,
        /// The operating system's message.
        reason: String,
    },
}

/// Runs commands.
pub trait Exec: Sync {
    /// Runs `program` with `args`, waiting at most `timeout`.
    ///
    /// # Errors
    /// When the program is missing, does not finish in time, or cannot be started.
    fn run(&self, program: &str, args: &[&str], timeout: Duration) -> Result<CmdOutput, ExecError>;
}

/// Runs real processes with `std::process`.
#[derive(Debug, Clone)]
pub struct SystemExec {
    /// A command prefix every command runs under (e.g. `ip netns exec lab` in tests).
    pub wrap: Vec<String>,
    /// At most this many bytes of standard output and standard error are kept.
    pub max_output: usize,
}

impl Default for SystemExec {
    fn default() -> Self {
        Self {
            wrap: Vec::new(),
            max_output: 16 * 1024 * 1024,
        }
    }
}

/// Reads a pipe up to `limit` bytes, then keeps draining (so the child never blocks on a
/// full pipe) without keeping the rest.
fn read_bounded(mut r: impl std::io::Read, limit: usize) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let mut truncated = false;
    loop {
        match r.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let room = limit.saturating_sub(out.len());
                if room < n {
                    truncated = true;
                }
                out.extend_from_slice(&buf[..n.min(room)]);
            }
        }
    }
    (out, truncated)
}

impl Exec for SystemExec {
    fn run(&self, program: &str, args: &[&str], timeout: Duration) -> Result<CmdOutput, ExecError> {
        let (prog, all_args): (&str, Vec<&str>) = match self.wrap.split_first() {
            Some((first, rest)) => (
                first.as_str(),
                rest.iter()
                    .map(String::as_str)
                    .chain(std::iter::once(program))
                    .chain(args.iter().copied())
                    .collect(),
            ),
            None => (program, args.to_vec()),
        };
        let mut cmd = Command::new(prog);
        cmd.args(&all_args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Untranslated messages: the parsers read the C locale's wording.
            .env("LC_ALL", "C")
            .env("LANG", "C")
            .env("LANGUAGE", "C");
        let mut child = cmd.spawn().map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                ExecError::NotFound(program.to_owned())
            } else {
                ExecError::Io {
                    program: program.to_owned(),
                    reason: e.to_string(),
                }
            }
        })?;
        let limit = self.max_output;
        let out_thread = child
            .stdout
            .take()
            .map(|s| std::thread::spawn(move || read_bounded(s, limit)));
        let err_thread = child
            .stderr
            .take()
            .map(|s| std::thread::spawn(move || read_bounded(s, limit)));
        let deadline = Instant::now() + timeout;
        let status = loop {
            match child.try_wait() {
                Ok(Some(st)) => break st,
                Ok(None) => {
                    if Instant::now() >= deadline {
                        let _ = child.kill();
                        let _ = child.wait();
                        // The reader threads end when the pipes close; a grandchild that
                        // keeps a pipe open must not hold us, so they are not joined.
                        return Err(ExecError::Timeout {
                            program: program.to_owned(),
                            seconds: timeout.as_secs_f64(),
                        });
                    }
                    std::thread::sleep(Duration::from_millis(2));
                }
                Err(e) => {
                    let _ = child.kill();
                    return Err(ExecError::Io {
                        program: program.to_owned(),
                        reason: e.to_string(),
                    });
                }
            }
        };
        let (stdout, truncated) = out_thread.and_then(|t| t.join().ok()).unwrap_or_default();
        let (stderr, _) = err_thread.and_then(|t| t.join().ok()).unwrap_or_default();
        Ok(CmdOutput {
            status: status.code(),
            stdout,
            stderr,
            truncated,
        })
    }
}

/// Runs nothing: every command reports [`ExecError::Disabled`]. Used when a foreign root
/// folder is read, where the live system's commands would describe the wrong computer.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoExec;

impl Exec for NoExec {
    fn run(&self, program: &str, _: &[&str], _: Duration) -> Result<CmdOutput, ExecError> {
        Err(ExecError::Disabled(program.to_owned()))
    }
}

/// Answers commands with a function (tests answer from fixtures). Commands the function
/// does not answer (`None`) report [`ExecError::NotFound`].
pub struct FnExec<F>(pub F)
where
    F: Fn(&str, &[&str]) -> Option<Result<CmdOutput, ExecError>> + Sync;

impl<F> Exec for FnExec<F>
where
    F: Fn(&str, &[&str]) -> Option<Result<CmdOutput, ExecError>> + Sync,
{
    fn run(&self, program: &str, args: &[&str], _: Duration) -> Result<CmdOutput, ExecError> {
        (self.0)(program, args).unwrap_or_else(|| Err(ExecError::NotFound(program.to_owned())))
    }
}

/// Reads at most `limit` bytes of a file.
///
/// # Errors
/// The I/O error of opening or reading.
pub fn read_limited(path: &std::path::Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let f = std::fs::File::open(path)?;
    let mut out = Vec::new();
    f.take(limit).read_to_end(&mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_program_is_not_found() {
        let e = SystemExec::default()
            .run("praxcheck-no-such-program-xyz", &[], Duration::from_secs(1))
            .unwrap_err();
        assert_eq!(
            e,
            ExecError::NotFound("praxcheck-no-such-program-xyz".into())
        );
    }

    #[cfg(unix)]
    #[test]
    fn slow_command_is_stopped() {
        let e = SystemExec::default()
            .run("sleep", &["5"], Duration::from_millis(200))
            .unwrap_err();
        assert!(matches!(e, ExecError::Timeout { .. }), "{e:?}");
    }

    #[cfg(unix)]
    #[test]
    fn output_is_bounded_and_marked() {
        let ex = SystemExec {
            wrap: Vec::new(),
            max_output: 1000,
        };
        let out = ex
            .run(
                "sh",
                &["-c", "head -c 100000 /dev/zero"],
                Duration::from_secs(5),
            )
            .unwrap();
        assert_eq!(out.stdout.len(), 1000);
        assert!(out.truncated);
        assert!(out.success());
    }

    #[cfg(unix)]
    #[test]
    fn commands_run_in_the_c_locale() {
        let out = SystemExec::default()
            .run("sh", &["-c", "echo $LC_ALL"], Duration::from_secs(5))
            .unwrap();
        assert_eq!(out.stdout_text().trim(), "C");
    }
}
