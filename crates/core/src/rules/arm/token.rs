//! The ARM token check: the token's own claims before any request, then ARM's 401 responses.

use crate::parse::arm::ArmError;
use crate::parse::jwt;
use crate::parse::registry_input::Cloud;
use crate::{Code, Evidence};

use super::verdict::Verdict;
use super::ArmFinding;

/// The audiences ARM accepts per cloud, without the trailing slash a token may carry.
const AUDIENCES: [(Cloud, &str); 6] = [
    (Cloud::AzureCloud, "https://management.azure.com"),
    (Cloud::AzureCloud, "https://management.core.windows.net"),
    (
        Cloud::AzureChinaCloud,
        "https://management.chinacloudapi.cn",
    ),
    (
        Cloud::AzureChinaCloud,
        "https://management.core.chinacloudapi.cn",
    ),
    (
        Cloud::AzureUSGovernment,
        "https://management.usgovcloudapi.net",
    ),
    (
        Cloud::AzureUSGovernment,
        "https://management.core.usgovcloudapi.net",
    ),
];

/// Facts read from the token's claims before it is sent.
#[derive(Clone, Debug, Default)]
pub(crate) struct TokenFacts {
    pub tenant: Option<String>,
    pub expires_at_ms: Option<u64>,
    /// Evidence of the claims: `aud`, `tid`, `exp`, or why they are unreadable.
    pub evidence: Vec<Evidence>,
}

/// Returns the token as it must be sent: without surrounding whitespace and quotes, and without
/// a `Bearer ` prefix copied from a request header.
pub(crate) fn normalize(token: &str) -> &str {
    let token = token.trim().trim_matches(['"', '\'']).trim();
    let has_scheme = token
        .get(..6)
        .is_some_and(|word| word.eq_ignore_ascii_case("bearer"))
        && token[6..].chars().next().is_none_or(char::is_whitespace);
    if has_scheme {
        token[6..].trim_start()
    } else {
        token
    }
}

/// Reads the token's claims without verifying it. Returns the facts, and a failing verdict
/// when the token has expired or is for another audience than the ARM of `cloud` (any cloud
/// for a loopback base URL). A token that is not a JWT is sent anyway, and ARM decides.
pub(crate) fn inspect(
    token: &str,
    cloud: Option<Cloud>,
    now_ms: u64,
) -> (TokenFacts, Option<Verdict>) {
    let mut facts = TokenFacts::default();
    let claims = match jwt::decode(token) {
        Ok(claims) => claims,
        Err(error) => {
            facts.evidence.push(Evidence::new(
                "token_claims",
                format!("unreadable: {error}"),
            ));
            return (facts, None);
        }
    };

    facts.tenant = claims.tid.clone();
    facts.expires_at_ms = claims
        .exp
        .and_then(|exp| u64::try_from(exp).ok())
        .map(|exp| exp.saturating_mul(1_000));
    if !claims.aud.is_empty() {
        facts
            .evidence
            .push(Evidence::new("aud", claims.aud.join(" ")));
    }
    if let Some(tenant) = &claims.tid {
        facts.evidence.push(Evidence::new("tid", tenant.clone()));
    }
    if let Some(at) = facts.expires_at_ms {
        facts.evidence.push(Evidence::new(
            "exp",
            crate::parse::http_date::format_utc(at),
        ));
    }

    if let Some(at) = facts.expires_at_ms.filter(|at| *at <= now_ms) {
        let verdict = Verdict::fail(
            Code::ArmToken,
            ArmFinding::TokenExpired {
                expired_at_ms: Some(at),
            },
            facts.evidence.clone(),
        );
        return (facts, Some(verdict));
    }

    let accepted = |audience: &String| {
        let audience = audience.trim_end_matches('/');
        AUDIENCES.iter().any(|(known_cloud, known)| {
            audience.eq_ignore_ascii_case(known) && cloud.is_none_or(|cloud| cloud == *known_cloud)
        })
    };
    if !claims.aud.iter().any(accepted) {
        let expected = format!("{}/", expected_audience(cloud));
        let verdict = Verdict::fail(
            Code::ArmToken,
            ArmFinding::TokenWrongAudience {
                audience: claims.aud.clone(),
                expected,
            },
            facts.evidence.clone(),
        );
        return (facts, Some(verdict));
    }
    (facts, None)
}

/// Returns the audience a token for the ARM of a cloud carries.
pub(crate) fn expected_audience(cloud: Option<Cloud>) -> &'static str {
    match cloud.unwrap_or_default() {
        Cloud::AzureCloud => "https://management.azure.com",
        Cloud::AzureChinaCloud => "https://management.chinacloudapi.cn",
        Cloud::AzureUSGovernment => "https://management.usgovcloudapi.net",
    }
}

/// Judges a 401 from ARM by its error code.
pub(crate) fn rejected(
    error: Option<&ArmError>,
    facts: &TokenFacts,
    cloud: Option<Cloud>,
    evidence: Vec<Evidence>,
) -> Verdict {
    let code = error.map(|error| error.code.as_str()).unwrap_or_default();
    let message = error
        .map(|error| error.message.clone())
        .filter(|message| !message.is_empty());
    let finding = match code {
        "ExpiredAuthenticationToken" => ArmFinding::TokenExpired {
            expired_at_ms: facts.expires_at_ms,
        },
        "InvalidAuthenticationTokenAudience" => ArmFinding::TokenWrongAudience {
            audience: facts
                .evidence
                .iter()
                .filter(|evidence| evidence.label == "aud")
                .flat_map(|evidence| evidence.value.split(' ').map(str::to_owned))
                .collect(),
            expected: format!("{}/", expected_audience(cloud)),
        },
        "" => ArmFinding::TokenRejected {
            code: "401".to_owned(),
            message,
        },
        other => ArmFinding::TokenRejected {
            code: other.to_owned(),
            message,
        },
    };
    Verdict::fail(Code::ArmToken, finding, evidence)
}
