//! `cargo xtask build`: the release build of the page into `dist/`.
//!
//! cargo (profile `web`) -> `wasm-bindgen --target web` -> `wasm-opt -Oz --converge` ->
//! `index.html` and `www/` copied beside the output. Everything is assembled in `dist.tmp/` and
//! moved to `dist/` only when complete, so a failed build never leaves a `dist/` that looks
//! complete.

use std::env;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::UNIX_EPOCH;

use crate::project::{Project, PAGE_CRATE, PAGE_STEM, WASM_TARGET};
use crate::setup;
use crate::step::{self, Failure, StepResult};
use crate::toolchain::WasmToolchain;

/// Features the wasm-bindgen output may use, which wasm-opt must accept and may keep. Rust's
/// `wasm32-unknown-unknown` target enables these by default (reference types, multivalue, bulk
/// memory, non-trapping float-to-int, sign extension, mutable globals).
const WASM_OPT_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Changes whenever the steps below change how `dist/` is made, so that an old `dist/` counts
/// as stale.
const RECIPE: &str = "recipe 2: wasm-bindgen --target web --no-typescript --remove-name-section; \
                      wasm-opt -Oz --converge";

/// The wasm-opt passes of the page's build. `--converge` repeats `-Oz` until the output stops
/// shrinking. With binaryen 132 it takes about twice as long and saves about 2 KB of the
/// gzipped wasm.
pub(crate) const WASM_OPT_PASSES: &[&str] = &["-Oz", "--converge"];

pub fn build(project: &Project) -> StepResult {
    let wasm_bindgen = require_wasm_bindgen(project)?;
    let wasm_opt = require_node_tool(project, "wasm-opt")?;

    let toolchain = WasmToolchain::detect()?;
    eprintln!("==> toolchain: {}", toolchain.describe());

    // cargo decides on its own whether the Rust side is stale; a fresh build takes about a second.
    let wasm = cargo_build(project, toolchain)?;

    let dist = project.dist_dir();
    let stamp_path = project.wasm_target_dir.join("dist.stamp");
    let inputs = fingerprint_inputs(project, &wasm, &wasm_bindgen, &wasm_opt);
    let up_to_date = fs::read_to_string(&stamp_path).is_ok_and(|stamp| {
        dist.is_dir() && stamp == format!("{inputs}\n--\n{}", fingerprint_tree(&dist))
    });
    if up_to_date {
        eprintln!("==> dist: up to date, skipped wasm-bindgen and wasm-opt");
    } else {
        assemble(project, &wasm, &wasm_bindgen, &wasm_opt)?;
        let stamp = format!("{inputs}\n--\n{}", fingerprint_tree(&dist));
        fs::write(&stamp_path, stamp).map_err(|err| {
            Failure::new(
                "dist",
                format!("cannot write {}: {err}", stamp_path.display()),
            )
        })?;
    }

    print_sizes(&dist)
}

fn require_wasm_bindgen(project: &Project) -> StepResult<PathBuf> {
    let expected = setup::wasm_bindgen_version(project)?;
    let binary = project.tools_bin("wasm-bindgen");
    match setup::installed_wasm_bindgen_version(&binary) {
        Some(found) if found == expected => Ok(binary),
        found => Err(Failure::new(
            "find wasm-bindgen",
            format!(
                "{} is {}, but Cargo.lock pins wasm-bindgen {expected}",
                binary.display(),
                found.map_or("missing".to_string(), |version| format!(
                    "version {version}"
                ))
            ),
        )
        .with_hint("cargo xtask setup")),
    }
}

pub fn require_node_tool(project: &Project, name: &str) -> StepResult<PathBuf> {
    let binary = project.node_bin(name);
    if binary.exists() {
        Ok(binary)
    } else {
        Err(Failure::new(
            format!("find {name}").as_str(),
            format!("{} is missing", binary.display()),
        )
        .with_hint(format!("cd {} && npm ci", project.root.display())))
    }
}

/// Builds the page crate for wasm with the `web` profile and returns the path of its `.wasm`.
fn cargo_build(project: &Project, toolchain: WasmToolchain) -> StepResult<PathBuf> {
    const STEP: &str = "cargo build (wasm)";
    step::announce(STEP, &format!("the page crate `{PAGE_CRATE}`, profile web"));

    let mut command = toolchain.cargo(project, "build");
    command.args(["--profile", "web", "--package", PAGE_CRATE, "--lib"]);
    step::run(STEP, &mut command)?;

    let wasm = project
        .wasm_target_dir
        .join(WASM_TARGET)
        .join("web")
        .join(format!("{PAGE_STEM}.wasm"));
    if !wasm.is_file() {
        return Err(Failure::new(
            STEP,
            format!("cargo succeeded but {} is missing", wasm.display()),
        ));
    }
    Ok(wasm)
}

/// Builds the helper and the lab natively and returns their paths. The dev profile is the one
/// the native tests already compiled their dependencies with, and both programs only wait on
/// the network, so a release build would double the compile time for no visible gain.
pub fn native_binaries(project: &Project) -> StepResult<(PathBuf, PathBuf)> {
    const STEP: &str = "cargo build (helper and lab)";
    step::announce(STEP, "acr-health-helper and lab, dev profile");
    step::run(
        STEP,
        Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args([
                "build",
                "--package",
                "acr-health-helper",
                "--package",
                "acr-health-lab",
            ])
            .current_dir(&project.root),
    )?;
    Ok((
        project.native_debug_bin("acr-health-helper"),
        project.native_debug_bin("lab"),
    ))
}

/// Makes `dist/`: copies and checks the static files, runs wasm-bindgen and wasm-opt on the
/// compiled wasm, and swaps the result into place.
fn assemble(project: &Project, wasm: &Path, wasm_bindgen: &Path, wasm_opt: &Path) -> StepResult {
    let staging = project.root.join("dist.tmp");
    let bindgen_out = project.wasm_target_dir.join("bindgen");
    remove_dir_if_present("dist", &staging)?;
    remove_dir_if_present("wasm-bindgen", &bindgen_out)?;
    create_dir("dist", &staging)?;

    // The static files come first: their check is cheap and wasm-opt is not.
    step::announce("static files", "index.html and www/ into dist/");
    copy_file(
        &project.root.join("index.html"),
        &staging.join("index.html"),
    )?;
    copy_tree(&project.root.join("www"), &staging.join("www"))?;
    check_relative_urls(&staging)?;

    step::announce(
        "wasm-bindgen",
        "JS glue for --target web, name section removed",
    );
    step::run(
        "wasm-bindgen",
        Command::new(wasm_bindgen)
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--remove-name-section",
                "--out-name",
                PAGE_STEM,
                "--out-dir",
            ])
            .arg(&bindgen_out)
            .arg(wasm),
    )?;

    let wasm_name = format!("{PAGE_STEM}_bg.wasm");
    step::announce("wasm-opt", &WASM_OPT_PASSES.join(" "));
    step::run(
        "wasm-opt",
        Command::new(wasm_opt)
            .args(WASM_OPT_PASSES)
            .args(WASM_OPT_FEATURES)
            .arg(bindgen_out.join(&wasm_name))
            .arg("-o")
            .arg(staging.join(&wasm_name)),
    )?;

    let glue = format!("{PAGE_STEM}.js");
    copy_file(&bindgen_out.join(&glue), &staging.join(&glue))?;
    // wasm-bindgen writes inline JS snippets (`#[wasm_bindgen(inline_js)]`) into `snippets/`.
    let snippets = bindgen_out.join("snippets");
    if snippets.is_dir() {
        copy_tree(&snippets, &staging.join("snippets"))?;
    }

    step::announce("dist", "moving the finished build into dist/");
    swap_into_place(&staging, &project.dist_dir())
}

/// Replaces `dist` with `staging`. Between the two renames `dist/` is briefly absent, never
/// half-written.
fn swap_into_place(staging: &Path, dist: &Path) -> StepResult {
    let old = dist.with_file_name("dist.old");
    remove_dir_if_present("dist", &old)?;
    if dist.exists() {
        fs::rename(dist, &old).map_err(|err| {
            Failure::new(
                "dist",
                format!("cannot move {} aside: {err}", dist.display()),
            )
        })?;
    }
    fs::rename(staging, dist).map_err(|err| {
        Failure::new(
            "dist",
            format!(
                "cannot move {} to {}: {err}",
                staging.display(),
                dist.display()
            ),
        )
    })?;
    remove_dir_if_present("dist", &old)
}

/// Rejects root-relative and protocol-relative URLs (`/x`, `//host/x`) in the HTML and CSS, so
/// that `dist/` also works when served from a sub-path such as `/tools/acr-health/`.
fn check_relative_urls(staging: &Path) -> StepResult {
    const STEP: &str = "check relative URLs";
    const ABSOLUTE: &[&str] = &[
        "src=\"/", "href=\"/", "src='/", "href='/", "url(/", "url(\"/", "url('/",
    ];

    let mut problems = Vec::new();
    for file in list_files(staging).map_err(|err| Failure::new(STEP, err.to_string()))? {
        let is_markup = matches!(
            file.extension().and_then(|ext| ext.to_str()),
            Some("html" | "css")
        );
        if !is_markup {
            continue;
        }
        let text = fs::read_to_string(&file)
            .map_err(|err| Failure::new(STEP, format!("cannot read {}: {err}", file.display())))?;
        for (number, line) in text.lines().enumerate() {
            if ABSOLUTE.iter().any(|pattern| line.contains(pattern)) {
                let relative = file.strip_prefix(staging).unwrap_or(&file);
                problems.push(format!(
                    "{}:{}: {}",
                    relative.display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
    }

    if problems.is_empty() {
        Ok(())
    } else {
        Err(Failure::new(
            STEP,
            format!(
                "these URLs start with `/`, which breaks dist/ when served from a sub-path; make them relative:\n  {}",
                problems.join("\n  ")
            ),
        ))
    }
}

/// Prints each file of `dist/` with its raw and gzip -9 size in bytes.
fn print_sizes(dist: &Path) -> StepResult {
    const STEP: &str = "sizes";

    let files = list_files(dist)
        .map_err(|err| Failure::new(STEP, format!("cannot list {}: {err}", dist.display())))?;
    println!("dist/ ({} files), sizes in bytes:", files.len());
    println!("{:>10} {:>10}  file", "raw", "gzip -9");

    let (mut total_raw, mut total_gzip) = (0, 0);
    for file in &files {
        let raw = fs::metadata(file)
            .map_err(|err| Failure::new(STEP, format!("{}: {err}", file.display())))?
            .len();
        let gzip = gzip_size(file)?;
        total_raw += raw;
        total_gzip += gzip;
        let relative = file.strip_prefix(dist).unwrap_or(file);
        println!(
            "{:>10} {:>10}  {}",
            group_digits(raw),
            group_digits(gzip),
            relative.display()
        );
    }
    println!(
        "{:>10} {:>10}  total",
        group_digits(total_raw),
        group_digits(total_gzip)
    );

    // A share link carries the whole report, so its length grows with the report types.
    let report = acr_health_core::share::sample::typical_report();
    let link = acr_health_core::share::link(SAMPLE_PAGE_URL, &report);
    println!(
        "share link of a typical report with helper results: {} characters (limit 2,000)",
        group_digits(link.len() as u64)
    );
    Ok(())
}

/// A page address of typical length for the link-length figure; links start with it.
const SAMPLE_PAGE_URL: &str = "https://acr-health.example.test/tools/acr-health/";

fn gzip_size(file: &Path) -> StepResult<u64> {
    let mut command = Command::new("gzip");
    command.arg("-9").arg("--stdout").arg(file);
    let output = command.output().map_err(|err| {
        Failure::new("sizes", format!("cannot run gzip: {err}")).with_hint(step::render(&command))
    })?;
    if !output.status.success() {
        return Err(
            Failure::new("sizes", format!("gzip failed on {}", file.display()))
                .with_hint(step::render(&command)),
        );
    }
    Ok(output.stdout.len() as u64)
}

fn group_digits(number: u64) -> String {
    let digits = number.to_string();
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// Describes everything `dist/` is made from: the compiled wasm, the static files, the tools and
/// the recipe. Files are described by path, size and modification time.
fn fingerprint_inputs(
    project: &Project,
    wasm: &Path,
    wasm_bindgen: &Path,
    wasm_opt: &Path,
) -> String {
    let mut lines = vec![RECIPE.to_string()];
    for path in [
        wasm,
        wasm_bindgen,
        wasm_opt,
        &project.root.join("index.html"),
    ] {
        lines.push(describe_file(path));
    }
    lines.push(fingerprint_tree(&project.root.join("www")));
    lines.join("\n")
}

fn fingerprint_tree(dir: &Path) -> String {
    match list_files(dir) {
        Ok(files) => files
            .iter()
            .map(|file| describe_file(file))
            .collect::<Vec<_>>()
            .join("\n"),
        Err(err) => format!("{}: {err}", dir.display()),
    }
}

fn describe_file(path: &Path) -> String {
    match fs::metadata(path) {
        Ok(meta) => {
            let modified = meta
                .modified()
                .ok()
                .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |since| since.as_nanos());
            format!("{} {} {modified}", path.display(), meta.len())
        }
        Err(err) => format!("{} missing: {err}", path.display()),
    }
}

/// Lists the files under `dir`, recursively, sorted by path.
fn list_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

fn copy_tree(from: &Path, to: &Path) -> StepResult {
    let files = list_files(from).map_err(|err| {
        Failure::new(
            "static files",
            format!("cannot list {}: {err}", from.display()),
        )
    })?;
    create_dir("static files", to)?;
    for file in files {
        let relative = file
            .strip_prefix(from)
            .expect("listed files lie under the listed folder");
        copy_file(&file, &to.join(relative))?;
    }
    Ok(())
}

fn copy_file(from: &Path, to: &Path) -> StepResult {
    if let Some(parent) = to.parent() {
        create_dir("static files", parent)?;
    }
    fs::copy(from, to).map(|_| ()).map_err(|err| {
        Failure::new(
            "static files",
            format!("cannot copy {} to {}: {err}", from.display(), to.display()),
        )
    })
}

fn create_dir(step: &str, dir: &Path) -> StepResult {
    fs::create_dir_all(dir)
        .map_err(|err| Failure::new(step, format!("cannot create {}: {err}", dir.display())))
}

fn remove_dir_if_present(step: &str, dir: &Path) -> StepResult {
    match fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(Failure::new(
            step,
            format!("cannot remove {}: {err}", dir.display()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_grouped_by_thousands() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1000), "1,000");
        assert_eq!(group_digits(152_097), "152,097");
        assert_eq!(group_digits(1_505_933), "1,505,933");
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-test-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("temp folder is writable");
        dir
    }

    #[test]
    fn relative_urls_pass() {
        let dir = scratch("relative");
        fs::write(
            dir.join("index.html"),
            r#"<link href="www/style.css"><script src="./app.js"></script>"#,
        )
        .unwrap();
        assert!(check_relative_urls(&dir).is_ok());
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn root_relative_url_rejected() {
        let dir = scratch("absolute");
        fs::create_dir_all(dir.join("www")).unwrap();
        fs::write(
            dir.join("www/style.css"),
            "body {\n  background: url(/bg.png);\n}\n",
        )
        .unwrap();
        let failure = check_relative_urls(&dir).expect_err("url(/bg.png) is root-relative");
        assert!(
            failure.detail.contains("www/style.css:2"),
            "{}",
            failure.detail
        );
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn swap_replaces_old_dist() {
        let dir = scratch("swap");
        let (staging, dist) = (dir.join("dist.tmp"), dir.join("dist"));
        fs::create_dir_all(&staging).unwrap();
        fs::create_dir_all(&dist).unwrap();
        fs::write(staging.join("new.txt"), "new").unwrap();
        fs::write(dist.join("old.txt"), "old").unwrap();

        swap_into_place(&staging, &dist).expect("swap succeeds");

        assert!(dist.join("new.txt").is_file());
        assert!(!dist.join("old.txt").exists());
        assert!(!staging.exists());
        assert!(!dir.join("dist.old").exists());
        fs::remove_dir_all(dir).unwrap();
    }
}
