//! The `acr-health-helper` binary as a user runs it: exit statuses, output formats, languages,
//! and `check` against the lab.
//!
//! Local tools are small shell scripts on a PATH of their own, so results do not depend on
//! what this machine has installed. The Helm script prints a recorded `helm version --client`
//! output of Helm 3.14.0.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use acr_health_lab::{Lab, LabConfig, Scenario};

const BINARY: &str = env!("CARGO_BIN_EXE_acr-health-helper");

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("acr-health-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

fn write_script(dir: &Path, name: &str, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write script");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// Writes a PATH folder with a working docker (daemon included) and Helm 3.14.0, each logging its calls to
/// `calls.log`.
fn healthy_tools(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    let log = dir.join("calls.log");
    write_script(
        &dir,
        "docker",
        &format!(
            "echo \"docker $*\" >> {log}\ncase \"$1\" in --version) echo 'Docker version 28.2.2, build e6534b4';; version) echo '28.2.2 linux/amd64';; *) exit 3;; esac",
            log = log.display()
        ),
    );
    write_script(
        &dir,
        "helm",
        &format!(
            "echo \"helm $*\" >> {log}\necho 'version.BuildInfo{{Version:\"v3.14.0\", GitCommit:\"3fc9f4b2638e76f26739cd77c7017139be81d0ea\", GitTreeState:\"clean\", GoVersion:\"go1.21.5\"}}'",
            log = log.display()
        ),
    );
    dir
}

fn helper(path: &Path) -> Command {
    let mut command = Command::new(BINARY);
    command
        .env_clear()
        .env("PATH", path)
        .env("HOME", path)
        .stdin(Stdio::null());
    command
}

fn run_with_stdin(mut command: Command, input: &str) -> Output {
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

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 stdout")
}

#[test]
fn help_exits_before_running_anything() {
    let tools = healthy_tools("help");
    for args in [
        &["--help"][..],
        &["check", "--help"],
        &["--version"],
        &["serve", "--help"],
    ] {
        let output = helper(&tools).args(args).output().expect("runs");
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        assert!(!stdout(&output).is_empty(), "{args:?}");
    }
    assert!(
        !tools.join("calls.log").exists(),
        "a tool ran during --help or --version"
    );
}

#[test]
fn usage_errors_exit_2() {
    let tools = healthy_tools("usage");
    let cases: [&[&str]; 6] = [
        &["check"],
        &["check", "r.test", "--lang", "fr"],
        &["check", "r.test", "--output", "yaml"],
        &["check", "r.test", "--yes", "--image", "Bad Image"],
        &["check", "r.test", "--ca-file", "/nonexistent/ca.pem"],
        &["frobnicate"],
    ];
    for args in cases {
        let output = helper(&tools).args(args).output().expect("runs");
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert!(
        !tools.join("calls.log").exists(),
        "a tool ran despite a usage error"
    );
}

fn check_lab(lab: &Lab, tools: &Path, extra: &[&str]) -> Output {
    let mut command = helper(tools);
    command
        .args([
            "check",
            &lab.base_url(),
            "--username",
            &lab.admin().username,
            "--password-stdin",
        ])
        .args(extra);
    run_with_stdin(command, &lab.admin().password)
}

#[test]
fn check_healthy_lab_exits_0() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    let tools = healthy_tools("healthy");
    let output = check_lab(&lab, &tools, &["--lang", "en"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("Challenge (GET /v2/) : OK\n"), "{text}");
    assert!(text.contains("Access token : OK\n"), "{text}");
    assert!(
        text.contains("Data path (manifest and blob) : OK\n"),
        "{text}"
    );
    assert!(text.contains("Helm version : OK\n"), "{text}");
    assert!(
        !text.contains(&lab.admin().password),
        "the password is printed"
    );
}

#[test]
fn check_firewall_exits_1_with_fix() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    lab.set_scenario(Scenario::FirewallV2)
        .expect("plain HTTP serves it");
    let tools = healthy_tools("firewall");
    let output = check_lab(&lab, &tools, &["--lang", "en"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains(": FAILED CONNECTIVITY_FORBIDDEN_ERROR\n"),
        "{text}"
    );
    assert!(text.contains("    Fix: "), "{text}");
}

#[test]
fn check_json_output_is_report() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    let tools = healthy_tools("json");
    let output = check_lab(&lab, &tools, &["--output", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON on stdout");
    assert_eq!(report["format"], 1);
    assert_eq!(report["registry"], lab.login_server());
    assert_eq!(report["helper_version"], env!("CARGO_PKG_VERSION"));
    let results = report["results"].as_array().expect("results");
    assert!(results
        .iter()
        .any(|r| r["check"] == "data_path" && r["status"] == "pass"));
}

#[test]
fn check_korean_from_locale() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    let tools = healthy_tools("korean");
    let mut command = helper(&tools);
    command.env("LANG", "ko_KR.UTF-8").args([
        "check",
        &lab.base_url(),
        "--username",
        &lab.admin().username,
        "--password-stdin",
    ]);
    let output = run_with_stdin(command, &lab.admin().password);
    let text = stdout(&output);
    assert!(text.starts_with("레지스트리 상태 점검: "), "{text}");
    assert!(text.contains("액세스 토큰 : 정상\n"), "{text}");
}

#[test]
fn check_runs_registry_after_local_failure() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    let no_tools = temp_dir("no-tools");
    let output = check_lab(&lab, &no_tools, &["--lang", "en"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("Docker command : FAILED DOCKER_COMMAND_ERROR\n"),
        "{text}"
    );
    assert!(text.contains("Challenge (GET /v2/) : OK\n"), "{text}");
}

#[test]
fn check_ignore_errors_still_exits_1() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    let no_tools = temp_dir("ignore-errors");
    let output = check_lab(&lab, &no_tools, &["--lang", "en", "--ignore-errors"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("Challenge (GET /v2/) : OK\n"), "{text}");
    assert!(
        text.contains("Docker command : FAILED DOCKER_COMMAND_ERROR\n"),
        "{text}"
    );
}

#[test]
fn serve_prints_pairing_url_and_never_logs_it() {
    use std::io::{BufRead, BufReader, Read};
    use std::net::TcpStream;

    let dist = temp_dir("serve-dist");
    std::fs::write(dist.join("index.html"), "<!doctype html><h1>served</h1>").expect("index");
    let mut child = helper(&dist)
        .args(["serve", "--port", "0", "--no-open", "--dist"])
        .arg(&dist)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");

    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the url line");
    let url = line
        .trim()
        .strip_prefix("url: ")
        .expect("a url: line")
        .to_owned();
    let (address, secret) = url
        .strip_prefix("http://")
        .and_then(|rest| rest.split_once("/#pair="))
        .expect("http://127.0.0.1:PORT/#pair=SECRET");
    assert!(address.starts_with("127.0.0.1:"), "{url}");
    assert_eq!(secret.len(), 64, "{url}");

    let mut stream = TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("<h1>served</h1>"), "{response}");

    let pid = child.id().to_string();
    let _ = Command::new("kill").args(["-TERM", &pid]).status();
    let output = child.wait_with_output().expect("serve stops");
    let logs = String::from_utf8_lossy(&output.stderr);
    assert!(logs.contains("helper listening"), "{logs}");
    assert!(logs.contains("helper stopped"), "{logs}");
    assert!(!logs.contains(secret), "the pairing secret is in the log");
}

#[test]
fn check_invalid_name_exits_2() {
    let no_tools = temp_dir("invalid-name");
    let output = helper(&no_tools)
        .args(["check", "my_reg!", "--lang", "en"])
        .output()
        .expect("the helper runs");
    let error = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{error}");
    assert!(
        error.contains("\"my_reg!\" is not a valid registry name"),
        "{error}"
    );
    assert!(output.stdout.is_empty(), "no check ran");
}
