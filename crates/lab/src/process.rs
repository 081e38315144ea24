//! Child processes the lab starts, killed by PID when their handle is dropped.

use std::process::{Child, Command};

use anyhow::Context as _;

/// A running child process that is killed and reaped on drop, also when a test panics.
///
/// NOTE: a lab process that is itself killed with SIGKILL runs no destructor, so its children
/// keep running until they are killed by PID.
#[derive(Debug)]
pub struct Supervised {
    name: &'static str,
    child: Child,
}

impl Supervised {
    /// Spawns `command`; `name` appears in logs and errors.
    pub fn spawn(name: &'static str, command: &mut Command) -> anyhow::Result<Self> {
        let child = command
            .spawn()
            .with_context(|| format!("starting {name} ({command:?}) failed"))?;
        tracing::info!(process = name, pid = child.id(), "started");
        Ok(Self { name, child })
    }

    /// Returns the process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Returns the exit status if the process has already ended.
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }
}

impl Drop for Supervised {
    fn drop(&mut self) {
        if self.exited().is_some() {
            return;
        }
        let pid = self.child.id();
        if let Err(error) = self.child.kill() {
            tracing::warn!(process = self.name, pid, cause = %error, "kill failed");
        }
        match self.child.wait() {
            Ok(status) => tracing::info!(process = self.name, pid, %status, "stopped"),
            Err(error) => tracing::warn!(process = self.name, pid, cause = %error, "wait failed"),
        }
    }
}
