//! The ARM checks against the lab's ARM listener, as a user runs them: `check` on the command
//! line and `POST /api/v1/run` from a paired page. Every ARM scenario of the lab must give the
//! check, status and code the lab documents, with a finding that names its evidence in English
//! and in Korean. The token must appear in no output, stream or log.
//!
//! Where the token comes from `az`, a shell script stands in for it: the real az cannot log in
//! without a network and an Azure account.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use acr_health_core::render::status_label;
use acr_health_core::{catalog, CheckId, CheckResult, Code, Lang, Localize, Report, Status};
use acr_health_helper::arm::az::AZ_COMMAND_VAR;
use acr_health_helper::command::HostEnv;
use acr_health_helper::pairing::PairingSecret;
use acr_health_helper::registry::proxy::ProxyEnv;
use acr_health_helper::run::RunContext;
use acr_health_helper::serve::{app, Limits, ServeConfig};
use acr_health_lab::{ArmScenario, Lab, LabConfig};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

const BINARY: &str = env!("CARGO_BIN_EXE_acr-health-helper");
const PORT: u16 = 8765;
const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// The client id of the lab's user-assigned CMK identity.
const CMK_CLIENT_ID: &str = "9d2f4e61-7a3b-4c85-b0e9-6a1d2c3b4f50";

/// What one ARM scenario must show: the check that shows it, its status, and the facts its
/// finding names in both languages. `{login}` stands for the lab's login server.
struct Expected {
    scenario: &'static str,
    check: CheckId,
    status: Status,
    facts: &'static [&'static str],
}

const EXPECTED: [Expected; 12] = [
    Expected {
        scenario: "found",
        check: CheckId::ArmRegistry,
        status: Status::Pass,
        facts: &["labreg", "{login}", "Lab Registry Subscription", "Premium"],
    },
    Expected {
        scenario: "not-found",
        check: CheckId::ArmRegistry,
        status: Status::Fail,
        facts: &[
            "{login}",
            "Lab Empty Subscription",
            "Lab Registry Subscription",
        ],
    },
    Expected {
        scenario: "forbidden",
        check: CheckId::ArmRegistry,
        status: Status::Fail,
        facts: &[
            "Lab Empty Subscription",
            "Microsoft.ContainerRegistry/registries/read",
            "Reader",
        ],
    },
    Expected {
        scenario: "other-cloud",
        check: CheckId::ArmRegistry,
        status: Status::Fail,
        facts: &["labreg", "labreg.azurecr.cn"],
    },
    Expected {
        scenario: "cmk-present",
        check: CheckId::EncryptionIdentity,
        status: Status::Pass,
        facts: &["labreg", CMK_CLIENT_ID],
    },
    Expected {
        scenario: "cmk-deleted",
        check: CheckId::EncryptionIdentity,
        status: Status::Fail,
        facts: &["labreg", CMK_CLIENT_ID],
    },
    Expected {
        scenario: "cmk-system-removed",
        check: CheckId::EncryptionIdentity,
        status: Status::Fail,
        facts: &[
            "labreg",
            "None",
            "az acr identity assign --name labreg --identities [system]",
        ],
    },
    Expected {
        scenario: "network-deny",
        check: CheckId::NetworkRules,
        status: Status::Fail,
        facts: &[
            "127.0.0.1",
            "203.0.113.0/24",
            "Deny",
            "az acr network-rule add --name labreg --ip-address 127.0.0.1",
        ],
    },
    Expected {
        scenario: "network-allow",
        check: CheckId::NetworkRules,
        status: Status::Pass,
        facts: &["labreg", "Deny", "203.0.113.0/24, 127.0.0.1"],
    },
    Expected {
        scenario: "public-access-disabled",
        check: CheckId::NetworkRules,
        status: Status::Fail,
        facts: &[
            "labreg",
            "az acr update --name labreg --public-network-enabled true",
        ],
    },
    Expected {
        scenario: "private-endpoint-match",
        check: CheckId::PrivateEndpoints,
        status: Status::Pass,
        facts: &["127.0.0.1"],
    },
    Expected {
        scenario: "private-endpoint-mismatch",
        check: CheckId::PrivateEndpoints,
        status: Status::Fail,
        facts: &["10.20.30.40", "127.0.0.1", "privatelink.azurecr.io"],
    },
];

const ARM_CHECKS: [CheckId; 5] = [
    CheckId::ArmToken,
    CheckId::ArmRegistry,
    CheckId::NetworkRules,
    CheckId::PrivateEndpoints,
    CheckId::EncryptionIdentity,
];

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("acr-health-arm-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// Writes an executable `az` script into `dir`; it records its arguments in `args.log`.
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

/// Writes an az script that prints `token` as `az account get-access-token --output json` does. It
/// uses only shell built-ins, because `check` runs with a PATH of its own.
fn az_printing(dir: &Path, token: &str) -> PathBuf {
    write_az(
        dir,
        &format!(
            "printf '%s\\n' '{{\"accessToken\": \"{token}\", \"expiresOn\": \"2030-01-01 00:00:00.000000\", \"tokenType\": \"Bearer\"}}'"
        ),
    )
}

/// Returns the lab's documentation of an ARM scenario, checked against this file's table.
fn lab_info(expected: &Expected) -> acr_health_lab::ArmScenarioInfo {
    let scenario: ArmScenario = expected.scenario.parse().expect("a lab ARM scenario");
    let info = scenario.info();
    let lab_check = info.check.map(|name| {
        *CheckId::ALL
            .iter()
            .find(|check| format!("{check:?}") == name)
            .unwrap_or_else(|| panic!("{name} is not a core check"))
    });
    if let Some(lab_check) = lab_check {
        assert_eq!(lab_check, expected.check, "{}: the lab's check", info.name);
    }
    let failed = expected.status == Status::Fail;
    assert_eq!(
        info.expected_code.is_some(),
        failed,
        "{}: the lab's code {:?} against status {:?}",
        info.name,
        info.expected_code,
        expected.status
    );
    info
}

fn switch(lab: &Lab, expected: &Expected) -> acr_health_lab::ArmScenarioInfo {
    let info = lab_info(expected);
    lab.set_scenario_named(info.registry_scenario)
        .expect("the registry scenario runs over plain HTTP");
    lab.set_arm_scenario_named(info.name).expect("known");
    info
}

fn facts(expected: &Expected, lab: &Lab) -> Vec<String> {
    expected
        .facts
        .iter()
        .map(|fact| fact.replace("{login}", &lab.login_server()))
        .collect()
}

fn has_hangul(text: &str) -> bool {
    text.chars()
        .any(|ch| ('\u{ac00}'..='\u{d7a3}').contains(&ch))
}

// ---- the command line ----

fn helper(tools: &Path) -> Command {
    let mut command = Command::new(BINARY);
    command
        .env_clear()
        .env("PATH", tools)
        .env("HOME", tools)
        .env("RUST_LOG", "trace");
    command
}

fn run_with_stdin(mut command: Command, input: &str) -> Output {
    use std::io::Write;
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the helper starts");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("the helper ends")
}

/// Runs `check` against the lab with the admin password and `token` on standard input.
fn check_with_token(
    lab: &Lab,
    tools: &Path,
    token: &str,
    registry_name: Option<&str>,
    extra: &[&str],
) -> Output {
    let mut command = helper(tools);
    command.args([
        "check",
        &lab.base_url(),
        "--username",
        &lab.admin().username,
        "--password-stdin",
        "--arm-token-stdin",
        "--arm-url",
        &lab.arm_url(),
    ]);
    if let Some(name) = registry_name {
        command.args(["--arm-registry", name]);
    }
    command.args(extra);
    run_with_stdin(command, &format!("{}\n{token}\n", lab.admin().password))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

/// Returns the status line and the finding line of `check` in a text report.
fn text_result(report: &str, check: CheckId, lang: Lang) -> Option<(String, String)> {
    let prefix = format!("{} : ", check.title(lang));
    let mut lines = report.lines();
    let status = lines.find(|line| line.starts_with(&prefix))?.to_owned();
    let finding = lines.next()?.trim().to_owned();
    Some((status, finding))
}

#[test]
fn cli_every_arm_scenario() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    let tools = temp_dir("cli-scenarios");
    let token = lab.arm_token(false);
    let mut problems = Vec::new();

    for expected in &EXPECTED {
        let info = switch(&lab, expected);
        for lang in [Lang::En, Lang::Ko] {
            let tag = format!("{} {lang:?}", info.name);
            let lang_arg = if lang == Lang::En { "en" } else { "ko" };
            let output = check_with_token(
                &lab,
                &tools,
                &token,
                info.registry_name,
                &["--lang", lang_arg],
            );
            let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
            if stdout.contains(&token) || stderr.contains(&token) {
                problems.push(format!("{tag}: the ARM token is printed or logged"));
            }

            let Some((status_line, finding)) = text_result(&stdout, expected.check, lang) else {
                problems.push(format!("{tag}: no {:?} line in\n{stdout}", expected.check));
                continue;
            };
            let status = status_label(expected.status, lang);
            let wanted = match info.expected_code {
                Some(code) => format!("{} : {status} {code}", expected.check.title(lang)),
                None => format!("{} : {status}", expected.check.title(lang)),
            };
            if status_line != wanted {
                problems.push(format!("{tag}: {status_line:?}, expected {wanted:?}"));
            }
            for fact in facts(expected, &lab) {
                if !finding.contains(&fact) {
                    problems.push(format!("{tag}: finding {finding:?} lacks {fact:?}"));
                }
            }
            if has_hangul(&finding) != (lang == Lang::Ko) {
                problems.push(format!("{tag}: finding {finding:?} is not in {lang:?}"));
            }
            if let Some(code) = info.expected_code {
                let code: Code =
                    serde_json::from_value(serde_json::json!(code)).expect("a core code");
                let meaning = catalog::entry(code).text(lang).meaning.replace('`', "");
                if !stdout.contains(&meaning) {
                    problems.push(format!("{tag}: the meaning of {code} is missing"));
                }
            }
            for check in ARM_CHECKS {
                if check == expected.check {
                    continue;
                }
                let other_failed = text_result(&stdout, check, lang)
                    .is_some_and(|(line, _)| line.contains(status_label(Status::Fail, lang)));
                if other_failed {
                    problems.push(format!("{tag}: {check:?} failed too:\n{stdout}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn cli_expired_and_wrong_audience_named() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    let tools = temp_dir("cli-token");
    let cases = [
        (lab.arm_token(true), "expired"),
        (
            lab.arm_token_for("https://vault.azure.net", false),
            "https://vault.azure.net",
        ),
    ];
    for (token, fact) in cases {
        let output = check_with_token(&lab, &tools, &token, None, &["--lang", "en"]);
        let stdout = text(&output.stdout);
        assert_eq!(output.status.code(), Some(1), "{stdout}");
        let (status, finding) =
            text_result(&stdout, CheckId::ArmToken, Lang::En).expect("an ARM token line");
        assert_eq!(
            status, "ARM access token : FAILED ARM_TOKEN_ERROR",
            "{stdout}"
        );
        assert!(finding.contains(fact), "{finding}");
        assert!(!stdout.contains(&token), "the token is printed");
        assert!(
            !text(&output.stderr).contains(&token),
            "the token is logged"
        );
        let (registry, _) =
            text_result(&stdout, CheckId::ArmRegistry, Lang::En).expect("a registry line");
        assert_eq!(registry, "Registry in Azure : SKIPPED", "{stdout}");
    }
}

#[test]
fn cli_json_report_has_arm_results_without_token() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    lab.set_arm_scenario_named("cmk-deleted").expect("known");
    let tools = temp_dir("cli-json");
    let token = lab.arm_token(false);
    let output = check_with_token(&lab, &tools, &token, None, &["--output", "json"]);
    let stdout = text(&output.stdout);
    assert!(!stdout.contains(&token), "the token is in the JSON report");
    assert!(
        !text(&output.stderr).contains(&token),
        "the token is logged"
    );

    let report: Report = acr_health_core::render::from_json(&stdout).expect("a JSON report");
    let cmk = report
        .results
        .iter()
        .find(|r| r.check == CheckId::EncryptionIdentity)
        .expect("an encryption identity result");
    assert_eq!(cmk.status, Status::Fail);
    assert_eq!(
        cmk.code.map(|c| c.to_string()).as_deref(),
        Some("CMK_ERROR")
    );
    for check in ARM_CHECKS {
        let result = report
            .results
            .iter()
            .find(|r| r.check == check)
            .unwrap_or_else(|| panic!("no {check:?} in {stdout}"));
        assert_eq!(result.side, acr_health_core::Side::Machine, "{check:?}");
    }
}

#[test]
fn cli_arm_from_az_uses_fake_az() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    let tools = temp_dir("cli-az");
    let token = lab.arm_token(false);
    az_printing(&tools, &token);

    let mut command = helper(&tools);
    command.args([
        "check",
        &lab.base_url(),
        "--username",
        &lab.admin().username,
        "--password-stdin",
        "--arm-from-az",
        "--arm-url",
        &lab.arm_url(),
        "--lang",
        "ko",
    ]);
    let output = run_with_stdin(command, &lab.admin().password);
    let stdout = text(&output.stdout);
    let (status, finding) =
        text_result(&stdout, CheckId::ArmRegistry, Lang::Ko).expect("a registry line");
    assert_eq!(status, "Azure의 레지스트리 : 정상", "{stdout}");
    assert!(finding.contains("labreg"), "{finding}");
    assert!(!stdout.contains(&token), "the token is printed");
    assert!(
        !text(&output.stderr).contains(&token),
        "the token is logged"
    );

    let args = std::fs::read_to_string(tools.join("args.log")).expect("az ran");
    assert!(
        args.contains("https://management.core.windows.net/"),
        "{args}"
    );
}

#[test]
fn cli_az_missing_fails_arm_token() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    let no_tools = temp_dir("cli-no-az");
    let mut command = helper(&no_tools);
    command.args([
        "check",
        &lab.base_url(),
        "--arm-from-az",
        "--arm-url",
        &lab.arm_url(),
        "--lang",
        "en",
    ]);
    let output = run_with_stdin(command, "");
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let (status, finding) =
        text_result(&stdout, CheckId::ArmToken, Lang::En).expect("an ARM token line");
    assert_eq!(
        status, "ARM access token : FAILED ARM_TOKEN_ERROR",
        "{stdout}"
    );
    assert!(finding.contains("no az on PATH"), "{finding}");
    assert!(finding.contains("AZ_COMMAND"), "{finding}");
    // The registry checks still ran.
    assert!(stdout.contains("Challenge (GET /v2/) : OK"), "{stdout}");
}

#[test]
fn cli_arm_url_guard_rejects_before_running() {
    let tools = temp_dir("cli-guard");
    az_printing(&tools, "never-sent-token");
    let cases = [
        ("https://evil.invalid", "evil.invalid"),
        ("http://management.azure.com", "https://"),
        ("https://management.azure.com/subscriptions", "path"),
        ("http://127.0.0.1", "port"),
    ];
    for (url, reason) in cases {
        let output = helper(&tools)
            .args([
                "check",
                "r.test",
                "--arm-from-az",
                "--arm-url",
                url,
                "--lang",
                "en",
            ])
            .stdin(Stdio::null())
            .output()
            .expect("the helper runs");
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{url}: {stderr}");
        assert!(stderr.contains("invalid --arm-url"), "{url}: {stderr}");
        assert!(stderr.contains(reason), "{url}: {stderr}");
        assert!(output.stdout.is_empty(), "{url}: a check ran");
        assert!(!tools.join("args.log").exists(), "{url}: az ran");
    }

    let output = helper(&tools)
        .args([
            "check",
            "r.test",
            "--arm-from-az",
            "--arm-url",
            "https://evil.invalid",
            "--lang",
            "ko",
        ])
        .stdin(Stdio::null())
        .output()
        .expect("the helper runs");
    let stderr = text(&output.stderr);
    assert!(has_hangul(&stderr), "{stderr}");
}

#[test]
fn cli_arm_options_need_token_source() {
    let tools = temp_dir("cli-arm-usage");
    let cases: [&[&str]; 4] = [
        &[
            "check",
            "r.test",
            "--arm-url",
            "https://management.azure.com",
        ],
        &["check", "r.test", "--arm-registry", "labreg"],
        &["check", "r.test", "--arm-from-az", "--arm-token-stdin"],
        &[
            "check",
            "r.test",
            "--arm-from-az",
            "--arm-registry",
            "my_reg",
        ],
    ];
    for args in cases {
        let output = helper(&tools)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("the helper runs");
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&output.stderr)
        );
        assert!(output.stdout.is_empty(), "{args:?}: a check ran");
    }
}

// ---- the localhost API ----

fn api_config(host_env: HostEnv) -> ServeConfig {
    ServeConfig {
        port: PORT,
        dist: std::env::temp_dir(),
        extra_origins: Vec::new(),
        secret: PairingSecret::from_value(SECRET),
        limits: Limits::default(),
        context: Arc::new(
            RunContext::new(host_env, ProxyEnv::default(), None, Duration::from_secs(5))
                .expect("TLS roots load"),
        ),
    }
}

/// Returns an environment whose PATH is an empty folder, so the local tool checks fail fast and
/// the same way every time.
fn empty_env(name: &str) -> HostEnv {
    HostEnv {
        path: Some(temp_dir(name).into_os_string()),
        overrides: Vec::new(),
        extra: Vec::new(),
    }
}

fn run_request(body: &serde_json::Value) -> Request<Body> {
    Request::post("/api/v1/run")
        .header(header::HOST, format!("127.0.0.1:{PORT}"))
        .header(header::ORIGIN, format!("http://127.0.0.1:{PORT}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Pairing {SECRET}"))
        .extension(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 50000))))
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn lab_body(lab: &Lab, arm: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "registry": lab.base_url(),
        "cloud": "AzureCloud",
        "credential": {
            "kind": "password",
            "username": lab.admin().username,
            "password": lab.admin().password,
        },
        "arm": arm,
    })
}

/// Collects log output in memory.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl LogBuffer {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

fn capture_logs() -> (LogBuffer, tracing::subscriber::DefaultGuard) {
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    (logs, tracing::subscriber::set_default(subscriber))
}

/// Sends a run request and returns the raw stream and the results of its report line.
async fn api_run(config: &ServeConfig, body: &serde_json::Value) -> (String, Vec<CheckResult>) {
    let response = app(config).oneshot(run_request(body)).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let stream = String::from_utf8(bytes.to_vec()).unwrap();
    let last = stream.lines().last().expect("a report line");
    let line: serde_json::Value = serde_json::from_str(last).expect("JSON");
    assert_eq!(line["type"], "report", "{stream}");
    let report: Report = serde_json::from_value(line["report"].clone()).expect("a report");
    (stream, report.results)
}

fn find(results: &[CheckResult], check: CheckId) -> &CheckResult {
    results
        .iter()
        .find(|r| r.check == check)
        .unwrap_or_else(|| panic!("no {check:?} result"))
}

#[tokio::test(flavor = "current_thread")]
async fn api_every_arm_scenario() {
    let (logs, _guard) = capture_logs();
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    let config = api_config(empty_env("api-scenarios"));
    let token = lab.arm_token(false);
    let mut problems = Vec::new();

    for expected in &EXPECTED {
        let info = switch(&lab, expected);
        let tag = info.name;
        let arm = serde_json::json!({
            "token": token,
            "from_az": false,
            "url": lab.arm_url(),
            "registry": info.registry_name,
        });
        let (stream, results) = api_run(&config, &lab_body(&lab, arm)).await;
        if stream.contains(&token) {
            problems.push(format!("{tag}: the ARM token is in the stream"));
        }
        let streamed = stream
            .lines()
            .filter(|line| line.contains("\"type\":\"result\""))
            .count();
        if streamed != results.len() {
            problems.push(format!(
                "{tag}: {streamed} result lines for {} results",
                results.len()
            ));
        }

        let result = find(&results, expected.check);
        let code = result.code.map(|code| code.to_string());
        if result.status != expected.status || code.as_deref() != info.expected_code {
            problems.push(format!(
                "{tag}: {:?} is {:?} {code:?}, expected {:?} {:?}",
                expected.check, result.status, expected.status, info.expected_code
            ));
        }
        for lang in [Lang::En, Lang::Ko] {
            let finding = result.finding.localize(lang);
            for fact in facts(expected, &lab) {
                if !finding.contains(&fact) {
                    problems.push(format!("{tag} {lang:?}: {finding:?} lacks {fact:?}"));
                }
            }
            if has_hangul(&finding) != (lang == Lang::Ko) {
                problems.push(format!("{tag}: {finding:?} is not in {lang:?}"));
            }
        }
        for check in ARM_CHECKS {
            let result = find(&results, check);
            if result.side != acr_health_core::Side::Machine {
                problems.push(format!("{tag}: {check:?} is not on the machine side"));
            }
            if check != expected.check && result.status == Status::Fail {
                problems.push(format!("{tag}: {check:?} failed too: {result:?}"));
            }
        }
    }

    let logged = logs.text();
    assert!(logged.contains("ARM run started"), "{logged}");
    assert!(!logged.contains(&token), "the ARM token is logged");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test(flavor = "current_thread")]
async fn api_from_az_runs_fake_az() {
    let (logs, _guard) = capture_logs();
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    lab.set_arm_scenario_named("private-endpoint-mismatch")
        .expect("known");
    let token = lab.arm_token(false);
    let az_dir = temp_dir("api-az");
    let az = az_printing(&az_dir, &token);
    let host_env = HostEnv {
        overrides: vec![(AZ_COMMAND_VAR.to_owned(), az.display().to_string())],
        ..empty_env("api-az-path")
    };
    let config = api_config(host_env);

    let arm = serde_json::json!({ "from_az": true, "url": lab.arm_url() });
    let (stream, results) = api_run(&config, &lab_body(&lab, arm)).await;
    let endpoints = find(&results, CheckId::PrivateEndpoints);
    assert_eq!(endpoints.status, Status::Fail, "{endpoints:?}");
    assert_eq!(
        endpoints.code.map(|c| c.to_string()).as_deref(),
        Some("CONNECTIVITY_DNS_ERROR")
    );
    assert!(az_dir.join("args.log").exists(), "az did not run");
    assert!(!stream.contains(&token), "the az token is in the stream");
    assert!(!logs.text().contains(&token), "the az token is logged");
}

#[tokio::test(flavor = "current_thread")]
async fn api_token_wins_over_from_az() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    let az_dir = temp_dir("api-both");
    let az = write_az(&az_dir, "exit 3");
    let host_env = HostEnv {
        overrides: vec![(AZ_COMMAND_VAR.to_owned(), az.display().to_string())],
        ..empty_env("api-both-path")
    };
    let config = api_config(host_env);

    let arm = serde_json::json!({
        "token": lab.arm_token(false),
        "from_az": true,
        "url": lab.arm_url(),
    });
    let (_, results) = api_run(&config, &lab_body(&lab, arm)).await;
    assert_eq!(find(&results, CheckId::ArmToken).status, Status::Pass);
    assert!(!az_dir.join("args.log").exists(), "az ran despite a token");
}

#[tokio::test(flavor = "current_thread")]
async fn api_az_not_logged_in_named() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    let az_dir = temp_dir("api-logged-out");
    let az = write_az(
        &az_dir,
        "echo \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1",
    );
    let host_env = HostEnv {
        overrides: vec![(AZ_COMMAND_VAR.to_owned(), az.display().to_string())],
        ..empty_env("api-logged-out-path")
    };
    let config = api_config(host_env);

    let arm = serde_json::json!({ "from_az": true, "url": lab.arm_url() });
    let (_, results) = api_run(&config, &lab_body(&lab, arm)).await;
    let token = find(&results, CheckId::ArmToken);
    assert_eq!(token.status, Status::Fail);
    assert_eq!(
        token.code.map(|c| c.to_string()).as_deref(),
        Some("ARM_TOKEN_ERROR")
    );
    let english = token.finding.localize(Lang::En);
    assert!(english.contains("Please run 'az login'"), "{english}");
    assert!(has_hangul(&token.finding.localize(Lang::Ko)));
    for check in [
        CheckId::ArmRegistry,
        CheckId::NetworkRules,
        CheckId::PrivateEndpoints,
        CheckId::EncryptionIdentity,
    ] {
        assert_eq!(find(&results, check).status, Status::Skipped, "{check:?}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn api_arm_url_guard_rejects_before_running() {
    let az_dir = temp_dir("api-guard");
    let az = az_printing(&az_dir, "never-sent-token");
    let host_env = HostEnv {
        overrides: vec![(AZ_COMMAND_VAR.to_owned(), az.display().to_string())],
        ..empty_env("api-guard-path")
    };
    let config = api_config(host_env);

    for url in [
        "https://evil.invalid",
        "https://management.azure.com.evil.invalid",
        "http://management.azure.com",
        "https://user@management.azure.com",
        "http://localhost",
    ] {
        let body = serde_json::json!({
            "registry": "r.test",
            "arm": { "from_az": true, "url": url },
        });
        let response = app(&config).oneshot(run_request(&body)).await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{url}");
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let error = String::from_utf8(bytes.to_vec()).unwrap();
        assert!(error.contains("invalid arm settings"), "{url}: {error}");
    }
    assert!(!az_dir.join("args.log").exists(), "az ran");
}

#[tokio::test(flavor = "current_thread")]
async fn api_arm_settings_validated() {
    let config = api_config(empty_env("api-arm-invalid"));
    let cases = [
        serde_json::json!({ "from_az": false }),
        serde_json::json!({ "token": "  " }),
        serde_json::json!({ "token": "t", "registry": "no_such-name!" }),
        serde_json::json!({ "token": "t", "tenant": "x" }),
    ];
    for arm in cases {
        let body = serde_json::json!({ "registry": "r.test", "arm": arm });
        let response = app(&config).oneshot(run_request(&body)).await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{arm}");
    }
}

#[tokio::test]
async fn api_capabilities_offer_arm() {
    let config = api_config(empty_env("api-capabilities"));
    let request = Request::get("/api/v1/capabilities")
        .header(header::HOST, format!("127.0.0.1:{PORT}"))
        .extension(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 50000))))
        .body(Body::empty())
        .unwrap();
    let response = app(&config).oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let capabilities: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
    assert_eq!(capabilities["arm"], true);
    let checks = capabilities["checks"].as_array().expect("checks");
    for check in ARM_CHECKS {
        assert!(
            checks.iter().any(|c| c == check.as_str()),
            "{check:?} missing from {checks:?}"
        );
    }
}

#[tokio::test(flavor = "current_thread")]
async fn api_from_az_needs_pairing() {
    let az_dir = temp_dir("api-unpaired");
    let az = az_printing(&az_dir, "never-sent-token");
    let host_env = HostEnv {
        overrides: vec![(AZ_COMMAND_VAR.to_owned(), az.display().to_string())],
        ..empty_env("api-unpaired-path")
    };
    let config = api_config(host_env);

    let body = serde_json::json!({
        "registry": "r.test",
        "arm": { "from_az": true, "url": "http://127.0.0.1:9" },
    });
    let mut request = run_request(&body);
    request.headers_mut().remove(header::AUTHORIZATION);
    let response = app(&config).oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(!az_dir.join("args.log").exists(), "az ran without pairing");
}

#[tokio::test(flavor = "current_thread")]
async fn api_invalid_registry_skips_arm() {
    let config = api_config(empty_env("api-invalid-registry"));
    let body = serde_json::json!({
        "registry": "my_reg!",
        "arm": { "token": "never-sent-token", "url": "http://127.0.0.1:9" },
    });
    let (stream, results) = api_run(&config, &body).await;
    assert_eq!(find(&results, CheckId::LoginServer).status, Status::Fail);
    for check in ARM_CHECKS {
        assert_eq!(find(&results, check).status, Status::Skipped, "{check:?}");
    }
    assert!(
        !stream.contains("never-sent-token"),
        "the token is in the stream"
    );
}

#[test]
fn cli_arm_token_piped_from_az_json() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    let tools = temp_dir("cli-az-json");
    let token = lab.arm_token(false);
    // What `az account get-access-token | acr-health-helper check ... --arm-token-stdin` pipes.
    let az_output = format!(
        "{{\n  \"accessToken\": \"{token}\",\n  \"expiresOn\": \"2030-01-01 00:00:00.000000\",\n  \"tokenType\": \"Bearer\"\n}}\n"
    );
    let mut command = helper(&tools);
    command.args([
        "check",
        &lab.base_url(),
        "--arm-token-stdin",
        "--arm-url",
        &lab.arm_url(),
        "--lang",
        "en",
    ]);
    let output = run_with_stdin(command, &az_output);
    let stdout = text(&output.stdout);
    let (status, _) =
        text_result(&stdout, CheckId::ArmRegistry, Lang::En).expect("a registry line");
    assert_eq!(status, "Registry in Azure : OK", "{stdout}");
    assert!(!stdout.contains(&token), "the token is printed");
    assert!(
        !text(&output.stderr).contains(&token),
        "the token is logged"
    );
}
