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
    /// Not a lab scenario: a token server without the password grant.
    PasswordGrantUnsupported,
    /// Not a lab scenario: error bodies that repeat the credentials sent.
    EchoSecrets,
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
        Hang => return Outcome::TimedOut { after_ms: 10_000 },
        HostileDrip if url.contains("/oauth2/token") => {
            return Outcome::TimedOut { after_ms: 10_000 }
        }
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
                    &format!("Bearer {}", "x".repeat(64 * 1024)),
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
            PasswordGrantUnsupported if request.method == Method::Post => {
                answer(url, 404, vec![], b"404 page not found")
            }
            EchoSecrets => {
                let sent = request.form_body();
                let body = json!({"errors": [{"code": "UNAUTHORIZED", "message": format!("rejected {sent} with Basic {:?}", request.basic)}]});
                answer(
                    url,
                    401,
                    vec![header(
                        "www-authenticate",
                        &format!("Basic realm=x, Bearer {PASSWORD}"),
                    )],
                    body.to_string().as_bytes(),
                )
            }
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

    // The blob redirects to itself, on the login server, which checks the token each time.
    if scenario == HostileRedirectLoop && url.starts_with(&format!("{BASE}/v2/hello-world/blobs/"))
    {
        if request.bearer.is_none() {
            return answer(url, 401, vec![bearer_challenge()], b"");
        }
        let round = url
            .rsplit_once("?loop=")
            .map_or(0, |(_, n)| n.parse::<u32>().unwrap_or(0));
        let location = format!(
            "{BASE}/v2/hello-world/blobs/sha256:c0ffee?loop={}",
            round + 1
        );
        return answer(url, 307, vec![header("location", &location)], b"");
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
            &[(Challenge, Fail, Some(Code::ConnectivityAadLogin))],
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
                (AadExchange, Warning, Some(Code::ConnectivityRefreshToken)),
                (AccessToken, Fail, Some(Code::ConnectivityAccessToken)),
            ],
        ),
        (
            RefreshTokenExpired,
            Credential::RefreshToken {
                token: refresh_token(true),
            },
            &[
                (AadExchange, Skipped, None),
                (AccessToken, Fail, Some(Code::ConnectivityAccessToken)),
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
            HostileBigHeader,
            aad(false),
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
            &[
                (Challenge, Pass, None),
                (AccessToken, Fail, Some(Code::ConnectivityAccessToken)),
            ],
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

#[test]
fn password_grant_falls_back_to_basic() {
    let results = run_scenario(
        Scenario::PasswordGrantUnsupported,
        password(),
        Side::Machine,
    );
    let token = results
        .iter()
        .find(|r| r.check == AccessToken)
        .expect("token result");
    assert_eq!(token.status, Pass);
    let fallback = token
        .evidence
        .iter()
        .find(|e| e.label == "password_grant_status");
    assert_eq!(fallback.map(|e| e.value.as_str()), Some("404"));
    match &token.finding {
        crate::Finding::Registry(RegistryFinding::TokenGranted { flow, .. }) => {
            assert_eq!(*flow, TokenFlow::Basic)
        }
        other => panic!("unexpected finding {other:?}"),
    }
}

/// Collects every request a run makes against a scenario.
fn requests_of(scenario: Scenario, credential: Credential) -> Vec<HttpRequest> {
    let mut run = RegistryRun::new(server(), credential, RunOptions::new(Side::Browser, NOW_MS));
    let mut requests = Vec::new();
    while let Some(request) = run.next_request() {
        let outcome = respond(scenario, &request);
        requests.push(request);
        run.observe(outcome, 5, NOW_MS);
    }
    requests
}

fn form_value<'a>(request: &'a HttpRequest, key: &str) -> Option<&'a str> {
    request
        .form
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

#[test]
fn requests_per_credential_kind() {
    // AAD token: exchange, then the refresh-token grant with the exchanged token.
    let requests = requests_of(Scenario::Healthy, aad(false));
    let exchange = &requests[1];
    assert_eq!(exchange.method, Method::Post);
    assert_eq!(exchange.url, format!("{BASE}/oauth2/exchange"));
    assert_eq!(form_value(exchange, "grant_type"), Some("access_token"));
    assert_eq!(form_value(exchange, "service"), Some("127.0.0.1:5000"));
    assert_eq!(form_value(exchange, "tenant"), Some("tenant-id"));
    assert_eq!(
        form_value(exchange, "access_token"),
        Some(aad_token(false).as_str())
    );
    let token = &requests[2];
    assert_eq!(form_value(token, "grant_type"), Some("refresh_token"));
    assert_eq!(
        form_value(token, "refresh_token"),
        Some(refresh_token(false).as_str())
    );
    assert_eq!(
        form_value(token, "scope"),
        Some("repository:hello-world:pull")
    );

    // Password: the password grant, as a form POST without an Authorization header.
    let requests = requests_of(Scenario::Healthy, password());
    let token = &requests[1];
    assert_eq!(token.method, Method::Post);
    assert_eq!(form_value(token, "grant_type"), Some("password"));
    assert_eq!(form_value(token, "username"), Some("admin"));
    assert!(token.basic.is_none());
    assert!(token.bearer.is_none());

    // The null-GUID user: the password is a refresh token.
    let requests = requests_of(
        Scenario::Healthy,
        Credential::Password {
            username: NULL_GUID_USER.into(),
            password: "refresh-as-password".into(),
        },
    );
    assert_eq!(
        form_value(&requests[1], "grant_type"),
        Some("refresh_token")
    );
    assert_eq!(
        form_value(&requests[1], "refresh_token"),
        Some("refresh-as-password")
    );

    // Anonymous: a GET with service and scope in the query.
    let requests = requests_of(Scenario::AnonymousPull, Credential::Anonymous);
    assert_eq!(requests[1].method, Method::Get);
    assert_eq!(
        requests[1].url,
        format!(
            "{BASE}/oauth2/token?service=127.0.0.1%3A5000&scope=repository%3Ahello-world%3Apull"
        )
    );
    assert!(requests[1].form.is_empty());
}

#[test]
fn scope_never_registry_none() {
    for credential in [password(), aad(false), Credential::Anonymous] {
        for request in requests_of(Scenario::Healthy, credential) {
            assert!(!request.url.contains("registry%3ANone"), "{}", request.url);
            assert!(
                !request.form.iter().any(|(_, v)| v.starts_with("registry:")),
                "{request:?}"
            );
        }
    }
}

#[test]
fn data_path_requests() {
    let requests = requests_of(Scenario::Healthy, password());
    let manifest = &requests[2];
    assert_eq!(
        manifest.url,
        format!("{BASE}/v2/hello-world/manifests/latest")
    );
    let accept = manifest.accept.as_deref().unwrap_or_default();
    assert!(
        accept.contains("application/vnd.oci.image.manifest.v1+json"),
        "{accept}"
    );
    assert!(
        accept.contains("application/vnd.docker.distribution.manifest.v2+json"),
        "{accept}"
    );
    // The config blob is the smallest.
    assert_eq!(
        requests[3].url,
        format!("{BASE}/v2/hello-world/blobs/sha256:c0ffee")
    );
    assert!(requests[3].bearer.is_some());
}

#[test]
fn blob_redirect_followed_without_token() {
    let mut run = RegistryRun::new(server(), password(), RunOptions::new(Side::Machine, NOW_MS));
    let mut blob = None;
    let mut storage = None;
    while let Some(request) = run.next_request() {
        if request
            .url
            .starts_with(&format!("{BASE}/v2/hello-world/blobs/"))
        {
            assert_eq!(request.redirect, Redirect::Manual);
            blob = Some(request.clone());
        }
        if request.url.starts_with(STORAGE) {
            storage = Some(request.clone());
        }
        let outcome = respond(Scenario::Healthy, &request);
        run.observe(outcome, 5, NOW_MS);
    }
    assert!(blob.is_some_and(|b| b.bearer.is_some()));
    let storage = storage.expect("the run follows the redirect");
    assert!(storage.bearer.is_none());
    assert!(storage.basic.is_none());
}

#[test]
fn data_path_names_endpoint() {
    let results = run_scenario(Scenario::Healthy, password(), Side::Machine);
    let data = results
        .iter()
        .find(|r| r.check == DataPath)
        .expect("data path result");
    assert_eq!(
        data.finding,
        crate::Finding::Registry(RegistryFinding::DataPathWorks {
            blob_url: format!("{BASE}/v2/hello-world/blobs/sha256:c0ffee"),
            endpoint: "127.0.0.1:5001".into(),
            redirected: true,
        })
    );

    let results = run_scenario(Scenario::StorageRefused, password(), Side::Machine);
    let data = results
        .iter()
        .find(|r| r.check == DataPath)
        .expect("data path result");
    let text = data.finding.localize(crate::Lang::En);
    assert!(text.contains("127.0.0.1:5001"), "{text}");
    assert!(text.contains("connection refused"), "{text}");
}

#[test]
fn firewall_finding_names_client_ip() {
    let results = run_scenario(Scenario::FirewallV2, password(), Side::Machine);
    let challenge = results
        .iter()
        .find(|r| r.check == Challenge)
        .expect("challenge result");
    let ip = challenge.evidence.iter().find(|e| e.label == "client_ip");
    assert_eq!(ip.map(|e| e.value.as_str()), Some("203.0.113.7"));
    for lang in crate::Lang::ALL {
        let text = challenge.finding.localize(lang);
        assert!(text.contains("203.0.113.7"), "{text}");
    }
}

#[test]
fn fewer_actions_shows_grants() {
    let results = run_scenario(Scenario::TokenFewerActions, password(), Side::Machine);
    let token = results
        .iter()
        .find(|r| r.check == AccessToken)
        .expect("token result");
    let text = token.finding.localize(crate::Lang::En);
    assert!(text.contains("repository:hello-world:pull"), "{text}");
    assert!(text.contains("lacks pull"), "{text}");
}

#[test]
fn token_granted_shows_scope_and_expiry() {
    let results = run_scenario(Scenario::Healthy, password(), Side::Machine);
    let token = results
        .iter()
        .find(|r| r.check == AccessToken)
        .expect("token result");
    let text = token.finding.localize(crate::Lang::En);
    assert!(
        text.contains("grants repository:hello-world:pull"),
        "{text}"
    );
    assert!(
        text.contains("expires at 2026-12-04 21:00:00 UTC"),
        "{text}"
    );
}

#[test]
fn clock_skew_shows_both_times() {
    let results = run_scenario(Scenario::ClockSkew, password(), Side::Machine);
    let clock = results
        .iter()
        .find(|r| r.check == Clock)
        .expect("clock result");
    for lang in crate::Lang::ALL {
        let text = clock.finding.localize(lang);
        assert!(text.contains("2026-12-04 20:10:00 UTC"), "{text}");
        // The local time is taken halfway through the request.
        assert!(text.contains("2026-12-04 19:59:59 UTC"), "{text}");
    }
}

#[test]
fn timeout_reports_elapsed_time() {
    let results = run_scenario(Scenario::Hang, password(), Side::Machine);
    let challenge = results
        .iter()
        .find(|r| r.check == Challenge)
        .expect("challenge result");
    let text = challenge.finding.localize(crate::Lang::En);
    assert!(text.contains("no response after 10000 ms"), "{text}");
    assert_eq!(challenge.elapsed_ms, 40);
}

#[test]
fn browser_hidden_challenge_header_explained() {
    let results = run_scenario(Scenario::ChallengeMissing, password(), Side::Browser);
    let challenge = results
        .iter()
        .find(|r| r.check == Challenge)
        .expect("challenge result");
    assert_eq!(
        challenge.finding,
        crate::Finding::Registry(RegistryFinding::ChallengeHeaderMissing {
            url: format!("{BASE}/v2/"),
            in_browser: true,
        })
    );
}

#[test]
fn cors_blocked_skips_with_helper_reason() {
    let results = run_scenario(Scenario::CorsOff, password(), Side::Browser);
    for result in results.iter().filter(|r| r.status == Skipped) {
        assert_eq!(
            result.finding,
            crate::Finding::Registry(RegistryFinding::SkippedCorsBlocked),
            "{:?}",
            result.check
        );
    }
    let text = RegistryFinding::SkippedCorsBlocked.localize(crate::Lang::En);
    assert!(text.contains("helper"), "{text}");
}

#[test]
fn hostile_header_evidence_is_bounded() {
    let results = run_scenario(Scenario::HostileBigHeader, password(), Side::Machine);
    for result in &results {
        for evidence in &result.evidence {
            assert!(
                evidence.value.len() <= 520,
                "{} is {} bytes",
                evidence.label,
                evidence.value.len()
            );
        }
    }
}

/// Every secret a scenario can hand out or receive.
fn all_secrets() -> Vec<String> {
    let mut secrets = vec![
        PASSWORD.to_owned(),
        AAD_TOKEN_SECRET_PART.to_owned(),
        aad_token(false),
        aad_token(true),
        refresh_token(false),
        refresh_token(true),
        "refresh-as-password".to_owned(),
        SAS_SIG.to_owned(),
    ];
    for iat in [NOW_S, NOW_S + 600] {
        secrets.push(access_token(&["pull"], iat));
        secrets.push(access_token(&[], iat));
    }
    secrets
}

#[test]
fn no_secret_in_any_result() {
    use Scenario::*;
    let credentials = [
        Credential::Anonymous,
        password(),
        Credential::Password {
            username: NULL_GUID_USER.into(),
            password: "refresh-as-password".into(),
        },
        aad(false),
        aad(true),
        Credential::RefreshToken {
            token: refresh_token(false),
        },
    ];
    let scenarios = [
        Healthy,
        EchoSecrets,
        FirewallExchange,
        Exchange401,
        Token401,
        TokenFewerActions,
        RefreshTokenExpired,
        HostileBigBody,
        HostileTruncatedJson,
        HostileTokenShape,
        HostileRedirectLoop,
        Storage403,
        PasswordGrantUnsupported,
    ];
    let secrets = all_secrets();
    for side in [Side::Browser, Side::Machine] {
        for credential in &credentials {
            for scenario in scenarios {
                let results = run_scenario(scenario, credential.clone(), side);
                for result in &results {
                    let json = serde_json::to_string(result).expect("a result serializes");
                    let texts = [
                        json,
                        result.finding.localize(crate::Lang::En),
                        result.finding.localize(crate::Lang::Ko),
                    ];
                    for text in &texts {
                        for secret in &secrets {
                            assert!(
                                !text.contains(secret.as_str()),
                                "{scenario:?} {credential:?} {:?} leaks a secret: {text}",
                                result.check
                            );
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn request_debug_hides_secrets() {
    for credential in [password(), aad(false)] {
        for request in requests_of(Scenario::Healthy, credential) {
            let debug = format!("{request:?}");
            for secret in all_secrets() {
                assert!(!debug.contains(&secret), "{debug}");
            }
        }
    }
}

#[test]
fn reachability_outcomes() {
    let opaque = answer(&format!("{BASE}/v2/"), 0, vec![], b"");
    let cases = [
        (opaque, Pass, None),
        (answer(&format!("{BASE}/v2/"), 401, vec![], b""), Pass, None),
        (
            Outcome::Network {
                detail: "TypeError: Failed to fetch".into(),
            },
            Fail,
            Some(Code::ConnectivityNetwork),
        ),
        (
            Outcome::TimedOut { after_ms: 10_000 },
            Fail,
            Some(Code::ConnectivityNetwork),
        ),
        (
            Outcome::Dns {
                detail: "NXDOMAIN".into(),
            },
            Fail,
            Some(Code::ConnectivityDns),
        ),
        (
            Outcome::Tls {
                detail: "UnknownIssuer".into(),
            },
            Fail,
            Some(Code::ConnectivitySsl),
        ),
    ];
    for (outcome, status, code) in cases {
        let result = reachability(&outcome, 12);
        assert_eq!(result.check, CheckId::Reachability, "{outcome:?}");
        assert_eq!(result.status, status, "{outcome:?}");
        assert_eq!(result.code, code, "{outcome:?}");
        assert_eq!(result.elapsed_ms, 12, "{outcome:?}");
    }
}

#[test]
fn login_server_check() {
    let (result, server) = login_server(
        "MyReg",
        crate::parse::registry_input::Cloud::AzureCloud,
        Side::Browser,
    );
    assert_eq!(result.status, Pass);
    assert_eq!(server.map(|s| s.host), Some("myreg.azurecr.io".to_owned()));

    let (result, server) = login_server(
        "https://admin:hunter22@myreg.azurecr.io",
        crate::parse::registry_input::Cloud::AzureCloud,
        Side::Browser,
    );
    assert_eq!(result.status, Fail);
    assert_eq!(result.code, Some(Code::LoginServer));
    assert!(server.is_none());
    let json = serde_json::to_string(&result).expect("serializes");
    assert!(!json.contains("hunter22"), "{json}");
}

#[test]
fn findings_localize_in_both_languages() {
    let url = || "https://r.test/v2/".to_owned();
    let findings = vec![
        RegistryFinding::SkippedAfterFailure,
        RegistryFinding::SkippedCorsBlocked,
        RegistryFinding::SkippedExchangeNotNeeded {
            credential: CredentialKind::Password,
        },
        RegistryFinding::SkippedNoServerTime,
        RegistryFinding::LoginServer {
            login_server: "r.azurecr.io".into(),
            cloud: Some(crate::parse::registry_input::Cloud::AzureCloud),
        },
        RegistryFinding::InvalidInput {
            error: crate::parse::registry_input::InputError::UserInfo,
        },
        RegistryFinding::Reached {
            url: url(),
            status: None,
        },
        RegistryFinding::RequestFailed {
            url: url(),
            failure: Failure::TimedOut { after_ms: 5 },
        },
        RegistryFinding::Unreachable {
            failure: Failure::Network { detail: "x".into() },
        },
        RegistryFinding::ChallengeIssued {
            url: url(),
            realm: "https://r.test/token".into(),
            service: "r.test".into(),
        },
        RegistryFinding::Forbidden {
            url: url(),
            client_ip: Some("192.0.2.1".into()),
            message: Some("DENIED".into()),
        },
        RegistryFinding::TooManyRequests {
            url: url(),
            retry_after: Some("30".into()),
        },
        RegistryFinding::ChallengeHeaderMissing {
            url: url(),
            in_browser: true,
        },
        RegistryFinding::NoChallenge {
            url: url(),
            status: 200,
        },
        RegistryFinding::ChallengeUnreadable {
            url: url(),
            problem: ChallengeProblem::BearerToken68,
        },
        RegistryFinding::NotBearer {
            url: url(),
            schemes: vec!["Basic".into()],
        },
        RegistryFinding::BearerIncomplete {
            url: url(),
            missing: vec!["realm".into()],
            aad_requested: true,
        },
        RegistryFinding::Redirected {
            url: url(),
            status: 302,
            location: Some("https://x.test".into()),
        },
        RegistryFinding::CorsReadable { url: url() },
        RegistryFinding::CorsBlocked { url: url() },
        RegistryFinding::RefreshTokenIssued {
            url: url(),
            expires_at_ms: Some(NOW_MS),
        },
        RegistryFinding::Rejected {
            url: url(),
            status: 401,
            message: None,
        },
        RegistryFinding::CredentialExpired {
            url: url(),
            credential: ExpiredCredential::AadToken,
            expired_at_ms: NOW_MS,
        },
        RegistryFinding::TokenMissing {
            url: url(),
            field: "access_token".into(),
            problem: Some(crate::parse::token::TokenError::Truncated),
        },
        RegistryFinding::TokenGranted {
            url: url(),
            flow: TokenFlow::Password,
            scope: "s".into(),
            granted: vec![],
            expires_at_ms: None,
        },
        RegistryFinding::FewerActions {
            url: url(),
            flow: TokenFlow::Basic,
            scope: "s".into(),
            granted: vec![],
            missing: vec!["pull".into()],
            expires_at_ms: Some(NOW_MS),
        },
        RegistryFinding::TokenNotJwt {
            url: url(),
            flow: TokenFlow::Anonymous,
            problem: crate::parse::jwt::JwtError::PartCount { found: 1 },
        },
        RegistryFinding::TokenExpired {
            url: url(),
            expired_at_ms: NOW_MS,
        },
        RegistryFinding::ClockInSync {
            source: ClockSource::DateHeader,
            server_ms: NOW_MS,
            local_ms: NOW_MS,
        },
        RegistryFinding::ClockSkewed {
            source: ClockSource::TokenIssuedAt,
            server_ms: NOW_MS,
            local_ms: NOW_MS + 600_000,
        },
        RegistryFinding::ManifestNotFound { url: url() },
        RegistryFinding::ManifestUnreadable {
            url: url(),
            problem: ManifestProblem::NoBlob,
        },
        RegistryFinding::DataPathWorks {
            blob_url: url(),
            endpoint: "s.test".into(),
            redirected: true,
        },
        RegistryFinding::DataEndpointFailed {
            url: url(),
            endpoint: "s.test".into(),
            status: Some(403),
            failure: None,
        },
        RegistryFinding::RefreshTokenIssuedExpired {
            url: url(),
            expired_at_ms: NOW_MS,
        },
        RegistryFinding::TooManyRedirects {
            url: url(),
            hops: 5,
        },
    ];
    for finding in findings {
        let en = finding.localize(crate::Lang::En);
        let ko = finding.localize(crate::Lang::Ko);
        assert!(!en.is_empty(), "{finding:?}");
        assert!(
            ko.chars().any(|ch| ('가'..='힣').contains(&ch)),
            "{finding:?}: {ko}"
        );
        let json = serde_json::to_string(&finding).expect("serializes");
        let back: RegistryFinding = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, finding);
    }
}

#[test]
fn browser_blob_failure_names_data_endpoint() {
    // In the browser a redirect loop or a refused storage account is one network error on the
    // blob request, which the browser followed itself.
    let mut run = RegistryRun::new(server(), password(), RunOptions::new(Side::Browser, NOW_MS));
    let mut results = Vec::new();
    while let Some(request) = run.next_request() {
        let outcome = if request.url.contains("/blobs/") {
            assert_eq!(request.redirect, Redirect::Follow);
            Outcome::Network {
                detail: "TypeError: Failed to fetch".into(),
            }
        } else {
            respond(Scenario::Healthy, &request)
        };
        results.extend(run.observe(outcome, 5, NOW_MS));
    }
    let data = results
        .iter()
        .find(|r| r.check == DataPath)
        .expect("data path result");
    assert_eq!(data.status, Fail);
    assert_eq!(data.code, Some(Code::ConnectivityDataEndpoint));
}

#[test]
fn challenge_syntax_problem_localizes() {
    let finding = RegistryFinding::ChallengeUnreadable {
        url: format!("{BASE}/v2/"),
        problem: ChallengeProblem::Syntax(
            crate::parse::challenge::ChallengeError::UnterminatedQuote { at: 13 },
        ),
    };
    assert!(finding.localize(crate::Lang::En).contains("byte 13"));
    assert!(finding.localize(crate::Lang::Ko).contains("13바이트"));
}

#[test]
fn multiple_challenge_headers_joined() {
    let outcome = answer(
        &format!("{BASE}/v2/"),
        401,
        vec![
            header("www-authenticate", r#"Basic realm="Registry""#),
            bearer_challenge(),
        ],
        b"",
    );
    let mut run = RegistryRun::new(server(), password(), RunOptions::new(Side::Machine, NOW_MS));
    let results = run.observe(outcome, 3, NOW_MS);
    let challenge = results
        .iter()
        .find(|r| r.check == Challenge)
        .expect("challenge result");
    assert_eq!(challenge.status, Pass);
}

/// A small deterministic generator, so the hostile run below is reproducible.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() as usize) % items.len()]
    }
}

#[test]
fn hostile_outcomes_never_panic() {
    let statuses = [
        0, 200, 204, 301, 302, 307, 400, 401, 403, 404, 429, 500, 503, 999,
    ];
    let header_values = [
        "",
        "Bearer",
        "Bearer realm=",
        "Bearer realm=\"http://127.0.0.1:5000/oauth2/token\",service=\"s\"",
        "Bearer realm=\"unterminated",
        "Basic realm=x, Negotiate abc==",
        "=,=,=",
        "\u{0}\u{7f}\u{fffd}레지스트리",
        "Fri, 04 Dec 2026 20:00:00 GMT",
        "Mon, 99 Foo 9999 99:99:99 GMT",
        "http://127.0.0.1:5001/x?sig=abc",
        "/relative/path",
        "//other.test/x",
    ];
    let bodies: [&[u8]; 10] = [
        b"",
        b"\xff\xfe\xfd",
        b"{",
        b"{\"access_token\":\"a.b.c\"}",
        b"{\"access_token\":\"eyJhbGciOiJub25lIn0.eyJhY2Nlc3MiOjV9.\"}",
        b"{\"refresh_token\":[]}",
        b"{\"errors\":[{\"code\":\"DENIED\",\"message\":\"client with IP '::ffff:1.2.3.4' x\"}]}",
        b"{\"manifests\":[{\"digest\":\"sha256:ab\"}]}",
        b"{\"config\":{\"digest\":\"../../etc\",\"size\":-1},\"layers\":\"x\"}",
        b"null",
    ];
    let credentials = [
        Credential::Anonymous,
        password(),
        aad(false),
        Credential::RefreshToken {
            token: refresh_token(false),
        },
    ];
    for seed in 0..400u64 {
        let mut rng = Lcg(seed);
        let credential = rng.pick(&credentials).clone();
        let side = if seed % 2 == 0 {
            Side::Browser
        } else {
            Side::Machine
        };
        let mut run = RegistryRun::new(server(), credential, RunOptions::new(side, NOW_MS));
        let mut results = Vec::new();
        let mut requests = 0;
        while let Some(request) = run.next_request() {
            requests += 1;
            assert!(requests <= 16, "seed {seed}: the run stops by itself");
            let outcome = match rng.next() % 8 {
                0 => Outcome::CorsBlocked,
                1 => Outcome::TimedOut { after_ms: 1 },
                _ => {
                    let names = ["www-authenticate", "date", "location", "retry-after"];
                    let headers = (0..rng.next() % 4)
                        .map(|_| {
                            let name = *rng.pick(&names);
                            let value = *rng.pick(&header_values);
                            header(name, value)
                        })
                        .collect();
                    Outcome::Answer(HttpAnswer {
                        url: request.url.clone(),
                        status: *rng.pick(&statuses),
                        headers,
                        body: rng.pick(&bodies).to_vec(),
                        body_truncated: rng.next().is_multiple_of(5),
                    })
                }
            };
            results.extend(run.observe(outcome, 1, NOW_MS));
        }
        results.extend(run.finish());
        let expected = run.checks();
        for check in &expected {
            let count = results.iter().filter(|r| r.check == *check).count();
            assert_eq!(count, 1, "seed {seed}: {check:?} reported {count} times");
        }
        for result in &results {
            for lang in crate::Lang::ALL {
                assert!(!result.finding.localize(lang).is_empty(), "seed {seed}");
            }
        }
    }
}

#[test]
fn exchange_tenant_from_token() {
    let credential = Credential::AadToken {
        token: format!("Bearer {}", aad_token(false)),
        tenant: None,
    };
    let requests = requests_of(Scenario::Healthy, credential);
    let exchange = &requests[1];
    assert_eq!(form_value(exchange, "tenant"), Some("t"));
    assert_eq!(
        form_value(exchange, "access_token"),
        Some(aad_token(false).as_str())
    );
}

#[test]
fn https_registry_rejects_plain_http_realm() {
    let https_server = LoginServer {
        scheme: Scheme::Https,
        host: "registry.test".to_owned(),
        port: None,
        cloud: None,
    };
    let outcome = answer(
        "https://registry.test/v2/",
        401,
        vec![header(
            "www-authenticate",
            r#"Bearer realm="http://registry.test/oauth2/token",service="registry.test""#,
        )],
        b"",
    );
    let mut run = RegistryRun::new(
        https_server,
        password(),
        RunOptions::new(Side::Machine, NOW_MS),
    );
    let results = run.observe(outcome, 3, NOW_MS);
    let challenge = results
        .iter()
        .find(|r| r.check == Challenge)
        .expect("challenge result");
    assert_eq!(challenge.status, Fail);
    assert_eq!(challenge.code, Some(Code::ConnectivityChallenge));
    assert!(
        run.next_request().is_none(),
        "no credential goes to the plain-HTTP realm"
    );
}
