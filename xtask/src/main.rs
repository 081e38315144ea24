//! `cargo xtask <command>`: set up, build, run and test acr-health with one command each.
//!
//! Every command installs what is missing first (see `setup`), so a fresh clone needs only
//! `cargo xtask run` or `cargo xtask test`.

mod bench;
mod build;
mod project;
mod run;
mod setup;
mod step;
mod test;
mod toolchain;

use std::env;
use std::process::ExitCode;

use project::Project;
use run::RunOptions;
use step::StepResult;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup    install what is missing: Debian packages (as root), wasm-bindgen-cli, npm packages
  build    release build of the page into dist/ (prints each file's raw and gzip size)
  run      build, start the lab's demo registry and the helper serving dist/, print the URL;
           Ctrl-C stops everything
  test     native tests, wasm tests in headless Chromium, build, end-to-end tests
  bench    build, then print page weight, time to first result, diagnosis time and the
           helper's figures against their targets (names pick figures: weight first-result
           critical-path helper)

options of run:
  --port N           the helper's port on 127.0.0.1 (default 8765)
  --login-port N     the lab's login server port (default: the lab's, 5000)
  --storage-port N   the lab's storage port (default: the lab's, 5001)
  --control-port N   the lab's control API port (default: the lab's, 5100)

environment:
  CARGO_TARGET_DIR            native target folder; the wasm build uses its `wasm/` subfolder
  ACR_HEALTH_TOOLS            tools folder for wasm-bindgen (default: .tools in the repository)
  ACR_HEALTH_WASM_TOOLCHAIN   `rustup` or `debian` to force a wasm toolchain path
";

/// Exit status for invalid command-line arguments.
const USAGE_ERROR: u8 = 2;

enum Task {
    Setup,
    Build,
    Run(RunOptions),
    Test,
    Bench(Vec<String>),
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let task = match parse_args(&args) {
        Ok(Some(task)) => task,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(USAGE_ERROR);
        }
    };

    let project = Project::locate();
    match execute(&project, task) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("\nerror: {failure}");
            ExitCode::FAILURE
        }
    }
}

fn execute(project: &Project, task: Task) -> StepResult {
    // Setup is quick when everything is present, and makes each command work on a fresh clone.
    setup::setup(project)?;

    match task {
        Task::Setup => Ok(()),
        Task::Build => build::build(project),
        Task::Run(options) => run::run(project, &options),
        Task::Test => test::test(project),
        Task::Bench(figures) => bench::bench(project, &figures),
    }
}

/// Parses the arguments; `Ok(None)` means help was requested.
fn parse_args(args: &[String]) -> Result<Option<Task>, String> {
    let Some((command, rest)) = args.split_first() else {
        return Ok(None);
    };

    let task = match command.as_str() {
        "help" | "-h" | "--help" => return Ok(None),
        "setup" => Task::Setup,
        "build" => Task::Build,
        "test" => Task::Test,
        "run" => return parse_run_options(rest).map(|options| Some(Task::Run(options))),
        "bench" => return Ok(Some(Task::Bench(rest.to_vec()))),
        other => return Err(format!("unknown command `{other}`")),
    };
    match rest.first() {
        Some(extra) => Err(format!("`{command}` takes no arguments, got `{extra}`")),
        None => Ok(Some(task)),
    }
}

fn parse_run_options(args: &[String]) -> Result<RunOptions, String> {
    let mut options = RunOptions::default();
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| format!("`{flag}` needs a port number"))?;
        let port: u16 = value
            .parse()
            .map_err(|_| format!("`{flag} {value}`: the port must be a number from 0 to 65535"))?;
        match flag.as_str() {
            "--port" => options.helper_port = port,
            "--login-port" => options.login_port = Some(port),
            "--storage-port" => options.storage_port = Some(port),
            "--control-port" => options.control_port = Some(port),
            other => return Err(format!("unknown option `{other}` for run")),
        }
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|arg| arg.to_string()).collect()
    }

    #[test]
    fn no_arguments_shows_help() {
        assert!(matches!(parse_args(&[]), Ok(None)));
    }

    #[test]
    fn run_port_override() {
        let Ok(Some(Task::Run(options))) =
            parse_args(&strings(&["run", "--port", "9000", "--login-port", "0"]))
        else {
            panic!("run with ports parses");
        };
        assert_eq!(options.helper_port, 9000);
        assert_eq!(options.login_port, Some(0));
        assert_eq!(options.storage_port, None);
    }

    #[test]
    fn run_port_not_a_number() {
        let error = parse_args(&strings(&["run", "--port", "http"]))
            .err()
            .expect("rejected");
        assert!(error.contains("--port http"), "{error}");
    }

    #[test]
    fn unknown_command_rejected() {
        let error = parse_args(&strings(&["deploy"])).err().expect("rejected");
        assert_eq!(error, "unknown command `deploy`");
    }

    #[test]
    fn test_takes_no_arguments() {
        assert!(parse_args(&strings(&["test", "--fast"])).is_err());
    }
}
