//! Starting and stopping labs: port clashes, unknown scenarios, processes killed on drop, and
//! the `lab` binary's CLI.

mod common;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use acr_health_lab::{ArmScenario, Lab, LabConfig, Scenario};

fn alive(pid: u32) -> bool {
    // A reaped process has no /proc entry; a zombie would still show, so read its state.
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat.contains(") Z "),
        Err(_) => false,
    }
}

fn wait_gone(pid: u32) -> bool {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(5) {
        if !alive(pid) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn lab_is_send_and_sync() {
    // Other crates share one lab between test threads.
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Lab>();
}

#[test]
fn port_clash_names_the_port() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let error = Lab::start(LabConfig {
        login_port: port,
        ..LabConfig::default()
    })
    .err()
    .expect("a taken port fails");
    let message = error.to_string();
    assert!(message.contains(&format!("login port {port}")), "{message}");
}

#[test]
fn unknown_scenario_names_the_value() {
    let error = "no-such-scenario".parse::<Scenario>().unwrap_err();
    assert!(error.to_string().contains("'no-such-scenario'"), "{error}");
}

#[test]
fn drop_kills_distribution_and_removes_state() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    let pid = lab.distribution_pid().expect("distribution runs");
    let state_dir = lab.state_dir().to_path_buf();
    assert!(alive(pid));

    drop(lab);
    assert!(
        wait_gone(pid),
        "distribution (pid {pid}) still runs after drop"
    );
    assert!(!state_dir.exists(), "{} still exists", state_dir.display());
}

#[test]
fn drop_on_panic_kills_distribution() {
    let (sender, receiver) = std::sync::mpsc::channel();
    let result = std::thread::spawn(move || {
        let lab = Lab::start(LabConfig::default()).expect("the lab starts");
        sender.send(lab.distribution_pid().unwrap()).unwrap();
        panic!("a failing test");
    })
    .join();
    assert!(result.is_err());
    let pid = receiver.recv().unwrap();
    assert!(
        wait_gone(pid),
        "distribution (pid {pid}) survived a panicking test"
    );
}

#[test]
fn given_state_dir_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let state_dir = dir.path().join("lab");
    let lab = Lab::start(LabConfig {
        state_dir: Some(state_dir.clone()),
        ..LabConfig::default()
    })
    .expect("the lab starts");
    assert_eq!(lab.ca_pem_path(), state_dir.join("ca.pem"));
    drop(lab);
    assert!(state_dir.join("ca.pem").exists());
    assert!(state_dir.join("config.yml").exists());
}

#[test]
fn cli_list_prints_every_scenario() {
    let output = Command::new(env!("CARGO_BIN_EXE_lab"))
        .arg("list")
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let (registry, arm) = text
        .split_once("\n\nARM scenarios (--arm-scenario):\n")
        .expect("an ARM section after a blank line");
    assert_eq!(registry.lines().count(), Scenario::ALL.len());
    assert!(registry.lines().any(|line| line.starts_with("firewall-v2 ")
        && line.ends_with("-> CONNECTIVITY_FORBIDDEN_ERROR")));
    assert_eq!(arm.lines().count(), ArmScenario::ALL.len());
    assert!(arm
        .lines()
        .any(|line| line.starts_with("cmk-deleted ") && line.ends_with("-> CMK_ERROR")));
}

#[test]
fn cli_unknown_scenario_fails() {
    let output = Command::new(env!("CARGO_BIN_EXE_lab"))
        .args(["up", "--scenario", "nope"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("'nope'"));
}

#[test]
fn cli_unknown_arm_scenario_fails() {
    let output = Command::new(env!("CARGO_BIN_EXE_lab"))
        .args(["up", "--arm-scenario", "cmk-lost"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("'cmk-lost'"));
}

#[test]
fn cli_serve_starts_arm_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_lab"))
        .args([
            "serve",
            "--arm-scenario",
            "cmk-deleted",
            "--login-port",
            "0",
            "--storage-port",
            "0",
            "--control-port",
            "0",
            "--state-dir",
        ])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    let status = child.wait().unwrap();

    let summary: serde_json::Value =
        serde_json::from_str(&line).unwrap_or_else(|error| panic!("{error}: {line:?}"));
    assert_eq!(summary["arm_scenario"], "cmk-deleted");
    assert!(status.success(), "{status}");
}

#[test]
fn cli_up_prints_json_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_lab"))
        .args([
            "up",
            "--plain-http",
            "--login-port",
            "0",
            "--storage-port",
            "0",
            "--control-port",
            "0",
            "--state-dir",
        ])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let summary: serde_json::Value =
        serde_json::from_str(&line).unwrap_or_else(|error| panic!("{error}: {line:?}"));

    assert_eq!(summary["scheme"], "http");
    assert_eq!(summary["repository"], "hello-world");
    assert_eq!(summary["tag"], "latest");
    assert_eq!(summary["admin"]["username"], "acrhealthlab");
    assert!(summary["login_server"]
        .as_str()
        .unwrap()
        .starts_with("127.0.0.1:"));
    assert!(summary["control"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:"));
    assert!(summary["arm_url"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:"));
    assert_eq!(summary["arm_scenario"], "found");
    assert!(Path::new(summary["ca_pem"].as_str().unwrap()).exists());

    // The distribution child is the one whose command line names this state dir.
    let config = dir.path().join("config.yml");
    let distribution = find_process_with_arg(&config.to_string_lossy()).expect("distribution runs");

    Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    assert!(
        wait_gone(distribution),
        "distribution (pid {distribution}) still runs"
    );
}

fn find_process_with_arg(argument: &str) -> Option<u32> {
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        if cmdline
            .split(|byte| *byte == 0)
            .any(|part| part == argument.as_bytes())
            && alive(pid)
        {
            return Some(pid);
        }
    }
    None
}
