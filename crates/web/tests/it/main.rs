//! Integration tests of the web pages: an in-process server on 127.0.0.1 with the pages
//! mounted, driven over HTTP (flows, cross-tenant matrix) and through chromium (browser).

#![allow(clippy::unwrap_used)]

mod browser;
mod common;
mod flows;
mod history;
// The server's private PostgreSQL cluster for one test (initdb on a temporary folder), shared
// rather than copied.
#[allow(dead_code)]
#[path = "../../../server/tests/it/pg.rs"]
mod pg;
mod tenant;
mod totp;
