//! The pull check with a real daemon: a private dockerd (vfs storage, no networking setup) on
//! its own socket pulls the lab's seeded image through Debian's Docker client.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use acr_health_core::rules::environment::{EnvironmentFinding, ImageRef};
use acr_health_core::{CheckId, CheckResult, Finding, Status};
use acr_health_helper::command::HostEnv;
use acr_health_helper::environment::{run_checks, EnvironmentOptions};
use acr_health_lab::{Lab, LabConfig, Scenario};

/// The Docker client that matches Debian's dockerd.
const CLIENT: &str = "/usr/bin/docker";

/// A dockerd on a socket of its own, stopped by its PID when dropped.
struct Daemon {
    process: Child,
    root: PathBuf,
}

impl Daemon {
    fn start(name: &str) -> Daemon {
        let root = std::env::temp_dir().join(format!(
            "acr-health-helper-dockerd-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).expect("create the daemon's root");
        let log = std::fs::File::create(root.join("dockerd.log")).expect("create the log");
        let process = Command::new("dockerd")
            .args([
                "--storage-driver=vfs",
                "--iptables=false",
                "--ip-masq=false",
                "--bridge=none",
            ])
            .arg(format!(
                "--host=unix://{}",
                root.join("docker.sock").display()
            ))
            .arg(format!("--data-root={}", root.join("data").display()))
            .arg(format!("--exec-root={}", root.join("exec").display()))
            .arg(format!("--pidfile={}", root.join("docker.pid").display()))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("clone the log handle"))
            .stderr(log)
            .spawn()
            .expect("dockerd starts");
        let daemon = Daemon { process, root };

        let started = Instant::now();
        while !daemon.socket().exists() || !daemon.answers() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "dockerd did not answer within 60 s; log in {}",
                daemon.root.join("dockerd.log").display()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        daemon
    }

    fn socket(&self) -> PathBuf {
        self.root.join("docker.sock")
    }

    fn answers(&self) -> bool {
        Command::new(CLIENT)
            .arg("-H")
            .arg(format!("unix://{}", self.socket().display()))
            .args(["version", "--format", "{{.Server.Version}}"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    }

    /// Returns the environment the checks run the client in: this daemon, a config folder of its own.
    fn host_env(&self) -> HostEnv {
        HostEnv {
            path: Some("/usr/bin:/bin".into()),
            overrides: vec![("DOCKER_COMMAND".to_owned(), CLIENT.to_owned())],
            extra: vec![
                (
                    "DOCKER_HOST".to_owned(),
                    format!("unix://{}", self.socket().display()),
                ),
                (
                    "DOCKER_CONFIG".to_owned(),
                    self.root.join("config").display().to_string(),
                ),
            ],
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        // SIGTERM lets dockerd stop its containerd; SIGKILL only if it does not exit in time.
        let pid = self.process.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if let Ok(Some(_)) = self.process.try_wait() {
                let _ = std::fs::remove_dir_all(&self.root);
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

async fn collect(env: &HostEnv, options: &EnvironmentOptions) -> Vec<CheckResult> {
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
    run_checks(env, options, &sender).await;
    drop(sender);
    let mut results = Vec::new();
    while let Some(result) = receiver.recv().await {
        results.push(result);
    }
    results
}

fn find(results: &[CheckResult], check: CheckId) -> &CheckResult {
    results
        .iter()
        .find(|r| r.check == check)
        .unwrap_or_else(|| panic!("no {check:?} in {results:#?}"))
}

fn image(lab: &Lab) -> ImageRef {
    ImageRef::parse(&format!(
        "{}/{}:{}",
        lab.login_server(),
        lab.repository(),
        lab.tag()
    ))
    .expect("the lab's image reference is valid")
}

fn assert_path_exists(path: &Path) {
    assert!(path.exists(), "{} is missing", path.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_from_lab_with_consent() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    lab.set_scenario(Scenario::AnonymousPull)
        .expect("plain HTTP serves it");
    let daemon = Daemon::start("pull");
    assert_path_exists(&daemon.socket());

    let options = EnvironmentOptions {
        pull: Some(image(&lab)),
        ..EnvironmentOptions::default()
    };
    let results = collect(&daemon.host_env(), &options).await;

    assert_eq!(find(&results, CheckId::DockerDaemon).status, Status::Pass);
    let pull = find(&results, CheckId::DockerPull);
    assert_ne!(pull.status, Status::Fail, "{pull:#?}");
    assert!(matches!(
        &pull.finding,
        Finding::Environment(
            EnvironmentFinding::Pulled { .. } | EnvironmentFinding::PullPlatformMismatch { .. }
        )
    ));
    assert!(
        pull.evidence.iter().any(|e| e.label == "host_platform"),
        "{pull:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_hanging_registry_killed() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    lab.set_scenario(Scenario::Hang)
        .expect("plain HTTP serves it");
    let daemon = Daemon::start("hang");

    let options = EnvironmentOptions {
        pull: Some(image(&lab)),
        pull_timeout: Duration::from_secs(3),
        ..EnvironmentOptions::default()
    };
    let started = Instant::now();
    let results = collect(&daemon.host_env(), &options).await;
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );

    let pull = find(&results, CheckId::DockerPull);
    assert_eq!(pull.status, Status::Fail, "{pull:#?}");
    assert!(
        matches!(
            &pull.finding,
            Finding::Environment(EnvironmentFinding::PullTimedOut { after_ms: 3000, .. })
        ),
        "{pull:#?}"
    );
}
