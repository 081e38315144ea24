//! The challenge: `GET /v2/` without credentials must respond with 401 and a Bearer challenge
//! that names the token endpoint (`realm`) and the `service` to ask tokens for.

use super::answers;
use super::evidence;
use super::run::Verdict;
use super::{ChallengeProblem, HttpAnswer, HttpRequest, Method, Redirect, RegistryFinding};
use crate::parse::challenge;
use crate::parse::registry_input::LoginServer;
use crate::{CheckId, Code, Side};

/// Longest realm URL accepted; a longer one is treated as hostile.
const MAX_REALM_LEN: usize = 2_048;

/// The Bearer challenge parameters the token steps need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Bearer {
    pub realm: String,
    pub service: String,
}

/// Builds `GET <login server>/v2/`. Redirects are not followed: a login server that redirects
/// `/v2/` is misconfigured, and the run reports where it pointed.
pub(crate) fn request(server: &LoginServer) -> HttpRequest {
    HttpRequest {
        check: CheckId::Challenge,
        method: Method::Get,
        url: format!("{}/v2/", server.base_url()),
        form: Vec::new(),
        basic: None,
        bearer: None,
        accept: None,
        redirect: Redirect::Manual,
    }
}

/// Judges the response to `GET /v2/`. `aad_requested` is true when the user gave an Azure AD
/// token. Then a challenge that is not Bearer, or a Bearer challenge without realm or service,
/// means the registry cannot take an Azure AD login: CONNECTIVITY_AAD_LOGIN_ERROR, as
/// `az acr check-health` reports it. Without an Azure AD token both are
/// CONNECTIVITY_CHALLENGE_ERROR.
pub(crate) fn judge(
    answer: &HttpAnswer,
    elapsed_ms: u32,
    aad_requested: bool,
    side: Side,
) -> (Verdict, Option<Bearer>) {
    let url = evidence::redact_url(&answer.url);
    let evidence = evidence::answer(answer, elapsed_ms);
    let fail = |finding| Verdict::fail(Code::ConnectivityChallenge, finding, evidence.clone());
    let no_aad_login_code = if aad_requested {
        Code::ConnectivityAadLogin
    } else {
        Code::ConnectivityChallenge
    };

    match answer.status {
        401 => {}
        403 => return (answers::forbidden(answer, elapsed_ms), None),
        429 => return (answers::too_many_requests(answer, elapsed_ms), None),
        // An opaque redirect in the browser, or a 3xx the transport did not follow.
        0 | 300..=399 => {
            let location = answer
                .header("location")
                .map(|location| evidence::cut(&evidence::redact_url(&location), 512));
            let finding = RegistryFinding::Redirected {
                url,
                status: answer.status,
                location,
            };
            return (fail(finding), None);
        }
        status => return (fail(RegistryFinding::NoChallenge { url, status }), None),
    }

    // 401: the challenge header must be there and parse.
    let Some(header) = answer.header("www-authenticate") else {
        let finding = RegistryFinding::ChallengeHeaderMissing {
            url,
            in_browser: side == Side::Browser,
        };
        return (fail(finding), None);
    };
    let challenges = match challenge::parse(&header) {
        Ok(challenges) => challenges,
        Err(problem) => {
            let finding = RegistryFinding::ChallengeUnreadable {
                url,
                problem: ChallengeProblem::Syntax(problem),
            };
            return (fail(finding), None);
        }
    };

    // A Bearer challenge among them, with a realm URL and a service.
    let Some(bearer) = challenges.iter().find(|challenge| challenge.is("bearer")) else {
        let mut schemes: Vec<String> = challenges
            .iter()
            .map(|c| display_scheme(&c.scheme))
            .collect();
        schemes.dedup();
        let finding = RegistryFinding::NotBearer { url, schemes };
        return (Verdict::fail(no_aad_login_code, finding, evidence), None);
    };
    if bearer.token68.is_some() {
        let finding = RegistryFinding::ChallengeUnreadable {
            url,
            problem: ChallengeProblem::BearerToken68,
        };
        return (fail(finding), None);
    }
    let registry_https = answer.url.to_ascii_lowercase().starts_with("https://");
    let realm = bearer
        .param("realm")
        .filter(|realm| is_realm_url(realm, registry_https));
    let service = bearer
        .param("service")
        .filter(|service| !service.is_empty());
    match (realm, service) {
        (Some(realm), Some(service)) => {
            let finding = RegistryFinding::ChallengeIssued {
                url,
                realm: evidence::redact_url(realm),
                service: evidence::cut(service, 256),
            };
            let params = Bearer {
                realm: realm.to_owned(),
                service: service.to_owned(),
            };
            (Verdict::pass(finding, evidence), Some(params))
        }
        (realm, service) => {
            let mut missing = Vec::new();
            if realm.is_none() {
                missing.push("realm".to_owned());
            }
            if service.is_none() {
                missing.push("service".to_owned());
            }
            let finding = RegistryFinding::BearerIncomplete {
                url,
                missing,
                aad_requested,
            };
            (Verdict::fail(no_aad_login_code, finding, evidence), None)
        }
    }
}

/// Tells whether a realm is a URL credentials may be sent to. A registry reached over HTTPS
/// must not send them to a plain-HTTP realm, where anyone on the path could read them.
fn is_realm_url(realm: &str, registry_https: bool) -> bool {
    let lower = realm.to_ascii_lowercase();
    let scheme_ok =
        lower.starts_with("https://") || (!registry_https && lower.starts_with("http://"));
    realm.len() <= MAX_REALM_LEN
        && scheme_ok
        && !realm
            .chars()
            .any(|ch| ch.is_whitespace() || ch.is_control())
}

fn display_scheme(scheme: &str) -> String {
    let mut chars = scheme.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
