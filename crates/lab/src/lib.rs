//! The acr-health lab: a real CNCF distribution registry behind an authorization front that
//! behaves as Azure Container Registry does, with a switch for each failure the checks name, and
//! an Azure Resource Manager imitation that describes the registry to the ARM checks.
//!
//! Tests start one with [`Lab::start`]; the `lab` binary runs one for the demo.

pub mod arm;
pub mod auth;
mod context;
pub mod control;
pub mod distribution;
mod front;
mod lab;
pub mod process;
pub mod scenario;
mod seed;
mod server;
pub mod state;
mod storage;
pub mod tls;
pub mod token;

pub use arm::scenario::{ArmScenario, ArmScenarioInfo, UnknownArmScenario};
pub use auth::Credentials;
pub use lab::{Lab, LabConfig, Mode, SEED_REPOSITORY, SEED_TAG};
pub use scenario::{Scenario, ScenarioInfo, UnknownScenario};
pub use state::{Current, NeedsTls};
