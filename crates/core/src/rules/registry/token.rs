//! The access token for `repository:<repo>:pull`, requested the way the credential allows, and
//! the actions the returned JWT grants.
//!
//! The scope is always a repository scope: `az acr check-health` asks for `registry:None:*`,
//! which no registry grants.

use super::answers;
use super::challenge::Bearer;
use super::evidence;
use super::exchange::expired_at;
use super::run::Verdict;
use super::{
    encode_form, ExpiredCredential, HttpAnswer, HttpRequest, Method, Redirect, RegistryFinding,
    TokenFlow, MAX_CLOCK_SKEW_MS,
};
use crate::parse::http_date;
use crate::parse::jwt::{self, Claims};
use crate::parse::token;
use crate::{CheckId, Code, Evidence};

/// The actions requested on the repository.
pub(crate) const REQUESTED_ACTIONS: [&str; 1] = ["pull"];

/// Returns the scope requested for a repository.
pub(crate) fn scope(repository: &str) -> String {
    format!("repository:{repository}:{}", REQUESTED_ACTIONS.join(","))
}

/// The credential data a token request sends.
pub(crate) enum Grant<'a> {
    RefreshToken(&'a str),
    Password {
        username: &'a str,
        password: &'a str,
    },
    Basic {
        username: &'a str,
        password: &'a str,
    },
    Anonymous,
}

impl Grant<'_> {
    pub(crate) fn flow(&self) -> TokenFlow {
        match self {
            Grant::RefreshToken(_) => TokenFlow::RefreshToken,
            Grant::Password { .. } => TokenFlow::Password,
            Grant::Basic { .. } => TokenFlow::Basic,
            Grant::Anonymous => TokenFlow::Anonymous,
        }
    }
}

/// Builds the token request. The OAuth2 grants are form POSTs, which need no CORS preflight;
/// Basic and anonymous requests are GETs with the service and scope in the query.
pub(crate) fn request(bearer: &Bearer, scope: &str, grant: &Grant<'_>) -> HttpRequest {
    let service = ("service".to_owned(), bearer.service.clone());
    let scope = ("scope".to_owned(), scope.to_owned());
    let post = |fields: Vec<(String, String)>| HttpRequest {
        check: CheckId::AccessToken,
        method: Method::Post,
        url: bearer.realm.clone(),
        form: fields,
        basic: None,
        bearer: None,
        accept: None,
        redirect: Redirect::Follow,
    };
    let get = |basic: Option<(String, String)>| {
        let separator = if bearer.realm.contains('?') { '&' } else { '?' };
        HttpRequest {
            check: CheckId::AccessToken,
            method: Method::Get,
            url: format!(
                "{}{separator}{}",
                bearer.realm,
                encode_form(&[service.clone(), scope.clone()])
            ),
            form: Vec::new(),
            basic,
            bearer: None,
            accept: None,
            redirect: Redirect::Follow,
        }
    };

    match grant {
        Grant::RefreshToken(refresh) => post(vec![
            ("grant_type".to_owned(), "refresh_token".to_owned()),
            service.clone(),
            scope.clone(),
            ("refresh_token".to_owned(), (*refresh).to_owned()),
        ]),
        Grant::Password { username, password } => post(vec![
            ("grant_type".to_owned(), "password".to_owned()),
            service.clone(),
            scope.clone(),
            ("username".to_owned(), (*username).to_owned()),
            ("password".to_owned(), (*password).to_owned()),
        ]),
        Grant::Basic { username, password } => {
            get(Some(((*username).to_owned(), (*password).to_owned())))
        }
        Grant::Anonymous => get(None),
    }
}

/// The next step after a token response.
pub(crate) enum Judgement {
    /// A token to use for the data path, with the verdict and the claims if it is a JWT.
    Granted {
        verdict: Verdict,
        token: String,
        claims: Option<Claims>,
        /// False when the token lacks `pull`, so the data path cannot work.
        can_pull: bool,
    },
    /// The password grant is not supported here: retry as a Basic GET.
    FallBackToBasic,
    /// The step failed.
    Failed(Verdict),
}

/// Judges a token response. `refresh_token` is the refresh token sent, if any, so that a 401 for
/// an expired one is reported as such.
pub(crate) fn judge(
    answer: &HttpAnswer,
    flow: TokenFlow,
    repository: &str,
    refresh_token: Option<&str>,
    now_ms: u64,
    elapsed_ms: u32,
) -> Judgement {
    let url = evidence::redact_url(&answer.url);
    match answer.status {
        200..=299 => {}
        // A token server without the password grant responds with 400, 404 or 405, and a wrong
        // password 401; the Basic GET tells the two apart.
        400 | 401 | 404 | 405 if flow == TokenFlow::Password => return Judgement::FallBackToBasic,
        401 => {
            if let Some(expired_at_ms) = refresh_token.and_then(|token| expired_at(token, now_ms)) {
                return Judgement::Failed(Verdict::fail(
                    Code::ConnectivityAccessToken,
                    RegistryFinding::CredentialExpired {
                        url,
                        credential: ExpiredCredential::RefreshToken,
                        expired_at_ms,
                    },
                    evidence::answer(answer, elapsed_ms),
                ));
            }
            return Judgement::Failed(answers::rejected(
                Code::ConnectivityAccessToken,
                answer,
                elapsed_ms,
            ));
        }
        403 => return Judgement::Failed(answers::forbidden(answer, elapsed_ms)),
        429 => return Judgement::Failed(answers::too_many_requests(answer, elapsed_ms)),
        _ => {
            return Judgement::Failed(answers::rejected(
                Code::ConnectivityAccessToken,
                answer,
                elapsed_ms,
            ))
        }
    }

    // A success status must carry a token.
    let mut evidence = evidence::answer(answer, elapsed_ms);
    let parsed = token::parse(&answer.body);
    let access = parsed
        .as_ref()
        .ok()
        .and_then(|parsed| parsed.access().map(str::to_owned));
    let Some(access) = access else {
        let finding = RegistryFinding::TokenMissing {
            url,
            field: "access_token".to_owned(),
            problem: parsed.err(),
        };
        return Judgement::Failed(Verdict::fail(
            Code::ConnectivityAccessToken,
            finding,
            evidence,
        ));
    };

    // A registry token is a JWT whose `access` claim lists the grants.
    let claims = match jwt::decode(&access) {
        Ok(claims) => claims,
        Err(problem) => {
            let finding = RegistryFinding::TokenNotJwt { url, flow, problem };
            return Judgement::Granted {
                verdict: Verdict::warn(Code::ConnectivityAccessToken, finding, evidence),
                token: access,
                claims: None,
                can_pull: true,
            };
        }
    };

    // Expiry is judged on the server's clock (`iat`) when the token has it, so that a skewed
    // local clock shows up in the clock check rather than as an expired token.
    let to_ms = |seconds: i64| u64::try_from(seconds).ok().map(|s| s.saturating_mul(1_000));
    let expires_at_ms = claims.exp.and_then(to_ms);
    let reference_ms = claims.iat.and_then(to_ms).unwrap_or(now_ms);
    if let Some(expired_at_ms) =
        expires_at_ms.filter(|exp| exp.saturating_add(MAX_CLOCK_SKEW_MS) < reference_ms)
    {
        let finding = RegistryFinding::TokenExpired { url, expired_at_ms };
        return Judgement::Failed(Verdict::fail(
            Code::ConnectivityAccessToken,
            finding,
            evidence,
        ));
    }

    let granted: Vec<String> = claims.access.iter().map(|access| access.scope()).collect();
    let granted_actions: Vec<&str> = claims
        .access
        .iter()
        .filter(|access| access.kind == "repository" && access.name == repository)
        .flat_map(|access| access.actions.iter().map(String::as_str))
        .collect();
    let missing: Vec<String> = REQUESTED_ACTIONS
        .iter()
        .filter(|action| !granted_actions.contains(action) && !granted_actions.contains(&"*"))
        .map(|action| (*action).to_owned())
        .collect();

    let scope = scope(repository);
    evidence.push(Evidence::new("scope", scope.clone()));
    evidence.push(Evidence::new("granted", granted.join(" ")));
    if let Some(expires_at_ms) = expires_at_ms {
        evidence.push(Evidence::new(
            "expires_at",
            http_date::format_utc(expires_at_ms),
        ));
    }
    let can_pull = missing.is_empty();
    let verdict = if can_pull {
        let finding = RegistryFinding::TokenGranted {
            url,
            flow,
            scope,
            granted,
            expires_at_ms,
        };
        Verdict::pass(finding, evidence)
    } else {
        let finding = RegistryFinding::FewerActions {
            url,
            flow,
            scope,
            granted,
            missing,
            expires_at_ms,
        };
        Verdict::warn(Code::ConnectivityAccessToken, finding, evidence)
    };
    Judgement::Granted {
        verdict,
        token: access,
        claims: Some(claims),
        can_pull,
    }
}
