//! The acr-health companion that runs on the user's machine.
//!
//! It does what a browser cannot: it runs the local Docker, Helm and Notary clients, and it
//! talks to the registry through the machine's own network stack. It offers this to the page
//! through a small localhost API ([`serve`]) and to a terminal through `check`. Every verdict
//! comes from the rules in `acr_health_core`, so the page and the helper agree on codes.

pub mod arm;
pub mod browser;
pub mod check;
pub mod cli;
pub mod command;
pub mod environment;
pub mod pairing;
pub mod registry;
pub mod run;
pub mod serve;

/// The helper's version, reported by `--version` and by the capabilities endpoint.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
