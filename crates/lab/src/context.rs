//! The state every request handler of a running lab shares: addresses, keys, users and settings.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Body;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use ring::rand::SystemRandom;
use serde_json::{json, Value};

use crate::auth::{Credentials, Identity, Scope};
use crate::state::Settings;
use crate::token::{unix_seconds, Signer, REGISTRY_ISSUER};

/// How long issued tokens live, in seconds, as ACR issues them (access 75 min, refresh 3 h).
const ACCESS_TOKEN_SECONDS: i64 = 75 * 60;
const REFRESH_TOKEN_SECONDS: i64 = 3 * 60 * 60;
const AAD_TOKEN_SECONDS: i64 = 60 * 60;

/// The audience of lab-minted ARM tokens, as `az account get-access-token` writes it.
pub const ARM_AUDIENCE: &str = "https://management.azure.com/";

/// The state shared by the login server, the storage listener and the control API.
pub struct Context {
    pub settings: Arc<Settings>,
    /// Signs access and refresh tokens; distribution trusts its certificate.
    pub registry_signer: Signer,
    /// Signs the "AAD" tokens that the exchange accepts.
    pub aad_signer: Signer,
    pub admin: Credentials,
    pub token_user: Credentials,
    /// The repository the token user may pull and the seed image lives in.
    pub repository: String,
    /// The `service` of challenges and the `aud` of tokens: the login server's authority.
    pub service: String,
    /// `http` or `https`.
    pub scheme: &'static str,
    /// Base URL of the login server, `http://127.0.0.1:5000`.
    pub login_base: String,
    /// Base URL of the storage listener that blob redirects point to.
    pub storage_base: String,
    /// Base URL of the ARM listener, `http://127.0.0.1:PORT`.
    pub arm_base: String,
    /// Base URL of a loopback port where nothing listens, for `storage-refused`.
    pub refused_base: String,
    /// `127.0.0.1:PORT` of distribution.
    pub distribution: String,
    /// distribution's filesystem storage root, which the storage listener reads blobs from.
    pub storage_root: PathBuf,
    /// Key for the signatures on blob redirect URLs.
    pub url_key: ring::hmac::Key,
    pub client: Client<HttpConnector, Body>,
    pub rng: SystemRandom,
}

impl Context {
    /// Returns the registry clock in Unix seconds (moved by the skew in `clock-skew`).
    pub fn now(&self) -> i64 {
        unix_seconds(self.settings.registry_now())
    }

    /// Returns the registry clock.
    pub fn now_time(&self) -> SystemTime {
        self.settings.registry_now()
    }

    /// Signs an access token for `identity` that grants `access`.
    pub fn access_token(&self, identity: &Identity, access: &[Scope]) -> String {
        let now = self.now();
        self.registry_signer.sign(&json!({
            "jti": self.registry_signer.random_id(),
            "sub": identity.subject(),
            "nbf": now,
            "iat": now,
            "exp": now + ACCESS_TOKEN_SECONDS,
            "iss": REGISTRY_ISSUER,
            "aud": self.service,
            "version": "3.0",
            "grant_type": grant_type(identity),
            "access": access,
        }))
    }

    /// Signs `claims` again with `nbf`, `iat` and `exp` moved from the registry clock to the
    /// real clock, keeping the token's lifetime.
    pub fn resign_on_real_clock(&self, mut claims: Value) -> String {
        let offset = self.now() - unix_seconds(SystemTime::now());
        for name in ["nbf", "iat", "exp"] {
            if let Some(time) = claims.get(name).and_then(Value::as_i64) {
                claims[name] = Value::from(time - offset);
            }
        }
        self.registry_signer.sign(&claims)
    }

    /// Signs a refresh token for an AAD identity; `expired` makes one whose `exp` has passed.
    pub fn refresh_token(&self, object_id: &str, tenant: &str, expired: bool) -> String {
        let now = self.now();
        let expires = if expired {
            now - 60
        } else {
            now + REFRESH_TOKEN_SECONDS
        };
        self.registry_signer.sign(&json!({
            "jti": self.registry_signer.random_id(),
            "sub": object_id,
            "nbf": expires - REFRESH_TOKEN_SECONDS,
            "iat": expires - REFRESH_TOKEN_SECONDS,
            "exp": expires,
            "iss": REGISTRY_ISSUER,
            "aud": self.service,
            "version": "1.0",
            "grant_type": "refresh_token",
            "tenant": tenant,
            "permissions": { "actions": ["read", "write", "delete"] },
            "roles": [],
        }))
    }

    /// Signs an "AAD" access token for Azure Resource Manager, as the exchange expects.
    pub fn aad_token(&self, tenant: &str, object_id: &str, expired: bool) -> String {
        self.arm_token(tenant, object_id, ARM_AUDIENCE, expired)
    }

    /// Signs an "AAD" access token for `audience`. With the ARM audience, both the lab's ARM
    /// listener and the exchange accept it, as they accept a real ARM token.
    pub fn arm_token(
        &self,
        tenant: &str,
        object_id: &str,
        audience: &str,
        expired: bool,
    ) -> String {
        // The token uses the real clock: it comes from Azure AD, not from the registry.
        let now = unix_seconds(SystemTime::now());
        let expires = if expired {
            now - 60
        } else {
            now + AAD_TOKEN_SECONDS
        };
        self.aad_signer.sign(&json!({
            "aud": audience,
            "iss": format!("https://sts.windows.net/{tenant}/"),
            "iat": expires - AAD_TOKEN_SECONDS,
            "nbf": expires - AAD_TOKEN_SECONDS,
            "exp": expires,
            "oid": object_id,
            "sub": object_id,
            "tid": tenant,
            "ver": "1.0",
        }))
    }

    /// Verifies a refresh token this lab issued and returns the AAD identity it stands for.
    pub fn identity_from_refresh_token(
        &self,
        token: &str,
    ) -> Result<Identity, crate::token::TokenError> {
        let claims = self.registry_signer.verify(token, self.now_time())?;
        if claims.get("grant_type").and_then(Value::as_str) != Some("refresh_token") {
            return Err(crate::token::TokenError::Malformed);
        }
        let text = |name: &str| {
            claims
                .get(name)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        Ok(Identity::Aad {
            object_id: text("sub"),
            tenant: text("tenant"),
        })
    }
}

fn grant_type(identity: &Identity) -> &'static str {
    match identity {
        Identity::Admin { .. } | Identity::TokenUser { .. } => "password",
        Identity::Aad { .. } => "refresh_token",
        Identity::Anonymous => "anonymous",
    }
}
