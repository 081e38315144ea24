//! TLS for the native checks: the trusted roots, and a verifier that records the chain the
//! server presented so the TLS check can show it even when verification fails.

use std::path::Path;
use std::sync::{Arc, Mutex};

use acr_health_core::rules::environment::TlsPeer;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

/// Builds the trusted roots: the operating system's store (which honours `SSL_CERT_FILE`),
/// the Mozilla roots when the system has none, and `extra_ca` (a PEM file, such as the lab's CA).
pub fn root_store(extra_ca: Option<&Path>) -> anyhow::Result<RootCertStore> {
    let mut roots = RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    for error in &native.errors {
        tracing::warn!(cause = %error, "failed to load some system certificates");
    }
    let (added, ignored) = roots.add_parsable_certificates(native.certs);
    tracing::debug!(added, ignored, "system root certificates loaded");
    if roots.is_empty() {
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    }

    if let Some(path) = extra_ca {
        use anyhow::Context;
        let pem = std::fs::read(path)
            .with_context(|| format!("failed to read CA file {}", path.display()))?;
        let certs = rustls_pemfile::certs(&mut pem.as_slice())
            .collect::<Result<Vec<_>, _>>()
            .with_context(|| format!("invalid PEM in CA file {}", path.display()))?;
        if certs.is_empty() {
            anyhow::bail!("no certificate found in CA file {}", path.display());
        }
        for cert in certs {
            roots
                .add(cert)
                .with_context(|| format!("invalid certificate in CA file {}", path.display()))?;
        }
    }
    Ok(roots)
}

/// The chain a server presented in the last handshake, leaf first.
pub type PresentedChain = Arc<Mutex<Option<Vec<CertificateDer<'static>>>>>;

/// Verifies as WebPKI does, after recording the presented chain.
#[derive(Debug)]
struct RecordingVerifier {
    inner: Arc<WebPkiServerVerifier>,
    presented: PresentedChain,
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let mut chain = vec![end_entity.clone().into_owned()];
        chain.extend(intermediates.iter().map(|c| c.clone().into_owned()));
        *self.presented.lock().unwrap_or_else(|p| p.into_inner()) = Some(chain);
        self.inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// Builds a client configuration over `roots` whose verifier records each presented chain
/// into the returned slot.
pub fn client_config(
    roots: Arc<RootCertStore>,
) -> anyhow::Result<(Arc<ClientConfig>, PresentedChain)> {
    let provider = provider();
    let inner =
        WebPkiServerVerifier::builder_with_provider(roots, Arc::clone(&provider)).build()?;
    let presented = PresentedChain::default();
    let verifier = RecordingVerifier {
        inner,
        presented: Arc::clone(&presented),
    };
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok((Arc::new(config), presented))
}

/// Returns ring's provider. rustls 0.23.48 deprecates it for lacking post-quantum key exchange,
/// but the alternative (aws-lc-rs) needs cmake, which these builds avoid.
fn provider() -> Arc<CryptoProvider> {
    #[allow(deprecated)]
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Summarizes a presented chain: subject and issuer of each certificate, the leaf's names and
/// its days to expiry counted from `now_secs` (Unix seconds).
pub fn summarize(chain: &[CertificateDer<'_>], protocol: &str, now_secs: i64) -> TlsPeer {
    use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};

    let mut summary = TlsPeer {
        protocol: protocol.to_owned(),
        chain: Vec::new(),
        names: Vec::new(),
        days_to_expiry: 0,
    };
    for (index, der) in chain.iter().enumerate() {
        let Ok((_, cert)) = X509Certificate::from_der(der.as_ref()) else {
            summary
                .chain
                .push(("<unparsable certificate>".to_owned(), String::new()));
            continue;
        };
        summary
            .chain
            .push((cert.subject().to_string(), cert.issuer().to_string()));
        if index != 0 {
            continue;
        }
        summary.days_to_expiry =
            (cert.validity().not_after.timestamp() - now_secs).div_euclid(86_400);
        if let Ok(Some(san)) = cert.subject_alternative_name() {
            for name in &san.value.general_names {
                match name {
                    GeneralName::DNSName(dns) => summary.names.push((*dns).to_owned()),
                    GeneralName::IPAddress(bytes) => summary.names.push(ip_text(bytes)),
                    _ => {}
                }
            }
        }
    }
    summary
}

fn ip_text(bytes: &[u8]) -> String {
    match bytes.len() {
        4 => std::net::Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]).to_string(),
        16 => {
            let mut octets = [0u8; 16];
            octets.copy_from_slice(bytes);
            std::net::Ipv6Addr::from(octets).to_string()
        }
        _ => format!("{bytes:02x?}"),
    }
}
