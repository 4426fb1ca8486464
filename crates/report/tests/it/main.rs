//! The HTML report opened in headless Chromium: no console messages, no network requests, a
//! screenshot kept under `target/test-artifacts`; and the same check shown to fail on a page
//! that loads an external image. SKIPPED when no Chromium-family browser is installed.

#![allow(clippy::unwrap_used)]

mod browser;
