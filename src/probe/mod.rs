//! The browser's probes: requests made with `fetch`, turned into the core's [`Outcome`]s and
//! handed to the core's rules, which decide every verdict.
//!
//! [`fetch`] is the transport, [`deadline`] its timeout, [`body`] and [`headers`] read the
//! response within bounds, [`reachability`] is the `no-cors` probe, [`registry`] drives the
//! core's registry run step by step, and [`arm`] its ARM run beside it.
//!
//! [`Outcome`]: acr_health_core::rules::registry::Outcome

pub mod arm;
pub mod body;
pub mod clock;
pub mod deadline;
pub mod fetch;
pub mod headers;
pub mod reachability;
pub mod registry;
