//! The part of acr-health that runs on both sides: compiled to WebAssembly for the page and
//! natively for the helper.
//!
//! It does no I/O. The page and the helper make requests and run commands, record what they
//! observed, and hand the observations to [`rules`], so the same server behaviour gets the same
//! [`Code`] wherever it was seen. Everything a user reads comes from here in English and Korean:
//! the [`catalog`] explains each code, and each [`Finding`] explains one result.

pub mod catalog;
pub mod check;
pub mod code;
pub mod finding;
pub mod lang;
mod nodes;
pub mod parse;
pub mod render;
pub mod report;
pub mod rules;
pub mod share;
mod texts;

pub use check::{CheckId, CheckResult, Evidence, Side, Status};
pub use code::{Code, Severity};
pub use finding::{Finding, Localize};
pub use lang::Lang;
pub use report::Report;
