//! JWT signing for the lab's token service: registry access tokens, refresh tokens and the
//! "AAD" tokens the exchange accepts.
//!
//! Tokens are ES256 JWTs. Registry tokens carry the signing certificate in the `x5c` header.
//! distribution 2.8 verifies that certificate against its `rootcertbundle` (the file this module
//! writes) and then the signature, issuer, audience and times, with 60 s of leeway.

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair};
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{
    EcdsaKeyPair, KeyPair as _, UnparsedPublicKey, ECDSA_P256_SHA256_FIXED,
    ECDSA_P256_SHA256_FIXED_SIGNING,
};
use serde_json::{json, Value};

/// The issuer ACR writes into its tokens; distribution is configured to trust it.
pub const REGISTRY_ISSUER: &str = "Azure Container Registry";

/// An ES256 signing key and the certificate that vouches for it.
pub struct Signer {
    key: EcdsaKeyPair,
    /// The self-signed certificate for the key, in PEM, for distribution's `rootcertbundle`.
    pub certificate_pem: String,
    /// The certificate in DER, base64 (standard alphabet) as the `x5c` header wants it.
    x5c: String,
    rng: SystemRandom,
}

/// The reason a token presented to the lab was rejected.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the token is not a JWT of three base64url parts")]
    Malformed,
    #[error("the token signature does not verify with the lab key")]
    BadSignature,
    #[error("the token expired")]
    Expired,
}

impl Signer {
    /// Generates a P-256 key and a self-signed certificate for it.
    pub fn generate(common_name: &str) -> anyhow::Result<Self> {
        let key_pair = KeyPair::generate().context("generating a token signing key failed")?;
        let mut params = CertificateParams::default();
        let mut name = DistinguishedName::new();
        name.push(DnType::CommonName, common_name);
        params.distinguished_name = name;
        let certificate = params
            .self_signed(&key_pair)
            .context("self-signing the token certificate failed")?;

        let rng = SystemRandom::new();
        let key = EcdsaKeyPair::from_pkcs8(
            &ECDSA_P256_SHA256_FIXED_SIGNING,
            &key_pair.serialize_der(),
            &rng,
        )
        .map_err(|error| anyhow::anyhow!("ring rejected the generated key: {error}"))?;
        Ok(Self {
            key,
            certificate_pem: certificate.pem(),
            x5c: STANDARD.encode(certificate.der()),
            rng,
        })
    }

    /// Signs `claims` as a compact JWT.
    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({ "typ": "JWT", "alg": "ES256", "x5c": [self.x5c] });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature = self
            .key
            .sign(&self.rng, signing_input.as_bytes())
            .expect("ECDSA signing with a valid key and a system RNG does not fail");
        format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature.as_ref())
        )
    }

    /// Verifies a token this signer issued and returns its claims. `now` is the registry clock;
    /// a token whose `exp` lies before it is rejected.
    pub fn verify(&self, token: &str, now: SystemTime) -> Result<Value, TokenError> {
        let claims = self.verify_signature(token)?;
        let expires = claims.get("exp").and_then(Value::as_i64).unwrap_or(0);
        if expires < unix_seconds(now) {
            return Err(TokenError::Expired);
        }
        Ok(claims)
    }

    /// Verifies the signature of a token this signer issued and returns its claims, leaving
    /// the times to the caller.
    pub fn verify_signature(&self, token: &str) -> Result<Value, TokenError> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Malformed);
        };
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| TokenError::Malformed)?;
        let public_key =
            UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, self.key.public_key().as_ref());
        public_key
            .verify(format!("{header}.{payload}").as_bytes(), &signature)
            .map_err(|_| TokenError::BadSignature)?;

        URL_SAFE_NO_PAD
            .decode(payload)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or(TokenError::Malformed)
    }

    /// Returns a random token id (`jti`).
    pub fn random_id(&self) -> String {
        random_hex(&self.rng, 16)
    }
}

/// Returns `bytes` random bytes in lower-case hex.
pub fn random_hex(rng: &SystemRandom, bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rng.fill(&mut buffer).expect("the system RNG is available");
    buffer.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Returns seconds since the Unix epoch; times before 1970 count as 0.
pub fn unix_seconds(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn signed_token_verifies() {
        let signer = Signer::generate("test").unwrap();
        let now = SystemTime::now();
        let token = signer.sign(&json!({ "sub": "a", "exp": unix_seconds(now) + 60 }));
        let claims = signer.verify(&token, now).unwrap();
        assert_eq!(claims["sub"], "a");
    }

    #[test]
    fn expired_token_rejected() {
        let signer = Signer::generate("test").unwrap();
        let now = SystemTime::now();
        let token = signer.sign(&json!({ "exp": unix_seconds(now) - 1 }));
        assert_eq!(signer.verify(&token, now), Err(TokenError::Expired));
    }

    #[test]
    fn other_key_rejected() {
        let signer = Signer::generate("one").unwrap();
        let other = Signer::generate("two").unwrap();
        let now = SystemTime::now() + Duration::from_secs(0);
        let token = other.sign(&json!({ "exp": unix_seconds(now) + 60 }));
        assert_eq!(signer.verify(&token, now), Err(TokenError::BadSignature));
    }

    #[test]
    fn garbage_is_malformed() {
        let signer = Signer::generate("test").unwrap();
        assert_eq!(
            signer.verify("a.b", SystemTime::now()),
            Err(TokenError::Malformed)
        );
    }
}
