//! The ARM access token from the user's Azure CLI login: `az account get-access-token`.
//!
//! The helper runs az only when the user allows it (`check --arm-from-az`, or `from_az` in a
//! paired API request). The program is the one `AZ_COMMAND` names, else `az` on `PATH`. It runs
//! without a shell, with fixed arguments, under a timeout, and its output is cut at
//! [`MAX_OUTPUT_BYTES`]. The token it prints is returned and never logged: a failure
//! carries az's standard error with anything shaped like a token removed.
//!
//! NOTE: the tests use small scripts in place of az, because the real az cannot log in
//! without a network and an Azure account.

use std::fmt;
use std::time::Duration;

use acr_health_core::parse::registry_input::Cloud;
use acr_health_core::rules::environment::CommandOutcome;

use crate::command::{self, HostEnv, MAX_OUTPUT_BYTES};

/// The variable that names the az program instead of a `PATH` search.
pub const AZ_COMMAND_VAR: &str = "AZ_COMMAND";

/// Time allowed for one az run. az starts a Python interpreter (about a second) and may renew
/// its token over the network first.
pub const AZ_TIMEOUT: Duration = Duration::from_secs(30);

/// Characters of az's standard error kept in an error message.
const MAX_STDERR_CHARS: usize = 1000;

/// Returns the resource az requests a token for: the cloud's `activeDirectoryResourceId`, as
/// `az cloud show` prints it. ARM accepts tokens for this audience as well as for its own URL.
pub fn management_resource(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::AzureCloud => "https://management.core.windows.net/",
        Cloud::AzureChinaCloud => "https://management.core.chinacloudapi.cn/",
        Cloud::AzureUSGovernment => "https://management.core.usgovcloudapi.net/",
    }
}

/// Returns the fixed arguments of the az run for `cloud`.
pub fn arguments(cloud: Cloud) -> [&'static str; 6] {
    [
        "account",
        "get-access-token",
        "--resource",
        management_resource(cloud),
        "--output",
        "json",
    ]
}

/// An access token az printed. `Debug` never shows the token.
#[derive(Clone, PartialEq, Eq)]
pub struct AzToken {
    /// The bearer token for ARM.
    pub access_token: String,
    /// When the token expires, in Unix seconds (`expires_on`, printed by az 2.54 and later).
    pub expires_on: Option<i64>,
    /// When the token expires, in the machine's local time without a zone (`expiresOn`), kept
    /// as az printed it.
    pub expires_on_local: Option<String>,
    /// The subscription and tenant az is logged in to.
    pub subscription: Option<String>,
    pub tenant: Option<String>,
}

impl fmt::Debug for AzToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AzToken")
            .field("access_token", &"<redacted>")
            .field("expires_on", &self.expires_on)
            .field("expires_on_local", &self.expires_on_local)
            .field("subscription", &self.subscription)
            .field("tenant", &self.tenant)
            .finish()
    }
}

/// The reason az gave no token. Each message names the cause and what to do next; none contains
/// a token.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AzError {
    /// Neither `AZ_COMMAND` nor `PATH` leads to an az program.
    #[error("the Azure CLI was not found ({searched}); install it, set AZ_COMMAND to its path, or pass the ARM token yourself")]
    NotFound { searched: String },
    /// The program exists but did not start.
    #[error("the Azure CLI ({program}) could not be started: {detail}; check that it runs in a terminal, or pass the ARM token yourself")]
    NotStarted { program: String, detail: String },
    /// az ran but has no usable login.
    #[error("the Azure CLI is not logged in: {stderr}; run `az login` and try again")]
    NotLoggedIn { stderr: String },
    /// az ended with an error other than a missing login.
    #[error("the Azure CLI failed with exit status {}: {stderr}; run `az account get-access-token` in a terminal to see why", exit_code.map_or_else(|| "unknown (killed by a signal)".to_owned(), |code| code.to_string()))]
    Failed {
        exit_code: Option<i32>,
        stderr: String,
    },
    /// az did not end in time and was killed.
    #[error("the Azure CLI did not answer within {after_secs} s and was stopped; run `az account get-access-token` in a terminal to see whether it waits for input")]
    TimedOut { after_secs: u64 },
    /// az ended successfully but printed no token the helper can use.
    #[error("the Azure CLI printed no usable token: {reason}; update az, or pass the ARM token yourself")]
    InvalidOutput { reason: String },
}

impl AzError {
    /// Returns the fact behind the error without the advice, for a report whose sentence gives
    /// the next step itself.
    pub fn detail(&self) -> String {
        match self {
            AzError::NotFound { searched } => searched.clone(),
            AzError::NotStarted { program, detail } => format!("{program}: {detail}"),
            AzError::NotLoggedIn { stderr } => stderr.clone(),
            AzError::Failed { exit_code, stderr } => match exit_code {
                Some(code) => format!("exit status {code}: {stderr}"),
                None => format!("killed by a signal: {stderr}"),
            },
            AzError::TimedOut { after_secs } => format!("no answer within {after_secs} s"),
            AzError::InvalidOutput { reason } => reason.clone(),
        }
    }
}

/// Runs az and returns the ARM token of its current login for `cloud`.
pub async fn get_access_token(
    env: &HostEnv,
    cloud: Cloud,
    timeout: Duration,
) -> Result<AzToken, AzError> {
    // NOTE: on Windows the Azure CLI is `az.cmd`, which the PATH search (for `az.exe`) does not
    // find, so Windows users set AZ_COMMAND to its full path. That path is untested.
    let lookup = env.lookup("az", Some(AZ_COMMAND_VAR));
    let Some(program) = lookup.found else {
        let searched = match &lookup.override_var {
            Some(var) => format!("{}={} is not an executable file", var.name, var.value),
            None => "no az on PATH".to_owned(),
        };
        return Err(AzError::NotFound { searched });
    };

    let run = command::run(&program, &arguments(cloud), env, timeout).await;
    // The run contains the token in its standard output: it is read here and never logged.
    match run.outcome {
        CommandOutcome::NotStarted { detail } => Err(AzError::NotStarted { program, detail }),
        CommandOutcome::TimedOut { after_ms, .. } => Err(AzError::TimedOut {
            after_secs: u64::from(after_ms).div_ceil(1000),
        }),
        CommandOutcome::Exited {
            code: Some(0),
            stdout,
            truncated,
            ..
        } => {
            let token = parse_output(&stdout).map_err(|reason| {
                let reason = if truncated {
                    format!("{reason} (the output was longer than {MAX_OUTPUT_BYTES} bytes and was cut)")
                } else {
                    reason
                };
                AzError::InvalidOutput { reason }
            })?;
            tracing::info!(
                program = %program,
                expires_on = ?token.expires_on,
                "obtained an ARM token from the Azure CLI"
            );
            Ok(token)
        }
        CommandOutcome::Exited { code, stderr, .. } => {
            let stderr = scrub(&stderr);
            if stderr.to_ascii_lowercase().contains("az login") {
                Err(AzError::NotLoggedIn { stderr })
            } else {
                Err(AzError::Failed {
                    exit_code: code,
                    stderr,
                })
            }
        }
    }
}

/// Parses the JSON that `az account get-access-token --output json` prints. The error names
/// what is missing or wrong and never repeats the output, which may hold a token.
pub fn parse_output(stdout: &str) -> Result<AzToken, String> {
    let value: serde_json::Value = serde_json::from_str(stdout.trim()).map_err(|err| {
        format!(
            "the output is not JSON ({} at line {}, column {})",
            classify(&err),
            err.line(),
            err.column()
        )
    })?;
    let object = value.as_object().ok_or("the output is not a JSON object")?;

    let access_token = match object.get("accessToken") {
        Some(serde_json::Value::String(token)) => token.trim().to_owned(),
        Some(_) => return Err("the field accessToken is not a string".to_owned()),
        None => return Err("the field accessToken is missing".to_owned()),
    };
    if access_token.is_empty() {
        return Err("the field accessToken is empty".to_owned());
    }
    if access_token
        .chars()
        .any(|ch| ch.is_whitespace() || ch.is_control())
    {
        return Err("the field accessToken contains spaces or control characters".to_owned());
    }

    let expires_on = match object.get("expires_on") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::Number(number)) => Some(
            number
                .as_i64()
                .ok_or("the field expires_on is not a whole number of seconds")?,
        ),
        Some(serde_json::Value::String(text)) => Some(
            text.trim()
                .parse()
                .map_err(|_| format!("the field expires_on is not a number: {text:?}"))?,
        ),
        Some(_) => return Err("the field expires_on is not a number".to_owned()),
    };

    let text_field = |name: &str| -> Result<Option<String>, String> {
        match object.get(name) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(format!("the field {name} is not a string")),
        }
    };
    Ok(AzToken {
        access_token,
        expires_on,
        expires_on_local: text_field("expiresOn")?,
        subscription: text_field("subscription")?,
        tenant: text_field("tenant")?,
    })
}

fn classify(err: &serde_json::Error) -> &'static str {
    match err.classify() {
        serde_json::error::Category::Io => "a read error",
        serde_json::error::Category::Syntax => "a syntax error",
        serde_json::error::Category::Data => "unexpected data",
        serde_json::error::Category::Eof => "the output ends early",
    }
}

/// Returns az's standard error fit for a message: JSON Web Tokens and other long
/// base64-like runs replaced by `[redacted]`, colour codes and control characters removed,
/// white space collapsed, and cut at
/// [`MAX_STDERR_CHARS`].
pub fn scrub(stderr: &str) -> String {
    let mut kept = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, kept: &mut String| {
        if looks_like_secret(word) {
            kept.push_str("[redacted]");
        } else {
            kept.push_str(word);
        }
        word.clear();
    };
    let mut chars = stderr.trim().chars();
    while let Some(ch) = chars.next() {
        if ch == '\u{1b}' {
            // An ANSI escape sequence (colour): ESC [ parameters, ended by a letter.
            flush(&mut word, &mut kept);
            let mut rest = chars.clone();
            if rest.next() == Some('[') {
                for next in rest.by_ref() {
                    if ('@'..='~').contains(&next) {
                        break;
                    }
                }
                chars = rest;
            }
            continue;
        }
        if ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.' | '+' | '/' | '=') {
            word.push(ch);
            continue;
        }
        flush(&mut word, &mut kept);
        if ch == '\n' || ch == '\t' {
            kept.push(' ');
        } else if !ch.is_control() {
            kept.push(ch);
        }
    }
    flush(&mut word, &mut kept);

    let collapsed = kept.split_whitespace().collect::<Vec<_>>().join(" ");
    match collapsed.char_indices().nth(MAX_STDERR_CHARS) {
        Some((cut, _)) => format!("{}…", &collapsed[..cut]),
        None => collapsed,
    }
}

/// Tells whether a run of URL-safe characters is a token: a JSON Web Token (`eyJ` and two
/// dots), or 40 or more characters without a `/` that mix letters and digits, as keys and
/// refresh tokens do. Paths and URLs keep their `/` and stay readable.
fn looks_like_secret(word: &str) -> bool {
    if word.starts_with("eyJ") && word.matches('.').count() >= 2 {
        return true;
    }
    word.len() >= 40
        && !word.contains('/')
        && word.chars().any(|ch| ch.is_ascii_digit())
        && word.chars().any(|ch| ch.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The az output, then the token and expiry parsed from it, or a part of the error.
    type Case<'a> = (&'a str, Result<(&'a str, Option<i64>), &'a str>);

    #[test]
    fn parse_output_cases() {
        let cases: [Case; 10] = [
            (
                r#"{"accessToken":"eyJ.a.b","expiresOn":"2026-12-04 23:00:00.000000","expires_on":1796425200,"subscription":"s","tenant":"t","tokenType":"Bearer"}"#,
                Ok(("eyJ.a.b", Some(1_796_425_200))),
            ),
            (r#"{"accessToken":"tok"}"#, Ok(("tok", None))),
            (
                r#"{"accessToken":"tok","expires_on":"1796425200"}"#,
                Ok(("tok", Some(1_796_425_200))),
            ),
            (
                r#"{"accessToken":" tok ","expires_on":null}"#,
                Ok(("tok", None)),
            ),
            (r#"{"expires_on":1}"#, Err("accessToken is missing")),
            (r#"{"accessToken":42}"#, Err("accessToken is not a string")),
            (r#"{"accessToken":""}"#, Err("accessToken is empty")),
            (
                r#"{"accessToken":"a\nb"}"#,
                Err("spaces or control characters"),
            ),
            (
                r#"{"accessToken":"tok","expires_on":"soon"}"#,
                Err("expires_on is not a number"),
            ),
            ("accessToken: tok", Err("not JSON")),
        ];
        for (output, expected) in cases {
            let parsed = parse_output(output);
            match expected {
                Ok((token, expires_on)) => {
                    let parsed = parsed.unwrap_or_else(|err| panic!("{output}: {err}"));
                    assert_eq!(parsed.access_token, token, "{output}");
                    assert_eq!(parsed.expires_on, expires_on, "{output}");
                }
                Err(part) => {
                    let err = parsed.expect_err(output);
                    assert!(err.contains(part), "{output}: {err}");
                }
            }
        }
    }

    #[test]
    fn parse_output_error_omits_token() {
        let err = parse_output(r#"{"accessToken":"secret-token-value","expires_on":[1]}"#)
            .expect_err("expires_on is a list");
        assert!(!err.contains("secret-token-value"), "{err}");
    }

    #[test]
    fn parse_output_other_fields() {
        let token = parse_output(
            r#"{"accessToken":"tok","expiresOn":"2026-12-04 23:00:00.000000","subscription":"sub-1","tenant":"ten-1"}"#,
        )
        .expect("valid");
        assert_eq!(
            token.expires_on_local.as_deref(),
            Some("2026-12-04 23:00:00.000000")
        );
        assert_eq!(token.subscription.as_deref(), Some("sub-1"));
        assert_eq!(token.tenant.as_deref(), Some("ten-1"));
    }

    #[test]
    fn debug_hides_token() {
        let token = parse_output(r#"{"accessToken":"secret-token-value"}"#).expect("valid");
        assert!(!format!("{token:?}").contains("secret-token-value"));
    }

    #[test]
    fn scrub_cases() {
        let cases = [
            (
                "ERROR: Please run 'az login' to setup account.\n",
                "ERROR: Please run 'az login' to setup account.",
            ),
            (
                "token eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln rejected",
                "token [redacted] rejected",
            ),
            (
                "refresh 0.AXoAbc123def456ghi789jkl012mno345pqr678stu expired",
                "refresh [redacted] expired",
            ),
            (
                "see https://aka.ms/cli_login and /home/user/.azure/msal_token_cache.json",
                "see https://aka.ms/cli_login and /home/user/.azure/msal_token_cache.json",
            ),
            ("\u{1b}[31mred\u{1b}[0m\ttext", "red text"),
        ];
        for (input, expected) in cases {
            assert_eq!(scrub(input), expected, "{input:?}");
        }
    }

    #[test]
    fn scrub_cuts_long_output() {
        let long = "word ".repeat(1000);
        let scrubbed = scrub(&long);
        assert_eq!(scrubbed.chars().count(), MAX_STDERR_CHARS + 1);
        assert!(scrubbed.ends_with('…'));
    }

    #[test]
    fn arguments_name_cloud_resource() {
        assert_eq!(
            arguments(Cloud::AzureChinaCloud),
            [
                "account",
                "get-access-token",
                "--resource",
                "https://management.core.chinacloudapi.cn/",
                "--output",
                "json"
            ]
        );
    }
}
