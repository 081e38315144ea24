//! The login server check: the user's input turned into a login server, or the reason it
//! cannot be one, before any request.

use super::RegistryFinding;
use crate::parse::registry_input::{self, Cloud, LoginServer};
use crate::{CheckId, CheckResult, Code, Evidence, Side, Status};

/// Parses the registry input and reports it as the login server check. Returns the login
/// server to run the other checks against, or `None` when the input is invalid
/// (LOGIN_SERVER_ERROR).
pub fn login_server(input: &str, cloud: Cloud, side: Side) -> (CheckResult, Option<LoginServer>) {
    // The raw input is not recorded: a pasted `docker login -p ...` carries a password.
    match registry_input::parse(input, cloud) {
        Ok(server) => {
            let result = CheckResult {
                check: CheckId::LoginServer,
                side,
                status: Status::Pass,
                code: None,
                finding: RegistryFinding::LoginServer {
                    login_server: server.authority(),
                    cloud: server.cloud,
                }
                .into(),
                evidence: vec![Evidence::new("url", server.base_url())],
                elapsed_ms: 0,
            };
            (result, Some(server))
        }
        Err(error) => {
            let result = CheckResult {
                check: CheckId::LoginServer,
                side,
                status: Status::Fail,
                code: Some(Code::LoginServer),
                finding: RegistryFinding::InvalidInput { error }.into(),
                evidence: Vec::new(),
                elapsed_ms: 0,
            };
            (result, None)
        }
    }
}
