//! The seed image: a tiny image built by hand as an OCI layout and pushed through the login
//! server with skopeo, so manifests and blobs really exist in distribution.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::json;

use crate::auth::Credentials;
use crate::distribution::find_program;

/// The only file in the image's single layer.
const GREETING: &[u8] = b"Hello from the acr-health lab.\n";

/// How long the push may take before the lab gives up.
const PUSH_TIMEOUT: Duration = Duration::from_secs(60);

/// A blob of the layout: its media type, digest and size.
struct Descriptor {
    media_type: &'static str,
    digest: String,
    size: usize,
}

impl Descriptor {
    fn to_json(&self) -> serde_json::Value {
        json!({ "mediaType": self.media_type, "digest": self.digest, "size": self.size })
    }
}

/// Writes the OCI image layout into `dir` (tag `latest`) and returns its path.
pub fn write_layout(dir: &Path) -> anyhow::Result<PathBuf> {
    let blobs = dir.join("blobs/sha256");
    std::fs::create_dir_all(&blobs)
        .with_context(|| format!("creating {} failed", blobs.display()))?;

    // The layer is a gzipped tar; the config names the digest of the uncompressed tar.
    let tar = layer_tar()?;
    let diff_id = sha256(&tar);
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(&tar)?;
    let layer = write_blob(
        &blobs,
        "application/vnd.oci.image.layer.v1.tar+gzip",
        &encoder.finish()?,
    )?;

    let config = json!({
        "architecture": "amd64",
        "os": "linux",
        "config": { "Cmd": ["/hello"] },
        "rootfs": { "type": "layers", "diff_ids": [diff_id] },
        "history": [{ "created_by": "acr-health lab seed", "created": "2024-01-01T00:00:00Z" }],
        "created": "2024-01-01T00:00:00Z",
    });
    let config = write_blob(
        &blobs,
        "application/vnd.oci.image.config.v1+json",
        config.to_string().as_bytes(),
    )?;

    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": config.to_json(),
        "layers": [layer.to_json()],
    });
    let manifest = write_blob(
        &blobs,
        "application/vnd.oci.image.manifest.v1+json",
        manifest.to_string().as_bytes(),
    )?;

    let mut manifest_entry = manifest.to_json();
    manifest_entry["annotations"] = json!({ "org.opencontainers.image.ref.name": "latest" });
    let index = json!({ "schemaVersion": 2, "manifests": [manifest_entry] });
    std::fs::write(dir.join("index.json"), index.to_string())?;
    std::fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#)?;
    Ok(dir.to_path_buf())
}

/// The transport skopeo uses to reach the login server.
pub enum Transport<'a> {
    PlainHttp,
    /// A directory with the lab CA as `ca.crt`, skopeo's `--dest-cert-dir`.
    Tls {
        cert_dir: &'a Path,
    },
}

/// Pushes the layout at `layout` to `login_server/repository:tag` with skopeo.
pub fn push(
    layout: &Path,
    login_server: &str,
    repository: &str,
    tag: &str,
    admin: &Credentials,
    transport: Transport<'_>,
) -> anyhow::Result<()> {
    let skopeo = find_program("skopeo")
        .context("`skopeo` was not found on PATH; install the Debian package skopeo (apt-get install skopeo) to seed the lab")?;
    let mut command = Command::new(skopeo);
    command.args([
        "--insecure-policy",
        "copy",
        "--retry-times",
        "0",
        "--dest-creds",
    ]);
    command.arg(format!("{}:{}", admin.username, admin.password));
    match transport {
        Transport::PlainHttp => {
            command.arg("--dest-tls-verify=false");
        }
        Transport::Tls { cert_dir } => {
            command.arg("--dest-cert-dir").arg(cert_dir);
        }
    }
    command
        .arg(format!("oci:{}:latest", layout.display()))
        .arg(format!("docker://{login_server}/{repository}:{tag}"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());

    let started = Instant::now();
    let child = command.spawn().context("starting skopeo failed")?;
    let output = wait_with_timeout(child, PUSH_TIMEOUT)?;
    if !output.status.success() {
        bail!(
            "skopeo copy to {login_server}/{repository}:{tag} failed with {}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    tracing::info!(
        repository,
        tag,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "seed image pushed"
    );
    Ok(())
}

fn wait_with_timeout(
    child: std::process::Child,
    timeout: Duration,
) -> anyhow::Result<std::process::Output> {
    let pid = child.id();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(child.wait_with_output());
    });
    match receiver.recv_timeout(timeout) {
        Ok(output) => Ok(output?),
        Err(_) => {
            // The child is owned by the waiting thread; end it by PID so the thread returns.
            let _ = Command::new("kill")
                .arg("-KILL")
                .arg(pid.to_string())
                .status();
            bail!("skopeo (pid {pid}) did not finish within {timeout:?} and was killed")
        }
    }
}

fn layer_tar() -> anyhow::Result<Vec<u8>> {
    let mut builder = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_ustar();
    header.set_path("hello")?;
    header.set_size(GREETING.len() as u64);
    header.set_mode(0o755);
    header.set_mtime(0);
    header.set_uid(0);
    header.set_gid(0);
    header.set_cksum();
    builder.append(&header, GREETING)?;
    Ok(builder.into_inner()?)
}

fn write_blob(blobs: &Path, media_type: &'static str, bytes: &[u8]) -> anyhow::Result<Descriptor> {
    let digest = sha256(bytes);
    let path = blobs.join(&digest["sha256:".len()..]);
    std::fs::write(&path, bytes).with_context(|| format!("writing {} failed", path.display()))?;
    Ok(Descriptor {
        media_type,
        digest,
        size: bytes.len(),
    })
}

fn sha256(bytes: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    let hex: String = digest
        .as_ref()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    format!("sha256:{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_blobs_match_digests() {
        let dir = tempfile::tempdir().unwrap();
        write_layout(dir.path()).unwrap();
        let index: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("index.json")).unwrap()).unwrap();
        let digest = index["manifests"][0]["digest"].as_str().unwrap();
        let manifest = std::fs::read(dir.path().join("blobs/sha256").join(&digest[7..])).unwrap();
        assert_eq!(sha256(&manifest), digest);
    }
}
