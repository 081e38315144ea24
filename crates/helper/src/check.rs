//! `acr-health-helper check`: every machine-side check from a terminal, printed az-style or
//! as JSON.

use std::io::{IsTerminal, Read, Write};
use std::time::Duration;

use acr_health_core::parse::registry_input::Cloud;
use acr_health_core::render;
use acr_health_core::rules::registry::Credential;
use acr_health_core::{Lang, Localize, Status};

use crate::cli::{CheckArgs, LangArg, OutputFormat};
use crate::command::HostEnv;
use crate::environment::EnvironmentOptions;
use crate::registry::proxy::ProxyEnv;
use crate::run::{self, PullRequest, RunContext, RunPlan};

/// Exit status when every check passed (warnings included).
pub const EXIT_PASSED: u8 = 0;
/// Exit status when any check failed.
pub const EXIT_FAILED: u8 = 1;
/// Exit status for invalid arguments or input.
pub const EXIT_USAGE: u8 = 2;

/// A problem with the arguments, reported with exit status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Picks the language: `--lang`, else the first of `LC_ALL`, `LC_MESSAGES` and `LANG` that is
/// set (the POSIX order), else English.
pub fn language(arg: Option<LangArg>, lookup: impl Fn(&str) -> Option<String>) -> Lang {
    match arg {
        Some(LangArg::En) => Lang::En,
        Some(LangArg::Ko) => Lang::Ko,
        None => ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(lookup)
            .find(|value| !value.is_empty())
            .and_then(|value| Lang::from_tag(&value))
            .unwrap_or_default(),
    }
}

/// Reads one secret from standard input, without the trailing newline: one line from a
/// terminal (after a prompt on stderr), else everything up to the end of the input.
fn read_secret(what: &str) -> Result<String, UsageError> {
    let stdin = std::io::stdin();
    let mut text = String::new();
    let read = if stdin.is_terminal() {
        eprint!("{what}: ");
        let _ = std::io::stderr().flush();
        stdin.read_line(&mut text)
    } else {
        stdin.lock().read_to_string(&mut text)
    };
    read.map_err(|err| {
        UsageError(format!(
            "failed to read the {what} from standard input: {err}"
        ))
    })?;
    let secret = text.trim_end_matches(['\r', '\n']).to_owned();
    if secret.is_empty() {
        return Err(UsageError(format!(
            "the {what} read from standard input is empty"
        )));
    }
    Ok(secret)
}

fn credential(args: &CheckArgs) -> Result<Credential, UsageError> {
    if let (Some(username), true) = (&args.username, args.password_stdin) {
        return Ok(Credential::Password {
            username: username.clone(),
            password: read_secret("password")?,
        });
    }
    if args.aad_token_stdin {
        return Ok(Credential::AadToken {
            token: read_secret("Azure AD token")?,
            tenant: args.tenant.clone(),
        });
    }
    if args.refresh_token_stdin {
        return Ok(Credential::RefreshToken {
            token: read_secret("refresh token")?,
        });
    }
    Ok(Credential::Anonymous)
}

/// Validates the arguments into a plan and a context. Fails with a usage error naming the
/// value that is wrong.
pub fn prepare(args: &CheckArgs) -> Result<(RunPlan, RunContext), UsageError> {
    if args.registry.trim().is_empty() {
        return Err(UsageError("the registry is empty".to_owned()));
    }
    let cloud = Cloud::from_name(&args.cloud)
        .ok_or_else(|| UsageError(format!("unknown cloud {:?}", args.cloud)))?;
    let pull = run::pull_image(&PullRequest {
        consent: args.yes,
        image: args.image.clone(),
    })
    .map_err(|err| {
        UsageError(format!(
            "invalid --image {:?}: {err}",
            args.image.as_deref().unwrap_or_default()
        ))
    })?;
    if args.image.is_some() && !args.yes {
        tracing::warn!("--image is ignored without --yes: no pull runs without consent");
    }
    if args.timeout == 0 {
        return Err(UsageError("--timeout must be at least 1 second".to_owned()));
    }

    let context = RunContext::new(
        HostEnv::from_process(),
        ProxyEnv::from_process(),
        args.ca_file.as_deref(),
        Duration::from_secs(args.timeout),
    )
    .map_err(|err| UsageError(format!("{err:#}")))?;

    let plan = RunPlan {
        registry: args.registry.trim().to_owned(),
        cloud,
        credential: credential(args)?,
        environment: EnvironmentOptions {
            pull,
            ..EnvironmentOptions::default()
        },
    };
    Ok((plan, context))
}

/// Runs the checks, prints the report on stdout and returns the exit status.
pub async fn check(args: CheckArgs) -> u8 {
    let lang = language(args.lang, |var| std::env::var(var).ok());
    let (plan, context) = match prepare(&args) {
        Ok(prepared) => prepared,
        Err(err) => {
            eprintln!("error: {err}");
            return EXIT_USAGE;
        }
    };

    // An invalid registry name is a usage error: say why before any request or command runs.
    if let Err(err) = acr_health_core::parse::registry_input::parse(&plan.registry, plan.cloud) {
        eprintln!("error: {}", err.localize(lang));
        return EXIT_USAGE;
    }

    let (results, mut receiver) = tokio::sync::mpsc::unbounded_channel();
    let drain = tokio::spawn(async move { while receiver.recv().await.is_some() {} });
    let report = run::execute(plan, &context, results).await;
    let _ = drain.await;

    let output = match args.output {
        OutputFormat::Text => render::to_text(&report, lang),
        OutputFormat::Json => render::to_json(&report),
    };
    let mut stdout = std::io::stdout().lock();
    if let Err(err) = stdout
        .write_all(output.as_bytes())
        .and_then(|()| stdout.flush())
    {
        tracing::error!(cause = %err, "failed to write the report");
    }

    if report.results.iter().any(|r| r.status == Status::Fail) {
        EXIT_FAILED
    } else {
        EXIT_PASSED
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |var| {
            pairs
                .iter()
                .find(|(k, _)| *k == var)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn language_cases() {
        type Case<'a> = (Option<LangArg>, &'a [(&'a str, &'a str)], Lang);
        let cases: [Case; 6] = [
            (Some(LangArg::Ko), &[("LANG", "en_US.UTF-8")], Lang::Ko),
            (None, &[("LANG", "ko_KR.UTF-8")], Lang::Ko),
            (
                None,
                &[("LC_ALL", "en_US.UTF-8"), ("LANG", "ko_KR.UTF-8")],
                Lang::En,
            ),
            (
                None,
                &[("LC_MESSAGES", "ko_KR"), ("LANG", "en_US")],
                Lang::Ko,
            ),
            (None, &[("LANG", "C")], Lang::En),
            (None, &[], Lang::En),
        ];
        for (arg, pairs, expected) in cases {
            assert_eq!(language(arg, env(pairs)), expected, "{arg:?} {pairs:?}");
        }
    }
}
