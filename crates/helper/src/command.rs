//! Running local programs: found without a shell, fixed arguments, bounded in time and output.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use acr_health_core::rules::environment::{CommandLookup, CommandOutcome, CommandRun, OverrideVar};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::Command;

/// Bytes of standard output and of standard error kept per run. The rest is read and dropped,
/// so the program does not block on a full pipe.
pub const MAX_OUTPUT_BYTES: usize = 64 * 1024;

/// The parts of the process environment the checks read. Tests build one by hand instead of
/// changing the test process's own environment.
#[derive(Clone, Debug, Default)]
pub struct HostEnv {
    /// `PATH`, as the programs are searched in.
    pub path: Option<OsString>,
    /// Variables that name a program instead of a `PATH` search, such as `DOCKER_COMMAND`.
    pub overrides: Vec<(String, String)>,
    /// Variables set for every program run, on top of the inherited environment (such as
    /// `DOCKER_HOST` in tests).
    pub extra: Vec<(String, String)>,
}

impl HostEnv {
    /// Reads the environment of this process.
    pub fn from_process() -> HostEnv {
        let overrides = [
            acr_health_core::rules::environment::DOCKER_COMMAND_VAR,
            crate::arm::az::AZ_COMMAND_VAR,
        ]
        .into_iter()
        .filter_map(|name| {
            let value = std::env::var(name).ok()?;
            (!value.trim().is_empty()).then(|| (name.to_owned(), value))
        })
        .collect();
        HostEnv {
            path: std::env::var_os("PATH"),
            overrides,
            extra: Vec::new(),
        }
    }

    /// Finds `name`, or the program the variable `override_var` names when it is set.
    pub fn lookup(&self, name: &str, override_var: Option<&str>) -> CommandLookup {
        let override_value = override_var.and_then(|var| {
            self.overrides
                .iter()
                .find(|(key, _)| key == var)
                .map(|(key, value)| OverrideVar {
                    name: key.clone(),
                    value: value.clone(),
                })
        });

        let found = match &override_value {
            Some(var)
                if var.value.contains(std::path::MAIN_SEPARATOR) || var.value.contains('/') =>
            {
                let path = PathBuf::from(&var.value);
                is_executable(&path).then_some(path)
            }
            Some(var) => self.search_path(&var.value),
            None => self.search_path(name),
        };
        CommandLookup {
            name: name.to_owned(),
            override_var: override_value,
            found: found.map(|path| path.display().to_string()),
        }
    }

    /// Searches `PATH` for an executable file called `name` (with `.exe` on Windows).
    fn search_path(&self, name: &str) -> Option<PathBuf> {
        let path = self.path.as_ref()?;
        let file_name = if cfg!(windows) {
            format!("{name}.exe")
        } else {
            name.to_owned()
        };
        std::env::split_paths(path)
            .filter(|dir| dir.is_absolute())
            .map(|dir| dir.join(&file_name))
            .find(|candidate| is_executable(candidate))
    }
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// Runs `program` with `args` (no shell), kills it after `timeout`, and records how it ended.
///
/// The child's standard input is empty. Its output is kept up to [`MAX_OUTPUT_BYTES`] per
/// stream and decoded as UTF-8 with replacement characters. Every run is logged with its exit
/// status and duration; arguments are fixed by the caller and hold no secret.
pub async fn run(program: &str, args: &[&str], env: &HostEnv, timeout: Duration) -> CommandRun {
    let started = Instant::now();
    let mut command = Command::new(program);
    command
        .args(args)
        .envs(env.extra.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);

    let record = |outcome: CommandOutcome, started: Instant| {
        let run = CommandRun {
            program: program.to_owned(),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            outcome,
            elapsed_ms: elapsed_ms(started),
        };
        log(&run);
        run
    };

    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(err) => {
            return record(
                CommandOutcome::NotStarted {
                    detail: err.to_string(),
                },
                started,
            )
        }
    };

    let stdout = tokio::spawn(read_bounded(child.stdout.take()));
    let stderr = tokio::spawn(read_bounded(child.stderr.take()));

    let waited = tokio::time::timeout(timeout, child.wait()).await;
    if waited.is_err() {
        if let Err(err) = child.kill().await {
            tracing::error!(program, cause = %err, "failed to kill a timed-out command");
        }
    }

    // The pipes close when the child exits. A grandchild that inherited them could keep them
    // open, so the readers get a short grace period and whatever they read so far is used.
    let (out, out_truncated) = join_reader(stdout).await;
    let (err, err_truncated) = join_reader(stderr).await;

    let outcome = match waited {
        Ok(Ok(status)) => CommandOutcome::Exited {
            code: status.code(),
            stdout: out,
            stderr: err,
            truncated: out_truncated || err_truncated,
        },
        Ok(Err(wait_err)) => CommandOutcome::NotStarted {
            detail: format!("waiting for the process failed: {wait_err}"),
        },
        Err(_) => CommandOutcome::TimedOut {
            after_ms: u32::try_from(timeout.as_millis()).unwrap_or(u32::MAX),
            stdout: out,
            stderr: err,
        },
    };
    record(outcome, started)
}

async fn join_reader(handle: tokio::task::JoinHandle<(Vec<u8>, bool)>) -> (String, bool) {
    match tokio::time::timeout(Duration::from_secs(1), handle).await {
        Ok(Ok((bytes, truncated))) => (String::from_utf8_lossy(&bytes).into_owned(), truncated),
        Ok(Err(err)) => {
            tracing::error!(cause = %err, "output reader task failed");
            (String::new(), false)
        }
        Err(_) => {
            tracing::warn!("output pipe still open after the command ended; output dropped");
            (String::new(), true)
        }
    }
}

/// Reads a pipe to its end, keeping the first [`MAX_OUTPUT_BYTES`]. Returns the bytes kept and
/// whether any were dropped.
async fn read_bounded(pipe: Option<impl AsyncRead + Unpin>) -> (Vec<u8>, bool) {
    let Some(mut pipe) = pipe else {
        return (Vec::new(), false);
    };
    let mut kept = Vec::new();
    let mut truncated = false;
    let mut buffer = [0u8; 8192];
    loop {
        match pipe.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let room = MAX_OUTPUT_BYTES.saturating_sub(kept.len());
                kept.extend_from_slice(&buffer[..n.min(room)]);
                truncated |= n > room;
            }
        }
    }
    (kept, truncated)
}

fn elapsed_ms(started: Instant) -> u32 {
    u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX)
}

fn log(run: &CommandRun) {
    let args = run.args.join(" ");
    match &run.outcome {
        CommandOutcome::Exited { code, .. } => tracing::info!(
            program = %run.program, %args, exit_status = ?code, elapsed_ms = run.elapsed_ms, "command finished"
        ),
        CommandOutcome::TimedOut { after_ms, .. } => tracing::warn!(
            program = %run.program, %args, after_ms, "command timed out and was killed"
        ),
        CommandOutcome::NotStarted { detail } => tracing::warn!(
            program = %run.program, %args, cause = %detail, "command could not be started"
        ),
    }
}
