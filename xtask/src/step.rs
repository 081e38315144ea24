//! Named steps: each runs one command, and a failure names the step and the command to run by
//! hand.

use std::fmt;
use std::process::{Command, ExitStatus, Stdio};
use std::time::Instant;

/// A failed step: which one, what went wrong, and what the user can run by hand.
#[derive(Debug)]
pub struct Failure {
    pub step: String,
    pub detail: String,
    pub by_hand: Option<String>,
}

impl Failure {
    pub fn new(step: &str, detail: impl Into<String>) -> Failure {
        Failure {
            step: step.to_string(),
            detail: detail.into(),
            by_hand: None,
        }
    }

    pub fn with_hint(mut self, by_hand: impl Into<String>) -> Failure {
        self.by_hand = Some(by_hand.into());
        self
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "step `{}` failed: {}", self.step, self.detail)?;
        if let Some(by_hand) = &self.by_hand {
            write!(f, "\n  to retry it by hand: {by_hand}")?;
        }
        Ok(())
    }
}

pub type StepResult<T = ()> = Result<T, Failure>;

/// Prints the heading of a step, so that the log shows where time goes.
pub fn announce(step: &str, what: &str) {
    eprintln!("==> {step}: {what}");
}

/// Runs `command` with inherited stdout and stderr; fails the step on a non-zero exit.
pub fn run(step: &str, command: &mut Command) -> StepResult {
    let shown = render(command);
    eprintln!("    $ {shown}");
    let started = Instant::now();

    let status = command.status().map_err(|err| {
        Failure::new(step, format!("could not start `{shown}`: {err}")).with_hint(shown.clone())
    })?;

    check_status(step, command, status)?;
    eprintln!("    ({step} took {:.1} s)", started.elapsed().as_secs_f64());
    Ok(())
}

/// Runs `command` quietly and returns its stdout, or `None` when it cannot start or exits
/// non-zero. For probes such as `tool --version`, where failure only means "not there".
pub fn probe(command: &mut Command) -> Option<String> {
    let output = command
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if output.status.success() {
        Some(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        None
    }
}

fn check_status(step: &str, command: &Command, status: ExitStatus) -> StepResult {
    if status.success() {
        return Ok(());
    }
    let how = match status.code() {
        Some(code) => format!("exited with status {code}"),
        None => "was stopped by a signal".to_string(),
    };
    let program = command.get_program().to_string_lossy();
    Err(Failure::new(step, format!("`{program}` {how}")).with_hint(render(command)))
}

/// Renders a command as a shell line: the environment variables it sets, the working folder
/// when one is set, the program and its arguments, each quoted where needed.
pub fn render(command: &Command) -> String {
    let mut parts = Vec::new();

    if let Some(dir) = command.get_current_dir() {
        parts.push(format!("cd {} &&", quote(&dir.to_string_lossy())));
    }
    for (name, value) in command.get_envs() {
        if let Some(value) = value {
            parts.push(format!(
                "{}={}",
                name.to_string_lossy(),
                quote(&value.to_string_lossy())
            ));
        }
    }
    parts.push(quote(&command.get_program().to_string_lossy()));
    for arg in command.get_args() {
        parts.push(quote(&arg.to_string_lossy()));
    }

    parts.join(" ")
}

fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_quotes_spaces_and_quotes() {
        let mut command = Command::new("echo");
        command.arg("a b").arg("it's").env("FOO", "1");
        assert_eq!(render(&command), r#"FOO=1 echo 'a b' 'it'\''s'"#);
    }

    #[test]
    fn render_shows_working_folder() {
        let mut command = Command::new("npm");
        command.arg("ci").current_dir("/tmp/x y");
        assert_eq!(render(&command), "cd '/tmp/x y' && npm ci");
    }

    #[test]
    fn failure_names_step_and_retry() {
        let failure = Failure::new("wasm-opt", "`wasm-opt` exited with status 1")
            .with_hint("wasm-opt -Oz a.wasm");
        let text = failure.to_string();
        assert!(text.starts_with("step `wasm-opt` failed: "));
        assert!(text.contains("to retry it by hand: wasm-opt -Oz a.wasm"));
    }

    #[test]
    fn failed_command_reports_status() {
        let result = run("false", &mut Command::new("false"));
        let failure = result.expect_err("`false` exits with status 1");
        assert_eq!(failure.step, "false");
        assert!(failure.detail.contains("status 1"), "{}", failure.detail);
    }
}
