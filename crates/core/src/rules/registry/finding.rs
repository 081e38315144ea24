//! What a registry check saw, as data, and its sentence in each language.
//!
//! A finding names the values it is about (the URL, the status, the header, the IP, the
//! times). The catalog explains what a code means and how to fix it; a finding says what
//! happened in this run.

use serde::{Deserialize, Serialize};

use super::CredentialKind;
use crate::parse::challenge::ChallengeError;
use crate::parse::http_date::format_utc;
use crate::parse::jwt::JwtError;
use crate::parse::registry_input::{Cloud, InputError};
use crate::parse::token::TokenError;
use crate::{Lang, Localize};

/// A request that got no readable response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Failure {
    /// The browser blocked reading the response (CORS).
    CorsBlocked,
    Network {
        detail: String,
    },
    TimedOut {
        after_ms: u32,
    },
    Dns {
        detail: String,
    },
    Tls {
        detail: String,
    },
}

/// The grant the access token was requested with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenFlow {
    /// `POST` with `grant_type=refresh_token`.
    RefreshToken,
    /// `POST` with `grant_type=password`.
    Password,
    /// `GET` with `Authorization: Basic`.
    Basic,
    /// `GET` without credentials.
    Anonymous,
}

/// The source of the server's time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockSource {
    /// The `Date` header of a response.
    DateHeader,
    /// The `iat` claim of the access token.
    TokenIssuedAt,
    /// The `nbf` claim of the access token.
    TokenNotBefore,
}

/// The problem with a `WWW-Authenticate` header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChallengeProblem {
    /// The header does not parse.
    Syntax(ChallengeError),
    /// A Bearer challenge with a token68 value instead of `realm` and `service` parameters.
    BearerToken68,
}

/// The problem with a manifest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ManifestProblem {
    NotJson,
    /// Larger than the transport's size limit, so cut.
    TooLarge,
    /// Indexes nested deeper than the run follows.
    NestedTooDeep,
    /// An index with no manifest that has a valid digest.
    NoManifest,
    /// An image manifest with no blob that has a valid digest.
    NoBlob,
}

/// A credential found expired after the registry rejected it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpiredCredential {
    AadToken,
    RefreshToken,
}

/// What a registry check saw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistryFinding {
    /// The check did not run because an earlier step failed.
    SkippedAfterFailure,
    /// The check did not run because the browser may not read the registry's responses.
    SkippedCorsBlocked,
    /// The exchange did not run because the credential is not an Azure AD token.
    SkippedExchangeNotNeeded { credential: CredentialKind },
    /// No response carried a `Date` header and no token carried a time claim.
    SkippedNoServerTime,
    /// The input names this login server.
    LoginServer {
        login_server: String,
        cloud: Option<Cloud>,
    },
    /// The input is not a registry; nothing was requested.
    InvalidInput { error: InputError },
    /// The server responded; `status` is `None` for an opaque `no-cors` response.
    Reached { url: String, status: Option<u16> },
    /// The request got no response.
    RequestFailed { url: String, failure: Failure },
    /// The reachability probe got no response.
    Unreachable { failure: Failure },
    /// `GET /v2/` responded with 401 and a usable Bearer challenge.
    ChallengeIssued {
        url: String,
        realm: String,
        service: String,
    },
    /// 403, with the client IP if the error body names one.
    Forbidden {
        url: String,
        client_ip: Option<String>,
        message: Option<String>,
    },
    /// 429, with the `Retry-After` value if any.
    TooManyRequests {
        url: String,
        retry_after: Option<String>,
    },
    /// 401 without a `WWW-Authenticate` header. In a browser the header may exist but be
    /// hidden, because the server does not list it in `Access-Control-Expose-Headers`.
    ChallengeHeaderMissing { url: String, in_browser: bool },
    /// A response other than 401, 403 or 429 where a challenge was expected.
    NoChallenge { url: String, status: u16 },
    /// A `WWW-Authenticate` header that does not parse.
    ChallengeUnreadable {
        url: String,
        problem: ChallengeProblem,
    },
    /// Challenges, none of them Bearer.
    NotBearer { url: String, schemes: Vec<String> },
    /// A Bearer challenge without `realm` or `service`, or with a realm that is not a URL.
    BearerIncomplete {
        url: String,
        missing: Vec<String>,
        aad_requested: bool,
    },
    /// A redirect where none was expected.
    Redirected {
        url: String,
        status: u16,
        location: Option<String>,
    },
    /// The page could read the registry's response.
    CorsReadable { url: String },
    /// The registry responded but the browser did not let the page read the response.
    CorsBlocked { url: String },
    /// The exchange returned a refresh token.
    RefreshTokenIssued {
        url: String,
        expires_at_ms: Option<u64>,
    },
    /// An error status from the exchange, the token endpoint or the manifest.
    Rejected {
        url: String,
        status: u16,
        message: Option<String>,
    },
    /// The registry rejected a credential that had expired.
    CredentialExpired {
        url: String,
        credential: ExpiredCredential,
        expired_at_ms: u64,
    },
    /// A success status without a usable token.
    TokenMissing {
        url: String,
        field: String,
        problem: Option<TokenError>,
    },
    /// The access token grants what was requested.
    TokenGranted {
        url: String,
        flow: TokenFlow,
        scope: String,
        granted: Vec<String>,
        expires_at_ms: Option<u64>,
    },
    /// The access token grants fewer actions than requested.
    FewerActions {
        url: String,
        flow: TokenFlow,
        scope: String,
        granted: Vec<String>,
        missing: Vec<String>,
        expires_at_ms: Option<u64>,
    },
    /// An access token that is not a readable JWT, so its grants are unknown.
    TokenNotJwt {
        url: String,
        flow: TokenFlow,
        problem: JwtError,
    },
    /// An access token whose `exp` is already past.
    TokenExpired { url: String, expired_at_ms: u64 },
    /// The server's time is within the allowed skew of the local time.
    ClockInSync {
        source: ClockSource,
        server_ms: u64,
        local_ms: u64,
    },
    /// The server's time is further from the local time than allowed.
    ClockSkewed {
        source: ClockSource,
        server_ms: u64,
        local_ms: u64,
    },
    /// The manifest of the image does not exist (404).
    ManifestNotFound { url: String },
    /// A manifest that is not JSON, or names no blob.
    ManifestUnreadable {
        url: String,
        problem: ManifestProblem,
    },
    /// The blob was read, from the endpoint that served it.
    DataPathWorks {
        blob_url: String,
        endpoint: String,
        redirected: bool,
    },
    /// The endpoint serving the blob failed.
    DataEndpointFailed {
        url: String,
        endpoint: String,
        status: Option<u16>,
        failure: Option<Failure>,
    },
    /// More redirects than [`super::MAX_REDIRECTS`].
    TooManyRedirects { url: String, hops: u8 },
    /// The exchange returned a refresh token whose `exp` is already past.
    RefreshTokenIssuedExpired { url: String, expired_at_ms: u64 },
}

impl Failure {
    /// Returns the failure of an outcome without a readable response, or `None` for a response.
    pub fn of(outcome: &super::Outcome) -> Option<Failure> {
        use super::Outcome;
        match outcome {
            Outcome::Answer(_) => None,
            Outcome::CorsBlocked => Some(Failure::CorsBlocked),
            Outcome::Network { detail } => Some(Failure::Network {
                detail: detail.clone(),
            }),
            Outcome::TimedOut { after_ms } => Some(Failure::TimedOut {
                after_ms: *after_ms,
            }),
            Outcome::Dns { detail } => Some(Failure::Dns {
                detail: detail.clone(),
            }),
            Outcome::Tls { detail } => Some(Failure::Tls {
                detail: detail.clone(),
            }),
        }
    }

    /// Returns the code of a failure on the way to the login server. A browser cannot tell
    /// DNS, TLS and refused connections apart, so it reports them all as a network error.
    pub fn code(&self) -> crate::Code {
        use crate::Code;
        match self {
            Failure::CorsBlocked => Code::ConnectivityCors,
            Failure::Network { .. } | Failure::TimedOut { .. } => Code::ConnectivityNetwork,
            Failure::Dns { .. } => Code::ConnectivityDns,
            Failure::Tls { .. } => Code::ConnectivitySsl,
        }
    }
}

impl Localize for RegistryFinding {
    fn localize(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.english(),
            Lang::Ko => self.korean(),
        }
    }
}

impl RegistryFinding {
    fn english(&self) -> String {
        use RegistryFinding::*;
        match self {
            SkippedAfterFailure => "Not run because an earlier step failed.".to_owned(),
            SkippedCorsBlocked => "Not run from this page, because the browser may not read the registry's answers. The helper (acr-health-helper) runs this check from your machine, or the registry's CORS settings can allow this page.".to_owned(),
            SkippedExchangeNotNeeded { credential } => format!(
                "Not run: the exchange is only for an Azure AD token, and the credential given is {}.",
                credential_en(*credential)
            ),
            SkippedNoServerTime => "Not run: no answer carried a Date header the page could read, and no token carried its issue time.".to_owned(),
            LoginServer { login_server, cloud } => match cloud {
                Some(cloud) => format!("The login server is {login_server} ({}).", cloud.as_str()),
                None => format!("The login server is {login_server}."),
            },
            InvalidInput { error } => error.localize(Lang::En),
            Reached { url, status: Some(status) } => format!("{url} responded with HTTP {status}."),
            Reached { url, status: None } => format!("{url} responded; the browser hides the status of this probe, but the network path works."),
            RequestFailed { url, failure } => format!("The request to {url} failed: {}.", failure_en(failure)),
            Unreachable { failure } => format!("The login server could not be reached: {}.", failure_en(failure)),
            ChallengeIssued { url, realm, service } => format!(
                "{url} responded with 401 with a Bearer challenge: realm {realm}, service {service}."
            ),
            Forbidden { url, client_ip, message } => {
                let mut text = format!("{url} responded with 403 Forbidden.");
                if let Some(ip) = client_ip {
                    text.push_str(&format!(" The registry saw this client as {ip}; that is the address a firewall rule must allow."));
                }
                if let Some(message) = message {
                    text.push_str(&format!(" Message: \"{message}\""));
                }
                text
            }
            TooManyRequests { url, retry_after } => match retry_after {
                Some(after) => format!("{url} responded with 429 Too Many Requests (Retry-After: {after})."),
                None => format!("{url} responded with 429 Too Many Requests."),
            },
            ChallengeHeaderMissing { url, in_browser: false } => {
                format!("{url} responded with 401 without a WWW-Authenticate header.")
            }
            ChallengeHeaderMissing { url, in_browser: true } => format!(
                "{url} responded with 401 without a WWW-Authenticate header the page can read. The server may send it without listing it in Access-Control-Expose-Headers; the helper sees the header either way."
            ),
            NoChallenge { url, status } => format!(
                "{url} responded with HTTP {status} instead of 401 with a challenge."
            ),
            ChallengeUnreadable { url, problem } => format!(
                "The WWW-Authenticate header from {url} is invalid: {}.",
                challenge_problem_en(problem)
            ),
            NotBearer { url, schemes } => format!(
                "{url} offers only {} authentication, not Bearer tokens.",
                schemes.join(", ")
            ),
            BearerIncomplete { url, missing, aad_requested } => {
                let mut text = format!(
                    "The Bearer challenge from {url} lacks a usable {}.",
                    missing.join(" and ")
                );
                if *aad_requested {
                    text.push_str(" Without it an Azure AD token cannot be exchanged here.");
                }
                text
            }
            Redirected { url, status, location } => match location {
                Some(location) => format!("{url} redirected (HTTP {status}) to {location} instead of answering."),
                None => format!("{url} redirected (HTTP {status}) instead of answering."),
            },
            CorsReadable { url } => format!("The page can read the answers of {url}."),
            CorsBlocked { url } => format!(
                "{url} responded, but the browser does not let this page read the answer (CORS). The remaining checks need the helper (acr-health-helper check), or a registry that allows this page's origin."
            ),
            RefreshTokenIssued { url, expires_at_ms } => match expires_at_ms {
                Some(at) => format!("{url} returned a refresh token valid until {}.", format_utc(*at)),
                None => format!("{url} returned a refresh token."),
            },
            Rejected { url, status, message } => match message {
                Some(message) => format!("{url} responded with HTTP {status}: \"{message}\"."),
                None => format!("{url} responded with HTTP {status}."),
            },
            CredentialExpired { url, credential, expired_at_ms } => format!(
                "{url} rejected the {}, which expired at {}.",
                match credential {
                    ExpiredCredential::AadToken => "Azure AD token",
                    ExpiredCredential::RefreshToken => "refresh token",
                },
                format_utc(*expired_at_ms)
            ),
            TokenMissing { url, field, problem } => match problem {
                Some(problem) => format!("{url} responded with success, but its body is unusable ({}), so no {field} was found.", token_problem_en(problem)),
                None => format!("{url} responded with success, but the answer has no {field}."),
            },
            TokenGranted { url, flow, scope, granted, expires_at_ms } => format!(
                "{url} issued an access token ({}) for {scope}; it grants {}{}.",
                flow_en(*flow),
                list_or(granted, "nothing"),
                expiry_en(*expires_at_ms)
            ),
            FewerActions { url, flow, scope, granted, missing, expires_at_ms } => {
                let grants = if granted.is_empty() {
                    "it grants nothing".to_owned()
                } else {
                    format!("it grants only {}", granted.join(", "))
                };
                format!(
                    "{url} issued an access token ({}) for {scope}, but {grants} and lacks {}{}.",
                    flow_en(*flow),
                    missing.join(", "),
                    expiry_en(*expires_at_ms)
                )
            }
            TokenNotJwt { url, flow, problem } => format!(
                "{url} issued an access token ({}) that is not a readable JWT ({problem}), so what it grants is unknown.",
                flow_en(*flow)
            ),
            TokenExpired { url, expired_at_ms } => format!(
                "{url} issued an access token that already expired at {}.",
                format_utc(*expired_at_ms)
            ),
            ClockInSync { source, server_ms, local_ms } => format!(
                "Server time {} ({}) and local time {} differ by {}.",
                format_utc(*server_ms),
                source_en(*source),
                format_utc(*local_ms),
                skew_en(*server_ms, *local_ms)
            ),
            ClockSkewed { source, server_ms, local_ms } => format!(
                "Server time {} ({}) and local time {} differ by {}, more than the 5 minutes tokens tolerate.",
                format_utc(*server_ms),
                source_en(*source),
                format_utc(*local_ms),
                skew_en(*server_ms, *local_ms)
            ),
            ManifestNotFound { url } => format!(
                "{url} responded with 404: this repository or tag does not exist, so the data path was not tried. Check another repository to test it."
            ),
            ManifestUnreadable { url, problem } => format!(
                "The manifest from {url} is unusable: {}.",
                manifest_problem_en(*problem)
            ),
            DataPathWorks { blob_url, endpoint, redirected: true } => format!(
                "A blob was downloaded from {endpoint} after the redirect from {blob_url}."
            ),
            DataPathWorks { blob_url, endpoint, redirected: false } => format!(
                "A blob was downloaded from {blob_url}, served by {endpoint} directly."
            ),
            DataEndpointFailed { url, endpoint, status, failure } => match (status, failure) {
                (_, Some(failure)) => format!("The data endpoint {endpoint} failed ({}) for {url}.", failure_en(failure)),
                (Some(status), None) => format!("The data endpoint {endpoint} responded with HTTP {status} for {url}."),
                (None, None) => format!("The data endpoint {endpoint} failed for {url}."),
            },
            TooManyRedirects { url, hops } => format!("Stopped after {hops} redirects at {url}; the redirects form a loop or a chain too long to follow."),
            RefreshTokenIssuedExpired { url, expired_at_ms } => format!(
                "{url} returned a refresh token that had already expired at {}, so access tokens cannot be requested with it.",
                format_utc(*expired_at_ms)
            ),
        }
    }

    fn korean(&self) -> String {
        use RegistryFinding::*;
        match self {
            SkippedAfterFailure => "앞 단계가 실패해서 실행하지 않았습니다.".to_owned(),
            SkippedCorsBlocked => "브라우저가 레지스트리 응답을 읽지 못하게 막아서 이 페이지에서는 실행하지 않았습니다. 헬퍼(acr-health-helper)를 쓰면 이 머신에서 바로 점검할 수 있고, 레지스트리 CORS 설정에서 이 페이지를 허용해도 됩니다.".to_owned(),
            SkippedExchangeNotNeeded { credential } => format!(
                "실행하지 않음: 토큰 교환은 Azure AD 토큰에만 필요한데, 입력한 자격 증명은 {}입니다.",
                credential_ko(*credential)
            ),
            SkippedNoServerTime => "실행하지 않음: 페이지에서 읽을 수 있는 Date 헤더가 없었고, 발급 시각이 담긴 토큰도 받지 못했습니다.".to_owned(),
            LoginServer { login_server, cloud } => match cloud {
                Some(cloud) => format!("로그인 서버는 {login_server}입니다({}).", cloud.as_str()),
                None => format!("로그인 서버는 {login_server}입니다."),
            },
            InvalidInput { error } => error.localize(Lang::Ko),
            Reached { url, status: Some(status) } => format!("{url}이(가) HTTP {status}로 응답했습니다."),
            Reached { url, status: None } => format!("{url}이(가) 응답했습니다. 이 점검에서는 브라우저가 상태 코드를 감추지만, 네트워크 경로는 정상입니다."),
            RequestFailed { url, failure } => format!("{url} 요청이 실패했습니다: {}.", failure_ko(failure)),
            Unreachable { failure } => format!("로그인 서버에 연결하지 못했습니다: {}.", failure_ko(failure)),
            ChallengeIssued { url, realm, service } => format!(
                "{url}이(가) 401과 함께 Bearer 챌린지를 보냈습니다. realm은 {realm}, service는 {service}입니다."
            ),
            Forbidden { url, client_ip, message } => {
                let mut text = format!("{url}이(가) 403 Forbidden으로 응답했습니다.");
                if let Some(ip) = client_ip {
                    text.push_str(&format!(" 레지스트리가 본 이 클라이언트의 IP는 {ip}이며, 방화벽 규칙에서 허용해야 할 주소가 바로 이것입니다."));
                }
                if let Some(message) = message {
                    text.push_str(&format!(" 메시지: \"{message}\""));
                }
                text
            }
            TooManyRequests { url, retry_after } => match retry_after {
                Some(after) => format!("{url}이(가) 429 Too Many Requests로 응답했습니다(Retry-After: {after})."),
                None => format!("{url}이(가) 429 Too Many Requests로 응답했습니다."),
            },
            ChallengeHeaderMissing { url, in_browser: false } => {
                format!("{url}이(가) 401로 응답했지만 WWW-Authenticate 헤더가 없습니다.")
            }
            ChallengeHeaderMissing { url, in_browser: true } => format!(
                "{url}이(가) 401로 응답했지만 페이지에서 읽을 수 있는 WWW-Authenticate 헤더가 없습니다. 서버가 헤더를 보내면서 Access-Control-Expose-Headers에 넣지 않았을 수 있습니다. 헬퍼로 점검하면 헤더를 그대로 볼 수 있습니다."
            ),
            NoChallenge { url, status } => format!(
                "{url}이(가) 챌린지가 담긴 401 대신 HTTP {status}로 응답했습니다."
            ),
            ChallengeUnreadable { url, problem } => format!(
                "{url}의 WWW-Authenticate 헤더 형식이 잘못되었습니다: {}.",
                challenge_problem_ko(problem)
            ),
            NotBearer { url, schemes } => format!(
                "{url}은(는) {} 인증만 제공하고 Bearer 토큰 인증은 제공하지 않습니다.",
                schemes.join(", ")
            ),
            BearerIncomplete { url, missing, aad_requested } => {
                let mut text = format!(
                    "{url}의 Bearer 챌린지에 쓸 수 있는 {} 값이 없습니다.",
                    missing.join(", ")
                );
                if *aad_requested {
                    text.push_str(" 이 값이 없으면 여기서 Azure AD 토큰을 교환할 수 없습니다.");
                }
                text
            }
            Redirected { url, status, location } => match location {
                Some(location) => format!("{url}이(가) 응답 대신 {location}(으)로 리디렉션했습니다(HTTP {status})."),
                None => format!("{url}이(가) 응답 대신 리디렉션했습니다(HTTP {status})."),
            },
            CorsReadable { url } => format!("이 페이지에서 {url}의 응답을 읽을 수 있습니다."),
            CorsBlocked { url } => format!(
                "{url}이(가) 응답했지만 브라우저가 이 페이지에서 응답을 읽지 못하게 막았습니다(CORS). 나머지 점검은 헬퍼(acr-health-helper check)로 실행하세요. 레지스트리가 이 페이지의 출처를 허용하면 페이지에서도 점검할 수 있습니다."
            ),
            RefreshTokenIssued { url, expires_at_ms } => match expires_at_ms {
                Some(at) => format!("{url}에서 리프레시 토큰을 받았습니다. {}까지 유효합니다.", format_utc(*at)),
                None => format!("{url}에서 리프레시 토큰을 받았습니다."),
            },
            Rejected { url, status, message } => match message {
                Some(message) => format!("{url}이(가) HTTP {status}로 응답했습니다: \"{message}\"."),
                None => format!("{url}이(가) HTTP {status}로 응답했습니다."),
            },
            CredentialExpired { url, credential, expired_at_ms } => format!(
                "{url}이(가) {}을(를) 거부했습니다. 이 토큰은 {}에 만료되었습니다.",
                match credential {
                    ExpiredCredential::AadToken => "Azure AD 토큰",
                    ExpiredCredential::RefreshToken => "리프레시 토큰",
                },
                format_utc(*expired_at_ms)
            ),
            TokenMissing { url, field, problem } => match problem {
                Some(problem) => format!("{url}이(가) 성공으로 응답했지만 본문을 쓸 수 없어({}) {field}을(를) 찾지 못했습니다.", token_problem_ko(problem)),
                None => format!("{url}이(가) 성공으로 응답했지만 응답에 {field}이(가) 없습니다."),
            },
            TokenGranted { url, flow, scope, granted, expires_at_ms } => format!(
                "{url}에서 {scope} 범위의 액세스 토큰을 받았습니다({}). 부여된 권한: {}{}.",
                flow_ko(*flow),
                list_or(granted, "없음"),
                expiry_ko(*expires_at_ms)
            ),
            FewerActions { url, flow, scope, granted, missing, expires_at_ms } => {
                let grants = if granted.is_empty() {
                    "부여된 권한이 하나도 없어".to_owned()
                } else {
                    format!("부여된 권한은 {}뿐이라", granted.join(", "))
                };
                format!(
                    "{url}에서 {scope} 범위의 액세스 토큰을 받았지만({}) {grants} {} 권한이 빠져 있습니다{}.",
                    flow_ko(*flow),
                    missing.join(", "),
                    expiry_ko(*expires_at_ms)
                )
            }
            TokenNotJwt { url, flow, problem } => format!(
                "{url}에서 받은 액세스 토큰({})이 읽을 수 있는 JWT가 아니어서({}) 어떤 권한이 부여됐는지 알 수 없습니다.",
                flow_ko(*flow),
                jwt_problem_ko(problem)
            ),
            TokenExpired { url, expired_at_ms } => format!(
                "{url}에서 받은 액세스 토큰이 이미 {}에 만료되었습니다.",
                format_utc(*expired_at_ms)
            ),
            ClockInSync { source, server_ms, local_ms } => format!(
                "서버 시각은 {}({}), 로컬 시각은 {}이며 차이는 {}입니다.",
                format_utc(*server_ms),
                source_ko(*source),
                format_utc(*local_ms),
                skew_ko(*server_ms, *local_ms)
            ),
            ClockSkewed { source, server_ms, local_ms } => format!(
                "서버 시각은 {}({}), 로컬 시각은 {}로 {} 차이가 납니다. 토큰이 허용하는 5분을 넘는 차이입니다.",
                format_utc(*server_ms),
                source_ko(*source),
                format_utc(*local_ms),
                skew_ko(*server_ms, *local_ms)
            ),
            ManifestNotFound { url } => format!(
                "{url}이(가) 404로 응답했습니다. 이 리포지토리나 태그가 없어서 데이터 경로는 확인하지 못했습니다. 다른 리포지토리로 다시 점검해 보세요."
            ),
            ManifestUnreadable { url, problem } => format!(
                "{url}의 매니페스트를 쓸 수 없습니다: {}.",
                manifest_problem_ko(*problem)
            ),
            DataPathWorks { blob_url, endpoint, redirected: true } => format!(
                "{blob_url}에서 리디렉션된 뒤 {endpoint}에서 블롭을 내려받았습니다."
            ),
            DataPathWorks { blob_url, endpoint, redirected: false } => format!(
                "{endpoint}이(가) 직접 제공하는 {blob_url}에서 블롭을 내려받았습니다."
            ),
            DataEndpointFailed { url, endpoint, status, failure } => match (status, failure) {
                (_, Some(failure)) => format!("데이터 엔드포인트 {endpoint}에서 {url} 요청이 실패했습니다({}).", failure_ko(failure)),
                (Some(status), None) => format!("데이터 엔드포인트 {endpoint}이(가) {url}에 HTTP {status}로 응답했습니다."),
                (None, None) => format!("데이터 엔드포인트 {endpoint}에서 {url} 요청이 실패했습니다."),
            },
            TooManyRedirects { url, hops } => format!("리디렉션이 {hops}번 이어져 {url}에서 멈췄습니다. 리디렉션이 순환하거나 너무 깁니다."),
            RefreshTokenIssuedExpired { url, expired_at_ms } => format!(
                "{url}에서 받은 리프레시 토큰이 이미 {}에 만료되어, 이 토큰으로는 액세스 토큰을 요청할 수 없습니다.",
                format_utc(*expired_at_ms)
            ),
        }
    }
}

fn list_or(items: &[String], empty: &str) -> String {
    if items.is_empty() {
        empty.to_owned()
    } else {
        items.join(", ")
    }
}

fn credential_en(kind: CredentialKind) -> &'static str {
    match kind {
        CredentialKind::Anonymous => "none (anonymous)",
        CredentialKind::Password => "a user name and password",
        CredentialKind::AadToken => "an Azure AD token",
        CredentialKind::RefreshToken => "an ACR refresh token",
    }
}

fn credential_ko(kind: CredentialKind) -> &'static str {
    match kind {
        CredentialKind::Anonymous => "없음(익명)",
        CredentialKind::Password => "사용자 이름과 비밀번호",
        CredentialKind::AadToken => "Azure AD 토큰",
        CredentialKind::RefreshToken => "ACR 리프레시 토큰",
    }
}

fn failure_en(failure: &Failure) -> String {
    match failure {
        Failure::CorsBlocked => "the browser blocked reading the answer (CORS)".to_owned(),
        Failure::Network { detail } => format!("network error ({detail})"),
        Failure::TimedOut { after_ms } => format!("no response after {after_ms} ms"),
        Failure::Dns { detail } => format!("the name did not resolve ({detail})"),
        Failure::Tls { detail } => format!("the TLS handshake failed ({detail})"),
    }
}

fn failure_ko(failure: &Failure) -> String {
    match failure {
        Failure::CorsBlocked => "브라우저가 응답 읽기를 막음(CORS)".to_owned(),
        Failure::Network { detail } => format!("네트워크 오류({detail})"),
        Failure::TimedOut { after_ms } => format!("{after_ms}ms 동안 응답 없음"),
        Failure::Dns { detail } => format!("이름 확인 실패({detail})"),
        Failure::Tls { detail } => format!("TLS 핸드셰이크 실패({detail})"),
    }
}

fn token_problem_en(problem: &TokenError) -> String {
    problem.to_string()
}

fn token_problem_ko(problem: &TokenError) -> String {
    match problem {
        TokenError::Empty => "본문이 비어 있음".to_owned(),
        TokenError::NotUtf8 { valid_up_to } => format!("{valid_up_to}바이트 뒤부터 UTF-8이 아님"),
        TokenError::Truncated => "JSON이 중간에 끊김".to_owned(),
        TokenError::InvalidJson { line, column } => {
            format!("{line}행 {column}열에서 JSON 형식 오류")
        }
        TokenError::NotAnObject => "JSON 객체가 아님".to_owned(),
        TokenError::WrongType {
            field,
            expected,
            found,
        } => {
            format!(
                "`{field}`의 형식이 잘못됨(기대: {}, 실제: {})",
                json_type_ko(expected),
                json_type_ko(found)
            )
        }
    }
}

fn challenge_problem_en(problem: &ChallengeProblem) -> String {
    match problem {
        ChallengeProblem::Syntax(error) => error.to_string(),
        ChallengeProblem::BearerToken68 => {
            "the Bearer challenge carries a bare value instead of realm and service parameters"
                .to_owned()
        }
    }
}

fn challenge_problem_ko(problem: &ChallengeProblem) -> String {
    match problem {
        ChallengeProblem::Syntax(ChallengeError::Empty) => "헤더가 비어 있음".to_owned(),
        ChallengeProblem::Syntax(ChallengeError::UnexpectedCharacter { at, found }) => {
            format!("{at}바이트 위치에 예상하지 못한 문자 {found:?}")
        }
        ChallengeProblem::Syntax(ChallengeError::UnterminatedQuote { at }) => {
            format!("{at}바이트 위치에서 시작한 따옴표 문자열이 닫히지 않음")
        }
        ChallengeProblem::BearerToken68 => {
            "Bearer 챌린지에 realm과 service 매개변수 대신 값 하나만 들어 있음".to_owned()
        }
    }
}

fn manifest_problem_en(problem: ManifestProblem) -> &'static str {
    match problem {
        ManifestProblem::NotJson => "the body is not JSON",
        ManifestProblem::TooLarge => "it is larger than the transport's size limit",
        ManifestProblem::NestedTooDeep => "its indexes nest deeper than two levels",
        ManifestProblem::NoManifest => "the index lists no manifest with a valid digest",
        ManifestProblem::NoBlob => "it names no blob with a valid digest",
    }
}

fn manifest_problem_ko(problem: ManifestProblem) -> &'static str {
    match problem {
        ManifestProblem::NotJson => "본문이 JSON이 아님",
        ManifestProblem::TooLarge => "전송 크기 제한보다 커서 잘림",
        ManifestProblem::NestedTooDeep => "인덱스가 두 단계보다 깊게 중첩됨",
        ManifestProblem::NoManifest => "인덱스에 올바른 다이제스트를 가진 매니페스트가 없음",
        ManifestProblem::NoBlob => "올바른 다이제스트를 가진 블롭이 없음",
    }
}

fn jwt_problem_ko(problem: &JwtError) -> String {
    match problem {
        JwtError::PartCount { found } => {
            format!("JWT는 점으로 나뉜 세 부분이어야 하는데 {found}부분임")
        }
        JwtError::EmptyPart { part } => format!("{part}번째 부분이 비어 있음"),
        JwtError::NotBase64Url { part } => format!("{part}번째 부분이 base64url이 아님"),
        JwtError::NotJsonObject { part } => format!("{part}번째 부분이 JSON 객체가 아님"),
        JwtError::NoAlgorithm => "헤더에 `alg`가 없음".to_owned(),
        JwtError::WrongType {
            claim,
            expected,
            found,
        } => format!(
            "클레임 `{claim}`의 형식이 잘못됨(기대: {}, 실제: {})",
            json_type_ko(expected),
            json_type_ko(found)
        ),
    }
}

/// Translates the JSON type descriptions the parsers write in English.
fn json_type_ko(description: &str) -> &str {
    match description {
        "a string" => "문자열",
        "a number" => "숫자",
        "a boolean" => "불리언",
        "an object" => "객체",
        "an array" | "a list" => "배열",
        "a list of objects" => "객체 배열",
        "a list of strings" => "문자열 배열",
        "a string or a list of strings" => "문자열 또는 문자열 배열",
        "a whole number of seconds" => "초 단위 정수",
        "seconds since 1970" => "1970년 이후 경과 초",
        other => other,
    }
}

fn flow_en(flow: TokenFlow) -> &'static str {
    match flow {
        TokenFlow::RefreshToken => "refresh-token grant",
        TokenFlow::Password => "password grant",
        TokenFlow::Basic => "Basic authentication",
        TokenFlow::Anonymous => "anonymous",
    }
}

fn flow_ko(flow: TokenFlow) -> &'static str {
    match flow {
        TokenFlow::RefreshToken => "리프레시 토큰 방식",
        TokenFlow::Password => "비밀번호 방식",
        TokenFlow::Basic => "Basic 인증",
        TokenFlow::Anonymous => "익명",
    }
}

fn expiry_en(expires_at_ms: Option<u64>) -> String {
    match expires_at_ms {
        Some(at) => format!(", and expires at {}", format_utc(at)),
        None => String::new(),
    }
}

fn expiry_ko(expires_at_ms: Option<u64>) -> String {
    match expires_at_ms {
        Some(at) => format!(". 만료 시각은 {}입니다", format_utc(at)),
        None => String::new(),
    }
}

fn source_en(source: ClockSource) -> &'static str {
    match source {
        ClockSource::DateHeader => "from the Date header",
        ClockSource::TokenIssuedAt => "when the token was issued",
        ClockSource::TokenNotBefore => "from the token's not-before time",
    }
}

fn source_ko(source: ClockSource) -> &'static str {
    match source {
        ClockSource::DateHeader => "Date 헤더 기준",
        ClockSource::TokenIssuedAt => "토큰 발급 시각 기준",
        ClockSource::TokenNotBefore => "토큰 유효 시작 시각 기준",
    }
}

fn skew_parts(server_ms: u64, local_ms: u64) -> (u64, u64) {
    let seconds = server_ms.abs_diff(local_ms) / 1_000;
    (seconds / 60, seconds % 60)
}

fn skew_en(server_ms: u64, local_ms: u64) -> String {
    let (minutes, seconds) = skew_parts(server_ms, local_ms);
    let direction = if server_ms >= local_ms {
        "ahead"
    } else {
        "behind"
    };
    format!("{minutes} min {seconds} s (the server is {direction})")
}

fn skew_ko(server_ms: u64, local_ms: u64) -> String {
    let (minutes, seconds) = skew_parts(server_ms, local_ms);
    let direction = if server_ms >= local_ms {
        "빠름"
    } else {
        "느림"
    };
    format!("{minutes}분 {seconds}초(서버가 {direction})")
}
