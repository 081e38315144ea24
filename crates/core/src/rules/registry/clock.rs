//! The clock: the server's time, from a `Date` header or the access token's `iat`/`nbf`,
//! against the local time. Tokens carry validity times, so a clock off by more than
//! [`MAX_CLOCK_SKEW_MS`] makes them look expired or not yet valid.

use super::run::Verdict;
use super::{evidence, ClockSource, HttpAnswer, RegistryFinding, MAX_CLOCK_SKEW_MS};
use crate::parse::http_date;
use crate::parse::jwt::Claims;
use crate::{Code, Evidence};

/// Judges the clock from a response's `Date` header. `now_ms` is when the response arrived; the
/// server wrote the header about half the elapsed time earlier. Returns `None` without a
/// readable `Date` header (the browser hides it from cross-origin pages unless exposed).
pub(crate) fn from_date(answer: &HttpAnswer, now_ms: u64, elapsed_ms: u32) -> Option<Verdict> {
    let header = answer.header("date")?;
    let server_ms = http_date::parse(&header)?;
    let local_ms = now_ms.saturating_sub(u64::from(elapsed_ms / 2));
    let evidence = vec![
        Evidence::new("url", evidence::redact_url(&answer.url)),
        Evidence::new("date", evidence::cut(&header, 64)),
        Evidence::new("local_time", http_date::format_utc(local_ms)),
    ];
    Some(judge(
        ClockSource::DateHeader,
        server_ms,
        local_ms,
        evidence,
    ))
}

/// Judges the clock from the access token: `nbf` in the future or `iat` far from now means
/// the two clocks disagree. Returns `None` when the token has neither claim.
pub(crate) fn from_claims(claims: &Claims, now_ms: u64) -> Option<Verdict> {
    let to_ms = |seconds: i64| u64::try_from(seconds).ok().map(|s| s.saturating_mul(1_000));
    let (source, server_ms) = match (claims.iat.and_then(to_ms), claims.nbf.and_then(to_ms)) {
        (Some(iat), _) => (ClockSource::TokenIssuedAt, iat),
        (None, Some(nbf)) => (ClockSource::TokenNotBefore, nbf),
        (None, None) => return None,
    };
    let evidence = vec![
        Evidence::new("token_time", http_date::format_utc(server_ms)),
        Evidence::new("local_time", http_date::format_utc(now_ms)),
    ];
    Some(judge(source, server_ms, now_ms, evidence))
}

fn judge(source: ClockSource, server_ms: u64, local_ms: u64, evidence: Vec<Evidence>) -> Verdict {
    let skew_ms = server_ms.abs_diff(local_ms);
    let mut evidence = evidence;
    evidence.push(Evidence::new("skew_ms", skew_ms.to_string()));
    if skew_ms > MAX_CLOCK_SKEW_MS {
        Verdict::warn(
            Code::ClockSkew,
            RegistryFinding::ClockSkewed {
                source,
                server_ms,
                local_ms,
            },
            evidence,
        )
    } else {
        Verdict::pass(
            RegistryFinding::ClockInSync {
                source,
                server_ms,
                local_ms,
            },
            evidence,
        )
    }
}
