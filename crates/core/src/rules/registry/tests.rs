//! Driver tests: each lab scenario as a scripted server, fed through a whole run, with the
//! status and code of every check asserted.

use serde_json::json;

use super::*;
use crate::parse::http_date;
use crate::parse::jwt::test_token;
use crate::parse::registry_input::{LoginServer, Scheme};
use crate::{CheckResult, Code, Localize, Status};

/// Local time of every test run: 2026-12-04 20:00:00 UTC.
const NOW_MS: u64 = 1_796_414_400_000;
const NOW_S: i64 = (NOW_MS / 1_000) as i64;
const BASE: &str = "http://127.0.0.1:5000";
const STORAGE: &str = "http://127.0.0.1:5001";
const PASSWORD: &str = "lab-admin-password-7f3a";
const AAD_TOKEN_SECRET_PART: &str = "aad-token-secret";
const SAS_SIG: &str = "sas-signature-9c1d";

fn server() -> LoginServer {
    LoginServer {
        scheme: Scheme::Http,
        host: "127.0.0.1".to_owned(),
        port: Some(5000),
        cloud: None,
    }
}

fn header(name: &str, value: &str) -> (String, String) {
    (name.to_owned(), value.to_owned())
}

fn answer(url: &str, status: u16, headers: Vec<(String, String)>, body: &[u8]) -> Outcome {
    Outcome::Answer(HttpAnswer {
        url: url.to_owned(),
        status,
        headers,
        body: body.to_vec(),
        body_truncated: false,
    })
}

fn date_header(ms: u64) -> (String, String) {
    // `format_utc` gives `YYYY-MM-DD hh:mm:ss UTC`; the header needs IMF-fixdate.
    let text = http_date::format_utc(ms);
    let (date, time) = text.split_once(' ').expect("date and time");
    let time = time.trim_end_matches(" UTC");
    let mut parts = date.split('-');
    let (year, month, day) = (
        parts.next().expect("year"),
        parts.next().expect("month"),
        parts.next().expect("day"),
    );
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS[month.parse::<usize>().expect("month number") - 1];
    header("date", &format!("Fri, {day} {month} {year} {time} GMT"))
}

fn bearer_challenge() -> (String, String) {
    header(
        "www-authenticate",
        &format!(r#"Bearer realm="{BASE}/oauth2/token",service="127.0.0.1:5000""#),
    )
}

fn aad_token(expired: bool) -> String {
    let exp = if expired {
        NOW_S - 3_600
    } else {
        NOW_S + 3_600
    };
    format!(
        "{}{AAD_TOKEN_SECRET_PART}",
        test_token(
            &json!({"aud": "https://management.azure.com/", "tid": "t", "oid": "o", "exp": exp})
        )
    )
}

fn refresh_token(expired: bool) -> String {
    let exp = if expired {
        NOW_S - 60
    } else {
        NOW_S + 3 * 3_600
    };
    test_token(&json!({"exp": exp, "grant_type": "refresh_token", "iss": "lab"}))
}

fn access_token(actions: &[&str], iat: i64) -> String {
    test_token(&json!({
        "exp": iat + 3_600,
        "iat": iat,
        "nbf": iat,
        "access": [{"type": "repository", "name": "hello-world", "actions": actions}],
    }))
}

/// A lab scenario as a scripted server: the healthy lab with one behaviour changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scenario {
    Healthy,
    AnonymousPull,
    FirewallV2,
    FirewallExchange,
    ChallengeMissing,
    Challenge200,
    Challenge500,
    Challenge429,
    ChallengeBasicOnly,
    BearerNoRealm,
    BearerNoService,
    Exchange401,
    Exchange500,
    Exchange429,
    Token401,
    TokenFewerActions,
    RefreshTokenExpired,
    ClockSkew,
    TlsUnknownCa,
    TlsExpired,
    TlsWrongHost,
    Hang,
    CorsOff,
    StorageRefused,
    Storage403,
    HostileBigBody,
    HostileBigHeader,
    HostileInvalidUtf8,
    HostileTruncatedJson,
    HostileDrip,
    HostileRedirectLoop,
    HostileTokenType,
    HostileTokenShape,
}

const DENIED: &str = r#"{"errors":[{"code":"DENIED","message":"client with IP '203.0.113.7' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."}]}"#;

fn respond(scenario: Scenario, request: &HttpRequest) -> Outcome {
    use Scenario::*;
    let url = request.url.as_str();
    let date = |skew_ms: i64| date_header((NOW_MS as i64 + skew_ms) as u64);
    let skew_ms = if scenario == ClockSkew {
        10 * 60 * 1_000
    } else {
        0
    };
    let iat = NOW_S + skew_ms / 1_000;

    // Failures of the transport, before any answer.
    match scenario {
        TlsUnknownCa => {
            return Outcome::Tls {
                detail: "invalid peer certificate: UnknownIssuer".into(),
            }
        }
        TlsExpired => {
            return Outcome::Tls {
                detail: "invalid peer certificate: Expired".into(),
            }
        }
        TlsWrongHost => {
            return Outcome::Tls {
                detail: "invalid peer certificate: NotValidForName".into(),
            }
        }
        Hang | HostileDrip => return Outcome::TimedOut { after_ms: 10_000 },
        CorsOff if url.starts_with(BASE) => return Outcome::CorsBlocked,
        _ => {}
    }

    if url == format!("{BASE}/v2/") {
        return match scenario {
            FirewallV2 => answer(url, 403, vec![date(0)], DENIED.as_bytes()),
            ChallengeMissing => answer(url, 401, vec![date(0)], b""),
            Challenge200 => answer(url, 200, vec![date(0)], b"{}"),
            Challenge500 => answer(url, 500, vec![date(0)], b"oops"),
            Challenge429 => answer(url, 429, vec![date(0), header("retry-after", "30")], b""),
            ChallengeBasicOnly => answer(
                url,
                401,
                vec![header(
                    "www-authenticate",
                    r#"Basic realm="Registry Realm""#,
                )],
                b"",
            ),
            BearerNoRealm => answer(
                url,
                401,
                vec![header(
                    "www-authenticate",
                    r#"Bearer service="127.0.0.1:5000""#,
                )],
                b"",
            ),
            BearerNoService => answer(
                url,
                401,
                vec![header(
                    "www-authenticate",
                    &format!(r#"Bearer realm="{BASE}/oauth2/token""#),
                )],
                b"",
            ),
            HostileBigHeader => answer(
                url,
                401,
                vec![header(
                    "www-authenticate",
                    &format!("Bearer {}", "x=\"".repeat(50_000)),
                )],
                b"",
            ),
            _ => answer(url, 401, vec![bearer_challenge(), date(skew_ms)], b""),
        };
    }

    if url == format!("{BASE}/oauth2/exchange") {
        assert_eq!(request.method, Method::Post);
        return match scenario {
            FirewallExchange => answer(url, 403, vec![], DENIED.as_bytes()),
            Exchange401 | RefreshTokenExpired if scenario == Exchange401 => answer(
                url,
                401,
                vec![],
                br#"{"errors":[{"code":"UNAUTHORIZED","message":"invalid token"}]}"#,
            ),
            Exchange500 => answer(url, 500, vec![], b"internal"),
            Exchange429 => answer(url, 429, vec![], b""),
            RefreshTokenExpired => {
                let body = json!({"refresh_token": refresh_token(true)}).to_string();
                answer(url, 200, vec![], body.as_bytes())
            }
            _ => {
                let body = json!({"refresh_token": refresh_token(false)}).to_string();
                answer(url, 200, vec![], body.as_bytes())
            }
        };
    }

    if url.starts_with(&format!("{BASE}/oauth2/token")) {
        let token = || json!({"access_token": access_token(&["pull"], iat)}).to_string();
        return match scenario {
            Token401 | RefreshTokenExpired => answer(
                url,
                401,
                vec![],
                br#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#,
            ),
            TokenFewerActions => {
                let body = json!({"access_token": access_token(&[], iat)}).to_string();
                answer(url, 200, vec![], body.as_bytes())
            }
            HostileBigBody => Outcome::Answer(HttpAnswer {
                url: url.to_owned(),
                status: 200,
                headers: vec![],
                body: format!("{{\"access_token\":\"{}", "A".repeat(1 << 20)).into_bytes(),
                body_truncated: true,
            }),
            HostileInvalidUtf8 => answer(url, 200, vec![], b"{\"access_token\":\"\xc3\x28\"}"),
            HostileTruncatedJson => answer(url, 200, vec![], b"{\"access_token\":\"eyJhbGciOi"),
            HostileTokenType => answer(url, 200, vec![], br#"{"access_token":12345}"#),
            HostileTokenShape => answer(url, 200, vec![], br#"{"access_token":"not-a-jwt"}"#),
            _ => answer(url, 200, vec![], token().as_bytes()),
        };
    }

    if url == format!("{BASE}/v2/hello-world/manifests/latest") {
        assert!(
            request.bearer.is_some(),
            "the manifest request carries the token"
        );
        let manifest = json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {"digest": "sha256:c0ffee", "size": 1_470},
            "layers": [{"digest": "sha256:1a7e2", "size": 2_457}],
        });
        return answer(url, 200, vec![], manifest.to_string().as_bytes());
    }

    if url == format!("{BASE}/v2/hello-world/blobs/sha256:c0ffee") {
        let location = format!("{STORAGE}/blobs/c0ffee?sv=2024&sig={SAS_SIG}");
        return answer(url, 307, vec![header("location", &location)], b"");
    }

    if url.starts_with(STORAGE) {
        assert!(
            request.bearer.is_none(),
            "storage never gets the registry token"
        );
        assert!(request.basic.is_none(), "storage never gets credentials");
        return match scenario {
            StorageRefused => Outcome::Network {
                detail: "connection refused".into(),
            },
            Storage403 => answer(
                url,
                403,
                vec![],
                b"<Error><Code>AuthorizationFailure</Code></Error>",
            ),
            HostileRedirectLoop => answer(url, 302, vec![header("location", url)], b""),
            _ => answer(url, 200, vec![], b"{\"architecture\":\"amd64\"}"),
        };
    }

    answer(url, 404, vec![], b"not found")
}

fn run_scenario(scenario: Scenario, credential: Credential, side: Side) -> Vec<CheckResult> {
    let mut run = RegistryRun::new(server(), credential, RunOptions::new(side, NOW_MS));
    let mut results = Vec::new();
    let mut requests = 0;
    while let Some(request) = run.next_request() {
        requests += 1;
        assert!(requests < 20, "the run stops by itself");
        let outcome = respond(scenario, &request);
        results.extend(run.observe(outcome, 40, NOW_MS));
    }
    results.extend(run.finish());
    results
}

fn password() -> Credential {
    Credential::Password {
        username: "admin".into(),
        password: PASSWORD.into(),
    }
}

fn aad(expired: bool) -> Credential {
    Credential::AadToken {
        token: aad_token(expired),
        tenant: Some("tenant-id".into()),
    }
}

type Expected = &'static [(CheckId, Status, Option<Code>)];

fn assert_checks(scenario: Scenario, results: &[CheckResult], expected: Expected) {
    for (check, status, code) in expected {
        let result = results
            .iter()
            .find(|result| result.check == *check)
            .unwrap_or_else(|| panic!("{scenario:?}: no result for {check:?}"));
        assert_eq!(
            result.status,
            *status,
            "{scenario:?} {check:?}: {}",
            result.finding.localize(crate::Lang::En)
        );
        assert_eq!(
            result.code,
            *code,
            "{scenario:?} {check:?}: {}",
            result.finding.localize(crate::Lang::En)
        );
    }
}

fn assert_each_check_once(scenario: Scenario, results: &[CheckResult], side: Side) {
    let run = RegistryRun::new(
        server(),
        Credential::Anonymous,
        RunOptions::new(side, NOW_MS),
    );
    for check in run.checks() {
        let count = results
            .iter()
            .filter(|result| result.check == check)
            .count();
        assert_eq!(count, 1, "{scenario:?}: {check:?} reported {count} times");
    }
    assert_eq!(results.len(), run.checks().len(), "{scenario:?}");
}

use crate::CheckId::{AadExchange, AccessToken, Challenge, Clock, Cors, DataPath};
use crate::Status::{Fail, Pass, Skipped, Warning};

#[test]
fn scenarios_on_machine() {
    use Scenario::*;
    let cases: Vec<(Scenario, Credential, Expected)> = vec![
        (
            Healthy,
            password(),
            &[
                (Challenge, Pass, None),
                (AadExchange, Skipped, None),
                (AccessToken, Pass, None),
                (Clock, Pass, None),
                (DataPath, Pass, None),
            ],
        ),
        (
            Healthy,
            aad(false),
            &[
                (Challenge, Pass, None),
                (AadExchange, Pass, None),
                (AccessToken, Pass, None),
                (Clock, Pass, None),
                (DataPath, Pass, None),
            ],
        ),
        (
            AnonymousPull,
            Credential::Anonymous,
            &[
                (Challenge, Pass, None),
                (AadExchange, Skipped, None),
                (AccessToken, Pass, None),
                (DataPath, Pass, None),
            ],
        ),
        (
            FirewallV2,
            aad(false),
            &[
                (Challenge, Fail, Some(Code::ConnectivityForbidden)),
                (AadExchange, Skipped, None),
                (AccessToken, Skipped, None),
                (Clock, Pass, None),
                (DataPath, Skipped, None),
            ],
        ),
        (
            FirewallExchange,
            aad(false),
            &[
                (Challenge, Pass, None),
                (AadExchange, Fail, Some(Code::ConnectivityForbidden)),
                (AccessToken, Skipped, None),
                (DataPath, Skipped, None),
            ],
        ),
        (
            ChallengeMissing,
            password(),
            &[
                (Challenge, Fail, Some(Code::ConnectivityChallenge)),
                (AccessToken, Skipped, None),
            ],
        ),
        (
            Challenge200,
            password(),
            &[(Challenge, Fail, Some(Code::ConnectivityChallenge))],
        ),
        (
            Challenge500,
            password(),
            &[(Challenge, Fail, Some(Code::ConnectivityChallenge))],
        ),
        (
            Challenge429,
            password(),
            &[(Challenge, Fail, Some(Code::ConnectivityTooManyRequests))],
        ),
        (
            ChallengeBasicOnly,
            password(),
            &[(Challenge, Fail, Some(Code::ConnectivityChallenge))],
        ),
        (
            ChallengeBasicOnly,
            aad(false),
            &[(Challenge, Fail, Some(Code::ConnectivityChallenge))],
        ),
        (
            BearerNoRealm,
            password(),
            &[(Challenge, Fail, Some(Code::ConnectivityChallenge))],
        ),
        (
            BearerNoRealm,
            aad(false),
            &[(Challenge, Fail, Some(Code::ConnectivityAadLogin))],
        ),
        (
            BearerNoService,
            aad(false),
            &[(Challenge, Fail, Some(Code::ConnectivityAadLogin))],
        ),
        (
            BearerNoService,
            Credential::Anonymous,
            &[(Challenge, Fail, Some(Code::ConnectivityChallenge))],
        ),
        (
            Exchange401,
            aad(false),
            &[
                (AadExchange, Fail, Some(Code::ConnectivityRefreshToken)),
                (AccessToken, Skipped, None),
            ],
        ),
        (
            Exchange401,
            aad(true),
            &[(AadExchange, Fail, Some(Code::ConnectivityRefreshToken))],
        ),
        (
            Exchange500,
            aad(false),
            &[(AadExchange, Fail, Some(Code::ConnectivityRefreshToken))],
        ),
        (
            Exchange429,
            aad(false),
            &[(AadExchange, Fail, Some(Code::ConnectivityTooManyRequests))],
        ),
        (
            Token401,
            password(),
            &[
                (AccessToken, Fail, Some(Code::ConnectivityAccessToken)),
                (DataPath, Skipped, None),
            ],
        ),
        (
            Token401,
            aad(false),
            &[(AccessToken, Fail, Some(Code::ConnectivityAccessToken))],
        ),
        (
            TokenFewerActions,
            password(),
            &[
                (AccessToken, Warning, Some(Code::ConnectivityAccessToken)),
                (DataPath, Skipped, None),
            ],
        ),
        (
            RefreshTokenExpired,
            aad(false),
            &[
                (AadExchange, Pass, None),
                (AccessToken, Fail, Some(Code::ConnectivityRefreshToken)),
            ],
        ),
        (
            RefreshTokenExpired,
            Credential::RefreshToken {
                token: refresh_token(true),
            },
            &[
                (AadExchange, Skipped, None),
                (AccessToken, Fail, Some(Code::ConnectivityRefreshToken)),
            ],
        ),
        (
            ClockSkew,
            password(),
            &[
                (Challenge, Pass, None),
                (Clock, Warning, Some(Code::ClockSkew)),
                (DataPath, Pass, None),
            ],
        ),
        (
            TlsUnknownCa,
            password(),
            &[
                (Challenge, Fail, Some(Code::ConnectivitySsl)),
                (Clock, Skipped, None),
            ],
        ),
        (
            TlsExpired,
            password(),
            &[(Challenge, Fail, Some(Code::ConnectivitySsl))],
        ),
        (
            TlsWrongHost,
            password(),
            &[(Challenge, Fail, Some(Code::ConnectivitySsl))],
        ),
        (
            Hang,
            password(),
            &[(Challenge, Fail, Some(Code::ConnectivityNetwork))],
        ),
        (
            StorageRefused,
            password(),
            &[
                (AccessToken, Pass, None),
                (DataPath, Fail, Some(Code::ConnectivityDataEndpoint)),
            ],
        ),
        (
            Storage403,
            password(),
            &[(DataPath, Fail, Some(Code::ConnectivityDataEndpoint))],
        ),
        (
            HostileBigBody,
            password(),
            &[(AccessToken, Fail, Some(Code::ConnectivityAccessToken))],
        ),
        (
            HostileBigHeader,
            password(),
            &[(Challenge, Fail, Some(Code::ConnectivityChallenge))],
        ),
        (
            HostileInvalidUtf8,
            password(),
            &[(AccessToken, Fail, Some(Code::ConnectivityAccessToken))],
        ),
        (
            HostileTruncatedJson,
            password(),
            &[(AccessToken, Fail, Some(Code::ConnectivityAccessToken))],
        ),
        (
            HostileDrip,
            password(),
            &[(Challenge, Fail, Some(Code::ConnectivityNetwork))],
        ),
        (
            HostileRedirectLoop,
            password(),
            &[(DataPath, Fail, Some(Code::ConnectivityDataEndpoint))],
        ),
        (
            HostileTokenType,
            password(),
            &[(AccessToken, Fail, Some(Code::ConnectivityAccessToken))],
        ),
        (
            HostileTokenShape,
            password(),
            &[
                (AccessToken, Warning, Some(Code::ConnectivityAccessToken)),
                (DataPath, Pass, None),
            ],
        ),
    ];
    for (scenario, credential, expected) in cases {
        let results = run_scenario(scenario, credential, Side::Machine);
        assert_checks(scenario, &results, expected);
        assert_each_check_once(scenario, &results, Side::Machine);
    }
}

#[test]
fn scenarios_in_browser() {
    use Scenario::*;
    let cases: Vec<(Scenario, Credential, Expected)> = vec![
        (
            Healthy,
            aad(false),
            &[
                (Cors, Pass, None),
                (Challenge, Pass, None),
                (AadExchange, Pass, None),
                (AccessToken, Pass, None),
                (DataPath, Pass, None),
            ],
        ),
        (
            CorsOff,
            password(),
            &[
                (Cors, Fail, Some(Code::ConnectivityCors)),
                (Challenge, Skipped, None),
                (AadExchange, Skipped, None),
                (AccessToken, Skipped, None),
                (Clock, Skipped, None),
                (DataPath, Skipped, None),
            ],
        ),
        (
            ChallengeMissing,
            password(),
            &[
                (Cors, Pass, None),
                (Challenge, Fail, Some(Code::ConnectivityChallenge)),
            ],
        ),
        (
            FirewallV2,
            password(),
            &[(Challenge, Fail, Some(Code::ConnectivityForbidden))],
        ),
        (
            Hang,
            password(),
            &[
                (Challenge, Fail, Some(Code::ConnectivityNetwork)),
                (Cors, Skipped, None),
            ],
        ),
    ];
    for (scenario, credential, expected) in cases {
        let results = run_scenario(scenario, credential, Side::Browser);
        assert_checks(scenario, &results, expected);
        assert_each_check_once(scenario, &results, Side::Browser);
    }
}
