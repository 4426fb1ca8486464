//! What an I/O error means for a file the scan could not read: one mapping for every
//! collector (issue 10 step 4; it was written once in javascan and again in logscan).

use praxcheck_model::UnreadableReason;

/// The reason code for an I/O error: no permission, vanished, truncated, a path too
/// long, or a plain I/O error. Collectors map their own error kinds (size limits, corrupt
/// data) first and fall back to this.
#[must_use]
pub fn io_reason(e: &std::io::Error) -> UnreadableReason {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => UnreadableReason::PermissionDenied,
        std::io::ErrorKind::NotFound => UnreadableReason::Vanished,
        std::io::ErrorKind::UnexpectedEof => UnreadableReason::Truncated,
        std::io::ErrorKind::InvalidFilename => UnreadableReason::PathTooLong,
        _ => UnreadableReason::Io,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Error, ErrorKind};

    #[test]
    fn io_errors_map_to_reasons() {
        for (kind, want) in [
            (
                ErrorKind::PermissionDenied,
                UnreadableReason::PermissionDenied,
            ),
            (ErrorKind::NotFound, UnreadableReason::Vanished),
            (ErrorKind::UnexpectedEof, UnreadableReason::Truncated),
            (ErrorKind::InvalidFilename, UnreadableReason::PathTooLong),
            (ErrorKind::Other, UnreadableReason::Io),
            (ErrorKind::InvalidData, UnreadableReason::Io),
        ] {
            assert_eq!(io_reason(&Error::from(kind)), want, "{kind:?}");
        }
    }
}
