//! Observations of local commands, as the helper records them.

use serde::{Deserialize, Serialize};

use crate::Evidence;

/// Largest part of a command's output kept as evidence, in characters.
pub const EVIDENCE_OUTPUT_CHARS: usize = 2000;

/// The lookup of a command: where it was searched for, and what was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandLookup {
    /// The command as a user knows it: `docker`, `helm`, `notary`.
    pub name: String,
    /// The environment variable that may name the program (`DOCKER_COMMAND`), when it was set.
    pub override_var: Option<OverrideVar>,
    /// The program found, as an absolute path.
    pub found: Option<String>,
}

/// An environment variable naming the program to use instead of a search of `PATH`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverrideVar {
    pub name: String,
    pub value: String,
}

/// The end of a command run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CommandOutcome {
    /// The program ran to its end.
    Exited {
        /// Exit code, or `None` when a signal ended it.
        code: Option<i32>,
        stdout: String,
        stderr: String,
        /// The program wrote more than the helper keeps; the rest was discarded.
        truncated: bool,
    },
    /// The program did not finish in time and was killed.
    TimedOut {
        after_ms: u32,
        stdout: String,
        stderr: String,
    },
    /// The program could not be started (not found, not executable).
    NotStarted { detail: String },
}

/// One run of a local program with fixed arguments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandRun {
    /// The program as run, usually an absolute path.
    pub program: String,
    pub args: Vec<String>,
    pub outcome: CommandOutcome,
    pub elapsed_ms: u32,
}

impl CommandRun {
    /// Tells whether the program exited with status 0.
    pub fn succeeded(&self) -> bool {
        matches!(self.outcome, CommandOutcome::Exited { code: Some(0), .. })
    }

    /// Returns standard output followed by standard error, whatever the outcome.
    pub fn output(&self) -> String {
        match &self.outcome {
            CommandOutcome::Exited { stdout, stderr, .. }
            | CommandOutcome::TimedOut { stdout, stderr, .. } => {
                let mut text = stdout.clone();
                if !stdout.is_empty() && !stderr.is_empty() && !stdout.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str(stderr);
                text
            }
            CommandOutcome::NotStarted { .. } => String::new(),
        }
    }

    /// Returns the first non-empty line of standard error, else of standard output: the line
    /// that usually explains why a command failed.
    pub fn first_error_line(&self) -> String {
        let (stdout, stderr) = match &self.outcome {
            CommandOutcome::Exited { stdout, stderr, .. }
            | CommandOutcome::TimedOut { stdout, stderr, .. } => (stdout.as_str(), stderr.as_str()),
            CommandOutcome::NotStarted { detail } => return detail.clone(),
        };
        let first = |text: &str| {
            text.lines()
                .map(str::trim)
                .find(|line| !line.is_empty())
                .map(str::to_owned)
        };
        first(stderr).or_else(|| first(stdout)).unwrap_or_default()
    }

    /// Returns the evidence every command result carries: the command line, how it ended,
    /// how long it took and what it printed (cut to [`EVIDENCE_OUTPUT_CHARS`]).
    pub fn evidence(&self) -> Vec<Evidence> {
        let mut command = self.program.clone();
        for arg in &self.args {
            command.push(' ');
            command.push_str(arg);
        }
        let mut evidence = vec![Evidence::new("command", command)];
        match &self.outcome {
            CommandOutcome::Exited {
                code, truncated, ..
            } => {
                let status =
                    code.map_or_else(|| "killed by a signal".to_owned(), |c| c.to_string());
                evidence.push(Evidence::new("exit_status", status));
                if *truncated {
                    evidence.push(Evidence::new("output_truncated", "true"));
                }
            }
            CommandOutcome::TimedOut { after_ms, .. } => {
                evidence.push(Evidence::new(
                    "exit_status",
                    format!("killed after {after_ms} ms"),
                ));
            }
            CommandOutcome::NotStarted { detail } => {
                evidence.push(Evidence::new(
                    "exit_status",
                    format!("not started: {detail}"),
                ));
            }
        }
        evidence.push(Evidence::new("elapsed_ms", self.elapsed_ms.to_string()));
        let output = self.output();
        if !output.trim().is_empty() {
            evidence.push(Evidence::new("output", cut(&output, EVIDENCE_OUTPUT_CHARS)));
        }
        evidence
    }
}

/// Cuts `text` to at most `max` characters, marking the cut.
pub(crate) fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((index, _)) => format!("{}…", &text[..index]),
        None => text.to_owned(),
    }
}

impl CommandLookup {
    /// Returns the evidence of a lookup: the override variable and the program found.
    pub fn evidence(&self) -> Vec<Evidence> {
        let mut evidence = Vec::new();
        if let Some(var) = &self.override_var {
            evidence.push(Evidence::new(var.name.clone(), var.value.clone()));
        }
        if let Some(path) = &self.found {
            evidence.push(Evidence::new("path", path.clone()));
        }
        evidence
    }
}
