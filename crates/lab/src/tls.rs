//! The lab's certificate authority and the server certificates the TLS scenarios swap in.
//!
//! Everything is generated at start with rcgen (ECDSA P-256): one lab CA whose PEM file is
//! exported for clients to trust, a good certificate for `127.0.0.1`, `localhost` and `::1`, an
//! expired one, one for the wrong host name, and one from a second CA that no client trusts.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

use anyhow::Context;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, KeyPair, KeyUsagePurpose,
    SanType,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use time::{Duration, OffsetDateTime};

use crate::scenario::Scenario;
use crate::state::Settings;

/// The server certificates, one per TLS behaviour.
pub struct TlsMaterial {
    /// The lab CA in PEM, the file clients must trust.
    pub ca_pem: String,
    good: Arc<CertifiedKey>,
    expired: Arc<CertifiedKey>,
    wrong_host: Arc<CertifiedKey>,
    unknown_ca: Arc<CertifiedKey>,
}

/// A certificate authority that can issue leaf certificates.
struct Authority {
    params: CertificateParams,
    key: KeyPair,
    pem: String,
}

impl TlsMaterial {
    /// Generates the lab CA, the untrusted CA and the four server certificates.
    pub fn generate() -> anyhow::Result<Self> {
        let lab_ca = Authority::generate("acr-health lab CA")?;
        let stranger_ca = Authority::generate("acr-health intercepting proxy CA (untrusted)")?;
        let loopback = loopback_names()?;

        // The expired certificate was valid for one year, ending well in the past.
        let good = lab_ca.issue(loopback.clone(), None)?;
        let expired = lab_ca.issue(
            loopback.clone(),
            Some((
                rcgen::date_time_ymd(2020, 1, 1),
                rcgen::date_time_ymd(2021, 1, 1),
            )),
        )?;
        let wrong_host = lab_ca.issue(
            vec![SanType::DnsName("wrong-host.invalid".try_into()?)],
            None,
        )?;
        let unknown_ca = stranger_ca.issue(loopback, None)?;

        Ok(Self {
            ca_pem: lab_ca.pem.clone(),
            good,
            expired,
            wrong_host,
            unknown_ca,
        })
    }

    /// Returns the certificate the given scenario serves.
    pub fn for_scenario(&self, scenario: Scenario) -> Arc<CertifiedKey> {
        match scenario {
            Scenario::TlsExpired => self.expired.clone(),
            Scenario::TlsWrongHost => self.wrong_host.clone(),
            Scenario::TlsUnknownCa => self.unknown_ca.clone(),
            _ => self.good.clone(),
        }
    }

    /// Builds a rustls server configuration whose certificate follows the current scenario at
    /// every handshake.
    pub fn server_config(
        self: &Arc<Self>,
        settings: Arc<Settings>,
    ) -> anyhow::Result<Arc<rustls::ServerConfig>> {
        // The ring provider is deprecated only for lacking post-quantum key exchange, which the
        // lab does not need; aws-lc-rs would need cmake.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .context("TLS protocol versions rejected by rustls")?
            .with_no_client_auth()
            .with_cert_resolver(Arc::new(ScenarioCertResolver {
                material: self.clone(),
                settings,
            }));
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }
}

impl Authority {
    fn generate(common_name: &str) -> anyhow::Result<Self> {
        let mut params = CertificateParams::default();
        params.distinguished_name = name(common_name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let key = KeyPair::generate().context("generating a CA key failed")?;
        let certificate = params
            .clone()
            .self_signed(&key)
            .context("self-signing the CA failed")?;
        Ok(Self {
            pem: certificate.pem(),
            params,
            key,
        })
    }

    /// Issues a server certificate for `names`, valid from a day ago for a year unless `validity`
    /// gives the (not before, not after) pair.
    fn issue(
        &self,
        names: Vec<SanType>,
        validity: Option<(OffsetDateTime, OffsetDateTime)>,
    ) -> anyhow::Result<Arc<CertifiedKey>> {
        let mut params = CertificateParams::default();
        params.distinguished_name = name("acr-health lab registry");
        params.subject_alt_names = names;
        params.is_ca = IsCa::NoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
        let now = OffsetDateTime::now_utc();
        let (not_before, not_after) =
            validity.unwrap_or((now - Duration::days(1), now + Duration::days(365)));
        params.not_before = not_before;
        params.not_after = not_after;

        let key = KeyPair::generate().context("generating a server key failed")?;
        let issuer = self
            .params
            .clone()
            .self_signed(&self.key)
            .context("rebuilding the CA certificate failed")?;
        let certificate = params
            .signed_by(&key, &issuer, &self.key)
            .context("signing a server certificate failed")?;

        let der_key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        let signing_key = rustls::crypto::ring::sign::any_supported_type(&der_key)
            .context("rustls rejected the generated server key")?;
        let chain = vec![CertificateDer::from(certificate.der().to_vec())];
        Ok(Arc::new(CertifiedKey::new(chain, signing_key)))
    }
}

fn name(common_name: &str) -> DistinguishedName {
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, common_name);
    name.push(DnType::OrganizationName, "acr-health lab");
    name
}

fn loopback_names() -> anyhow::Result<Vec<SanType>> {
    Ok(vec![
        SanType::DnsName("localhost".try_into()?),
        SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        SanType::IpAddress(IpAddr::V6(Ipv6Addr::LOCALHOST)),
    ])
}

/// Picks the certificate for each handshake from the scenario in force at that moment.
struct ScenarioCertResolver {
    material: Arc<TlsMaterial>,
    settings: Arc<Settings>,
}

impl std::fmt::Debug for ScenarioCertResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ScenarioCertResolver")
    }
}

impl ResolvesServerCert for ScenarioCertResolver {
    fn resolve(&self, _client_hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.material.for_scenario(self.settings.current().scenario))
    }
}
