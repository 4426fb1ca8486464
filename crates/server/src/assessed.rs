//! A hook run after hosts' assessments are stored (on upload and on re-evaluation). The web
//! pages (`crates/web`, issue 14) register one to record, from the stored assessments, when
//! a host became and stopped being affected by an advisory, the practice's trend point and
//! its light with accepted risks — so a page view computes and writes nothing. Registered
//! once per process like [`crate::register_pages`]; without one nothing runs.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};

use praxcheck_advisories::AdvisorySet;

use crate::db::Db;

/// The hook: the database, the set the hosts were assessed with, the hosts' ids.
pub type Hook = Arc<
    dyn Fn(Db, Arc<AdvisorySet>, Vec<i64>) -> Pin<Box<dyn Future<Output = ()> + Send>>
        + Send
        + Sync,
>;

static HOOK: OnceLock<Hook> = OnceLock::new();

/// Registers the hook (the first registration wins).
pub fn register(hook: Hook) {
    let _ = HOOK.set(hook);
}

/// Starts the hook, if one is registered, after `hosts` were assessed and committed. It runs
/// as its own task: neither the upload's assessment nor a re-evaluation waits for it.
pub(crate) fn run(db: &Db, set: &Arc<AdvisorySet>, hosts: &[i64]) {
    if let Some(h) = HOOK.get()
        && !hosts.is_empty()
    {
        tokio::spawn(h(db.clone(), Arc::clone(set), hosts.to_vec()));
    }
}
