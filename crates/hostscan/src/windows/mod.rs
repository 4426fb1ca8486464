//! The Windows collector.
use crate::backup::BackupConfig;
use crate::exec::Exec;
use crate::facts::Facts;
use crate::Options;
use praxcheck_model::Component;
use time::OffsetDateTime;

/// Collects.
#[must_use]
pub fn collect(_opts: &Options, _exec: &dyn Exec, _now: OffsetDateTime, _cfg: &BackupConfig) -> (Facts, Vec<Component>, bool) {
    (Facts::new(), Vec::new(), false)
}
