//! The credentials a user can give for the registry checks. They live in memory for one run:
//! nothing here serializes a secret, and `Debug` prints the kind only.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The user name that tells ACR the password is a refresh token, as printed by
/// `az acr login --expose-token`.
pub const NULL_GUID_USER: &str = "00000000-0000-0000-0000-000000000000";

/// A credential for the registry. Only `Deserialize` is derived, so a credential can be read
/// from a request but never written into a report.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Credential {
    /// No credential: anonymous pull, if the registry allows it.
    Anonymous,
    /// An admin user, a token user, or the null-GUID user with a refresh token as password.
    Password { username: String, password: String },
    /// An Azure AD access token for Azure Resource Manager, as `az account get-access-token`
    /// prints it, exchanged at `/oauth2/exchange` for a refresh token.
    AadToken {
        token: String,
        #[serde(default)]
        tenant: Option<String>,
    },
    /// An ACR refresh token, as `az acr login --expose-token` prints it.
    RefreshToken { token: String },
}

/// The kind of a credential, which a report may show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialKind {
    Anonymous,
    Password,
    AadToken,
    RefreshToken,
}

impl Credential {
    pub fn kind(&self) -> CredentialKind {
        match self {
            Credential::Anonymous => CredentialKind::Anonymous,
            Credential::Password { .. } => CredentialKind::Password,
            Credential::AadToken { .. } => CredentialKind::AadToken,
            Credential::RefreshToken { .. } => CredentialKind::RefreshToken,
        }
    }

    /// Returns the refresh token to send with `grant_type=refresh_token`, if the credential is
    /// one: a refresh token, or the null-GUID user whose password is a refresh token.
    pub(crate) fn refresh_token(&self) -> Option<&str> {
        match self {
            Credential::RefreshToken { token } => Some(token),
            Credential::Password { username, password } if username == NULL_GUID_USER => {
                Some(password)
            }
            _ => None,
        }
    }

    /// Returns every secret of the credential, so that recorded evidence can be scrubbed of
    /// them.
    pub(crate) fn secrets(&self) -> Vec<String> {
        match self {
            Credential::Anonymous => Vec::new(),
            Credential::Password { password, .. } => vec![password.clone()],
            Credential::AadToken { token, .. } | Credential::RefreshToken { token } => {
                vec![token.clone()]
            }
        }
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Credential::{:?}", self.kind())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_prints_kind_only() {
        let credentials = [
            Credential::Password {
                username: "admin-user".into(),
                password: "s3cret-pass".into(),
            },
            Credential::AadToken {
                token: "aad-secret".into(),
                tenant: Some("tenant-x".into()),
            },
            Credential::RefreshToken {
                token: "refresh-secret".into(),
            },
        ];
        for credential in credentials {
            let debug = format!("{credential:?}");
            for secret in credential.secrets() {
                assert!(!debug.contains(&secret), "{debug}");
            }
            assert!(!debug.contains("admin-user"), "{debug}");
        }
    }

    #[test]
    fn deserialize_from_helper_json() {
        let credential: Credential =
            serde_json::from_str(r#"{"kind":"aad_token","token":"t"}"#).expect("parses");
        assert_eq!(credential.kind(), CredentialKind::AadToken);
        let credential: Credential =
            serde_json::from_str(r#"{"kind":"anonymous"}"#).expect("parses");
        assert_eq!(credential, Credential::Anonymous);
    }

    #[test]
    fn null_guid_password_is_refresh_token() {
        let credential = Credential::Password {
            username: NULL_GUID_USER.into(),
            password: "rt".into(),
        };
        assert_eq!(credential.refresh_token(), Some("rt"));
        let admin = Credential::Password {
            username: "admin".into(),
            password: "pw".into(),
        };
        assert_eq!(admin.refresh_token(), None);
    }
}
