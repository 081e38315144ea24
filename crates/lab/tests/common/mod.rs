//! A small HTTP client for the lab's tests. It sends one request per connection, follows no
//! redirects and keeps the raw bytes, so hostile responses can be asserted exactly.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use rustls::pki_types::{CertificateDer, ServerName};
use serde_json::Value;
use tokio::net::TcpStream;

/// What came back.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: http::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("body is not JSON ({error}): {}", self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One request to send.
pub struct Call {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Trust these PEM roots for https URLs.
    pub ca_pem: Option<String>,
    pub timeout: Duration,
}

impl Call {
    pub fn get(url: impl Into<String>) -> Self {
        Self {
            method: "GET",
            url: url.into(),
            headers: Vec::new(),
            body: Vec::new(),
            ca_pem: None,
            timeout: Duration::from_secs(10),
        }
    }

    pub fn post_form(url: impl Into<String>, fields: &[(&str, &str)]) -> Self {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        Self {
            method: "POST",
            body: body.into_bytes(),
            ..Self::get(url)
        }
        .header("content-type", "application/x-www-form-urlencoded")
    }

    pub fn method(mut self, method: &'static str) -> Self {
        self.method = method;
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn basic(self, username: &str, password: &str) -> Self {
        let encoded = STANDARD.encode(format!("{username}:{password}"));
        self.header("authorization", &format!("Basic {encoded}"))
    }

    pub fn bearer(self, token: &str) -> Self {
        self.header("authorization", &format!("Bearer {token}"))
    }

    pub fn json_body(mut self, method: &'static str, body: &str) -> Self {
        self.method = method;
        self.body = body.as_bytes().to_vec();
        self.header("content-type", "application/json")
    }

    pub fn trust(mut self, ca_pem: &str) -> Self {
        self.ca_pem = Some(ca_pem.to_string());
        self
    }

    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sends the request and reads the whole response within the timeout.
    pub async fn send(self) -> Result<Answer, String> {
        let timeout = self.timeout;
        match tokio::time::timeout(timeout, self.send_unbounded()).await {
            Ok(result) => result,
            Err(_) => Err(format!("timed out after {timeout:?}")),
        }
    }

    /// Sends the request and returns once the status and headers arrive, with the body still
    /// streaming.
    pub async fn send_head(self) -> Result<hyper::Response<hyper::body::Incoming>, String> {
        let timeout = self.timeout;
        match tokio::time::timeout(timeout, self.open()).await {
            Ok(result) => result,
            Err(_) => Err(format!("timed out after {timeout:?}")),
        }
    }

    async fn send_unbounded(self) -> Result<Answer, String> {
        let response = self.open().await?;
        let (parts, body) = response.into_parts();
        let body = body
            .collect()
            .await
            .map_err(|error| format!("reading the body failed: {error}"))?
            .to_bytes();
        Ok(Answer {
            status: parts.status.as_u16(),
            headers: parts.headers,
            body: body.to_vec(),
        })
    }

    async fn open(self) -> Result<hyper::Response<hyper::body::Incoming>, String> {
        let uri: http::Uri = self
            .url
            .parse()
            .map_err(|error| format!("bad URL {}: {error}", self.url))?;
        let host = uri
            .host()
            .ok_or("URL without host")?
            .trim_matches(|c| c == '[' || c == ']')
            .to_string();
        let https = uri.scheme_str() == Some("https");
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        let authority = uri.authority().ok_or("URL without authority")?.to_string();
        let stream = TcpStream::connect((host.as_str(), port))
            .await
            .map_err(|error| format!("connect failed: {error}"))?;

        let mut request = hyper::Request::builder()
            .method(self.method)
            .uri(uri.path_and_query().map(|p| p.as_str()).unwrap_or("/"));
        request = request.header("host", authority);
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        let request = request
            .body(Full::new(Bytes::from(self.body)))
            .map_err(|error| error.to_string())?;

        if https {
            let config = client_config(self.ca_pem.as_deref());
            let connector = tokio_rustls::TlsConnector::from(config);
            let name = ServerName::try_from(host.clone()).map_err(|error| error.to_string())?;
            let tls = connector
                .connect(name, stream)
                .await
                .map_err(|error| format!("TLS handshake failed: {error}"))?;
            exchange(TokioIo::new(tls), request).await
        } else {
            exchange(TokioIo::new(stream), request).await
        }
    }
}

async fn exchange<T>(
    io: T,
    request: hyper::Request<Full<Bytes>>,
) -> Result<hyper::Response<hyper::body::Incoming>, String>
where
    T: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::Builder::new()
        .max_buf_size(1024 * 1024)
        .handshake(io)
        .await
        .map_err(|error| format!("HTTP handshake failed: {error}"))?;
    tokio::spawn(connection);
    sender
        .send_request(request)
        .await
        .map_err(|error| format!("request failed: {error}"))
}

fn client_config(ca_pem: Option<&str>) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    if let Some(pem) = ca_pem {
        for certificate in rustls_pemfile_certs(pem) {
            roots.add(certificate).expect("the lab CA parses");
        }
    }
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

fn rustls_pemfile_certs(pem: &str) -> Vec<CertificateDer<'static>> {
    let mut certificates = Vec::new();
    let mut inside = false;
    let mut base64 = String::new();
    for line in pem.lines() {
        match line.trim() {
            "-----BEGIN CERTIFICATE-----" => {
                inside = true;
                base64.clear();
            }
            "-----END CERTIFICATE-----" => {
                inside = false;
                certificates.push(CertificateDer::from(
                    STANDARD.decode(&base64).expect("PEM base64"),
                ));
            }
            text if inside => base64.push_str(text),
            _ => {}
        }
    }
    certificates
}

/// Decodes the claims of a JWT without verifying it.
pub fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT has a payload");
    serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(payload)
            .expect("payload is base64url"),
    )
    .expect("payload is JSON")
}

/// Returns the value of parameter `name` in a challenge header.
pub fn challenge_param(header: &str, name: &str) -> Option<String> {
    let needle = format!("{name}=\"");
    let start = header.find(&needle)? + needle.len();
    let end = header[start..].find('"')? + start;
    Some(header[start..end].to_string())
}

/// Fails with a message naming the package when a program the test needs is missing.
pub fn require_program(program: &str, package: &str) -> std::path::PathBuf {
    acr_health_lab::distribution::find_program(program)
        .unwrap_or_else(|| panic!("`{program}` is not on PATH; install it with `apt-get install {package}` to run this test"))
}
