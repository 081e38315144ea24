//! `cargo xtask test`: every test of the project, in four stages that each fail the command.
//!
//! 1. native tests of the workspace (cargo nextest when installed, else cargo test);
//! 2. the page's wasm tests in headless Chromium (wasm-bindgen-test-runner and chromedriver);
//! 3. the release build of `dist/`;
//! 4. the end-to-end suite: node's test runner with Playwright against the helper serving `dist/`
//!    (and the lab, for the suites that run checks).

use std::env;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::build;
use crate::project::{Project, PAGE_CRATE};
use crate::step::{self, Failure, StepResult};
use crate::toolchain::WasmToolchain;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Chromium flags for tests on a machine without outside network: background networking,
/// component updates and sync would otherwise try to reach Google's hosts at every start.
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// One stage of the test command: its name and what it runs.
type Stage = (&'static str, fn(&Project) -> StepResult);

pub fn test(project: &Project) -> StepResult {
    let started = Instant::now();
    let stages: [Stage; 4] = [
        ("native tests", native_tests),
        ("wasm tests", wasm_tests),
        ("build", build::build),
        ("end-to-end tests", end_to_end_tests),
    ];

    for (index, (name, stage)) in stages.iter().enumerate() {
        eprintln!("\n=== stage {}/{}: {name}", index + 1, stages.len());
        let stage_started = Instant::now();
        stage(project).map_err(|failure| Failure {
            step: format!("{name} / {}", failure.step),
            ..failure
        })?;
        eprintln!(
            "=== stage {name} passed in {:.0} s",
            stage_started.elapsed().as_secs_f64()
        );
    }

    eprintln!(
        "\ntest: all {} stages passed in {:.0} s",
        stages.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn cargo() -> Command {
    Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Tests every crate natively. Of the page, only its unit tests run here; its `tests/*.rs`
/// need a browser (stage 2).
fn native_tests(project: &Project) -> StepResult {
    let has_nextest = step::probe(cargo().args(["nextest", "--version"])).is_some();

    if has_nextest {
        step::announce("cargo nextest", "unit and integration tests");
        step::run(
            "cargo nextest",
            cargo()
                .args([
                    "nextest",
                    "run",
                    "--workspace",
                    "--exclude",
                    PAGE_CRATE,
                    "--no-fail-fast",
                ])
                .current_dir(&project.root),
        )?;

        // The page's unit tests (string tables, parsing) need no browser, and
        // wasm-bindgen-test-runner runs only `#[wasm_bindgen_test]` functions.
        step::announce("cargo nextest (page)", "the page's unit tests, natively");
        step::run(
            "cargo nextest (page)",
            cargo()
                .args(["nextest", "run", "--package", PAGE_CRATE, "--lib"])
                .current_dir(&project.root),
        )?;

        // nextest does not run doctests.
        step::announce("cargo test --doc", "documentation examples");
        step::run(
            "cargo test --doc",
            cargo()
                .args(["test", "--doc", "--workspace", "--exclude", PAGE_CRATE])
                .current_dir(&project.root),
        )
    } else {
        step::announce(
            "cargo test",
            "cargo-nextest is not installed, using cargo test",
        );
        step::run(
            "cargo test",
            cargo()
                .args([
                    "test",
                    "--workspace",
                    "--exclude",
                    PAGE_CRATE,
                    "--no-fail-fast",
                ])
                .current_dir(&project.root),
        )?;
        step::run(
            "cargo test (page)",
            cargo()
                .args(["test", "--package", PAGE_CRATE, "--lib"])
                .current_dir(&project.root),
        )
    }
}

/// Runs the page crate's browser tests (`tests/*.rs`) in headless Chromium.
fn wasm_tests(project: &Project) -> StepResult {
    const STEP: &str = "cargo test (wasm)";

    let runner = project.tools_bin("wasm-bindgen-test-runner");
    if !runner.exists() {
        return Err(
            Failure::new(STEP, format!("{} is missing", runner.display()))
                .with_hint("cargo xtask setup"),
        );
    }
    for path in [CHROMIUM, CHROMEDRIVER] {
        if !Path::new(path).exists() {
            return Err(
                Failure::new(STEP, format!("{path} is missing")).with_hint("cargo xtask setup")
            );
        }
    }

    let toolchain = WasmToolchain::detect()?;
    eprintln!("==> toolchain: {}", toolchain.describe());

    // A fresh Chromium profile per run, so no state leaks from one run into the next.
    let browser_dir = project.wasm_target_dir.join("browser");
    let profile_dir = browser_dir.join(format!("profile-{}", std::process::id()));
    fs::create_dir_all(&profile_dir).map_err(|err| {
        Failure::new(
            STEP,
            format!("cannot create {}: {err}", profile_dir.display()),
        )
    })?;
    let webdriver_json = browser_dir.join("webdriver.json");
    fs::write(&webdriver_json, webdriver_capabilities(&profile_dir)).map_err(|err| {
        Failure::new(
            STEP,
            format!("cannot write {}: {err}", webdriver_json.display()),
        )
    })?;

    step::announce(STEP, "the page's tests in headless Chromium");
    let mut command = toolchain.cargo(project, "test");
    command
        .args(["--package", PAGE_CRATE, "--tests", "--no-fail-fast"])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", &runner)
        .env("CHROMEDRIVER", CHROMEDRIVER)
        .env("WASM_BINDGEN_USE_BROWSER", "1")
        .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &webdriver_json);
    let result = step::run(STEP, &mut command);

    let _ = fs::remove_dir_all(&profile_dir);
    result
}

/// Renders the `webdriver.json` that wasm-bindgen-test-runner passes to chromedriver.
fn webdriver_capabilities(profile_dir: &Path) -> String {
    let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|flag| flag.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile_dir.display()));
    let capabilities = serde_json::json!({
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": args,
        }
    });
    serde_json::to_string_pretty(&capabilities).expect("a JSON value serializes")
}

/// Builds the helper and the lab, and runs `node --test tests/e2e/` with their paths.
fn end_to_end_tests(project: &Project) -> StepResult {
    let (helper, lab) = build::native_binaries(project)?;
    let playwright = project.root.join("node_modules").join("playwright-core");
    if !playwright.is_dir() {
        return Err(Failure::new(
            "node --test",
            format!("{} is missing", playwright.display()),
        )
        .with_hint("cargo xtask setup"));
    }

    let output_dir = project.root.join("test-output");
    step::announce(
        "node --test",
        "Playwright in headless Chromium against the helper serving dist/",
    );
    step::run(
        "node --test",
        Command::new("node")
            .args(["--test", "tests/e2e/"])
            .current_dir(&project.root)
            .env("ACR_HEALTH_HELPER", &helper)
            .env("ACR_HEALTH_LAB", &lab)
            .env("ACR_HEALTH_DIST", project.dist_dir())
            .env("ACR_HEALTH_TEST_OUTPUT", &output_dir)
            .env("ACR_HEALTH_CHROMIUM", CHROMIUM),
    )?;
    eprintln!("    screenshots: {}", output_dir.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities_name_binary_and_profile() {
        let text = webdriver_capabilities(Path::new("/tmp/profile-1"));
        let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        let options = &value["goog:chromeOptions"];
        assert_eq!(options["binary"], CHROMIUM);
        let args: Vec<&str> = options["args"]
            .as_array()
            .expect("args list")
            .iter()
            .filter_map(|a| a.as_str())
            .collect();
        assert!(args.contains(&"--headless"));
        assert!(args.contains(&"--disable-background-networking"));
        assert!(args.contains(&"--user-data-dir=/tmp/profile-1"));
    }
}
