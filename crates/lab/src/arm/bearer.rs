//! Bearer token validation as ARM does it, with ARM's 401 responses.
//!
//! ARM tokens are the lab's "AAD" tokens: ES256 JWTs from the AAD signer, so one lab-minted
//! token works both at ARM and at the registry's exchange, as a real ARM token does. Validation
//! checks, in order: the header is present and a Bearer token, the signature, the audience, the
//! expiry. Times use the real clock, because ARM and Azure AD are not the registry.

use std::time::SystemTime;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::Value;

use super::arm_error;
use crate::token::{unix_seconds, Signer};

/// The audiences public-cloud ARM accepts, in the order its error message lists them.
pub const ALLOWED_AUDIENCES: [&str; 4] = [
    "https://management.core.windows.net/",
    "https://management.core.windows.net",
    "https://management.azure.com/",
    "https://management.azure.com",
];

/// The principal a valid token speaks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    pub object_id: String,
    pub tenant: String,
}

/// The reason ARM rejects a request before it reads the path.
#[derive(Debug, PartialEq, Eq)]
pub enum Rejection {
    /// No `Authorization` header.
    Missing,
    /// A header that is not `Bearer <token>`.
    NotBearer,
    /// A token that is not a JWT signed by the lab.
    Invalid,
    /// A lab-signed token for another resource.
    WrongAudience(String),
    /// A lab-signed token whose `exp` has passed: expiry and now in Unix seconds.
    Expired { expires: i64, now: i64 },
}

/// Validates the request's bearer token.
pub fn authenticate(signer: &Signer, headers: &HeaderMap) -> Result<Caller, Rejection> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or(Rejection::Missing)?;
    let token = value
        .to_str()
        .ok()
        .and_then(|text| {
            text.strip_prefix("Bearer ")
                .or_else(|| text.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .ok_or(Rejection::NotBearer)?;

    let claims = signer
        .verify_signature(token)
        .map_err(|_| Rejection::Invalid)?;
    let text = |name: &str| {
        claims
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };

    let audience = text("aud");
    if !ALLOWED_AUDIENCES.contains(&audience.as_str()) {
        return Err(Rejection::WrongAudience(audience));
    }
    let expires = claims
        .get("exp")
        .and_then(Value::as_i64)
        .ok_or(Rejection::Invalid)?;
    let now = unix_seconds(SystemTime::now());
    if expires < now {
        return Err(Rejection::Expired { expires, now });
    }
    Ok(Caller {
        object_id: text("oid"),
        tenant: text("tid"),
    })
}

impl Rejection {
    /// Builds ARM's 401 response: an error body and a `WWW-Authenticate` header that repeats
    /// the message.
    pub fn into_response(self) -> Response {
        let (code, message) = match self {
            Rejection::Missing => (
                "InvalidAuthenticationToken",
                "Authentication failed. The 'Authorization' header is missing.".to_string(),
            ),
            Rejection::NotBearer => (
                "InvalidAuthenticationToken",
                "Authentication failed. The 'Authorization' header is provided in an invalid format.".to_string(),
            ),
            Rejection::Invalid => (
                "InvalidAuthenticationToken",
                "The access token is invalid.".to_string(),
            ),
            Rejection::WrongAudience(audience) => {
                let allowed = ALLOWED_AUDIENCES.map(|audience| format!("'{audience}'")).join(",");
                (
                    "InvalidAuthenticationTokenAudience",
                    format!("The access token has been obtained for wrong audience or resource '{audience}'. It should exactly match with one of the allowed audiences {allowed}."),
                )
            }
            Rejection::Expired { expires, now } => (
                "ExpiredAuthenticationToken",
                format!(
                    "The access token expiry UTC time '{}' is earlier than current UTC time '{}'.",
                    arm_time(expires),
                    arm_time(now)
                ),
            ),
        };

        let mut response = arm_error(StatusCode::UNAUTHORIZED, code, &message);
        let challenge = format!(
            "Bearer authorization_uri=\"https://login.windows.net/\", error=\"invalid_token\", error_description=\"{}\"",
            message.replace('"', "'")
        );
        if let Ok(value) = HeaderValue::from_str(&challenge) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, value);
        }
        response
    }
}

/// Formats Unix seconds as ARM writes times in its messages: `12/4/2026 10:05:00 PM`.
fn arm_time(seconds: i64) -> String {
    let Ok(time) = time::OffsetDateTime::from_unix_timestamp(seconds) else {
        return seconds.to_string();
    };
    let (hour, meridiem) = match time.hour() {
        0 => (12, "AM"),
        hour @ 1..=11 => (hour, "AM"),
        12 => (12, "PM"),
        hour => (hour - 12, "PM"),
    };
    format!(
        "{}/{}/{} {}:{:02}:{:02} {}",
        u8::from(time.month()),
        time.day(),
        time.year(),
        hour,
        time.minute(),
        time.second(),
        meridiem
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    fn token(signer: &Signer, audience: &str, expires_in: i64) -> String {
        let now = unix_seconds(SystemTime::now());
        signer.sign(&json!({ "aud": audience, "exp": now + expires_in, "oid": "o", "tid": "t" }))
    }

    #[test]
    fn arm_time_matches_arm_format() {
        // 2026-12-04T22:05:09Z
        assert_eq!(arm_time(1_796_421_909), "12/4/2026 10:05:09 PM");
        // 2026-01-01T00:00:00Z
        assert_eq!(arm_time(1_767_225_600), "1/1/2026 12:00:00 AM");
    }

    #[test]
    fn valid_token_names_caller() {
        let signer = Signer::generate("arm").unwrap();
        let bearer = format!(
            "Bearer {}",
            token(&signer, "https://management.azure.com/", 60)
        );
        let caller = authenticate(&signer, &headers(&bearer)).unwrap();
        assert_eq!(caller.object_id, "o");
        assert_eq!(caller.tenant, "t");
    }

    #[test]
    fn every_allowed_audience_passes() {
        let signer = Signer::generate("arm").unwrap();
        for audience in ALLOWED_AUDIENCES {
            let bearer = format!("Bearer {}", token(&signer, audience, 60));
            assert!(
                authenticate(&signer, &headers(&bearer)).is_ok(),
                "{audience}"
            );
        }
    }

    #[test]
    fn rejections_in_order() {
        let signer = Signer::generate("arm").unwrap();
        let other = Signer::generate("other").unwrap();
        let cases = [
            (
                format!("Basic {}", token(&signer, ALLOWED_AUDIENCES[0], 60)),
                "NotBearer",
            ),
            ("Bearer not-a-jwt".to_string(), "Invalid"),
            (
                format!("Bearer {}", token(&other, ALLOWED_AUDIENCES[0], 60)),
                "Invalid",
            ),
            (
                format!("Bearer {}", token(&signer, "https://vault.azure.net", -60)),
                "WrongAudience",
            ),
            (
                format!("Bearer {}", token(&signer, ALLOWED_AUDIENCES[2], -60)),
                "Expired",
            ),
        ];
        for (value, expected) in cases {
            let rejection = authenticate(&signer, &headers(&value)).unwrap_err();
            assert!(
                format!("{rejection:?}").starts_with(expected),
                "{value}: {rejection:?}"
            );
        }
        assert_eq!(
            authenticate(&signer, &HeaderMap::new()),
            Err(Rejection::Missing)
        );
    }
}
