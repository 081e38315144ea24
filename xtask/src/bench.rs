//! `cargo xtask bench`: builds what the benchmarks measure, then runs `benches/bench.mjs`, which
//! prints each figure against its target.
//!
//! 1. the release build of `dist/` (the page as users download it);
//! 2. a copy of the same wasm with its name section kept, for `twiggy top`;
//! 3. `twiggy` from crates.io in the tools folder, when missing;
//! 4. the helper and the lab with the release profile;
//! 5. `node benches/bench.mjs` with the paths of all of the above.
//!
//! A figure that misses its target does not fail the command; only a step that cannot run does.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use crate::build;
use crate::project::{Project, PAGE_STEM, WASM_TARGET};
use crate::step::{self, Failure, StepResult};
use crate::test::CHROMIUM;

/// The twiggy release installed into the tools folder.
const TWIGGY_VERSION: &str = "0.8.0";

/// The wasm features `wasm-opt` must accept; the same list as the release build's.
const WASM_OPT_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-reference-types",
    "--enable-multivalue",
];

pub fn bench(project: &Project, figures: &[String]) -> StepResult {
    build::build(project)?;
    let named_wasm = named_wasm(project)?;
    let twiggy = twiggy(project)?;
    let (helper, lab) = release_binaries(project)?;

    step::announce(
        "node benches/bench.mjs",
        "the figures, each against its target",
    );
    step::run(
        "node benches/bench.mjs",
        Command::new("node")
            .arg("benches/bench.mjs")
            .args(figures)
            .current_dir(&project.root)
            .env("ACR_HEALTH_HELPER", helper)
            .env("ACR_HEALTH_LAB", lab)
            .env("ACR_HEALTH_DIST", project.dist_dir())
            .env("ACR_HEALTH_CHROMIUM", CHROMIUM)
            .env("ACR_HEALTH_TWIGGY", twiggy)
            .env("ACR_HEALTH_NAMED_WASM", named_wasm),
    )
}

/// Makes the shipped wasm again with its name section kept (wasm-bindgen without
/// `--remove-name-section`, wasm-opt with the release passes and `-g`), so that twiggy shows
/// function names. The code
/// is the same as in `dist/`; only the names are added.
fn named_wasm(project: &Project) -> StepResult<PathBuf> {
    const STEP: &str = "named wasm";

    let compiled = project
        .wasm_target_dir
        .join(WASM_TARGET)
        .join("web")
        .join(format!("{PAGE_STEM}.wasm"));
    let out_dir = project.wasm_target_dir.join("bench");
    let named = out_dir.join(format!("{PAGE_STEM}_named.wasm"));
    if modified(&named).is_some() && modified(&named) >= modified(&compiled) {
        eprintln!("==> {STEP}: {} up to date, skipped", named.display());
        return Ok(named);
    }

    let bindgen_out = out_dir.join("bindgen");
    fs::create_dir_all(&bindgen_out).map_err(|err| {
        Failure::new(
            STEP,
            format!("cannot create {}: {err}", bindgen_out.display()),
        )
    })?;

    step::announce(STEP, "wasm-bindgen and wasm-opt, name section kept");
    step::run(
        STEP,
        Command::new(project.tools_bin("wasm-bindgen"))
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                PAGE_STEM,
                "--out-dir",
            ])
            .arg(&bindgen_out)
            .arg(&compiled),
    )?;
    step::run(
        STEP,
        Command::new(build::require_node_tool(project, "wasm-opt")?)
            .args(build::WASM_OPT_PASSES)
            .arg("--debuginfo")
            .args(WASM_OPT_FEATURES)
            .arg(bindgen_out.join(format!("{PAGE_STEM}_bg.wasm")))
            .arg("-o")
            .arg(&named),
    )?;
    Ok(named)
}

fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|meta| meta.modified()).ok()
}

/// Installs twiggy into the tools folder unless that version is there already.
fn twiggy(project: &Project) -> StepResult<PathBuf> {
    const STEP: &str = "twiggy";

    let binary = project.tools_bin("twiggy");
    let installed = step::probe(Command::new(&binary).arg("--version"));
    if installed.is_some_and(|version| version.split_whitespace().nth(1) == Some(TWIGGY_VERSION)) {
        eprintln!(
            "==> {STEP}: {TWIGGY_VERSION} present in {}, skipped",
            project.tools_dir.display()
        );
        return Ok(binary);
    }

    step::announce(
        STEP,
        &format!(
            "installing {TWIGGY_VERSION} into {} (a few minutes, once)",
            project.tools_dir.display()
        ),
    );
    step::run(
        STEP,
        Command::new("cargo")
            .args([
                "install",
                "twiggy",
                "--version",
                TWIGGY_VERSION,
                "--locked",
                "--root",
            ])
            .arg(&project.tools_dir),
    )?;
    Ok(binary)
}

/// Builds the helper and the lab with the release profile and returns their paths.
fn release_binaries(project: &Project) -> StepResult<(PathBuf, PathBuf)> {
    const STEP: &str = "cargo build --release (helper and lab)";

    step::announce(STEP, "acr-health-helper and lab, the binaries users run");
    step::run(
        STEP,
        Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args([
                "build",
                "--release",
                "--package",
                "acr-health-helper",
                "--package",
                "acr-health-lab",
            ])
            .current_dir(&project.root),
    )?;
    let release = project.target_dir.join("release");
    Ok((release.join("acr-health-helper"), release.join("lab")))
}

#[cfg(test)]
mod tests {
    use crate::{parse_args, Task};

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|arg| arg.to_string()).collect()
    }

    #[test]
    fn bench_takes_figure_names() {
        let Ok(Some(Task::Bench(figures))) = parse_args(&strings(&["bench", "weight", "helper"]))
        else {
            panic!("bench with figure names parses");
        };
        assert_eq!(figures, ["weight", "helper"]);
    }

    #[test]
    fn bench_alone_runs_every_figure() {
        let Ok(Some(Task::Bench(figures))) = parse_args(&strings(&["bench"])) else {
            panic!("bench parses");
        };
        assert!(figures.is_empty());
    }
}
