//! Paths of one checkout: the repository, the target folders, the tools folder and `dist/`.

use std::env;
use std::path::{Path, PathBuf};

/// Environment variable that moves the tools folder (default `<repository>/.tools`), so that CI
/// can keep the installed `wasm-bindgen` between runs.
pub const TOOLS_ENV: &str = "ACR_HEALTH_TOOLS";

/// The Rust target for the page.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The page crate's name, and the file stem of its wasm and JS glue.
pub const PAGE_CRATE: &str = "acr-health";
pub const PAGE_STEM: &str = "acr_health";

/// Paths of one checkout, resolved once at start.
#[derive(Debug, Clone)]
pub struct Project {
    /// The workspace root (the page crate's folder).
    pub root: PathBuf,

    /// The native target folder: `CARGO_TARGET_DIR` when set, else `<root>/target`.
    pub target_dir: PathBuf,

    /// The wasm target folder, kept apart from the native one because the Debian toolchain
    /// builds std itself and would otherwise invalidate native artifacts of the other cargo.
    pub wasm_target_dir: PathBuf,

    /// The tools folder; `cargo install --root` puts binaries in its `bin/`.
    pub tools_dir: PathBuf,
}

impl Project {
    /// Resolves the paths from this crate's location and the environment.
    pub fn locate() -> Project {
        // xtask sits one level below the workspace root.
        let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let root = manifest_dir
            .parent()
            .expect("xtask's manifest folder has a parent: the workspace root")
            .to_path_buf();

        let target_dir = match env::var_os("CARGO_TARGET_DIR") {
            Some(dir) if !dir.is_empty() => absolute(&root, Path::new(&dir)),
            _ => root.join("target"),
        };
        let wasm_target_dir = target_dir.join("wasm");

        let tools_dir = match env::var_os(TOOLS_ENV) {
            Some(dir) if !dir.is_empty() => absolute(&root, Path::new(&dir)),
            _ => root.join(".tools"),
        };

        Project {
            root,
            target_dir,
            wasm_target_dir,
            tools_dir,
        }
    }

    pub fn dist_dir(&self) -> PathBuf {
        self.root.join("dist")
    }

    pub fn tools_bin(&self, name: &str) -> PathBuf {
        self.tools_dir.join("bin").join(name)
    }

    pub fn node_bin(&self, name: &str) -> PathBuf {
        self.root.join("node_modules").join(".bin").join(name)
    }

    /// Returns the path of a workspace binary built natively with the dev profile.
    pub fn native_debug_bin(&self, name: &str) -> PathBuf {
        self.target_dir.join("debug").join(name)
    }
}

fn absolute(base: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    }
}
