//! `acr-health-helper check`: every machine-side check from a terminal, printed az-style or
//! as JSON.

use std::io::{IsTerminal, Read, Write};
use std::time::Duration;

use acr_health_core::parse::registry_input::Cloud;
use acr_health_core::render;
use acr_health_core::rules::registry::Credential;
use acr_health_core::{Lang, Localize, Status};

use crate::arm::{ArmPlan, ArmPlanError, ArmTarget, TokenSource};
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

/// Reads the secrets named in `whats` from standard input, in that order, without their
/// trailing newlines. From a terminal each is one line, after a prompt on stderr. From a pipe
/// or file, a single secret is everything up to the end of the input, and several secrets are
/// one line each.
fn read_secrets(whats: &[&str]) -> Result<Vec<String>, UsageError> {
    if whats.is_empty() {
        return Ok(Vec::new());
    }
    let stdin = std::io::stdin();
    let failed = |what: &str, err: std::io::Error| {
        UsageError(format!(
            "failed to read the {what} from standard input: {err}"
        ))
    };

    let mut secrets = Vec::new();
    if stdin.is_terminal() {
        for what in whats {
            eprint!("{what}: ");
            let _ = std::io::stderr().flush();
            let mut line = String::new();
            stdin
                .read_line(&mut line)
                .map_err(|err| failed(what, err))?;
            secrets.push(line.trim_end_matches(['\r', '\n']).to_owned());
        }
    } else {
        let mut text = String::new();
        stdin
            .lock()
            .read_to_string(&mut text)
            .map_err(|err| failed(whats[0], err))?;
        secrets = split_secrets(&text, whats)?;
    }

    for (secret, what) in secrets.iter().zip(whats) {
        if secret.is_empty() {
            return Err(UsageError(format!(
                "the {what} read from standard input is empty"
            )));
        }
    }
    Ok(secrets)
}

/// Splits piped input into the secrets named in `whats`; see [`read_secrets`].
fn split_secrets(text: &str, whats: &[&str]) -> Result<Vec<String>, UsageError> {
    if whats.len() == 1 {
        return Ok(vec![text.trim_end_matches(['\r', '\n']).to_owned()]);
    }
    let mut lines: Vec<&str> = text
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .collect();
    while lines.last().is_some_and(|line| line.is_empty()) {
        lines.pop();
    }
    if lines.len() != whats.len() {
        return Err(UsageError(format!(
            "standard input has {} lines, but {} are expected, one each in this order: {}",
            lines.len(),
            whats.len(),
            whats.join(", ")
        )));
    }
    Ok(lines.into_iter().map(str::to_owned).collect())
}

/// Returns what the registry credential reads from standard input, if anything.
fn registry_secret_name(args: &CheckArgs) -> Option<&'static str> {
    if args.username.is_some() && args.password_stdin {
        Some("password")
    } else if args.aad_token_stdin {
        Some("Azure AD token")
    } else if args.refresh_token_stdin {
        Some("refresh token")
    } else {
        None
    }
}

/// Builds the registry credential around the secret read for it.
fn credential(args: &CheckArgs, secret: Option<String>) -> Credential {
    let Some(secret) = secret else {
        return Credential::Anonymous;
    };
    match &args.username {
        Some(username) if args.password_stdin => Credential::Password {
            username: username.clone(),
            password: secret,
        },
        _ if args.aad_token_stdin => Credential::AadToken {
            token: secret,
            tenant: args.tenant.clone(),
        },
        _ => Credential::RefreshToken { token: secret },
    }
}

/// Validates the ARM options, before any secret is read. Returns `None` without an ARM token
/// source.
fn arm_target(args: &CheckArgs, lang: Lang) -> Result<Option<ArmTarget>, UsageError> {
    if !args.arm_token_stdin && !args.arm_from_az {
        return Ok(None);
    }
    match ArmTarget::new(args.arm_url.as_deref(), args.arm_registry.as_deref()) {
        Ok(target) => Ok(Some(target)),
        Err(ArmPlanError::Url(err)) => Err(UsageError(format!(
            "invalid --arm-url {:?}: {}",
            args.arm_url.as_deref().unwrap_or_default(),
            err.localize(lang)
        ))),
        Err(err) => Err(UsageError(err.to_string())),
    }
}

/// Validates the arguments into a plan and a context, then reads the secrets from standard
/// input. Fails with a usage error naming the value that is wrong, in `lang` where the core
/// has the sentence.
pub fn prepare(args: &CheckArgs, lang: Lang) -> Result<(RunPlan, RunContext), UsageError> {
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
    let arm_target = arm_target(args, lang)?;

    let context = RunContext::new(
        HostEnv::from_process(),
        ProxyEnv::from_process(),
        args.ca_file.as_deref(),
        Duration::from_secs(args.timeout),
    )
    .map_err(|err| UsageError(format!("{err:#}")))?;

    let registry_secret = registry_secret_name(args);
    let whats: Vec<&str> = registry_secret
        .into_iter()
        .chain(args.arm_token_stdin.then_some("ARM token"))
        .collect();
    let mut secrets = read_secrets(&whats)?.into_iter();
    let registry_secret = registry_secret.and_then(|_| secrets.next());
    let arm_source = match secrets.next().map(|token| crate::arm::clean_token(&token)) {
        Some(token) if token.is_empty() => {
            return Err(UsageError(
                "the ARM token read from standard input is empty".to_owned(),
            ))
        }
        Some(token) => TokenSource::Given(token),
        None => TokenSource::AzureCli,
    };
    let arm = arm_target.map(|target| ArmPlan {
        source: arm_source,
        target,
    });

    let plan = RunPlan {
        registry: args.registry.trim().to_owned(),
        cloud,
        credential: credential(args, registry_secret),
        environment: EnvironmentOptions {
            pull,
            ..EnvironmentOptions::default()
        },
        arm,
    };
    Ok((plan, context))
}

/// Runs the checks, prints the report on stdout and returns the exit status.
pub async fn check(args: CheckArgs) -> u8 {
    let lang = language(args.lang, |var| std::env::var(var).ok());
    let (plan, context) = match prepare(&args, lang) {
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

    /// Piped input and the secrets requested, then the secrets read or a part of the error.
    type SplitCase<'a> = (&'a str, &'a [&'a str], Result<Vec<&'a str>, &'a str>);

    #[test]
    fn split_secrets_cases() {
        let two = ["password", "ARM token"];
        let cases: [SplitCase; 7] = [
            ("s3cret\n", &["password"], Ok(vec!["s3cret"])),
            ("line one\nline two", &["password"], Ok(vec!["line one\nline two"])),
            ("pw\ntok\n", &two, Ok(vec!["pw", "tok"])),
            ("pw\r\ntok\r\n\n", &two, Ok(vec!["pw", "tok"])),
            ("\ntok\n", &two, Ok(vec!["", "tok"])),
            ("pw\n", &two, Err("standard input has 1 lines, but 2 are expected, one each in this order: password, ARM token")),
            ("pw\ntok\nextra\n", &two, Err("standard input has 3 lines")),
        ];
        for (input, whats, expected) in cases {
            match (split_secrets(input, whats), expected) {
                (Ok(secrets), Ok(expected)) => assert_eq!(secrets, expected, "{input:?}"),
                (Err(err), Err(part)) => assert!(err.0.contains(part), "{input:?}: {err}"),
                (other, _) => panic!("{input:?}: unexpected {other:?}"),
            }
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
