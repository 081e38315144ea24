//! The native HTTP transport the registry and ARM runs drive: one connection per request, DNS,
//! proxy tunnel, TLS and HTTP/1.1, every step bounded in time and size.

use std::sync::Arc;
use std::time::{Duration, Instant};

use acr_health_core::rules::environment::{DnsAnswer, TlsObservation};
use acr_health_core::rules::registry::{
    HttpAnswer, HttpRequest, Method, Outcome, Redirect, MAX_REDIRECTS,
};
use base64::Engine;
use http::header;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use rustls::ClientConfig;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use super::proxy::{Proxy, ProxyEnv};
use super::tls::{self, PresentedChain};

/// Largest body kept from one response. Token responses and manifests are a few kilobytes; a
/// blob is cut here, which is enough to prove the data path works.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Largest proxy response to a CONNECT request that is read.
const MAX_CONNECT_ANSWER: usize = 8 * 1024;

trait Io: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Io for T {}

/// Sends the requests of the registry and ARM runs from this machine.
pub struct Transport {
    tls: Arc<ClientConfig>,
    presented: PresentedChain,
    proxy: ProxyEnv,
    /// Time allowed for one request, redirects included.
    pub timeout: Duration,
}

/// The parts of a URL the transport needs.
struct Target {
    https: bool,
    host: String,
    port: u16,
    /// `host[:port]` as sent in `Host`.
    authority: String,
    /// Path and query, as sent on a direct connection.
    path: String,
}

impl Target {
    fn parse(url: &str) -> Result<Target, String> {
        let uri: http::Uri = url.parse().map_err(|err| format!("invalid URL: {err}"))?;
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            other => return Err(format!("unsupported URL scheme {other:?}")),
        };
        let authority = uri.authority().ok_or("URL without a host")?;
        let host = authority
            .host()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let port = authority.port_u16().unwrap_or(if https { 443 } else { 80 });
        let path = uri
            .path_and_query()
            .map_or("/".to_owned(), |p| p.as_str().to_owned());
        Ok(Target {
            https,
            host,
            port,
            authority: authority.as_str().to_owned(),
            path,
        })
    }

    fn origin(&self) -> (bool, &str, u16) {
        (self.https, &self.host, self.port)
    }
}

/// Returns `scheme://authority/path` without the query, which may hold a storage SAS token.
pub fn loggable(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

impl Transport {
    pub fn new(
        tls: Arc<ClientConfig>,
        presented: PresentedChain,
        proxy: ProxyEnv,
        timeout: Duration,
    ) -> Transport {
        Transport {
            tls,
            presented,
            proxy,
            timeout,
        }
    }

    /// Sends one request of the run and returns what became of it. Redirects are followed only
    /// for [`Redirect::Follow`], and the `Authorization` header is dropped when a redirect
    /// leaves the origin.
    pub async fn send(&self, request: &HttpRequest) -> Outcome {
        let started = Instant::now();
        let deadline = tokio::time::Instant::now() + self.timeout;
        let outcome = self.send_following(request, deadline).await;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        match &outcome {
            Outcome::Answer(answer) => tracing::debug!(
                check = request.check.as_str(),
                method = request.method.as_str(),
                url = loggable(&request.url),
                status = answer.status,
                elapsed_ms,
                "request answered"
            ),
            other => tracing::info!(
                check = request.check.as_str(),
                method = request.method.as_str(),
                url = loggable(&request.url),
                outcome = ?other,
                elapsed_ms,
                "request failed"
            ),
        }
        outcome
    }

    async fn send_following(
        &self,
        request: &HttpRequest,
        deadline: tokio::time::Instant,
    ) -> Outcome {
        let mut url = request.url.clone();
        let mut method = request.method;
        let mut authorized = true;
        let mut with_body = true;
        let mut hops = 0u8;
        loop {
            let answer = match self
                .exchange(request, &url, method, authorized, with_body, deadline)
                .await
            {
                Ok(answer) => answer,
                Err(outcome) => return outcome,
            };
            let location = answer.header("location");
            let is_redirect = matches!(answer.status, 301 | 302 | 303 | 307 | 308);
            let (true, Redirect::Follow, Some(location)) =
                (is_redirect, request.redirect, location)
            else {
                return Outcome::Answer(answer);
            };
            if hops >= MAX_REDIRECTS {
                return Outcome::Answer(answer);
            }
            hops += 1;

            let next = resolve_location(&url, &location);
            let same_origin = match (Target::parse(&url), Target::parse(&next)) {
                (Ok(a), Ok(b)) => a.origin() == b.origin(),
                _ => false,
            };
            authorized &= same_origin;
            if answer.status == 303
                || (matches!(answer.status, 301 | 302) && method == Method::Post)
            {
                method = Method::Get;
                with_body = false;
            }
            url = next;
        }
    }

    /// Makes one HTTP exchange on a new connection. Connecting and receiving the headers must
    /// end by `deadline`, else the outcome is a timeout. A body still arriving at `deadline`
    /// is cut there and marked truncated, because the server did respond.
    async fn exchange(
        &self,
        request: &HttpRequest,
        url: &str,
        method: Method,
        authorized: bool,
        with_body: bool,
        deadline: tokio::time::Instant,
    ) -> Result<HttpAnswer, Outcome> {
        let timed_out = Outcome::TimedOut {
            after_ms: u32::try_from(self.timeout.as_millis()).unwrap_or(u32::MAX),
        };
        let response = tokio::time::timeout_at(
            deadline,
            self.request_headers(request, url, method, authorized, with_body),
        )
        .await
        .map_err(|_| timed_out)??;
        let (status, headers, mut body) = response;

        let mut kept = Vec::new();
        let mut truncated = false;
        loop {
            let frame = match tokio::time::timeout_at(deadline, body.frame()).await {
                Err(_) => {
                    truncated = true;
                    break;
                }
                Ok(None) => break,
                Ok(Some(frame)) => frame.map_err(|err| Outcome::Network {
                    detail: format!("reading the answer from {} failed: {err}", loggable(url)),
                })?,
            };
            if let Ok(data) = frame.into_data() {
                let room = MAX_BODY_BYTES - kept.len();
                kept.extend_from_slice(&data[..data.len().min(room)]);
                if data.len() > room {
                    truncated = true;
                    break;
                }
            }
        }
        Ok(HttpAnswer {
            url: url.to_owned(),
            status,
            headers,
            body: kept,
            body_truncated: truncated,
        })
    }

    /// Connects, sends the request and returns the status, the headers and the body stream.
    async fn request_headers(
        &self,
        request: &HttpRequest,
        url: &str,
        method: Method,
        authorized: bool,
        with_body: bool,
    ) -> Result<(u16, Vec<(String, String)>, hyper::body::Incoming), Outcome> {
        let target = Target::parse(url).map_err(|detail| Outcome::Network { detail })?;
        let proxy = self.proxy.proxy_for(&target.host, target.https);
        let io = self.connect(&target, proxy.as_ref()).await?;

        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(io))
            .await
            .map_err(|err| Outcome::Network {
                detail: format!("HTTP handshake with {} failed: {err}", target.authority),
            })?;
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(cause = %err, "registry connection closed with an error");
            }
        });

        // A plain-HTTP request through a proxy names the whole URL; anything else names the path.
        let request_target = if proxy.is_some() && !target.https {
            url.to_owned()
        } else {
            target.path.clone()
        };
        let mut builder = http::Request::builder()
            .method(method.as_str())
            .uri(request_target)
            .header(header::HOST, &target.authority)
            .header(
                header::USER_AGENT,
                concat!("acr-health-helper/", env!("CARGO_PKG_VERSION")),
            );
        if let Some(accept) = &request.accept {
            builder = builder.header(header::ACCEPT, accept);
        }
        if authorized {
            if let Some((user, password)) = &request.basic {
                let encoded =
                    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
                builder = builder.header(header::AUTHORIZATION, format!("Basic {encoded}"));
            } else if let Some(token) = &request.bearer {
                builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
            }
        }
        let body = if with_body && !request.form.is_empty() {
            builder = builder.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            Bytes::from(request.form_body())
        } else {
            Bytes::new()
        };
        let http_request = builder
            .body(Full::new(body))
            .map_err(|err| Outcome::Network {
                detail: format!("invalid request: {err}"),
            })?;

        let response = sender
            .send_request(http_request)
            .await
            .map_err(|err| Outcome::Network {
                detail: format!("no HTTP answer from {}: {err}", target.authority),
            })?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();

        Ok((status, headers, response.into_body()))
    }

    /// Opens a connection to `target`, through `proxy` when one applies, with TLS for HTTPS.
    async fn connect(
        &self,
        target: &Target,
        proxy: Option<&Proxy>,
    ) -> Result<Box<dyn Io>, Outcome> {
        let tcp = match proxy {
            Some(proxy) => {
                let mut tcp = tcp_connect(&proxy.host, proxy.port).await?;
                if target.https {
                    tunnel(&mut tcp, target, proxy).await?;
                }
                tcp
            }
            None => tcp_connect(&target.host, target.port).await?,
        };
        if !target.https {
            return Ok(Box::new(tcp));
        }
        let stream = self.tls_handshake(target, tcp).await?;
        Ok(Box::new(stream))
    }

    async fn tls_handshake(
        &self,
        target: &Target,
        tcp: TcpStream,
    ) -> Result<tokio_rustls::client::TlsStream<TcpStream>, Outcome> {
        let name = ServerName::try_from(target.host.clone()).map_err(|err| Outcome::Tls {
            detail: format!("invalid server name {}: {err}", target.host),
        })?;
        TlsConnector::from(Arc::clone(&self.tls))
            .connect(name, tcp)
            .await
            .map_err(|err| Outcome::Tls {
                detail: format!("TLS handshake with {} failed: {err}", target.authority),
            })
    }

    /// Connects to the login server and completes a TLS handshake only, recording the chain
    /// the server presented.
    pub async fn tls_check(&self, base_url: &str, now_secs: i64) -> TlsObservation {
        let target = match Target::parse(base_url) {
            Ok(target) => target,
            Err(detail) => return TlsObservation::Failed { detail, peer: None },
        };
        if !target.https {
            return TlsObservation::NotUsed;
        }
        *self.presented.lock().unwrap_or_else(|p| p.into_inner()) = None;

        let proxy = self.proxy.proxy_for(&target.host, true);
        let attempt = async {
            let mut tcp = match &proxy {
                Some(proxy) => tcp_connect(&proxy.host, proxy.port).await?,
                None => tcp_connect(&target.host, target.port).await?,
            };
            if let Some(proxy) = &proxy {
                tunnel(&mut tcp, &target, proxy).await?;
            }
            self.tls_handshake(&target, tcp).await
        };
        let outcome = match tokio::time::timeout(self.timeout, attempt).await {
            Ok(outcome) => outcome,
            Err(_) => Err(Outcome::TimedOut {
                after_ms: u32::try_from(self.timeout.as_millis()).unwrap_or(u32::MAX),
            }),
        };

        let presented = self
            .presented
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        match outcome {
            Ok(stream) => {
                let connection = stream.get_ref().1;
                let protocol = connection
                    .protocol_version()
                    .map_or_else(|| "unknown".to_owned(), |v| format!("{v:?}"));
                let chain = connection
                    .peer_certificates()
                    .map(<[_]>::to_vec)
                    .or(presented)
                    .unwrap_or_default();
                TlsObservation::Established(tls::summarize(&chain, &protocol, now_secs))
            }
            Err(Outcome::Tls { detail }) => TlsObservation::Failed {
                detail,
                peer: presented.map(|chain| tls::summarize(&chain, "handshake failed", now_secs)),
            },
            Err(other) => TlsObservation::NotReached {
                detail: failure_text(&other),
            },
        }
    }
}

/// Resolves `host` and returns every address, or why it failed.
pub async fn resolve(host: &str, port: u16) -> DnsAnswer {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(address) = bare.parse() {
        return DnsAnswer::Literal(address);
    }
    match tokio::net::lookup_host((bare, port)).await {
        Ok(addresses) => {
            let mut list: Vec<_> = addresses.map(|a| a.ip()).collect();
            list.dedup();
            DnsAnswer::Resolved(list)
        }
        Err(err) => DnsAnswer::Failed {
            detail: err.to_string(),
        },
    }
}

/// Connects to the first address of `host` that accepts, naming every address that failed.
async fn tcp_connect(host: &str, port: u16) -> Result<TcpStream, Outcome> {
    let addresses = match resolve(host, port).await {
        DnsAnswer::Literal(address) => vec![address],
        DnsAnswer::Resolved(addresses) if !addresses.is_empty() => addresses,
        DnsAnswer::Resolved(_) => {
            return Err(Outcome::Dns {
                detail: format!("{host} has no addresses"),
            })
        }
        DnsAnswer::Failed { detail } => {
            return Err(Outcome::Dns {
                detail: format!("{host}: {detail}"),
            })
        }
    };
    let mut failures = Vec::new();
    for address in addresses {
        let socket = std::net::SocketAddr::new(address, port);
        match TcpStream::connect(socket).await {
            Ok(stream) => return Ok(stream),
            Err(err) => failures.push(format!("{socket}: {err}")),
        }
    }
    Err(Outcome::Network {
        detail: format!("connection to {host} failed ({})", failures.join("; ")),
    })
}

/// Asks an HTTP proxy for a tunnel to `target` with `CONNECT`.
async fn tunnel(tcp: &mut TcpStream, target: &Target, proxy: &Proxy) -> Result<(), Outcome> {
    let authority = format!("{}:{}", target.host, target.port);
    let request = format!("CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n");
    let io_failure = |err: std::io::Error| Outcome::Network {
        detail: format!("proxy {}:{} failed: {err}", proxy.host, proxy.port),
    };
    tcp.write_all(request.as_bytes())
        .await
        .map_err(io_failure)?;

    let mut answer = Vec::new();
    let mut byte = [0u8; 1];
    while !answer.ends_with(b"\r\n\r\n") {
        if answer.len() >= MAX_CONNECT_ANSWER || tcp.read(&mut byte).await.map_err(io_failure)? == 0
        {
            return Err(Outcome::Network {
                detail: format!(
                    "proxy {}:{} closed the tunnel request",
                    proxy.host, proxy.port
                ),
            });
        }
        answer.push(byte[0]);
    }
    let status_line = String::from_utf8_lossy(&answer);
    let status_line = status_line.lines().next().unwrap_or_default();
    if status_line.split_whitespace().nth(1) == Some("200") {
        Ok(())
    } else {
        Err(Outcome::Network {
            detail: format!(
                "proxy {}:{} refused the tunnel to {authority}: {status_line}",
                proxy.host, proxy.port
            ),
        })
    }
}

/// Resolves a `Location` header against the URL that sent it.
fn resolve_location(base: &str, location: &str) -> String {
    if location.starts_with("http://") || location.starts_with("https://") {
        return location.to_owned();
    }
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let origin_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let origin = &base[..origin_end];
    if let Some(rest) = location.strip_prefix("//") {
        let scheme = &base[..scheme_end];
        return format!("{scheme}{rest}");
    }
    if location.starts_with('/') {
        return format!("{origin}{location}");
    }
    let path = loggable(&base[origin_end..]);
    let directory = path.rfind('/').map_or("/", |i| &path[..=i]);
    format!("{origin}{directory}{location}")
}

/// Returns the detail of a failed outcome.
pub fn failure_text(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Network { detail } | Outcome::Dns { detail } | Outcome::Tls { detail } => {
            detail.clone()
        }
        Outcome::TimedOut { after_ms } => format!("no answer within {after_ms} ms"),
        Outcome::CorsBlocked => "blocked by CORS".to_owned(),
        Outcome::Answer(answer) => format!("HTTP {}", answer.status),
    }
}

/// Builds the client configuration for a transport.
pub fn tls_config(
    extra_ca: Option<&std::path::Path>,
) -> anyhow::Result<(Arc<ClientConfig>, PresentedChain)> {
    let roots = tls::root_store(extra_ca)?;
    tls::client_config(Arc::new(roots))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_location_cases() {
        let base = "https://r.test:5000/v2/hello/blobs/sha256:abc?x=1";
        let cases = [
            (
                "https://storage.test/blob?sig=s",
                "https://storage.test/blob?sig=s",
            ),
            ("/other", "https://r.test:5000/other"),
            ("//cdn.test/x", "https://cdn.test/x"),
            ("sibling", "https://r.test:5000/v2/hello/blobs/sibling"),
        ];
        for (location, expected) in cases {
            assert_eq!(
                resolve_location(base, location),
                expected,
                "location {location}"
            );
        }
    }

    #[test]
    fn loggable_drops_query() {
        assert_eq!(loggable("https://s.test/b?sig=secret"), "https://s.test/b");
    }
}
