//! The ARM token from `az account get-access-token`, with shell scripts in place of az: the
//! real az cannot log in without a network and an Azure account. Each script prints what az
//! 2.67 prints in that situation.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use acr_health_core::parse::registry_input::Cloud;
use acr_health_helper::arm::az::{self, AzError, AZ_COMMAND_VAR};
use acr_health_helper::command::HostEnv;

const TOKEN: &str = "eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQuY29yZS53aW5kb3dzLm5ldC8ifQ.c2lnbmF0dXJl";

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("acr-health-az-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// Writes an executable `az` script into `dir` that records its arguments in `args.log`.
fn write_az(dir: &Path, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("az");
    let script = format!(
        "#!/bin/sh\nprintf '%s\\n' \"$@\" > {log}\n{body}\n",
        log = dir.join("args.log").display()
    );
    std::fs::write(&path, script).expect("write script");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

fn on_path(dir: &Path) -> HostEnv {
    HostEnv {
        path: Some(dir.as_os_str().to_owned()),
        overrides: Vec::new(),
        extra: Vec::new(),
    }
}

fn logged_in_body() -> String {
    format!(
        r#"cat <<'JSON'
{{
  "accessToken": "{TOKEN}",
  "expiresOn": "2026-12-05 00:12:34.000000",
  "expires_on": 1796429554,
  "subscription": "00000000-0000-0000-0000-0000000000a1",
  "tenant": "00000000-0000-0000-0000-0000000000b2",
  "tokenType": "Bearer"
}}
JSON"#
    )
}

#[tokio::test]
async fn logged_in_az_gives_token() {
    let dir = temp_dir("logged-in");
    write_az(&dir, &logged_in_body());

    let token = az::get_access_token(&on_path(&dir), Cloud::AzureCloud, Duration::from_secs(10))
        .await
        .expect("a token");
    assert_eq!(token.access_token, TOKEN);
    assert_eq!(token.expires_on, Some(1_796_429_554));
    assert_eq!(
        token.tenant.as_deref(),
        Some("00000000-0000-0000-0000-0000000000b2")
    );

    let args = std::fs::read_to_string(dir.join("args.log")).expect("the script ran");
    assert_eq!(
        args.lines().collect::<Vec<_>>(),
        [
            "account",
            "get-access-token",
            "--resource",
            "https://management.core.windows.net/",
            "--output",
            "json"
        ]
    );
}

#[tokio::test]
async fn az_command_overrides_path() {
    let on_path_dir = temp_dir("path-az");
    write_az(&on_path_dir, "exit 7");
    let override_dir = temp_dir("override-az");
    let program = write_az(&override_dir, &logged_in_body());

    let env = HostEnv {
        overrides: vec![(AZ_COMMAND_VAR.to_owned(), program.display().to_string())],
        ..on_path(&on_path_dir)
    };
    let token = az::get_access_token(&env, Cloud::AzureUSGovernment, Duration::from_secs(10))
        .await
        .expect("the AZ_COMMAND program runs");
    assert_eq!(token.access_token, TOKEN);
    assert!(
        !on_path_dir.join("args.log").exists(),
        "az on PATH ran despite AZ_COMMAND"
    );
    let args = std::fs::read_to_string(override_dir.join("args.log")).expect("ran");
    assert!(
        args.contains("https://management.core.usgovcloudapi.net/"),
        "{args}"
    );
}

#[tokio::test]
async fn missing_az_named() {
    let empty = temp_dir("missing");
    let err = az::get_access_token(&on_path(&empty), Cloud::AzureCloud, Duration::from_secs(5))
        .await
        .expect_err("no az");
    assert_eq!(
        err,
        AzError::NotFound {
            searched: "no az on PATH".to_owned()
        }
    );
    assert!(err.to_string().contains("set AZ_COMMAND"), "{err}");

    let env = HostEnv {
        overrides: vec![(AZ_COMMAND_VAR.to_owned(), "/nonexistent/az".to_owned())],
        ..on_path(&empty)
    };
    let err = az::get_access_token(&env, Cloud::AzureCloud, Duration::from_secs(5))
        .await
        .expect_err("no such file");
    assert!(
        err.to_string()
            .contains("AZ_COMMAND=/nonexistent/az is not an executable file"),
        "{err}"
    );
}

#[tokio::test]
async fn not_logged_in_names_az_login() {
    let dir = temp_dir("not-logged-in");
    write_az(
        &dir,
        "echo \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1",
    );
    let err = az::get_access_token(&on_path(&dir), Cloud::AzureCloud, Duration::from_secs(10))
        .await
        .expect_err("not logged in");
    assert_eq!(
        err,
        AzError::NotLoggedIn {
            stderr: "ERROR: Please run 'az login' to setup account.".to_owned()
        }
    );
    assert!(
        err.to_string().ends_with("run `az login` and try again"),
        "{err}"
    );
}

#[tokio::test]
async fn failure_stderr_scrubbed() {
    let dir = temp_dir("failed");
    write_az(
        &dir,
        &format!("echo \"ERROR: AADSTS50173: the grant {TOKEN} was revoked\" >&2\nexit 2"),
    );
    let err = az::get_access_token(&on_path(&dir), Cloud::AzureCloud, Duration::from_secs(10))
        .await
        .expect_err("az failed");
    let AzError::Failed { exit_code, stderr } = &err else {
        panic!("expected Failed, got {err:?}");
    };
    assert_eq!(*exit_code, Some(2));
    assert_eq!(
        stderr,
        "ERROR: AADSTS50173: the grant [redacted] was revoked"
    );
    assert!(!err.to_string().contains(TOKEN), "{err}");
}

#[tokio::test]
async fn slow_az_times_out() {
    let dir = temp_dir("slow");
    write_az(&dir, "exec sleep 30");
    let started = Instant::now();
    let err = az::get_access_token(&on_path(&dir), Cloud::AzureCloud, Duration::from_secs(1))
        .await
        .expect_err("timed out");
    assert_eq!(err, AzError::TimedOut { after_secs: 1 });
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "waited {:?} for a 1 s timeout",
        started.elapsed()
    );
}

#[tokio::test]
async fn invalid_output_named_without_token() {
    let dir = temp_dir("invalid");
    write_az(&dir, &format!("echo 'accessToken = {TOKEN}'"));
    let err = az::get_access_token(&on_path(&dir), Cloud::AzureCloud, Duration::from_secs(10))
        .await
        .expect_err("not JSON");
    assert!(
        matches!(&err, AzError::InvalidOutput { reason } if reason.contains("not JSON")),
        "{err:?}"
    );
    assert!(!err.to_string().contains(TOKEN), "{err}");
}

#[tokio::test]
async fn huge_output_cut_and_named() {
    let dir = temp_dir("huge");
    // 100 KB of JSON string: the helper keeps 64 KiB, so the JSON never closes.
    write_az(
        &dir,
        "printf '{\"accessToken\": \"'\nhead -c 100000 /dev/zero | tr '\\0' a\nprintf '\"}'",
    );
    let err = az::get_access_token(&on_path(&dir), Cloud::AzureCloud, Duration::from_secs(10))
        .await
        .expect_err("cut output");
    assert!(
        matches!(&err, AzError::InvalidOutput { reason } if reason.contains("was cut")),
        "{err:?}"
    );
}
