//! Integration tests of the service, driven in-process over HTTP on 127.0.0.1.

#![allow(clippy::unwrap_used)]

mod catchup;
mod common;
mod csaf;
mod disk;
mod flows;
mod kill;
mod notify;
mod postgres;
mod reasons;
mod reeval;
mod tls;
