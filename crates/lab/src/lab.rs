//! Starting and stopping a whole lab: listeners, distribution, the servers and the seed image.

use std::net::{Ipv4Addr, SocketAddr, TcpListener as StdListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;

use anyhow::{anyhow, bail, Context as _};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use ring::rand::SystemRandom;
use serde_json::json;

use crate::arm::scenario::ArmScenario;
use crate::auth::Credentials;
use crate::context::Context;
use crate::distribution::{self, DistributionConfig};
use crate::process::Supervised;
use crate::scenario::Scenario;
use crate::state::{Current, NeedsTls, Settings};
use crate::tls::TlsMaterial;
use crate::token::{random_hex, Signer};
use crate::{arm, control, front, seed, server, storage};

/// The repository and tag of the seed image.
pub const SEED_REPOSITORY: &str = "hello-world";
pub const SEED_TAG: &str = "latest";

/// How many ports distribution is tried on before the start fails.
const DISTRIBUTION_ATTEMPTS: u32 = 3;

/// Whether the login server and the storage listener speak TLS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    PlainHttp,
    Tls,
}

/// How to start a lab. The defaults suit tests: ephemeral ports, plain HTTP, a temporary state
/// directory removed on drop, the `healthy` scenario and the ARM scenario `found`.
#[derive(Clone, Debug)]
pub struct LabConfig {
    pub scenario: Scenario,
    /// The registry state the ARM listener describes.
    pub arm_scenario: ArmScenario,
    pub mode: Mode,
    /// Delay before every response, in milliseconds.
    pub latency_ms: u64,
    /// Clock offset in minutes for the `clock-skew` scenario.
    pub skew_minutes: i64,
    /// Ports on 127.0.0.1; 0 picks an ephemeral port.
    pub login_port: u16,
    pub storage_port: u16,
    pub control_port: u16,
    /// The ARM listener's port on 127.0.0.1; it always serves plain HTTP.
    pub arm_port: u16,
    /// Directory for config, storage, CA and logs. `None` makes a temporary directory that is
    /// removed when the lab is dropped. A given directory is kept.
    pub state_dir: Option<PathBuf>,
}

impl Default for LabConfig {
    fn default() -> Self {
        Self {
            scenario: Scenario::Healthy,
            arm_scenario: ArmScenario::default(),
            mode: Mode::PlainHttp,
            latency_ms: 0,
            skew_minutes: 0,
            login_port: 0,
            storage_port: 0,
            control_port: 0,
            arm_port: 0,
            state_dir: None,
        }
    }
}

/// A running lab. Dropping it stops the servers and kills distribution by PID.
pub struct Lab {
    context: Arc<Context>,
    login: SocketAddr,
    storage: SocketAddr,
    control: SocketAddr,
    arm: SocketAddr,
    state_dir: PathBuf,
    ca_pem_path: PathBuf,
    cert_dir: PathBuf,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    runtime_thread: Option<JoinHandle<()>>,
    distribution: Option<Supervised>,
    /// Held so that a temporary state directory lives as long as the lab.
    _temporary: Option<tempfile::TempDir>,
    /// A bound socket that never listens, so its port refuses connections and stays reserved.
    _refused_socket: tokio::net::TcpSocket,
}

impl Lab {
    /// Starts distribution, the login server, the storage listener, the control API and the ARM
    /// listener, pushes the seed image, then switches to the configured scenarios.
    ///
    /// Errors name the value at fault: a port that is taken, a TLS scenario without TLS mode, a
    /// missing program and what to install.
    pub fn start(config: LabConfig) -> anyhow::Result<Lab> {
        let started = Instant::now();
        let tls = config.mode == Mode::Tls;
        let requested = Current {
            scenario: config.scenario,
            latency_ms: config.latency_ms,
            skew_minutes: config.skew_minutes,
        };
        if requested.scenario.needs_tls() && !tls {
            return Err(NeedsTls(requested.scenario.name()).into());
        }

        // Bind first, so a port clash is reported before anything starts.
        let login_listener = bind("login", config.login_port)?;
        let storage_listener = bind("storage", config.storage_port)?;
        let control_listener = bind("control", config.control_port)?;
        let arm_listener = bind("ARM", config.arm_port)?;
        let login = login_listener.local_addr()?;
        let storage = storage_listener.local_addr()?;
        let control = control_listener.local_addr()?;
        let arm = arm_listener.local_addr()?;
        let refused_socket = reserve_refusing_port()?;
        let refused_port = refused_socket.local_addr()?.port();

        let (state_dir, temporary) = match &config.state_dir {
            Some(dir) => {
                std::fs::create_dir_all(dir).with_context(|| {
                    format!("creating the state directory {} failed", dir.display())
                })?;
                (dir.clone(), None)
            }
            None => {
                let temporary = tempfile::Builder::new()
                    .prefix("acr-health-lab-")
                    .tempdir()?;
                (temporary.path().to_path_buf(), Some(temporary))
            }
        };

        // Keys, certificates and the files clients and distribution read.
        let rng = SystemRandom::new();
        let material = Arc::new(TlsMaterial::generate()?);
        let registry_signer = Signer::generate("acr-health lab token signing")?;
        let aad_signer = Signer::generate("acr-health lab AAD")?;
        let ca_pem_path = state_dir.join("ca.pem");
        std::fs::write(&ca_pem_path, &material.ca_pem)?;
        let cert_dir = state_dir.join("certs.d");
        std::fs::create_dir_all(&cert_dir)?;
        std::fs::write(cert_dir.join("ca.crt"), &material.ca_pem)?;
        let bundle_path = state_dir.join("token-signing.pem");
        std::fs::write(&bundle_path, &registry_signer.certificate_pem)?;
        let storage_root = state_dir.join("storage");
        std::fs::create_dir_all(&storage_root)?;

        let scheme = if tls { "https" } else { "http" };
        let service = login.to_string();
        let login_base = format!("{scheme}://{login}");
        let realm = format!("{login_base}/oauth2/token");
        let http_secret = random_hex(&rng, 16);

        // distribution binds a port picked a moment earlier; when another process takes it in
        // between, distribution exits, so try again with a fresh port.
        let mut attempt = 1;
        let (distribution, distribution_addr) = loop {
            let addr = format!("127.0.0.1:{}", free_port()?);
            let config = DistributionConfig {
                addr: &addr,
                storage_root: &storage_root,
                realm: &realm,
                service: &service,
                root_cert_bundle: &bundle_path,
                http_secret: &http_secret,
            };
            match distribution::start(&state_dir, &config) {
                Ok(process) => break (process, addr),
                Err(error) if attempt < DISTRIBUTION_ATTEMPTS => {
                    tracing::warn!(cause = %error, attempt, "distribution did not start, retrying on another port");
                    attempt += 1;
                }
                Err(error) => return Err(error),
            }
        };

        let healthy = Current {
            scenario: Scenario::Healthy,
            latency_ms: 0,
            skew_minutes: 0,
        };
        let settings = Arc::new(Settings::new(healthy, tls)?);
        let context = Arc::new(Context {
            settings: settings.clone(),
            registry_signer,
            aad_signer,
            admin: Credentials {
                username: "acrhealthlab".to_string(),
                password: random_hex(&rng, 20),
            },
            token_user: Credentials {
                username: "pull-token".to_string(),
                password: random_hex(&rng, 20),
            },
            repository: SEED_REPOSITORY.to_string(),
            service,
            scheme,
            login_base,
            storage_base: format!("{scheme}://{storage}"),
            arm_base: format!("http://{arm}"),
            refused_base: format!("{scheme}://127.0.0.1:{refused_port}"),
            distribution: distribution_addr.clone(),
            storage_root,
            url_key: ring::hmac::Key::generate(ring::hmac::HMAC_SHA256, &rng)
                .map_err(|_| anyhow!("generating the URL signing key failed"))?,
            client: Client::builder(TokioExecutor::new()).build_http(),
            rng,
        });

        let server_config = if tls {
            Some(material.server_config(settings.clone())?)
        } else {
            None
        };
        let (shutdown, runtime_thread) = spawn_servers(
            context.clone(),
            [
                login_listener,
                storage_listener,
                control_listener,
                arm_listener,
            ],
            server_config,
        )?;

        let lab = Lab {
            context,
            login,
            storage,
            control,
            arm,
            state_dir,
            ca_pem_path,
            cert_dir,
            shutdown: Some(shutdown),
            runtime_thread: Some(runtime_thread),
            distribution: Some(distribution),
            _temporary: temporary,
            _refused_socket: refused_socket,
        };

        // Seed while the scenario is still healthy; `lab` is dropped (and stopped) on error.
        let layout = seed::write_layout(&lab.state_dir.join("seed-image"))?;
        let transport = if tls {
            seed::Transport::Tls {
                cert_dir: &lab.cert_dir,
            }
        } else {
            seed::Transport::PlainHttp
        };
        seed::push(
            &layout,
            &lab.login_server(),
            SEED_REPOSITORY,
            SEED_TAG,
            &lab.context.admin,
            transport,
        )?;
        lab.set(requested)?;
        lab.set_arm_scenario(config.arm_scenario);

        tracing::info!(
            login_server = %lab.login, storage = %lab.storage, control = %lab.control, arm = %lab.arm,
            scenario = %requested.scenario, arm_scenario = %config.arm_scenario, elapsed_ms = started.elapsed().as_millis() as u64, "lab is up"
        );
        Ok(lab)
    }

    /// Returns the login server as `127.0.0.1:PORT`.
    pub fn login_server(&self) -> String {
        self.login.to_string()
    }

    /// Returns the login server's base URL, `http://127.0.0.1:PORT` or `https://...`.
    pub fn base_url(&self) -> String {
        self.context.login_base.clone()
    }

    /// Returns `http` or `https`.
    pub fn scheme(&self) -> &'static str {
        self.context.scheme
    }

    /// Returns the storage listener's address.
    pub fn storage_addr(&self) -> SocketAddr {
        self.storage
    }

    /// Returns the control API's base URL.
    pub fn control_url(&self) -> String {
        format!("http://{}", self.control)
    }

    /// Returns the ARM listener's base URL, `http://127.0.0.1:PORT`, for the checks' ARM URL
    /// setting.
    pub fn arm_url(&self) -> String {
        self.context.arm_base.clone()
    }

    /// Returns the path of the lab CA in PEM; clients must trust it in TLS mode.
    pub fn ca_pem_path(&self) -> &Path {
        &self.ca_pem_path
    }

    /// Returns a directory holding the CA as `ca.crt`, the layout skopeo's `--cert-dir` and
    /// Docker's `certs.d/<host>` want.
    pub fn cert_dir(&self) -> &Path {
        &self.cert_dir
    }

    /// Returns the state directory (config, storage, CA, distribution's log).
    pub fn state_dir(&self) -> &Path {
        &self.state_dir
    }

    pub fn admin(&self) -> &Credentials {
        &self.context.admin
    }

    pub fn token_user(&self) -> &Credentials {
        &self.context.token_user
    }

    pub fn repository(&self) -> &str {
        SEED_REPOSITORY
    }

    pub fn tag(&self) -> &str {
        SEED_TAG
    }

    /// Returns the PID of the distribution process, if it is running.
    pub fn distribution_pid(&self) -> Option<u32> {
        self.distribution.as_ref().map(Supervised::pid)
    }

    /// Switches to `scenario` with no latency and no skew.
    pub fn set_scenario(&self, scenario: Scenario) -> Result<(), NeedsTls> {
        self.set(Current {
            scenario,
            latency_ms: 0,
            skew_minutes: 0,
        })
    }

    /// Switches to the scenario called `name` (as `lab list` prints it) with no latency and no
    /// skew. Errors name the value when it is unknown or needs TLS mode.
    pub fn set_scenario_named(&self, name: &str) -> anyhow::Result<()> {
        let scenario: Scenario = name.parse()?;
        self.set_scenario(scenario)?;
        Ok(())
    }

    /// Replaces scenario, latency and skew at once.
    pub fn set(&self, settings: Current) -> Result<(), NeedsTls> {
        self.context.settings.set(settings)?;
        tracing::info!(scenario = %settings.scenario, latency_ms = settings.latency_ms, skew_minutes = settings.skew_minutes, "scenario switched");
        Ok(())
    }

    /// Returns the settings in force.
    pub fn current(&self) -> Current {
        self.context.settings.current()
    }

    /// Switches what the ARM listener describes; the registry scenario stays.
    pub fn set_arm_scenario(&self, scenario: ArmScenario) {
        self.context.settings.set_arm(scenario);
        tracing::info!(arm_scenario = %scenario, "ARM scenario switched");
    }

    /// Switches to the ARM scenario called `name` (as `lab list` prints it). Errors name the
    /// value when it is unknown.
    pub fn set_arm_scenario_named(&self, name: &str) -> anyhow::Result<()> {
        self.set_arm_scenario(name.parse()?);
        Ok(())
    }

    /// Returns the ARM scenario in force.
    pub fn arm_scenario(&self) -> ArmScenario {
        self.context.settings.arm()
    }

    /// Returns a lab-signed ARM access token for the lab's tenant, which the ARM listener
    /// accepts (or rejects as expired).
    pub fn arm_token(&self, expired: bool) -> String {
        self.arm_token_for(crate::context::ARM_AUDIENCE, expired)
    }

    /// Returns a lab-signed ARM access token with `audience` as its `aud` claim, which the ARM
    /// listener rejects unless it is one of [`arm::ALLOWED_AUDIENCES`].
    pub fn arm_token_for(&self, audience: &str, expired: bool) -> String {
        self.context.arm_token(
            arm::resources::TENANT_ID,
            &control::default_object_id(),
            audience,
            expired,
        )
    }

    /// Returns a lab-signed "AAD" access token that the exchange accepts (or rejects as expired).
    pub fn aad_token(&self, tenant: &str, object_id: &str, expired: bool) -> String {
        self.context.aad_token(tenant, object_id, expired)
    }

    /// Returns the JSON that `lab up` prints once the lab is ready.
    pub fn summary(&self) -> serde_json::Value {
        json!({
            "login_server": self.login_server(),
            "scheme": self.scheme(),
            "storage": self.storage.to_string(),
            "control": self.control_url(),
            "arm_url": self.arm_url(),
            "arm_scenario": self.arm_scenario().name(),
            "ca_pem": self.ca_pem_path,
            "admin": self.admin(),
            "token_user": self.token_user(),
            "repository": SEED_REPOSITORY,
            "tag": SEED_TAG,
        })
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.runtime_thread.take() {
            if thread.join().is_err() {
                tracing::warn!("the lab's server thread panicked");
            }
        }
        // Dropping the handle kills distribution by PID and reaps it.
        self.distribution.take();
        tracing::info!(login_server = %self.login, "lab stopped");
    }
}

/// Binds `127.0.0.1:port`, naming the port and its role when it is taken.
fn bind(role: &str, port: u16) -> anyhow::Result<StdListener> {
    let listener = StdListener::bind((Ipv4Addr::LOCALHOST, port)).map_err(|error| {
        anyhow!("the {role} port {port} on 127.0.0.1 is not available ({error}); choose another port, or 0 for an ephemeral one")
    })?;
    listener.set_nonblocking(true)?;
    Ok(listener)
}

/// Binds a loopback port without listening on it: connections to it are refused, and no other
/// process can take the port while the socket is held.
fn reserve_refusing_port() -> anyhow::Result<tokio::net::TcpSocket> {
    let socket = tokio::net::TcpSocket::new_v4().context("creating a socket failed")?;
    socket
        .bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .context("binding an ephemeral loopback port failed")?;
    Ok(socket)
}

/// Returns a loopback port that was free a moment ago. Another process may take it before it is
/// used; for distribution that shows as a start failure naming the address.
fn free_port() -> anyhow::Result<u16> {
    let listener = StdListener::bind((Ipv4Addr::LOCALHOST, 0))
        .context("binding an ephemeral loopback port failed")?;
    Ok(listener.local_addr()?.port())
}

/// Runs the four servers on a runtime in their own thread, so the lab works from synchronous
/// and asynchronous tests alike. Returns the shutdown sender and the thread handle.
fn spawn_servers(
    context: Arc<Context>,
    [login, storage, control, arm]: [StdListener; 4],
    tls: Option<Arc<rustls::ServerConfig>>,
) -> anyhow::Result<(tokio::sync::oneshot::Sender<()>, JoinHandle<()>)> {
    let (shutdown, shutdown_signal) = tokio::sync::oneshot::channel::<()>();
    let (ready, ready_signal) = std::sync::mpsc::channel::<anyhow::Result<()>>();
    let thread = std::thread::Builder::new()
        .name("acr-health-lab".to_string())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(error) => {
                    let _ = ready.send(Err(anyhow!("building the lab's runtime failed: {error}")));
                    return;
                }
            };
            runtime.block_on(async move {
                let listeners = (|| -> std::io::Result<_> {
                    Ok((
                        tokio::net::TcpListener::from_std(login)?,
                        tokio::net::TcpListener::from_std(storage)?,
                        tokio::net::TcpListener::from_std(control)?,
                        tokio::net::TcpListener::from_std(arm)?,
                    ))
                })();
                let (login, storage, control, arm) = match listeners {
                    Ok(listeners) => listeners,
                    Err(error) => {
                        let _ = ready.send(Err(anyhow!(
                            "registering the lab's listeners failed: {error}"
                        )));
                        return;
                    }
                };
                tokio::spawn(server::serve(
                    "login",
                    login,
                    front::app(context.clone()),
                    tls.clone(),
                ));
                tokio::spawn(server::serve(
                    "storage",
                    storage,
                    storage::app(context.clone()),
                    tls,
                ));
                tokio::spawn(server::serve(
                    "control",
                    control,
                    control::app(context.clone()),
                    None,
                ));
                tokio::spawn(server::serve("arm", arm, arm::app(context), None));
                let _ = ready.send(Ok(()));
                let _ = shutdown_signal.await;
            });
            // Hung and dripping responses never finish on their own, so drop them with the runtime.
            runtime.shutdown_background();
        })?;
    match ready_signal.recv() {
        Ok(Ok(())) => Ok((shutdown, thread)),
        Ok(Err(error)) => Err(error),
        Err(_) => bail!("the lab's server thread ended before it was ready"),
    }
}
