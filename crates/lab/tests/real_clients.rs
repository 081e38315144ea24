//! Real clients against the lab: skopeo inspects and copies with the lab's credentials and CA,
//! and a private dockerd logs in and pulls through it.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use acr_health_lab::auth::NULL_GUID;
use acr_health_lab::{Lab, LabConfig, Mode, Scenario};
use common::{require_program, Call};

fn skopeo(args: &[&str]) -> Output {
    let program = require_program("skopeo", "skopeo");
    Command::new(program)
        .arg("--insecure-policy")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("skopeo runs")
}

fn assert_success(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed with {}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

fn image(lab: &Lab) -> String {
    format!(
        "docker://{}/{}:{}",
        lab.login_server(),
        lab.repository(),
        lab.tag()
    )
}

#[test]
fn skopeo_inspect_with_token_user() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    let creds = format!(
        "{}:{}",
        lab.token_user().username,
        lab.token_user().password
    );
    let output = skopeo(&[
        "inspect",
        "--tls-verify=false",
        "--creds",
        &creds,
        &image(&lab),
    ]);
    assert_success(&output, "skopeo inspect");
    let inspected: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(inspected["RepoTags"], serde_json::json!(["latest"]));
    assert_eq!(inspected["Os"], "linux");
}

#[test]
fn skopeo_rejects_wrong_password() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    let creds = format!("{}:wrong", lab.admin().username);
    let output = skopeo(&[
        "inspect",
        "--tls-verify=false",
        "--creds",
        &creds,
        &image(&lab),
    ]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("401") || stderr.to_lowercase().contains("unauthorized"),
        "{stderr}"
    );
}

#[test]
fn skopeo_copy_over_tls_with_lab_ca() {
    let lab = Lab::start(LabConfig {
        mode: Mode::Tls,
        ..LabConfig::default()
    })
    .expect("the TLS lab starts");
    let out = tempfile::tempdir().unwrap();
    let creds = format!("{}:{}", lab.admin().username, lab.admin().password);
    let destination = format!("dir:{}", out.path().display());
    let cert_dir = lab.cert_dir().to_string_lossy().into_owned();

    let output = skopeo(&[
        "copy",
        "--src-cert-dir",
        &cert_dir,
        "--src-creds",
        &creds,
        &image(&lab),
        &destination,
    ]);
    assert_success(&output, "skopeo copy");
    assert!(out.path().join("manifest.json").exists());

    // Without the CA the same copy fails on the certificate.
    let output = skopeo(&["copy", "--src-creds", &creds, &image(&lab), &destination]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("certificate"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn skopeo_copy_with_refresh_token_and_blocked_storage() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");

    // Get a refresh token through the exchange, as `az acr login --expose-token` would.
    let aad = lab.aad_token("tenant-1", "object-1", false);
    let exchange = Call::post_form(
        format!("{}/oauth2/exchange", lab.base_url()),
        &[
            ("grant_type", "access_token"),
            ("service", &lab.login_server()),
            ("access_token", &aad),
        ],
    )
    .send()
    .await
    .unwrap();
    let refresh = exchange.json()["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();
    let creds = format!("{NULL_GUID}:{refresh}");
    let out = tempfile::tempdir().unwrap();
    let destination = format!("dir:{}", out.path().display());

    let output = skopeo(&[
        "copy",
        "--src-tls-verify=false",
        "--src-creds",
        &creds,
        &image(&lab),
        &destination,
    ]);
    assert_success(&output, "skopeo copy with a refresh token");

    // Login still works when storage is blocked, but the blobs do not come.
    lab.set_scenario(Scenario::Storage403).unwrap();
    let raw = skopeo(&[
        "inspect",
        "--raw",
        "--tls-verify=false",
        "--creds",
        &creds,
        &image(&lab),
    ]);
    assert_success(&raw, "skopeo inspect --raw");
    let second = tempfile::tempdir().unwrap();
    let destination = format!("dir:{}", second.path().display());
    let output = skopeo(&[
        "copy",
        "--src-tls-verify=false",
        "--src-creds",
        &creds,
        &image(&lab),
        &destination,
    ]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("403"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Returns a refresh token from the exchange, as `az acr login --expose-token` prints one.
fn refresh_token(lab: &Lab) -> String {
    let aad = lab.aad_token("tenant-1", "object-1", false);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let exchange = runtime
        .block_on(
            Call::post_form(
                format!("{}/oauth2/exchange", lab.base_url()),
                &[
                    ("grant_type", "access_token"),
                    ("service", &lab.login_server()),
                    ("access_token", &aad),
                ],
            )
            .send(),
        )
        .unwrap();
    exchange.json()["refresh_token"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn skopeo_push_needs_push_action() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    let source = image(&lab);
    let target = format!("docker://{}/copied/hello:1", lab.login_server());
    let admin = format!("{}:{}", lab.admin().username, lab.admin().password);
    let token_user = format!(
        "{}:{}",
        lab.token_user().username,
        lab.token_user().password
    );

    // The token user's token lacks push, and distribution rejects the upload.
    let denied = skopeo(&[
        "copy",
        "--src-tls-verify=false",
        "--dest-tls-verify=false",
        "--src-creds",
        &admin,
        "--dest-creds",
        &token_user,
        &source,
        &target,
    ]);
    assert!(!denied.status.success(), "the token user pushed");
    let stderr = String::from_utf8_lossy(&denied.stderr).to_lowercase();
    assert!(
        stderr.contains("unauthorized") || stderr.contains("denied"),
        "{stderr}"
    );

    let pushed = skopeo(&[
        "copy",
        "--src-tls-verify=false",
        "--dest-tls-verify=false",
        "--src-creds",
        &admin,
        "--dest-creds",
        &admin,
        &source,
        &target,
    ]);
    assert_success(&pushed, "skopeo copy as admin");
    let inspected = skopeo(&[
        "inspect",
        "--raw",
        "--tls-verify=false",
        "--creds",
        &admin,
        &target,
    ]);
    assert_success(&inspected, "skopeo inspect of the copy");
}

/// A dockerd on its own socket and data root, stopped by PID on drop.
struct Dockerd {
    child: Child,
    root: tempfile::TempDir,
    client: PathBuf,
}

impl Dockerd {
    fn start() -> Self {
        let dockerd = require_program("dockerd", "docker.io");
        // Debian's client matches Debian's daemon; /usr/local/bin/docker may be a newer one.
        let client = [Path::new("/usr/bin/docker").to_path_buf()]
            .into_iter()
            .find(|path| path.is_file())
            .unwrap_or_else(|| require_program("docker", "docker.io"));
        let root = tempfile::Builder::new()
            .prefix("acr-health-dockerd-")
            .tempdir()
            .unwrap();
        let log = std::fs::File::create(root.path().join("dockerd.log")).unwrap();
        let child = Command::new(dockerd)
            .args([
                "--storage-driver=vfs",
                "--iptables=false",
                "--bridge=none",
                "--ip-masq=false",
            ])
            .arg(format!(
                "--host=unix://{}",
                root.path().join("docker.sock").display()
            ))
            .arg(format!(
                "--data-root={}",
                root.path().join("data").display()
            ))
            .arg(format!(
                "--exec-root={}",
                root.path().join("exec").display()
            ))
            .arg(format!(
                "--pidfile={}",
                root.path().join("docker.pid").display()
            ))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("dockerd starts");
        let daemon = Self {
            child,
            root,
            client,
        };

        let started = Instant::now();
        loop {
            if daemon
                .docker(&["version", "--format", "{{.Server.Version}}"])
                .status
                .success()
            {
                return daemon;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "dockerd did not answer within 60 s; see {}",
                daemon.log()
            );
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.root.path().join("dockerd.log")).unwrap_or_default()
    }

    fn docker(&self, args: &[&str]) -> Output {
        Command::new(&self.client)
            .env("DOCKER_CONFIG", self.root.path().join("config"))
            .arg("-H")
            .arg(format!(
                "unix://{}",
                self.root.path().join("docker.sock").display()
            ))
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("the docker client runs")
    }

    fn login(&self, server: &str, username: &str, password: &str) -> Output {
        let mut child = Command::new(&self.client)
            .env("DOCKER_CONFIG", self.root.path().join("config"))
            .arg("-H")
            .arg(format!(
                "unix://{}",
                self.root.path().join("docker.sock").display()
            ))
            .args(["login", server, "--username", username, "--password-stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(password.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }
}

impl Drop for Dockerd {
    fn drop(&mut self) {
        // SIGTERM lets dockerd stop the containerd it started; SIGKILL only if it hangs.
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn docker_login_and_pull() {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    let daemon = Dockerd::start();
    let reference = format!("{}/{}:{}", lab.login_server(), lab.repository(), lab.tag());

    let login = daemon.login(
        &lab.login_server(),
        &lab.admin().username,
        &lab.admin().password,
    );
    assert_success(&login, "docker login");

    let pull = daemon.docker(&["pull", &reference]);
    assert_success(&pull, "docker pull");
    let images = daemon.docker(&["image", "inspect", "--format", "{{.Os}}", &reference]);
    assert_success(&images, "docker image inspect");
    assert_eq!(String::from_utf8_lossy(&images.stdout).trim(), "linux");

    // The null GUID with a refresh token from the exchange logs in and pulls too.
    let refresh = refresh_token(&lab);
    assert_success(
        &daemon.docker(&["image", "rm", &reference]),
        "docker image rm",
    );
    assert_success(
        &daemon.login(&lab.login_server(), NULL_GUID, &refresh),
        "docker login with a refresh token",
    );
    assert_success(
        &daemon.docker(&["pull", &reference]),
        "docker pull with a refresh token",
    );

    // With storage blocked, login still succeeds and the pull fails.
    lab.set_scenario(Scenario::Storage403).unwrap();
    assert_success(
        &daemon.docker(&["image", "rm", &reference]),
        "docker image rm",
    );
    let login = daemon.login(
        &lab.login_server(),
        &lab.token_user().username,
        &lab.token_user().password,
    );
    assert_success(&login, "docker login with the token user");
    let pull = daemon.docker(&["pull", &reference]);
    assert!(
        !pull.status.success(),
        "pull succeeded with storage blocked"
    );
}
