//! `cargo xtask run`: builds what is stale, starts the lab's demo registry and the helper serving
//! `dist/`, prints the URL to open, and on Ctrl-C stops every process it started.

use std::fs;
use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use crate::build;
use crate::project::Project;
use crate::step::{self, Failure, StepResult};

/// Ports `run` uses; each is overridable on the command line.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub helper_port: u16,
    pub login_port: Option<u16>,
    pub storage_port: Option<u16>,
    pub control_port: Option<u16>,
}

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions {
            helper_port: 8765,
            login_port: None,
            storage_port: None,
            control_port: None,
        }
    }
}

/// How long the lab may take to start its registry and seed the demo image.
const LAB_START_TIMEOUT: Duration = Duration::from_secs(180);
const HELPER_START_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a process group gets between SIGTERM and SIGKILL.
const STOP_GRACE: Duration = Duration::from_secs(10);

pub fn run(project: &Project, options: &RunOptions) -> StepResult {
    build::build(project)?;
    let (helper, lab) = build::native_binaries(project)?;
    ensure_port_free(options.helper_port)?;

    // From here on, Ctrl-C and SIGTERM only set this flag; the loop below stops the children.
    let stop = Arc::new(AtomicBool::new(false));
    let handler_flag = Arc::clone(&stop);
    ctrlc::set_handler(move || handler_flag.store(true, Ordering::SeqCst))
        .map_err(|err| Failure::new("run", format!("cannot install the Ctrl-C handler: {err}")))?;

    let mut children = Children::default();
    let result = start_and_wait(
        project,
        &Programs { helper, lab },
        options,
        &stop,
        &mut children,
    );
    let stopped = children.stop_all();
    result.and(stopped)
}

fn ensure_port_free(port: u16) -> StepResult {
    TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .map(drop)
        .map_err(|err| {
            Failure::new(
                "run",
                format!("127.0.0.1:{port} is not free for the helper: {err}"),
            )
            .with_hint(format!("cargo xtask run --port {}", port.wrapping_add(1)))
        })
}

/// The two programs `run` starts.
struct Programs {
    helper: PathBuf,
    lab: PathBuf,
}

fn start_and_wait(
    project: &Project,
    programs: &Programs,
    options: &RunOptions,
    stop: &AtomicBool,
    children: &mut Children,
) -> StepResult {
    // 1. The lab's demo registry, over plain HTTP so any browser reaches it without a CA.
    // Anonymous pull is on, so the page's default run (no credentials) passes end to end;
    // the admin and token users work as in the healthy scenario.
    let mut lab = Command::new(&programs.lab);
    lab.args(["up", "--plain-http", "--scenario", "anonymous-pull"]);
    for (flag, port) in [
        ("--login-port", options.login_port),
        ("--storage-port", options.storage_port),
        ("--control-port", options.control_port),
    ] {
        if let Some(port) = port {
            lab.arg(flag).arg(port.to_string());
        }
    }
    let lab_lines = children.spawn("lab", &mut lab)?;
    let lab_line = wait_for_line(
        "lab",
        "`lab up` (the demo registry)",
        &lab_lines,
        stop,
        children,
        LAB_START_TIMEOUT,
        |line| line.trim_start().starts_with('{'),
    )?;
    let demo = DemoRegistry::parse(&lab_line)?;

    // 2. The helper, serving the built page.
    let mut helper = Command::new(&programs.helper);
    helper
        .args([
            "serve",
            "--no-open",
            "--port",
            &options.helper_port.to_string(),
            "--dist",
        ])
        .arg(project.dist_dir());
    let helper_lines = children.spawn("helper", &mut helper)?;
    let url_line = wait_for_line(
        "helper",
        "`acr-health-helper serve`",
        &helper_lines,
        stop,
        children,
        HELPER_START_TIMEOUT,
        |line| line.starts_with("url: "),
    )?;
    let helper_url = url_line.trim_start_matches("url: ").trim();

    // 3. The URL to open: the helper's page, with the demo registry filled in.
    println!();
    println!("acr-health is running.");
    println!(
        "  open:     {}",
        page_url(helper_url, &demo.registry_input())
    );
    println!(
        "  registry: {} (user {} / password {})",
        demo.registry_input(),
        demo.admin_username,
        demo.admin_password
    );
    println!("  lab control API: {}", demo.control);
    println!(
        "  ARM checks: add &arm_url={} to the address, and paste the access_token of: \
         curl -s -X POST {}/arm-token",
        demo.arm_url, demo.control
    );
    println!("Press Ctrl-C to stop the helper and the lab.");

    // 4. Wait for Ctrl-C. A child that stops on its own is an error that names the child.
    while !stop.load(Ordering::SeqCst) {
        if let Some((name, status)) = children.first_exited() {
            return Err(Failure::new(
                "run",
                format!("{name} stopped unexpectedly ({status}); see its log above"),
            ));
        }
        thread::sleep(Duration::from_millis(200));
    }
    eprintln!("\nrun: stopping");
    Ok(())
}

/// Waits for the first stdout line of `name` that matches `accept`, echoing other lines.
#[allow(clippy::too_many_arguments)]
fn wait_for_line(
    name: &str,
    what: &str,
    lines: &Receiver<String>,
    stop: &AtomicBool,
    children: &mut Children,
    timeout: Duration,
    accept: impl Fn(&str) -> bool,
) -> StepResult<String> {
    let started = Instant::now();
    loop {
        if stop.load(Ordering::SeqCst) {
            return Err(Failure::new(
                "run",
                format!("interrupted while waiting for {what}"),
            ));
        }
        if started.elapsed() > timeout {
            return Err(Failure::new(
                "run",
                format!(
                    "{what} printed no ready line within {} s",
                    timeout.as_secs()
                ),
            ));
        }
        match lines.recv_timeout(Duration::from_millis(200)) {
            Ok(line) if accept(&line) => return Ok(line),
            Ok(line) => println!("[{name}] {line}"),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                let status = children
                    .wait_exit(name)
                    .unwrap_or_else(|| "status unknown".to_string());
                return Err(Failure::new(
                    "run",
                    format!(
                        "{what} exited ({status}) before it reported that it is ready; \
                         either it is not implemented yet or it failed (its log is above)"
                    ),
                ));
            }
        }
    }
}

/// The addresses and credentials from the JSON line `lab up` prints when it is ready.
#[derive(Debug, PartialEq)]
struct DemoRegistry {
    login_server: String,
    scheme: String,
    control: String,
    /// The base URL of the lab's imitation of Azure Resource Manager.
    arm_url: String,
    admin_username: String,
    admin_password: String,
}

impl DemoRegistry {
    fn parse(line: &str) -> StepResult<DemoRegistry> {
        let invalid = |what: String| {
            Failure::new(
                "run",
                format!("the lab's ready line is invalid ({what}): {line}"),
            )
        };
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|err| invalid(err.to_string()))?;
        let text = |pointer: &str| {
            value
                .pointer(pointer)
                .and_then(|field| field.as_str())
                .map(str::to_string)
                .ok_or_else(|| invalid(format!("no string at {pointer}")))
        };
        Ok(DemoRegistry {
            login_server: text("/login_server")?,
            scheme: text("/scheme")?,
            control: text("/control")?,
            arm_url: text("/arm_url")?,
            admin_username: text("/admin/username")?,
            admin_password: text("/admin/password")?,
        })
    }

    /// Returns what to type in the page's registry field: plain HTTP must be spelled out, because the
    /// page assumes HTTPS for anything without a scheme.
    fn registry_input(&self) -> String {
        if self.scheme == "http" {
            format!("http://{}", self.login_server)
        } else {
            self.login_server.clone()
        }
    }
}

/// Puts `?registry=<registry>` into the helper's URL, before its `#pair=` fragment.
fn page_url(helper_url: &str, registry: &str) -> String {
    let (base, fragment) = match helper_url.split_once('#') {
        Some((base, fragment)) => (base, format!("#{fragment}")),
        None => (helper_url, String::new()),
    };
    let separator = if base.contains('?') { '&' } else { '?' };
    format!(
        "{base}{separator}registry={}{fragment}",
        percent_encode(registry)
    )
}

fn percent_encode(text: &str) -> String {
    let mut encoded = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// The processes `run` started, each the leader of its own process group so that Ctrl-C in the
/// terminal reaches only xtask, which then stops each group (the child and whatever it started).
#[derive(Default)]
struct Children {
    running: Vec<(String, Child)>,
}

impl Children {
    /// Starts `command` in a new process group with stdout piped; returns its stdout lines.
    fn spawn(&mut self, name: &str, command: &mut Command) -> StepResult<Receiver<String>> {
        let shown = step::render(command);
        eprintln!("==> start {name}\n    $ {shown}");
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .process_group(0)
            .spawn()
            .map_err(|err| {
                Failure::new("run", format!("cannot start {name}: {err}; is it built?"))
                    .with_hint(shown.clone())
            })?;

        let stdout = child.stdout.take().expect("stdout was piped");
        let (sender, receiver) = mpsc::channel();
        let prefix = name.to_string();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                // Once `run` stops listening, keep echoing so the child never blocks on a full pipe.
                if let Err(mpsc::SendError(line)) = sender.send(line) {
                    println!("[{prefix}] {line}");
                }
            }
        });

        self.running.push((name.to_string(), child));
        Ok(receiver)
    }

    fn first_exited(&mut self) -> Option<(String, String)> {
        self.running
            .iter_mut()
            .find_map(|(name, child)| match child.try_wait() {
                Ok(Some(status)) => Some((name.clone(), status.to_string())),
                _ => None,
            })
    }

    /// Waits briefly for `name` to exit (its stdout closed) and returns its exit status.
    fn wait_exit(&mut self, name: &str) -> Option<String> {
        let (_, child) = self
            .running
            .iter_mut()
            .find(|(candidate, _)| candidate == name)?;
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = child.try_wait() {
                return Some(status.to_string());
            }
            thread::sleep(Duration::from_millis(50));
        }
        None
    }

    /// Stops every group, newest first: SIGTERM, then SIGKILL after the grace period. Then
    /// checks that no process of any group is left.
    fn stop_all(&mut self) -> StepResult {
        let mut leftovers = Vec::new();
        while let Some((name, mut child)) = self.running.pop() {
            let group = child.id();
            signal_group(group, "TERM");
            let deadline = Instant::now() + STOP_GRACE;
            while group_members(group).is_some_and(|members| !members.is_empty())
                && Instant::now() < deadline
            {
                let _ = child.try_wait();
                thread::sleep(Duration::from_millis(100));
            }
            if group_members(group).is_some_and(|members| !members.is_empty()) {
                eprintln!(
                    "run: {name} did not stop within {} s of SIGTERM, sending SIGKILL",
                    STOP_GRACE.as_secs()
                );
                signal_group(group, "KILL");
                thread::sleep(Duration::from_millis(500));
            }
            let status = child
                .wait()
                .map_or_else(|err| err.to_string(), |status| status.to_string());

            match group_members(group) {
                Some(members) if !members.is_empty() => {
                    leftovers.push(format!("{name}: {}", members.join(", ")))
                }
                Some(_) => eprintln!(
                    "run: stopped {name} (pid {group}, {status}); no process of its group is left"
                ),
                None => eprintln!("run: stopped {name} (pid {group}, {status})"),
            }
        }

        if leftovers.is_empty() {
            Ok(())
        } else {
            Err(Failure::new(
                "stop",
                format!(
                    "processes still running after SIGKILL: {}",
                    leftovers.join("; ")
                ),
            )
            .with_hint("kill -KILL <pid>"))
        }
    }
}

fn signal_group(group: u32, signal: &str) {
    let _ = Command::new("kill")
        .args(["-s", signal, "--", &format!("-{group}")])
        .stderr(Stdio::null())
        .status();
}

/// Lists the live processes (not zombies) in process group `group` as `pid (name)`, from
/// `/proc`; `None` where `/proc` cannot be read.
fn group_members(group: u32) -> Option<Vec<String>> {
    let mut members = Vec::new();
    for entry in fs::read_dir("/proc").ok()?.flatten() {
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // Format: `pid (comm) state ppid pgrp ...`; comm may contain spaces and parentheses,
        // so the fields are counted from the last `)`.
        let Some((head, tail)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = tail.split_whitespace().collect();
        let (Some(state), Some(pgrp)) = (fields.first(), fields.get(2)) else {
            continue;
        };
        if *pgrp == group.to_string() && *state != "Z" && *state != "X" {
            let comm = head.split_once('(').map_or("?", |(_, comm)| comm);
            members.push(format!("{} ({comm})", entry.file_name().to_string_lossy()));
        }
    }
    Some(members)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAB_LINE: &str = r#"{"login_server":"127.0.0.1:5000","scheme":"http","storage":"127.0.0.1:5001","control":"http://127.0.0.1:5100","arm_url":"http://127.0.0.1:39339","ca_pem":"/tmp/ca.pem","admin":{"username":"admin","password":"pw"},"token_user":{"username":"t","password":"tp"},"repository":"hello-world","tag":"latest"}"#;

    #[test]
    fn lab_line_parsed() {
        let demo = DemoRegistry::parse(LAB_LINE).expect("valid line");
        assert_eq!(demo.login_server, "127.0.0.1:5000");
        assert_eq!(demo.control, "http://127.0.0.1:5100");
        assert_eq!(demo.arm_url, "http://127.0.0.1:39339");
        assert_eq!(demo.admin_username, "admin");
        assert_eq!(demo.registry_input(), "http://127.0.0.1:5000");
    }

    #[test]
    fn lab_line_missing_field() {
        let failure =
            DemoRegistry::parse(r#"{"scheme":"http"}"#).expect_err("login_server is missing");
        assert!(
            failure.detail.contains("/login_server"),
            "{}",
            failure.detail
        );
    }

    #[test]
    fn page_url_keeps_fragment_last() {
        let url = page_url("http://127.0.0.1:8765/#pair=abc", "http://127.0.0.1:5000");
        assert_eq!(
            url,
            "http://127.0.0.1:8765/?registry=http%3A%2F%2F127.0.0.1%3A5000#pair=abc"
        );
    }

    #[test]
    fn page_url_without_fragment() {
        assert_eq!(
            page_url("http://127.0.0.1:8765/", "r.test"),
            "http://127.0.0.1:8765/?registry=r.test"
        );
    }

    #[test]
    fn early_exit_names_missing_piece() {
        // A program that exits without its ready line, as an unimplemented `lab up` would.
        let mut children = Children::default();
        let mut command = Command::new("sh");
        command.args(["-c", "echo not ready; exit 3"]);
        let lines = children.spawn("lab", &mut command).expect("sh starts");
        let stop = AtomicBool::new(false);

        let failure = wait_for_line(
            "lab",
            "`lab up` (the demo registry)",
            &lines,
            &stop,
            &mut children,
            Duration::from_secs(10),
            |line| line.starts_with('{'),
        )
        .expect_err("no JSON line was printed");

        assert!(
            failure
                .detail
                .contains("`lab up` (the demo registry) exited"),
            "{}",
            failure.detail
        );
        assert!(
            failure.detail.contains("exit status: 3"),
            "{}",
            failure.detail
        );
        children.stop_all().expect("nothing is left to stop");
    }

    #[test]
    fn stop_all_ends_whole_group() {
        // A shell that starts a grandchild: both share the shell's new process group.
        let mut children = Children::default();
        let mut command = Command::new("sh");
        command.args(["-c", "sleep 60 & echo started; wait"]);
        let lines = children.spawn("sleeper", &mut command).expect("sh starts");
        assert_eq!(
            lines.recv_timeout(Duration::from_secs(10)).as_deref(),
            Ok("started")
        );
        let group = children.running[0].1.id();
        assert_eq!(group_members(group).map(|members| members.len()), Some(2));

        children.stop_all().expect("the group stops");

        assert_eq!(group_members(group), Some(Vec::new()));
    }
}
