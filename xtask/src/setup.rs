//! `cargo xtask setup`: installs what the build and the tests need, skipping what is present.
//!
//! 1. Debian packages (only when running as root on a system with `apt-get`).
//! 2. `wasm-bindgen-cli` at the version of the `wasm-bindgen` crate in Cargo.lock, into the
//!    tools folder.
//! 3. npm packages from the committed `package.json` and `package-lock.json`.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::project::Project;
use crate::step::{self, Failure, StepResult};

/// Debian packages the build, the tests and the lab use. They are the wasm toolchain
/// (`rustc-web`, `cargo-web`, `rust-web-src`, `rust-web-llvm` for `rust-lld`), Chromium with its
/// driver for the browser tests, and the registry, Docker, Notary and skopeo tools the lab and the
/// helper drive. Node.js runs wasm-opt and Playwright, and a Korean font lets Chromium render the
/// Korean page (and its screenshots) with real glyphs. `npm` is not listed because NodeSource's
/// `nodejs` package carries it, and Debian's separate `npm` package conflicts with that one.
pub const DEBIAN_PACKAGES: &[&str] = &[
    "rustc-web",
    "cargo-web",
    "rust-web-src",
    "rust-web-llvm",
    "lld-22",
    "chromium",
    "chromium-driver",
    "docker-registry",
    "docker.io",
    "notary",
    "skopeo",
    "apache2-utils",
    "nodejs",
    "fonts-nanum",
];

/// The npm packages the build and tests call; their versions are pinned in package.json.
const NPM_PACKAGES: &[&str] = &["binaryen", "playwright-core"];

pub fn setup(project: &Project) -> StepResult {
    debian_packages()?;
    wasm_bindgen_cli(project)?;
    npm_packages(project)?;
    eprintln!("setup: everything is installed");
    Ok(())
}

fn debian_packages() -> StepResult {
    const STEP: &str = "debian packages";

    if !Path::new("/usr/bin/apt-get").exists() {
        eprintln!("==> {STEP}: skipped, no apt-get on this system; install the equivalents of {} yourself", DEBIAN_PACKAGES.join(" "));
        return Ok(());
    }

    let mut missing: Vec<&str> = DEBIAN_PACKAGES
        .iter()
        .copied()
        .filter(|name| !debian_package_installed(name))
        .collect();
    // Debian's own `nodejs` package comes without npm, which is then a package of its own.
    if step::probe(Command::new("npm").arg("--version")).is_none() {
        missing.push("npm");
    }
    if missing.is_empty() {
        eprintln!("==> {STEP}: all {} present, skipped", DEBIAN_PACKAGES.len());
        return Ok(());
    }

    let install_line = format!("apt-get update && apt-get install -y {}", missing.join(" "));
    if !running_as_root() {
        return Err(Failure::new(
            STEP,
            format!(
                "missing packages {} and not running as root",
                missing.join(", ")
            ),
        )
        .with_hint(format!("sudo sh -c '{install_line}'")));
    }

    step::announce(STEP, &format!("installing {}", missing.join(" ")));
    let hint = |failure: Failure| failure.with_hint(install_line.clone());
    step::run(STEP, Command::new("apt-get").args(["-q", "update"])).map_err(hint)?;
    step::run(
        STEP,
        Command::new("apt-get")
            .args(["-q", "install", "-y", "--no-install-recommends"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
    .map_err(hint)
}

fn debian_package_installed(name: &str) -> bool {
    step::probe(Command::new("dpkg-query").args(["-W", "-f=${Status}", name]))
        .is_some_and(|status| status.trim() == "install ok installed")
}

fn running_as_root() -> bool {
    step::probe(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() == "0")
}

fn wasm_bindgen_cli(project: &Project) -> StepResult {
    const STEP: &str = "wasm-bindgen-cli";

    let version = wasm_bindgen_version(project)?;
    let binary = project.tools_bin("wasm-bindgen");
    if installed_wasm_bindgen_version(&binary).as_deref() == Some(version.as_str()) {
        eprintln!(
            "==> {STEP}: {version} present in {}, skipped",
            project.tools_dir.display()
        );
        return Ok(());
    }

    step::announce(
        STEP,
        &format!(
            "installing {version} into {} (several minutes, once)",
            project.tools_dir.display()
        ),
    );
    // NOTE: no `--locked`: the crates.io index reachable here can lack the newest patch
    // releases that wasm-bindgen-cli's own lock file names, so cargo resolves the newest
    // compatible versions instead.
    step::run(
        STEP,
        Command::new("cargo")
            .args([
                "install",
                "wasm-bindgen-cli",
                "--version",
                &version,
                "--root",
            ])
            .arg(&project.tools_dir),
    )
}

/// Reads the version of the `wasm-bindgen` crate from Cargo.lock; the CLI must match it
/// exactly, or wasm-bindgen refuses the module.
pub fn wasm_bindgen_version(project: &Project) -> StepResult<String> {
    const STEP: &str = "read wasm-bindgen version";

    let lock_path = project.root.join("Cargo.lock");
    let lock = fs::read_to_string(&lock_path)
        .map_err(|err| Failure::new(STEP, format!("cannot read {}: {err}", lock_path.display())))?;

    lock_package_version(&lock, "wasm-bindgen").ok_or_else(|| {
        Failure::new(
            STEP,
            format!(
                "{} has no [[package]] named wasm-bindgen",
                lock_path.display()
            ),
        )
        .with_hint("cargo generate-lockfile")
    })
}

/// Finds `version = "..."` in the `[[package]]` entry whose `name` is `name`.
fn lock_package_version(lock: &str, name: &str) -> Option<String> {
    let name_line = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() != name_line {
            continue;
        }
        let version_line = lines.next()?.trim();
        let version = version_line
            .strip_prefix("version = \"")?
            .strip_suffix('"')?;
        return Some(version.to_string());
    }
    None
}

/// Returns the version `wasm-bindgen --version` prints (`wasm-bindgen 0.2.130`).
pub fn installed_wasm_bindgen_version(binary: &Path) -> Option<String> {
    let output = step::probe(Command::new(binary).arg("--version"))?;
    output.split_whitespace().nth(1).map(str::to_string)
}

fn npm_packages(project: &Project) -> StepResult {
    const STEP: &str = "npm packages";

    let hint = format!("cd {} && npm ci", project.root.display());
    let lock_path = project.root.join("package-lock.json");
    let lock_text = fs::read_to_string(&lock_path).map_err(|err| {
        Failure::new(STEP, format!("cannot read {}: {err}", lock_path.display()))
            .with_hint(hint.clone())
    })?;
    let lock: serde_json::Value = serde_json::from_str(&lock_text).map_err(|err| {
        Failure::new(
            STEP,
            format!("{} is not valid JSON: {err}", lock_path.display()),
        )
    })?;

    let stale: Vec<&str> = NPM_PACKAGES
        .iter()
        .copied()
        .filter(|name| {
            let locked = lock["packages"][format!("node_modules/{name}")]["version"].as_str();
            locked.is_none() || locked != installed_npm_version(project, name).as_deref()
        })
        .collect();
    if stale.is_empty() {
        eprintln!(
            "==> {STEP}: {} present at the locked versions, skipped",
            NPM_PACKAGES.join(", ")
        );
        return Ok(());
    }

    step::announce(
        STEP,
        &format!("npm ci (missing or outdated: {})", stale.join(", ")),
    );
    step::run(
        STEP,
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&project.root),
    )
    .map_err(|failure| failure.with_hint(hint))
}

fn installed_npm_version(project: &Project, name: &str) -> Option<String> {
    let manifest = project
        .root
        .join("node_modules")
        .join(name)
        .join("package.json");
    let text = fs::read_to_string(manifest).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    value["version"].as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
[[package]]
name = "wasm-bindgen-macro"
version = "0.2.130"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;

    #[test]
    fn lock_version_exact_name() {
        assert_eq!(
            lock_package_version(LOCK, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
    }

    #[test]
    fn lock_version_missing_package() {
        assert_eq!(lock_package_version(LOCK, "yew"), None);
    }

    #[test]
    fn workspace_lock_pins_wasm_bindgen() {
        let version =
            wasm_bindgen_version(&Project::locate()).expect("Cargo.lock names wasm-bindgen");
        assert!(version.starts_with("0.2."), "{version}");
    }
}
