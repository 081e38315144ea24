//! Parsers for what registries, Azure Resource Manager and users send: challenge headers, token
//! responses, JWT claims, ACR and ARM answers, `Date` headers and registry input.
//!
//! Each parser takes bytes or text as received and returns typed data or an error that says
//! what was wrong with the input. None of them panics on hostile input, and none of their
//! errors or `Debug` output repeats a secret found in the input.

pub mod acr_error;
pub mod arm;
pub mod challenge;
pub mod http_date;
pub mod jwt;
mod punycode;
pub mod registry_input;
pub mod token;
