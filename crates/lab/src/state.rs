//! The settings a running lab switches at run time: scenario, latency, clock skew and the ARM
//! scenario.

use std::sync::RwLock;
use std::time::{Duration, SystemTime};

use serde::{Serialize, Serializer};

use crate::arm::scenario::ArmScenario;
use crate::scenario::Scenario;

/// The behaviour in force for every request the lab serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Current {
    #[serde(serialize_with = "scenario_name")]
    pub scenario: Scenario,
    /// Delay added before every response of the login server and the storage listener, in ms.
    pub latency_ms: u64,
    /// How far the registry's clock is off, in minutes; only the `clock-skew` scenario uses it.
    pub skew_minutes: i64,
}

/// The error for a scenario the lab cannot serve in its current mode.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("scenario '{0}' swaps the TLS certificate, so it needs the lab started with --tls")]
pub struct NeedsTls(pub &'static str);

/// The shared, switchable settings.
#[derive(Debug)]
pub struct Settings {
    current: RwLock<Current>,
    /// Kept apart from [`Current`], whose fields callers construct, so that ARM stays optional.
    arm: RwLock<ArmScenario>,
    /// Whether the lab serves TLS, which the `tls-*` scenarios require.
    tls: bool,
}

impl Settings {
    /// Creates the settings with `initial` in force, checking that it fits the mode.
    pub fn new(initial: Current, tls: bool) -> Result<Self, NeedsTls> {
        let settings = Self {
            current: RwLock::new(initial),
            arm: RwLock::new(ArmScenario::default()),
            tls,
        };
        settings.set(initial)?;
        Ok(settings)
    }

    /// Returns a copy of the settings in force.
    pub fn current(&self) -> Current {
        *self
            .current
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Replaces the settings in force.
    pub fn set(&self, next: Current) -> Result<(), NeedsTls> {
        if next.scenario.needs_tls() && !self.tls {
            return Err(NeedsTls(next.scenario.name()));
        }
        *self
            .current
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = next;
        Ok(())
    }

    /// Returns the ARM scenario in force.
    pub fn arm(&self) -> ArmScenario {
        *self
            .arm
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Replaces the ARM scenario in force.
    pub fn set_arm(&self, next: ArmScenario) {
        *self
            .arm
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = next;
    }

    /// Returns the registry's notion of now: the real clock, moved by the skew in the
    /// `clock-skew` scenario.
    pub fn registry_now(&self) -> SystemTime {
        let current = self.current();
        let now = SystemTime::now();
        if current.scenario != Scenario::ClockSkew {
            return now;
        }
        let shift = Duration::from_secs(current.skew_minutes.unsigned_abs() * 60);
        if current.skew_minutes >= 0 {
            now + shift
        } else {
            now - shift
        }
    }
}

fn scenario_name<S: Serializer>(scenario: &Scenario, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(scenario.name())
}
