//! `WWW-Authenticate` headers (RFC 9110 section 11.6.1): one or more challenges, each a scheme
//! followed by either a token68 or a comma-separated list of `name=value` parameters.
//!
//! Scheme and parameter names are compared without regard to case, so both are stored in lower
//! case. Values keep their case; quoted values are unescaped.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One challenge of a `WWW-Authenticate` header, such as
/// `Bearer realm="https://r.azurecr.io/oauth2/token",service="r.azurecr.io"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    /// The auth scheme in lower case: `bearer`, `basic`.
    pub scheme: String,
    /// Parameters in the order received, names in lower case, values unescaped.
    pub params: Vec<(String, String)>,
    /// The token68 form (`Negotiate abc==`), which some schemes use instead of parameters.
    pub token68: Option<String>,
}

impl Challenge {
    /// Returns the value of the first parameter named `name` (compared without case).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Tells whether the challenge uses `scheme` (compared without case).
    pub fn is(&self, scheme: &str) -> bool {
        self.scheme.eq_ignore_ascii_case(scheme)
    }
}

/// The reason a `WWW-Authenticate` header could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChallengeError {
    /// The header is empty or holds only separators.
    Empty,
    /// A character that cannot start a scheme, a parameter or a value, at a byte offset.
    UnexpectedCharacter { at: usize, found: char },
    /// A quoted string that is not closed before the end of the header.
    UnterminatedQuote { at: usize },
}

impl fmt::Display for ChallengeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChallengeError::Empty => f.write_str("the header is empty"),
            ChallengeError::UnexpectedCharacter { at, found } => {
                write!(f, "unexpected character {found:?} at byte {at}")
            }
            ChallengeError::UnterminatedQuote { at } => {
                write!(f, "the quoted string starting at byte {at} is not closed")
            }
        }
    }
}

/// Parses every challenge of a `WWW-Authenticate` header value.
///
/// Several challenges may share one header (`Basic realm="x", Bearer realm="y"`). A parameter
/// without a value (`realm=`) is kept with an empty value. Time is linear in the header length.
pub fn parse(header: &str) -> Result<Vec<Challenge>, ChallengeError> {
    let mut lexer = Lexer {
        text: header,
        pos: 0,
    };
    let mut challenges = Vec::new();

    loop {
        lexer.skip_list_separators();
        if lexer.at_end() {
            break;
        }

        // A challenge starts with its scheme.
        let scheme = lexer.token().ok_or_else(|| lexer.unexpected())?;
        let mut challenge = Challenge {
            scheme: scheme.to_ascii_lowercase(),
            params: Vec::new(),
            token68: None,
        };
        lexer.skip_whitespace();

        // Then either a token68 or parameters, until the next scheme or the end.
        if let Some(token68) = lexer.token68() {
            challenge.token68 = Some(token68.to_owned());
        } else {
            while lexer.next_is_param() {
                let (name, value) = lexer.param()?;
                challenge.params.push((name, value));
                lexer.skip_list_separators();
            }
        }

        challenges.push(challenge);
        lexer.skip_whitespace();
        if !lexer.at_end() && lexer.peek() != Some(',') && !lexer.next_starts_token() {
            return Err(lexer.unexpected());
        }
    }

    if challenges.is_empty() {
        return Err(ChallengeError::Empty);
    }
    Ok(challenges)
}

struct Lexer<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    fn unexpected(&self) -> ChallengeError {
        match self.peek() {
            Some(found) => ChallengeError::UnexpectedCharacter {
                at: self.pos,
                found,
            },
            None => ChallengeError::Empty,
        }
    }

    fn skip_whitespace(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start_matches([' ', '\t']).len();
    }

    fn skip_list_separators(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start_matches([' ', '\t', ',']).len();
    }

    fn next_starts_token(&self) -> bool {
        self.peek().is_some_and(is_tchar)
    }

    /// Reads a token (RFC 9110 `tchar`s), or returns `None` without moving.
    fn token(&mut self) -> Option<&'a str> {
        let rest = self.rest();
        let len = rest.len() - rest.trim_start_matches(is_tchar).len();
        if len == 0 {
            return None;
        }
        self.pos += len;
        Some(&rest[..len])
    }

    /// Reads a token68 when the text after the scheme is one: token68 characters and optional
    /// `=` padding, not followed by a parameter value. `realm=` at the end or before a comma is
    /// read as a parameter with an empty value, unless it contains `+` or `/` as base64 does.
    fn token68(&mut self) -> Option<&'a str> {
        let rest = self.rest();
        let body_len = rest.len() - rest.trim_start_matches(is_token68_char).len();
        if body_len == 0 {
            return None;
        }
        let after_body = &rest[body_len..];
        let padding = after_body.len() - after_body.trim_start_matches('=').len();
        let after = &after_body[padding..];
        let after_trimmed = after.trim_start_matches([' ', '\t']);
        let ends_here = after.is_empty() || after.starts_with([',', ' ', '\t']);

        let body = &rest[..body_len];
        let is_token68 = match padding {
            0 => !after_trimmed.starts_with('=') && ends_here,
            1 => ends_here && body.contains(['/', '+']),
            _ => ends_here,
        };
        if !is_token68 {
            return None;
        }
        self.pos += body_len + padding;
        Some(&rest[..body_len + padding])
    }

    /// Tells whether a `name=` follows (after whitespace), rather than the next scheme.
    fn next_is_param(&self) -> bool {
        let rest = self.rest().trim_start_matches([' ', '\t']);
        let name_len = rest.len() - rest.trim_start_matches(is_tchar).len();
        if name_len == 0 {
            return false;
        }
        rest[name_len..]
            .trim_start_matches([' ', '\t'])
            .starts_with('=')
    }

    fn param(&mut self) -> Result<(String, String), ChallengeError> {
        self.skip_whitespace();
        let name = self.token().ok_or_else(|| self.unexpected())?;
        self.skip_whitespace();
        // `next_is_param` saw the `=`.
        self.pos += 1;
        self.skip_whitespace();

        let value = match self.peek() {
            Some('"') => self.quoted()?,
            _ => self.token().unwrap_or_default().to_owned(),
        };
        Ok((name.to_ascii_lowercase(), value))
    }

    fn quoted(&mut self) -> Result<String, ChallengeError> {
        let start = self.pos;
        self.pos += 1;
        let mut value = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((offset, ch)) = chars.next() {
            match ch {
                '"' => {
                    self.pos += offset + 1;
                    return Ok(value);
                }
                '\\' => match chars.next() {
                    Some((_, escaped)) => value.push(escaped),
                    None => break,
                },
                _ => value.push(ch),
            }
        }
        Err(ChallengeError::UnterminatedQuote { at: start })
    }
}

/// `tchar` of RFC 9110.
fn is_tchar(ch: char) -> bool {
    ch.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(ch)
}

fn is_token68_char(ch: char) -> bool {
    ch.is_ascii_alphanumeric() || "-._~+/".contains(ch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn challenge(scheme: &str, pairs: &[(&str, &str)]) -> Challenge {
        Challenge {
            scheme: scheme.to_owned(),
            params: params(pairs),
            token68: None,
        }
    }

    #[test]
    fn parse_valid_headers() {
        let cases: Vec<(&str, Vec<Challenge>)> = vec![
            (
                r#"Bearer realm="https://r.azurecr.io/oauth2/token",service="r.azurecr.io""#,
                vec![challenge(
                    "bearer",
                    &[
                        ("realm", "https://r.azurecr.io/oauth2/token"),
                        ("service", "r.azurecr.io"),
                    ],
                )],
            ),
            (
                r#"BEARER Realm="x", SERVICE="y", Scope="repository:a:pull,push""#,
                vec![challenge(
                    "bearer",
                    &[
                        ("realm", "x"),
                        ("service", "y"),
                        ("scope", "repository:a:pull,push"),
                    ],
                )],
            ),
            (
                r#"Basic realm="Azure Container Registry", Bearer realm="https://t/token",service=t"#,
                vec![
                    challenge("basic", &[("realm", "Azure Container Registry")]),
                    challenge("bearer", &[("realm", "https://t/token"), ("service", "t")]),
                ],
            ),
            (
                r#"Bearer realm="a \"quoted\" realm, with comma",service="s""#,
                vec![challenge(
                    "bearer",
                    &[
                        ("realm", r#"a "quoted" realm, with comma"#),
                        ("service", "s"),
                    ],
                )],
            ),
            (
                r#"Bearer realm=,service="""#,
                vec![challenge("bearer", &[("realm", ""), ("service", "")])],
            ),
            ("Bearer", vec![challenge("bearer", &[])]),
            (
                "Basic, Bearer realm=x",
                vec![
                    challenge("basic", &[]),
                    challenge("bearer", &[("realm", "x")]),
                ],
            ),
            (
                "  bearer   realm = \"x\" ,  , service=y  ",
                vec![challenge("bearer", &[("realm", "x"), ("service", "y")])],
            ),
        ];
        for (header, expected) in cases {
            assert_eq!(parse(header), Ok(expected), "header {header:?}");
        }
    }

    #[test]
    fn parse_token68_forms() {
        let cases = [
            ("Negotiate YIIB/w==", "YIIB/w=="),
            ("Negotiate abc==", "abc=="),
            ("Custom a+b/c", "a+b/c"),
            ("Basic dXNlcg", "dXNlcg"),
        ];
        for (header, token68) in cases {
            let parsed = parse(header).expect("a token68 challenge parses");
            assert_eq!(parsed.len(), 1, "header {header:?}");
            assert_eq!(
                parsed[0].token68.as_deref(),
                Some(token68),
                "header {header:?}"
            );
            assert!(parsed[0].params.is_empty(), "header {header:?}");
        }
    }

    #[test]
    fn parse_token68_then_next_challenge() {
        let parsed = parse("Negotiate abc==, Bearer realm=x").expect("parses");
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].token68.as_deref(), Some("abc=="));
        assert_eq!(parsed[1].param("realm"), Some("x"));
    }

    #[test]
    fn parse_rejects_malformed_headers() {
        let cases = [
            ("", ChallengeError::Empty),
            (" , ", ChallengeError::Empty),
            (
                r#"Bearer realm="open"#,
                ChallengeError::UnterminatedQuote { at: 13 },
            ),
            (
                r#""Bearer" realm=x"#,
                ChallengeError::UnexpectedCharacter { at: 0, found: '"' },
            ),
            (
                r#"Bearer realm=x "junk""#,
                ChallengeError::UnexpectedCharacter { at: 15, found: '"' },
            ),
        ];
        for (header, expected) in cases {
            assert_eq!(parse(header), Err(expected), "header {header:?}");
        }
    }

    #[test]
    fn param_lookup_ignores_case() {
        let parsed = parse("Bearer REALM=x").expect("parses");
        assert_eq!(parsed[0].param("Realm"), Some("x"));
        assert!(parsed[0].is("BEARER"));
    }

    #[test]
    fn parse_huge_header_is_bounded() {
        let header = format!("Bearer realm=\"{}\"", "a".repeat(1_000_000));
        let parsed = parse(&header).expect("a long quoted value parses");
        assert_eq!(parsed[0].param("realm").map(str::len), Some(1_000_000));
    }
}
