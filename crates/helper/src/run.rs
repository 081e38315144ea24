//! One run of the machine-side checks, shared by `POST /api/v1/run` and `check`.
//!
//! The environment checks and the registry checks start together; each result is passed on
//! as soon as it is known, and the report is assembled at the end.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use acr_health_core::report::REPORT_FORMAT;
use acr_health_core::rules::environment::{ImageRef, ImageRefError, DEFAULT_PULL_IMAGE};
use acr_health_core::{CheckResult, Report};
use serde::Deserialize;
use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};

use crate::command::HostEnv;
use crate::environment::{self, EnvironmentOptions};

/// A run request, as `POST /api/v1/run` receives it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    /// What the user typed: a registry name, a login server, or a URL.
    pub registry: String,
    #[serde(default = "default_cloud")]
    pub cloud: String,
    #[serde(default)]
    pub credential: CredentialInput,
    #[serde(default)]
    pub pull: PullRequest,
}

fn default_cloud() -> String {
    "AzureCloud".to_owned()
}

/// Whether to pull, and what.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullRequest {
    /// The user agreed to a pull. Without it no image is downloaded.
    #[serde(default)]
    pub consent: bool,
    /// The image to pull; the default is [`DEFAULT_PULL_IMAGE`].
    #[serde(default)]
    pub image: Option<String>,
}

/// Credentials for the registry checks, used for one run and then dropped. `Debug` never
/// shows a secret.
#[derive(Default, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum CredentialInput {
    #[default]
    Anonymous,
    Password {
        username: String,
        password: String,
    },
    AadToken {
        token: String,
        #[serde(default)]
        tenant: Option<String>,
    },
    RefreshToken {
        token: String,
    },
}

impl fmt::Debug for CredentialInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialInput::Anonymous => f.write_str("Anonymous"),
            CredentialInput::Password { username, .. } => {
                write!(
                    f,
                    "Password {{ username: {username:?}, password: <redacted> }}"
                )
            }
            CredentialInput::AadToken { tenant, .. } => {
                write!(f, "AadToken {{ token: <redacted>, tenant: {tenant:?} }}")
            }
            CredentialInput::RefreshToken { .. } => {
                f.write_str("RefreshToken { token: <redacted> }")
            }
        }
    }
}

impl CredentialInput {
    /// Returns the credential's kind as the API names it, for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            CredentialInput::Anonymous => "anonymous",
            CredentialInput::Password { .. } => "password",
            CredentialInput::AadToken { .. } => "aad_token",
            CredentialInput::RefreshToken { .. } => "refresh_token",
        }
    }
}

/// Returns the image to pull: `None` without consent, else the requested or default image.
pub fn pull_image(pull: &PullRequest) -> Result<Option<ImageRef>, ImageRefError> {
    if !pull.consent {
        return Ok(None);
    }
    let text = pull.image.as_deref().unwrap_or(DEFAULT_PULL_IMAGE);
    ImageRef::parse(text.trim()).map(Some)
}

/// Everything a run needs, validated.
#[derive(Debug)]
pub struct RunPlan {
    pub registry: String,
    pub cloud: String,
    pub credential: CredentialInput,
    pub environment: EnvironmentOptions,
}

/// Runs every machine-side check of `plan`, sends each result to `results` as it finishes,
/// and returns the report with all of them.
pub async fn execute(
    plan: RunPlan,
    env: &HostEnv,
    results: UnboundedSender<CheckResult>,
) -> Report {
    let started_at_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    tracing::info!(
        registry = %plan.registry,
        cloud = %plan.cloud,
        credential = plan.credential.kind(),
        pull = plan.environment.pull.is_some(),
        "run started"
    );

    let (sender, mut receiver) = unbounded_channel::<CheckResult>();
    let collector = async {
        let mut collected = Vec::new();
        while let Some(result) = receiver.recv().await {
            let _ = results.send(result.clone());
            collected.push(result);
        }
        collected
    };
    let checks = async {
        environment::run_checks(env, &plan.environment, &sender).await;
        drop(sender);
    };
    let ((), mut collected) = tokio::join!(checks, collector);

    collected.sort_by_key(|result| result.check);
    let report = Report {
        format: REPORT_FORMAT,
        tool_version: crate::VERSION.to_owned(),
        registry: plan.registry,
        cloud: plan.cloud,
        started_at_ms,
        browser: None,
        helper_version: Some(crate::VERSION.to_owned()),
        results: collected,
    };
    tracing::info!(overall = ?report.overall(), checks = report.results.len(), "run finished");
    report
}
