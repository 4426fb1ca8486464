//! Integration tests of the advisories crate: practice products against their fixtures,
//! host and log rules against fact fixtures, signed updates.

#![allow(clippy::unwrap_used)]

mod content;
mod products;
mod rules;
mod signing;
