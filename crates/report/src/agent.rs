//! The words of the scheduled agent: `agent status` and the end of `agent run`.

use praxcheck_i18n::{Arg, Catalog};
use praxcheck_model::agent::{AgentRun, RunResult, UploadState};

/// The word for a run's result.
#[must_use]
pub fn result_text(r: RunResult, cat: &Catalog) -> String {
    cat.t(match r {
        RunResult::Ok => "agent-result-ok",
        RunResult::Findings => "agent-result-findings",
        RunResult::Failed => "agent-result-failed",
        RunResult::Running => "agent-result-running",
    })
}

/// The lines of `agent status` about one run: when, result, document, detail, upload.
#[must_use]
pub fn describe_run(r: &AgentRun, cat: &Catalog) -> Vec<String> {
    let mut v = Vec::new();
    match &r.finished_at {
        None => v.push(cat.t_args(
            "agent-status-running",
            &[("started", Arg::from(r.started_at.clone()))],
        )),
        Some(f) => v.push(cat.t_args(
            "agent-status-last",
            &[
                ("started", Arg::from(r.started_at.clone())),
                ("finished", Arg::from(f.clone())),
                ("result", Arg::from(result_text(r.result, cat))),
            ],
        )),
    }
    if let Some(d) = &r.document {
        v.push(cat.t_args("agent-status-document", &[("path", Arg::from(d.clone()))]));
    }
    if let Some(d) = &r.detail {
        v.push(cat.t_args("agent-status-detail", &[("detail", Arg::from(d.clone()))]));
    }
    if let Some(u) = &r.upload {
        v.push(match u {
            UploadState::NotEnrolled => cat.t("agent-upload-not-enrolled"),
            UploadState::NotConnected => cat.t("agent-upload-not-connected"),
            UploadState::Uploaded { detail } => cat.t_args(
                "agent-upload-uploaded",
                &[("detail", Arg::from(detail.clone()))],
            ),
            UploadState::Failed { reason } => cat.t_args(
                "agent-upload-failed",
                &[("reason", Arg::from(reason.clone()))],
            ),
        });
    }
    v
}
