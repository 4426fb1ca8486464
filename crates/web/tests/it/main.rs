//! Integration tests of the web pages: an in-process server on 127.0.0.1 with the pages
//! mounted, driven over HTTP (flows, cross-tenant matrix) and through chromium (browser).

#![allow(clippy::unwrap_used)]

mod browser;
mod common;
mod flows;
mod history;
mod pages;
mod tenant;
mod totp;
