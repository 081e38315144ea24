//! The AAD exchange: `POST /oauth2/exchange` trades an Azure AD access token for an ACR
//! refresh token.

use super::answers;
use super::challenge::Bearer;
use super::evidence;
use super::run::Verdict;
use super::{ExpiredCredential, HttpAnswer, HttpRequest, Method, Redirect, RegistryFinding};
use crate::parse::registry_input::LoginServer;
use crate::parse::{jwt, token};
use crate::{CheckId, Code};

/// Builds the exchange request as a form POST, which needs no CORS preflight.
pub(crate) fn request(
    server: &LoginServer,
    bearer: &Bearer,
    aad_token: &str,
    tenant: Option<&str>,
) -> HttpRequest {
    let mut form = vec![
        ("grant_type".to_owned(), "access_token".to_owned()),
        ("service".to_owned(), bearer.service.clone()),
    ];
    // Without a tenant given, the AAD token's own `tid` names it.
    let token_tenant = jwt::decode(aad_token).ok().and_then(|claims| claims.tid);
    let tenant = tenant
        .map(str::trim)
        .filter(|tenant| !tenant.is_empty())
        .map(str::to_owned)
        .or(token_tenant);
    if let Some(tenant) = tenant {
        form.push(("tenant".to_owned(), tenant));
    }
    form.push(("access_token".to_owned(), aad_token.to_owned()));

    HttpRequest {
        check: CheckId::AadExchange,
        method: Method::Post,
        url: format!("{}/oauth2/exchange", server.base_url()),
        form,
        basic: None,
        bearer: None,
        accept: None,
        redirect: Redirect::Follow,
    }
}

/// Judges the exchange response. Returns the refresh token on success.
pub(crate) fn judge(
    answer: &HttpAnswer,
    aad_token: &str,
    now_ms: u64,
    elapsed_ms: u32,
) -> (Verdict, Option<String>) {
    let url = evidence::redact_url(&answer.url);
    match answer.status {
        200..=299 => {}
        401 => {
            // An expired AAD token is the usual cause; say so when the token shows it.
            let verdict = match expired_at(aad_token, now_ms) {
                Some(expired_at_ms) => Verdict::fail(
                    Code::ConnectivityRefreshToken,
                    RegistryFinding::CredentialExpired {
                        url,
                        credential: ExpiredCredential::AadToken,
                        expired_at_ms,
                    },
                    evidence::answer(answer, elapsed_ms),
                ),
                None => answers::rejected(Code::ConnectivityRefreshToken, answer, elapsed_ms),
            };
            return (verdict, None);
        }
        403 => return (answers::forbidden(answer, elapsed_ms), None),
        429 => return (answers::too_many_requests(answer, elapsed_ms), None),
        _ => {
            return (
                answers::rejected(Code::ConnectivityRefreshToken, answer, elapsed_ms),
                None,
            )
        }
    }

    let evidence = evidence::answer(answer, elapsed_ms);
    let parsed = token::parse(&answer.body);
    let refresh = parsed
        .as_ref()
        .ok()
        .and_then(|parsed| parsed.refresh().map(str::to_owned));
    match refresh {
        Some(refresh) => {
            let expires_at_ms = jwt::decode(&refresh)
                .ok()
                .and_then(|claims| claims.exp)
                .and_then(|exp| u64::try_from(exp).ok())
                .map(|exp| exp.saturating_mul(1_000));
            // An already expired refresh token is reported, and the token step still runs to
            // show what the registry does with it.
            let verdict = match expires_at_ms.filter(|exp| *exp <= now_ms) {
                Some(expired_at_ms) => Verdict::warn(
                    Code::ConnectivityRefreshToken,
                    RegistryFinding::RefreshTokenIssuedExpired { url, expired_at_ms },
                    evidence,
                ),
                None => Verdict::pass(
                    RegistryFinding::RefreshTokenIssued { url, expires_at_ms },
                    evidence,
                ),
            };
            (verdict, Some(refresh))
        }
        None => {
            let finding = RegistryFinding::TokenMissing {
                url,
                field: "refresh_token".to_owned(),
                problem: parsed.err(),
            };
            (
                Verdict::fail(Code::ConnectivityRefreshToken, finding, evidence),
                None,
            )
        }
    }
}

/// Returns when a JWT expired, in Unix milliseconds, if it is a JWT whose `exp` is past.
pub(crate) fn expired_at(token: &str, now_ms: u64) -> Option<u64> {
    let exp = jwt::decode(token).ok()?.exp?;
    let exp_ms = u64::try_from(exp).ok()?.saturating_mul(1_000);
    (exp_ms <= now_ms).then_some(exp_ms)
}
