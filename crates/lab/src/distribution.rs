//! CNCF distribution (Debian's `docker-registry`): its configuration file and its process.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};

use crate::process::Supervised;
use crate::token::REGISTRY_ISSUER;

/// The program the lab runs as its registry.
pub const PROGRAM: &str = "docker-registry";

/// How long distribution may take to respond with its challenge.
const START_TIMEOUT: Duration = Duration::from_secs(15);

/// The values the configuration file needs.
pub struct DistributionConfig<'a> {
    /// `127.0.0.1:PORT` distribution listens on.
    pub addr: &'a str,
    /// The filesystem storage root.
    pub storage_root: &'a Path,
    /// The token endpoint clients are sent to: the lab's, not distribution's.
    pub realm: &'a str,
    /// The `service` in challenges and the `aud` tokens must carry.
    pub service: &'a str,
    /// The PEM bundle of certificates whose keys may sign tokens.
    pub root_cert_bundle: &'a Path,
    /// distribution's `http.secret`, which signs its upload state.
    pub http_secret: &'a str,
}

impl DistributionConfig<'_> {
    /// Renders the YAML configuration. Values are quoted as JSON strings, which YAML accepts.
    pub fn render(&self) -> String {
        let quote = |value: &str| serde_json::Value::from(value).to_string();
        let path = |value: &Path| quote(&value.to_string_lossy());
        format!(
            "version: 0.1\n\
             log:\n  level: info\n  formatter: text\n\
             storage:\n  filesystem:\n    rootdirectory: {root}\n  delete:\n    enabled: true\n\
             http:\n  addr: {addr}\n  secret: {secret}\n  headers:\n    X-Content-Type-Options: [nosniff]\n\
             auth:\n  token:\n    realm: {realm}\n    service: {service}\n    issuer: {issuer}\n    rootcertbundle: {bundle}\n",
            root = path(self.storage_root),
            addr = quote(self.addr),
            secret = quote(self.http_secret),
            realm = quote(self.realm),
            service = quote(self.service),
            issuer = quote(REGISTRY_ISSUER),
            bundle = path(self.root_cert_bundle),
        )
    }
}

/// Writes `config.yml` into `state_dir`, starts distribution with it and waits until it responds
/// with its challenge. Its output goes to `distribution.log` in `state_dir`.
pub fn start(state_dir: &Path, config: &DistributionConfig<'_>) -> anyhow::Result<Supervised> {
    let config_path = state_dir.join("config.yml");
    std::fs::write(&config_path, config.render())
        .with_context(|| format!("writing {} failed", config_path.display()))?;
    let log_path = state_dir.join("distribution.log");
    let log = std::fs::File::create(&log_path)
        .with_context(|| format!("creating {} failed", log_path.display()))?;

    let program = find_program(PROGRAM).with_context(|| {
        format!("`{PROGRAM}` was not found on PATH; install the Debian package docker-registry (apt-get install docker-registry)")
    })?;
    let mut command = Command::new(program);
    command
        .arg("serve")
        .arg(&config_path)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    let mut process = Supervised::spawn("distribution", &mut command)?;

    let started = Instant::now();
    loop {
        if answers_with_realm(config) {
            tracing::info!(
                addr = config.addr,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "distribution is up"
            );
            return Ok(process);
        }
        if let Some(status) = process.exited() {
            bail!(
                "distribution exited with {status} before it responded; its log is {}:\n{}",
                log_path.display(),
                tail(&log_path)
            );
        }
        if started.elapsed() > START_TIMEOUT {
            bail!("distribution did not respond with its challenge on {} within {START_TIMEOUT:?}; its log is {}", config.addr, log_path.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Returns whether the process on `config.addr` is this distribution: its challenge names the
/// configured realm, which contains the login server's port, so another lab's cannot match.
fn answers_with_realm(config: &DistributionConfig<'_>) -> bool {
    let probe = || -> std::io::Result<String> {
        let mut stream = TcpStream::connect_timeout(
            &config.addr.parse().map_err(std::io::Error::other)?,
            Duration::from_millis(200),
        )?;
        stream.set_read_timeout(Some(Duration::from_secs(2)))?;
        stream
            .write_all(format!("GET /v2/ HTTP/1.0\r\nHost: {}\r\n\r\n", config.addr).as_bytes())?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer)?;
        Ok(answer)
    };
    probe().is_ok_and(|answer| answer.contains(&format!("realm=\"{}\"", config.realm)))
}

/// Finds `name` in the directories of PATH.
pub fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_quotes_values() {
        let config = DistributionConfig {
            addr: "127.0.0.1:1234",
            storage_root: Path::new("/tmp/lab storage"),
            realm: "http://127.0.0.1:5000/oauth2/token",
            service: "127.0.0.1:5000",
            root_cert_bundle: Path::new("/tmp/bundle.pem"),
            http_secret: "secret",
        };
        let yaml = config.render();
        assert!(
            yaml.contains("    rootdirectory: \"/tmp/lab storage\"\n"),
            "{yaml}"
        );
        assert!(
            yaml.contains("    realm: \"http://127.0.0.1:5000/oauth2/token\"\n"),
            "{yaml}"
        );
        assert!(
            yaml.contains("    issuer: \"Azure Container Registry\"\n"),
            "{yaml}"
        );
        assert!(yaml.contains("  addr: \"127.0.0.1:1234\"\n"), "{yaml}");
    }
}
