//! JWT claims, read without verifying the signature: the registry verifies its own tokens, and
//! acr-health only shows what a token grants and when it expires.

use std::fmt;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::{alphabet, Engine};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::token::type_name;

/// base64url with or without `=` padding, as JWT producers differ on it.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The claims acr-health reads. Times are seconds since the Unix epoch.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Claims {
    pub exp: Option<i64>,
    pub nbf: Option<i64>,
    pub iat: Option<i64>,
    /// `aud` as a list, whether sent as one string or an array.
    pub aud: Vec<String>,
    pub iss: Option<String>,
    /// Azure AD tenant id.
    pub tid: Option<String>,
    /// Azure AD object id of the signed-in principal.
    pub oid: Option<String>,
    /// The distribution token protocol's grants: resource type, name and actions.
    pub access: Vec<Access>,
}

/// One grant of a registry token, such as `repository` `hello-world` `["pull"]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub actions: Vec<String>,
}

impl Access {
    /// Formats the grant as a scope, such as `repository:hello-world:pull,push`.
    pub fn scope(&self) -> String {
        format!("{}:{}:{}", self.kind, self.name, self.actions.join(","))
    }
}

/// The reason a text is not a readable JWT.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JwtError {
    /// A JWT has three dot-separated parts; this many were found.
    PartCount { found: usize },
    /// The header (part 1) or the payload (part 2) is empty.
    EmptyPart { part: usize },
    /// A part is not base64url.
    NotBase64Url { part: usize },
    /// A part decodes, but not to a JSON object.
    NotJsonObject { part: usize },
    /// The header has no `alg`, so this is not a JWS.
    NoAlgorithm,
    /// A claim has the wrong JSON type.
    WrongType {
        claim: String,
        expected: String,
        found: String,
    },
}

impl fmt::Display for JwtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JwtError::PartCount { found } => {
                write!(f, "a JWT has 3 parts separated by dots, this has {found}")
            }
            JwtError::EmptyPart { part } => write!(f, "part {part} is empty"),
            JwtError::NotBase64Url { part } => write!(f, "part {part} is not base64url"),
            JwtError::NotJsonObject { part } => write!(f, "part {part} is not a JSON object"),
            JwtError::NoAlgorithm => f.write_str("the header has no `alg`"),
            JwtError::WrongType {
                claim,
                expected,
                found,
            } => write!(f, "claim `{claim}` is {found}, expected {expected}"),
        }
    }
}

/// Decodes the claims of a compact JWS without checking its signature.
pub fn decode(token: &str) -> Result<Claims, JwtError> {
    let parts: Vec<&str> = token.trim().split('.').collect();
    if parts.len() != 3 {
        return Err(JwtError::PartCount { found: parts.len() });
    }

    let header = decode_object(parts[0], 1)?;
    if !matches!(header.get("alg"), Some(Value::String(_))) {
        return Err(JwtError::NoAlgorithm);
    }
    let payload = decode_object(parts[1], 2)?;

    Ok(Claims {
        exp: time_claim(&payload, "exp")?,
        nbf: time_claim(&payload, "nbf")?,
        iat: time_claim(&payload, "iat")?,
        aud: audience(&payload)?,
        iss: string_claim(&payload, "iss")?,
        tid: string_claim(&payload, "tid")?,
        oid: string_claim(&payload, "oid")?,
        access: access_claim(&payload)?,
    })
}

fn decode_object(part: &str, index: usize) -> Result<serde_json::Map<String, Value>, JwtError> {
    if part.is_empty() {
        return Err(JwtError::EmptyPart { part: index });
    }
    let bytes = BASE64URL
        .decode(part)
        .map_err(|_| JwtError::NotBase64Url { part: index })?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(object)) => Ok(object),
        _ => Err(JwtError::NotJsonObject { part: index }),
    }
}

fn wrong_type(claim: &str, expected: &str, found: &Value) -> JwtError {
    JwtError::WrongType {
        claim: claim.to_owned(),
        expected: expected.to_owned(),
        found: type_name(found).to_owned(),
    }
}

/// Reads a NumericDate, which may carry a fraction of a second.
fn time_claim(
    payload: &serde_json::Map<String, Value>,
    claim: &str,
) -> Result<Option<i64>, JwtError> {
    match payload.get(claim) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(number)) => number
            .as_i64()
            .or_else(|| number.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))
            .map(Some)
            .ok_or_else(|| wrong_type(claim, "seconds since 1970", &Value::Number(number.clone()))),
        Some(other) => Err(wrong_type(claim, "seconds since 1970", other)),
    }
}

fn string_claim(
    payload: &serde_json::Map<String, Value>,
    claim: &str,
) -> Result<Option<String>, JwtError> {
    match payload.get(claim) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(other) => Err(wrong_type(claim, "a string", other)),
    }
}

fn audience(payload: &serde_json::Map<String, Value>) -> Result<Vec<String>, JwtError> {
    match payload.get("aud") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(text)) => Ok(vec![text.clone()]),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(text) => Ok(text.clone()),
                other => Err(wrong_type("aud", "a string or a list of strings", other)),
            })
            .collect(),
        Some(other) => Err(wrong_type("aud", "a string or a list of strings", other)),
    }
}

fn access_claim(payload: &serde_json::Map<String, Value>) -> Result<Vec<Access>, JwtError> {
    let items = match payload.get("access") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => return Err(wrong_type("access", "a list", other)),
    };

    let mut grants = Vec::with_capacity(items.len());
    for item in items {
        let Value::Object(entry) = item else {
            return Err(wrong_type("access", "a list of objects", item));
        };
        let text = |key: &str| match entry.get(key) {
            Some(Value::String(text)) => Ok(text.clone()),
            None | Some(Value::Null) => Ok(String::new()),
            Some(other) => Err(wrong_type(&format!("access.{key}"), "a string", other)),
        };
        let actions = match entry.get("actions") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(actions)) => actions
                .iter()
                .map(|action| match action {
                    Value::String(action) => Ok(action.clone()),
                    other => Err(wrong_type("access.actions", "a list of strings", other)),
                })
                .collect::<Result<_, _>>()?,
            Some(other) => return Err(wrong_type("access.actions", "a list of strings", other)),
        };
        grants.push(Access {
            kind: text("type")?,
            name: text("name")?,
            actions,
        });
    }
    Ok(grants)
}

/// Builds an unsigned test JWT from a payload.
#[cfg(test)]
pub(crate) fn test_token(payload: &Value) -> String {
    let encode =
        |value: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string());
    format!(
        "{}.{}.c2ln",
        encode(&serde_json::json!({"alg": "RS256", "typ": "JWT"})),
        encode(payload)
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn decode_registry_token() {
        let token = test_token(&json!({
            "exp": 1_800_000_000,
            "nbf": 1_799_996_400,
            "iat": 1_799_996_400.5,
            "aud": "myreg.azurecr.io",
            "iss": "Azure Container Registry",
            "access": [{"type": "repository", "name": "hello-world", "actions": ["pull"]}]
        }));
        let claims = decode(&token).expect("decodes");
        assert_eq!(claims.exp, Some(1_800_000_000));
        assert_eq!(claims.nbf, Some(1_799_996_400));
        assert_eq!(claims.iat, Some(1_799_996_400));
        assert_eq!(claims.aud, vec!["myreg.azurecr.io".to_owned()]);
        assert_eq!(claims.iss.as_deref(), Some("Azure Container Registry"));
        assert_eq!(claims.access.len(), 1);
        assert_eq!(claims.access[0].scope(), "repository:hello-world:pull");
    }

    #[test]
    fn decode_aad_token() {
        let token = test_token(&json!({
            "aud": ["https://management.azure.com/", "x"],
            "tid": "tenant-id",
            "oid": "object-id",
        }));
        let claims = decode(&token).expect("decodes");
        assert_eq!(claims.aud.len(), 2);
        assert_eq!(claims.tid.as_deref(), Some("tenant-id"));
        assert_eq!(claims.oid.as_deref(), Some("object-id"));
        assert!(claims.access.is_empty());
    }

    #[test]
    fn decode_accepts_padding() {
        let header = base64::engine::general_purpose::URL_SAFE.encode(r#"{"alg":"none"}"#);
        let payload = base64::engine::general_purpose::URL_SAFE.encode(r#"{"exp":1}"#);
        let claims = decode(&format!("{header}.{payload}.")).expect("decodes");
        assert_eq!(claims.exp, Some(1));
    }

    #[test]
    fn decode_rejects_non_jwt_shapes() {
        let no_alg = format!(
            "{}.{}.x",
            BASE64URL.encode(r#"{"typ":"JWT"}"#),
            BASE64URL.encode("{}")
        );
        let list_payload = format!(
            "{}.{}.x",
            BASE64URL.encode(r#"{"alg":"none"}"#),
            BASE64URL.encode("[1]")
        );
        let wrong = |claim: &str, expected: &str, found: &str| JwtError::WrongType {
            claim: claim.into(),
            expected: expected.into(),
            found: found.into(),
        };
        let cases: Vec<(String, JwtError)> = vec![
            ("opaque-token".into(), JwtError::PartCount { found: 1 }),
            ("a.b".into(), JwtError::PartCount { found: 2 }),
            ("a.b.c.d.e".into(), JwtError::PartCount { found: 5 }),
            ("..".into(), JwtError::EmptyPart { part: 1 }),
            ("!!.e30.x".into(), JwtError::NotBase64Url { part: 1 }),
            (
                format!("{}.e30.x", BASE64URL.encode("not json")),
                JwtError::NotJsonObject { part: 1 },
            ),
            (no_alg, JwtError::NoAlgorithm),
            (list_payload, JwtError::NotJsonObject { part: 2 }),
            (
                test_token(&json!({"exp": "soon"})),
                wrong("exp", "seconds since 1970", "a string"),
            ),
            (
                test_token(&json!({"aud": 5})),
                wrong("aud", "a string or a list of strings", "a number"),
            ),
            (
                test_token(&json!({"access": {}})),
                wrong("access", "a list", "an object"),
            ),
            (
                test_token(
                    &json!({"access": [{"type": "repository", "name": "a", "actions": "pull"}]}),
                ),
                wrong("access.actions", "a list of strings", "a string"),
            ),
            (
                test_token(&json!({"tid": 1})),
                wrong("tid", "a string", "a number"),
            ),
        ];
        for (token, expected) in cases {
            assert_eq!(decode(&token), Err(expected), "token {token}");
        }
    }
}
