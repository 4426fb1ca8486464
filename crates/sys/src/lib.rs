//! System access several crates need, in one place: the atomic, symlink-safe file write
//! ([`write_atomic`]) that every report, state and backup file goes through.

pub mod write;

pub use write::{Refused, write_atomic, write_atomic_mode};
