//! `serve`, `admin …`, `enroll`, `upload`: the arguments and their dispatch are
//! `praxcheck_server::command_line`'s; this prints what they return and connects the web
//! pages (their registration and their user commands).

use std::io::Write as _;

use anyhow::{Context as _, Result};
use praxcheck_i18n::Catalog;
use praxcheck_server::Location;
use praxcheck_server::client_words;
use praxcheck_server::command_line::{
    self, AdminArgs, EnrollArgs, ServeArgs, UploadArgs, UserCommand,
};

fn out(text: &str) -> Result<u8> {
    let mut o = std::io::stdout().lock();
    if !text.is_empty() {
        writeln!(o, "{}", text.trim_end())?;
    }
    Ok(0)
}

pub(crate) fn serve(a: &ServeArgs) -> Result<u8> {
    // The web pages (issue 14) are served by the same server.
    praxcheck_server::register_pages(praxcheck_web::hook());
    command_line::serve(a)?;
    Ok(0)
}

/// The web pages' user commands (`admin user …`); the password comes from standard input.
fn users(loc: &Location, command: &UserCommand) -> Result<String> {
    match command {
        UserCommand::Add {
            email,
            role,
            practice,
            password_stdin: _,
        } => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .context("reading the password from standard input")?;
            let password = line.trim_end_matches(['\r', '\n']);
            praxcheck_web::user_add_command(loc, email, role, *practice, password)
        }
        UserCommand::ResetTotp { email } => praxcheck_web::user_reset_totp_command(loc, email),
    }
}

pub(crate) fn admin(a: &AdminArgs) -> Result<u8> {
    out(&command_line::admin(a, &users)?)
}

pub(crate) fn enroll(a: &EnrollArgs, cat: &Catalog) -> Result<u8> {
    out(&command_line::enroll(a, cat)?)
}

pub(crate) fn upload(a: &UploadArgs, cat: &Catalog) -> Result<u8> {
    out(&command_line::upload(a, cat)?)
}

/// `scan --upload`: sends the finished document. Never fails the scan: a machine that is
/// not enrolled, an unreachable or refusing server is said on standard error (the document
/// then waits in the spool, except when not enrolled).
pub(crate) fn upload_after_scan(
    doc: &praxcheck_model::Document,
    term: &mut dyn praxcheck_app::command::Terminal,
    cat: &Catalog,
) {
    match client_words::upload_after_scan(doc, cat) {
        Ok(line) => term.note(&line),
        Err(line) => term.say(&format!("praxcheck: {line}")),
    }
}
