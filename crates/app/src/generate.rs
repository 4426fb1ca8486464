//! `praxcheck generate man|completions|units DIR` (hidden, for packaging): man pages in
//! German and English, shell completions and the systemd units of the package layout.
//! The binary passes its command tree (`command`), which this crate cannot name.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use praxcheck_agent::units::{self, Layout};
use praxcheck_i18n::Lang;

/// What `praxcheck generate` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GenerateWhat {
    /// Man pages (German in DIR/man1, English in DIR/en/man1).
    Man,
    /// Shell completions for bash, zsh and fish.
    Completions,
    /// The systemd service and timer of the package layout.
    Units,
}

/// `praxcheck generate`
#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// What to generate.
    #[arg(value_enum)]
    pub what: GenerateWhat,
    /// The folder to write into.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

/// A write that failed, with the path.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct GenerateError {
    /// The file or folder.
    pub path: PathBuf,
    /// Why.
    #[source]
    pub source: std::io::Error,
}

fn at(path: &Path) -> impl FnOnce(std::io::Error) -> GenerateError + '_ {
    move |source| GenerateError {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes what `a` asks for; `command` gives the program's command tree with help texts in
/// a language. Returns the files (man pages: the folders) written.
///
/// # Errors
/// A folder or file that could not be written.
pub fn generate(
    a: &GenerateArgs,
    command: &dyn Fn(Lang) -> clap::Command,
) -> Result<Vec<PathBuf>, GenerateError> {
    std::fs::create_dir_all(&a.dir).map_err(at(&a.dir))?;
    let mut written = Vec::new();
    match a.what {
        GenerateWhat::Man => {
            for (lang, sub) in [(Lang::De, "man1"), (Lang::En, "en/man1")] {
                let dir = a.dir.join(sub);
                std::fs::create_dir_all(&dir).map_err(at(&dir))?;
                clap_mangen::generate_to(command(lang), &dir).map_err(at(&dir))?;
                written.push(dir);
            }
        }
        GenerateWhat::Completions => {
            use clap_complete::Shell;
            for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
                let mut cmd = command(Lang::De);
                let p = clap_complete::generate_to(shell, &mut cmd, "praxcheck", &a.dir)
                    .map_err(at(&a.dir))?;
                written.push(p);
            }
        }
        GenerateWhat::Units => {
            for (name, text) in units::unit_files(&Layout::default()) {
                let p = a.dir.join(name);
                std::fs::write(&p, text).map_err(at(&p))?;
                written.push(p);
            }
        }
    }
    Ok(written)
}
