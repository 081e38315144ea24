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

    /// Returns the credential with its tokens cleaned of what pasting adds: surrounding
    /// whitespace and quotes, a `Bearer ` prefix, or the whole JSON that
    /// `az account get-access-token` and `az acr login --expose-token` print, from which the
    /// `accessToken` is taken.
    pub fn normalized(self) -> Credential {
        match self {
            Credential::AadToken { token, tenant } => {
                let tenant = tenant
                    .map(|tenant| tenant.trim().to_owned())
                    .filter(|tenant| !tenant.is_empty());
                Credential::AadToken {
                    token: clean_token(&token),
                    tenant,
                }
            }
            Credential::RefreshToken { token } => Credential::RefreshToken {
                token: clean_token(&token),
            },
            Credential::Password { username, password } => Credential::Password {
                username: username.trim().to_owned(),
                password: if username.trim() == NULL_GUID_USER {
                    clean_token(&password)
                } else {
                    password
                },
            },
            Credential::Anonymous => Credential::Anonymous,
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

/// Cleans one pasted token; see [`Credential::normalized`].
fn clean_token(text: &str) -> String {
    let text = text.trim();
    if text.starts_with('{') {
        // `from_slice`, like every JSON read in the page, so serde_json's parser is linked once.
        if let Ok(serde_json::Value::Object(object)) = serde_json::from_slice(text.as_bytes()) {
            let field = [
                "accessToken",
                "access_token",
                "refreshToken",
                "refresh_token",
            ]
            .iter()
            .find_map(|key| object.get(*key).and_then(serde_json::Value::as_str));
            if let Some(token) = field {
                return clean_token(token);
            }
        }
    }
    let text = text.trim_matches(|ch| ch == '"' || ch == '\'').trim();
    let text = match text.get(..7) {
        Some(prefix) if prefix.eq_ignore_ascii_case("bearer ") => text[7..].trim(),
        _ => text,
    };
    text.to_owned()
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
    fn normalized_cleans_pasted_tokens() {
        let cases = [
            ("  eyJ.a.b \n", "eyJ.a.b"),
            ("\"eyJ.a.b\"", "eyJ.a.b"),
            ("Bearer eyJ.a.b", "eyJ.a.b"),
            ("bearer  eyJ.a.b", "eyJ.a.b"),
            (
                r#"{"accessToken": "eyJ.a.b", "expiresOn": "2026-12-04 21:00:00", "tenant": "t"}"#,
                "eyJ.a.b",
            ),
            (
                r#"{"accessToken":"eyJ.r.t","loginServer":"r.azurecr.io"}"#,
                "eyJ.r.t",
            ),
            ("{not json", "{not json"),
        ];
        for (pasted, expected) in cases {
            let credential = Credential::AadToken {
                token: pasted.to_owned(),
                tenant: Some("  ".to_owned()),
            }
            .normalized();
            assert_eq!(
                credential,
                Credential::AadToken {
                    token: expected.to_owned(),
                    tenant: None,
                },
                "pasted {pasted:?}"
            );
        }
    }

    #[test]
    fn normalized_keeps_passwords() {
        let credential = Credential::Password {
            username: " admin ".into(),
            password: " pass with spaces ".into(),
        }
        .normalized();
        assert_eq!(
            credential,
            Credential::Password {
                username: "admin".into(),
                password: " pass with spaces ".into(),
            }
        );
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
