//! System access several crates need, in one place: the atomic, symlink-safe file write
//! ([`write_atomic`]) that every report, state and backup file goes through, and the
//! reason code of an unreadable file ([`io_reason`]), the mount table ([`mounts`]), which file a path is ([`file_identity`]) and the `/proc` process walk ([`procfs`]).

pub mod identity;
pub mod io;
pub mod mounts;
pub mod procfs;
pub mod write;

pub use identity::{file_identity, open_file_identity};
pub use io::io_reason;

pub use write::{Refused, write_atomic, write_atomic_mode};
