//! Token endpoint responses: `POST /oauth2/exchange`, `POST /oauth2/token` and the `GET` token
//! request of the distribution token protocol.
//!
//! The response body is a JSON object with `access_token` (OAuth2 style) or `token` (Docker style),
//! and optionally `refresh_token`, `expires_in` and `issued_at`.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The fields of a token response that acr-health uses. `Debug` shows which tokens are present, never
/// their values.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TokenAnswer {
    pub access_token: Option<String>,
    pub refresh_token: Option<String>,
    /// The Docker-style name of the access token; registries may send both names.
    pub token: Option<String>,
    /// Lifetime of the access token in seconds.
    pub expires_in: Option<u64>,
    /// Issue time as sent, in RFC 3339 form.
    pub issued_at: Option<String>,
}

impl TokenAnswer {
    /// Returns the access token under either of its names, `access_token` first.
    pub fn access(&self) -> Option<&str> {
        self.access_token
            .as_deref()
            .or(self.token.as_deref())
            .filter(|token| !token.is_empty())
    }

    /// Returns the refresh token if it is present and not empty.
    pub fn refresh(&self) -> Option<&str> {
        self.refresh_token
            .as_deref()
            .filter(|token| !token.is_empty())
    }
}

impl fmt::Debug for TokenAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let presence = |token: &Option<String>| token.as_ref().map(|_| "<redacted>");
        f.debug_struct("TokenAnswer")
            .field("access_token", &presence(&self.access_token))
            .field("refresh_token", &presence(&self.refresh_token))
            .field("token", &presence(&self.token))
            .field("expires_in", &self.expires_in)
            .field("issued_at", &self.issued_at)
            .finish()
    }
}

/// The reason a token response could not be read. No variant contains text from the body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenError {
    /// The body is empty.
    Empty,
    /// The body is not UTF-8; `valid_up_to` bytes were.
    NotUtf8 { valid_up_to: usize },
    /// The JSON ends in the middle of a value, as a cut connection or a size limit leaves it.
    Truncated,
    /// The body is not JSON; the first error is at this line and column.
    InvalidJson { line: usize, column: usize },
    /// The JSON is valid but not an object.
    NotAnObject,
    /// A field has the wrong JSON type, such as `"expires_in": "3600"`.
    WrongType {
        field: String,
        expected: String,
        found: String,
    },
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::Empty => f.write_str("the body is empty"),
            TokenError::NotUtf8 { valid_up_to } => {
                write!(f, "the body is not UTF-8 after byte {valid_up_to}")
            }
            TokenError::Truncated => f.write_str("the JSON ends early"),
            TokenError::InvalidJson { line, column } => {
                write!(f, "invalid JSON at line {line}, column {column}")
            }
            TokenError::NotAnObject => f.write_str("the JSON is not an object"),
            TokenError::WrongType {
                field,
                expected,
                found,
            } => write!(f, "`{field}` is {found}, expected {expected}"),
        }
    }
}

/// Parses a JSON body into a JSON object, with a distinct error for each way it can fail.
pub fn parse_object(body: &[u8]) -> Result<serde_json::Map<String, Value>, TokenError> {
    let text = std::str::from_utf8(body).map_err(|err| TokenError::NotUtf8 {
        valid_up_to: err.valid_up_to(),
    })?;
    if text.trim().is_empty() {
        return Err(TokenError::Empty);
    }

    // `from_slice`, like every JSON read in the page, so serde_json's parser is linked once.
    let value: Value =
        serde_json::from_slice(text.as_bytes()).map_err(|err| match err.classify() {
            serde_json::error::Category::Eof => TokenError::Truncated,
            _ => TokenError::InvalidJson {
                line: err.line(),
                column: err.column(),
            },
        })?;
    match value {
        Value::Object(object) => Ok(object),
        _ => Err(TokenError::NotAnObject),
    }
}

/// Parses a token response body. Unknown fields are ignored, but a known field of the wrong
/// type is an error, because a registry that sends one sends a broken response.
pub fn parse(body: &[u8]) -> Result<TokenAnswer, TokenError> {
    let object = parse_object(body)?;
    Ok(TokenAnswer {
        access_token: string_field(&object, "access_token")?,
        refresh_token: string_field(&object, "refresh_token")?,
        token: string_field(&object, "token")?,
        expires_in: seconds_field(&object, "expires_in")?,
        issued_at: string_field(&object, "issued_at")?,
    })
}

/// Returns the JSON type name of a value, as used in error messages.
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn wrong_type(field: &str, expected: &str, found: &Value) -> TokenError {
    TokenError::WrongType {
        field: field.to_owned(),
        expected: expected.to_owned(),
        found: type_name(found).to_owned(),
    }
}

fn string_field(
    object: &serde_json::Map<String, Value>,
    field: &str,
) -> Result<Option<String>, TokenError> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(other) => Err(wrong_type(field, "a string", other)),
    }
}

fn seconds_field(
    object: &serde_json::Map<String, Value>,
    field: &str,
) -> Result<Option<u64>, TokenError> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(number)) => match number.as_u64() {
            Some(seconds) => Ok(Some(seconds)),
            None => Err(wrong_type(
                field,
                "a whole number of seconds",
                &Value::Number(number.clone()),
            )),
        },
        Some(other) => Err(wrong_type(field, "a whole number of seconds", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_valid_answers() {
        let cases: Vec<(&str, TokenAnswer)> = vec![
            (
                r#"{"access_token":"a.b.c"}"#,
                TokenAnswer {
                    access_token: Some("a.b.c".into()),
                    ..TokenAnswer::default()
                },
            ),
            (
                r#"{"refresh_token":"r","other":[1,2]}"#,
                TokenAnswer {
                    refresh_token: Some("r".into()),
                    ..TokenAnswer::default()
                },
            ),
            (
                r#"{"token":"t","access_token":"t","expires_in":300,"issued_at":"2026-12-04T20:00:00Z"}"#,
                TokenAnswer {
                    access_token: Some("t".into()),
                    token: Some("t".into()),
                    expires_in: Some(300),
                    issued_at: Some("2026-12-04T20:00:00Z".into()),
                    ..TokenAnswer::default()
                },
            ),
            (r#"{"access_token":null}"#, TokenAnswer::default()),
        ];
        for (body, expected) in cases {
            assert_eq!(parse(body.as_bytes()), Ok(expected), "body {body}");
        }
    }

    #[test]
    fn access_prefers_access_token() {
        let answer = parse(br#"{"token":"docker","access_token":"oauth"}"#).expect("parses");
        assert_eq!(answer.access(), Some("oauth"));
        let answer = parse(br#"{"token":"docker"}"#).expect("parses");
        assert_eq!(answer.access(), Some("docker"));
        let answer = parse(br#"{"access_token":""}"#).expect("parses");
        assert_eq!(answer.access(), None);
    }

    #[test]
    fn parse_rejects_broken_answers() {
        let wrong = |field: &str, expected: &str, found: &str| TokenError::WrongType {
            field: field.into(),
            expected: expected.into(),
            found: found.into(),
        };
        let cases: Vec<(&[u8], TokenError)> = vec![
            (b"", TokenError::Empty),
            (b"  \n", TokenError::Empty),
            (
                b"{\"access_token\":\"\xff\"}",
                TokenError::NotUtf8 { valid_up_to: 17 },
            ),
            (b"{\"access_token\":\"abc", TokenError::Truncated),
            (b"{\"access_token\":", TokenError::Truncated),
            (
                b"<html>busy</html>",
                TokenError::InvalidJson { line: 1, column: 1 },
            ),
            (
                b"{\"a\":1}}",
                TokenError::InvalidJson { line: 1, column: 8 },
            ),
            (b"[\"token\"]", TokenError::NotAnObject),
            (b"\"token\"", TokenError::NotAnObject),
            (
                b"{\"access_token\":42}",
                wrong("access_token", "a string", "a number"),
            ),
            (
                b"{\"refresh_token\":{}}",
                wrong("refresh_token", "a string", "an object"),
            ),
            (
                b"{\"token\":[\"x\"]}",
                wrong("token", "a string", "an array"),
            ),
            (
                b"{\"expires_in\":\"3600\"}",
                wrong("expires_in", "a whole number of seconds", "a string"),
            ),
            (
                b"{\"expires_in\":-1}",
                wrong("expires_in", "a whole number of seconds", "a number"),
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(
                parse(body),
                Err(expected),
                "body {}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn debug_hides_tokens() {
        let answer =
            parse(br#"{"access_token":"secret-a","refresh_token":"secret-r"}"#).expect("parses");
        let debug = format!("{answer:?}");
        assert!(!debug.contains("secret-a"), "{debug}");
        assert!(!debug.contains("secret-r"), "{debug}");
    }
}
