//! The two ways to compile the page to `wasm32-unknown-unknown`.
//!
//! Where rustup has the target installed, plain `cargo` is used. Elsewhere (for example where
//! rustup cannot download the target), Debian's `rustc-web` builds std for wasm from the
//! `rust-web-src` sources with `-Z build-std`, which needs `RUSTC_BOOTSTRAP=1` on a stable
//! compiler.

use std::env;
use std::path::Path;
use std::process::Command;

use crate::project::{Project, WASM_TARGET};
use crate::step::{self, Failure, StepResult};

/// Forces one toolchain path: `rustup` or `debian`.
pub const TOOLCHAIN_ENV: &str = "ACR_HEALTH_WASM_TOOLCHAIN";

const DEBIAN_CARGO: &str = "/usr/bin/cargo";
const DEBIAN_RUSTC: &str = "/usr/bin/rustc";
const DEBIAN_RUSTDOC: &str = "/usr/bin/rustdoc";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WasmToolchain {
    /// rustup's toolchain with its prebuilt `wasm32-unknown-unknown` std.
    Rustup,
    /// Debian's `/usr/bin/cargo` and `/usr/bin/rustc`, building std with `-Z build-std`.
    DebianBuildStd,
}

impl WasmToolchain {
    /// Picks the toolchain: the one forced by `ACR_HEALTH_WASM_TOOLCHAIN`, else rustup when it
    /// lists the wasm target as installed, else Debian's when its binaries are present.
    pub fn detect() -> StepResult<WasmToolchain> {
        const STEP: &str = "detect wasm toolchain";

        match env::var(TOOLCHAIN_ENV).ok().as_deref() {
            Some("rustup") => return Ok(WasmToolchain::Rustup),
            Some("debian") => return Ok(WasmToolchain::DebianBuildStd),
            Some("") | None => {}
            Some(other) => {
                return Err(Failure::new(
                    STEP,
                    format!("{TOOLCHAIN_ENV}={other} is invalid; expected `rustup` or `debian`"),
                ))
            }
        }

        if rustup_has_wasm_target() {
            return Ok(WasmToolchain::Rustup);
        }
        if [DEBIAN_CARGO, DEBIAN_RUSTC, DEBIAN_RUSTDOC]
            .iter()
            .all(|path| Path::new(path).exists())
        {
            return Ok(WasmToolchain::DebianBuildStd);
        }

        Err(Failure::new(
            STEP,
            format!(
                "no toolchain can build for {WASM_TARGET}: rustup does not list the target as installed, \
                 and Debian's {DEBIAN_CARGO} and {DEBIAN_RUSTC} are missing"
            ),
        )
        .with_hint(format!(
            "rustup target add {WASM_TARGET}   # or, on Debian: cargo xtask setup"
        )))
    }

    pub fn describe(self) -> &'static str {
        match self {
            WasmToolchain::Rustup => "rustup's wasm32-unknown-unknown target (prebuilt std)",
            WasmToolchain::DebianBuildStd => {
                "Debian's rustc-web with -Z build-std (std compiled from rust-web-src)"
            }
        }
    }

    /// Builds a `cargo <subcommand>` command for the wasm target with the target folder set, and
    /// on the Debian path also the compiler, rustdoc and `-Z build-std`.
    pub fn cargo(self, project: &Project, subcommand: &str) -> Command {
        let mut command = match self {
            // NOTE: this path has not run on the Debian machines the project is built on, where
            // rustup cannot download the wasm target; only the Debian path has.
            WasmToolchain::Rustup => {
                Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            }
            WasmToolchain::DebianBuildStd => {
                let mut command = Command::new(DEBIAN_CARGO);
                command
                    .env("RUSTC", DEBIAN_RUSTC)
                    .env("RUSTDOC", DEBIAN_RUSTDOC)
                    .env("RUSTC_BOOTSTRAP", "1");
                command
            }
        };

        command
            .current_dir(&project.root)
            .arg(subcommand)
            .arg("--target")
            .arg(WASM_TARGET)
            .arg("--target-dir")
            .arg(&project.wasm_target_dir);
        if self == WasmToolchain::DebianBuildStd {
            command.arg("-Z").arg("build-std=std,panic_abort");
        }
        command
    }
}

fn rustup_has_wasm_target() -> bool {
    step::probe(Command::new("rustup").args(["target", "list", "--installed"]))
        .is_some_and(|installed| installed.lines().any(|line| line.trim() == WASM_TARGET))
}
