//! Evidence from requests and responses, with every credential removed before it is recorded.
//!
//! Two layers keep secrets out of reports. Structural redaction replaces the values of
//! credential fields, `Authorization`-style words and JWT-shaped words in any text it is given.
//! Then [`Scrubber`] replaces every secret the run has seen (the user's credential and the
//! tokens the registry returned) wherever it appears in a result, findings included.

use super::{HttpAnswer, Outcome};
use crate::texts::Texts;
use crate::{CheckResult, Evidence};

/// Replacement for a removed secret.
pub(crate) const REDACTED: &str = "[redacted]";

/// Longest evidence value kept, in bytes; longer values are cut with `…`.
const MAX_VALUE_LEN: usize = 512;

/// Longest excerpt of an error body kept, in bytes.
const MAX_BODY_EXCERPT: usize = 300;

/// Headers worth showing to a support engineer. Everything else, including `set-cookie` and
/// `authorization`, is left out.
const RECORDED_HEADERS: [&str; 12] = [
    "www-authenticate",
    "date",
    "location",
    "retry-after",
    "content-type",
    "content-length",
    "docker-distribution-api-version",
    "access-control-allow-origin",
    "access-control-expose-headers",
    "x-ms-request-id",
    "x-ms-correlation-request-id",
    "server",
];

/// Names whose values are credentials, in JSON bodies, form bodies and query strings.
const SECRET_KEYS: [&str; 9] = [
    "access_token",
    "refresh_token",
    "id_token",
    "token",
    "password",
    "client_secret",
    "secret",
    "sig",
    "signature",
];

/// Records a response: URL, status, the headers in [`RECORDED_HEADERS`], an excerpt of an error
/// body, and the elapsed time. Bodies of successful responses are never recorded, because they
/// carry tokens.
pub(crate) fn answer(answer: &HttpAnswer, elapsed_ms: u32) -> Vec<Evidence> {
    let mut evidence = vec![
        Evidence::new("url", redact_url(&answer.url)),
        Evidence::new("status", answer.status.to_string()),
    ];

    for name in RECORDED_HEADERS {
        if let Some(value) = answer.header(name) {
            let value = if name == "location" {
                redact_url(&value)
            } else {
                redact_text(&value)
            };
            evidence.push(Evidence::new(name, cut(&value, MAX_VALUE_LEN)));
        }
    }

    if answer.status >= 400 && !answer.body.is_empty() {
        let text = String::from_utf8_lossy(&answer.body);
        evidence.push(Evidence::new(
            "body",
            cut(&redact_text(&text), MAX_BODY_EXCERPT),
        ));
    }
    if answer.body_truncated {
        evidence.push(Evidence::new(
            "body_truncated",
            format!("cut by the transport at {} bytes", answer.body.len()),
        ));
    }
    evidence.push(Evidence::new("elapsed_ms", elapsed_ms.to_string()));
    evidence
}

/// Records a request that got no readable response.
pub(crate) fn failure(url: &str, outcome: &Outcome, elapsed_ms: u32) -> Vec<Evidence> {
    let mut evidence = vec![Evidence::new("url", redact_url(url))];
    let error = match outcome {
        Outcome::Answer(_) => None,
        Outcome::CorsBlocked => Some("blocked by CORS".to_owned()),
        Outcome::Network { detail } => Some(format!("network: {detail}")),
        Outcome::TimedOut { after_ms } => Some(format!("timed out after {after_ms} ms")),
        Outcome::Dns { detail } => Some(format!("dns: {detail}")),
        Outcome::Tls { detail } => Some(format!("tls: {detail}")),
    };
    if let Some(error) = error {
        evidence.push(Evidence::new(
            "error",
            cut(&redact_text(&error), MAX_VALUE_LEN),
        ));
    }
    evidence.push(Evidence::new("elapsed_ms", elapsed_ms.to_string()));
    evidence
}

/// Cuts a text at a character boundary at or below `max` bytes.
pub(crate) fn cut(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// Removes user info and the values of credential query parameters (such as a storage SAS
/// `sig`) from a URL.
pub(crate) fn redact_url(url: &str) -> String {
    // User info: `scheme://user:pass@host`.
    let url = match url.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            match rest[..authority_end].rfind('@') {
                Some(at) => format!("{scheme}://{REDACTED}@{}", &rest[at + 1..]),
                None => url.to_owned(),
            }
        }
        None => url.to_owned(),
    };

    let Some((base, query)) = url.split_once('?') else {
        return url;
    };
    let (query, fragment) = match query.split_once('#') {
        Some((query, fragment)) => (query, Some(fragment)),
        None => (query, None),
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if is_secret_key(key) => format!("{key}={REDACTED}"),
            _ => pair.to_owned(),
        })
        .collect();
    let mut redacted = format!("{base}?{}", pairs.join("&"));
    if let Some(fragment) = fragment {
        redacted.push('#');
        redacted.push_str(fragment);
    }
    redacted
}

fn is_secret_key(key: &str) -> bool {
    SECRET_KEYS
        .iter()
        .any(|secret| key.eq_ignore_ascii_case(secret))
}

/// Removes credential values from free text: `"access_token": "..."`, `password=...`, the word
/// after `Bearer` or `Basic` when it is a credential rather than a challenge parameter, and
/// JWT-shaped words.
pub(crate) fn redact_text(text: &str) -> String {
    let text = redact_keyed_values(text);
    redact_words(&text)
}

fn redact_keyed_values(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut output = String::with_capacity(text.len());
    let mut copied = 0;
    let mut index = 0;

    while index < text.len() {
        let key = SECRET_KEYS.iter().find(|key| {
            lower[index..].starts_with(*key)
                && (index == 0 || !is_name_byte(bytes[index - 1]))
                && !bytes
                    .get(index + key.len())
                    .copied()
                    .is_some_and(is_name_byte)
        });
        let Some(key) = key else {
            index += 1;
            while index < text.len() && !text.is_char_boundary(index) {
                index += 1;
            }
            continue;
        };

        // Past the key: an optional closing quote, then `:` or `=`, then the value.
        let mut cursor = index + key.len();
        if bytes.get(cursor) == Some(&b'"') {
            cursor += 1;
        }
        cursor = skip_spaces(bytes, cursor);
        if !matches!(bytes.get(cursor), Some(b':' | b'=')) {
            index += key.len();
            continue;
        }
        cursor = skip_spaces(bytes, cursor + 1);

        let (value_start, value_end) = if bytes.get(cursor) == Some(&b'"') {
            let start = cursor + 1;
            let mut end = start;
            while end < bytes.len() && bytes[end] != b'"' {
                end += if bytes[end] == b'\\' { 2 } else { 1 };
            }
            (start, end.min(bytes.len()))
        } else {
            let start = cursor;
            let end = text[start..]
                .find(|ch: char| ch.is_whitespace() || "&,;}\"'".contains(ch))
                .map_or(text.len(), |offset| start + offset);
            (start, end)
        };

        if value_end > value_start {
            output.push_str(&text[copied..value_start]);
            output.push_str(REDACTED);
            copied = value_end;
        }
        index = value_end.max(index + key.len());
    }
    output.push_str(&text[copied..]);
    output
}

fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

fn skip_spaces(bytes: &[u8], mut cursor: usize) -> usize {
    while bytes.get(cursor).is_some_and(|b| *b == b' ' || *b == b'\t') {
        cursor += 1;
    }
    cursor
}

fn redact_words(text: &str) -> String {
    let mut output = String::with_capacity(text.len());
    let mut after_scheme = false;
    for piece in text.split_inclusive(char::is_whitespace) {
        let word = piece.trim_end();
        let trailing = &piece[word.len()..];
        let core = word.trim_matches(|ch: char| "\"',;()[]{}<>".contains(ch));

        let is_credential_word = after_scheme && !core.is_empty() && !is_challenge_param(core);
        if is_credential_word || looks_like_jwt(core) {
            output.push_str(&word.replace(core, REDACTED));
        } else {
            output.push_str(word);
        }
        output.push_str(trailing);

        if !word.is_empty() {
            after_scheme =
                core.eq_ignore_ascii_case("bearer") || core.eq_ignore_ascii_case("basic");
        }
    }
    output
}

/// Tells whether a word after `Bearer` or `Basic` is a challenge parameter (`realm="x"`)
/// rather than a credential (`dXNlcjpwYXNz`, `abc==`).
fn is_challenge_param(word: &str) -> bool {
    match word.split_once('=') {
        Some((name, value)) => {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphabetic() || b == b'_' || b == b'-')
                && !value.starts_with('=')
                && !value.is_empty()
        }
        None => false,
    }
}

fn looks_like_jwt(word: &str) -> bool {
    word.starts_with("eyJ") && word.matches('.').count() >= 2 && word.len() > 20
}

/// Replaces every known secret in a result: evidence values and every string inside the
/// finding.
pub(crate) struct Scrubber {
    secrets: Vec<String>,
}

impl Scrubber {
    pub(crate) fn new() -> Scrubber {
        Scrubber {
            secrets: Vec::new(),
        }
    }

    /// Adds a secret to remove from now on. Very short values are ignored: replacing every
    /// `a` in a report would destroy it and protect nothing.
    pub(crate) fn add(&mut self, secret: &str) {
        if secret.len() >= 4 && !self.secrets.iter().any(|known| known == secret) {
            self.secrets.push(secret.to_owned());
        }
    }

    pub(crate) fn text(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for secret in &self.secrets {
            if text.contains(secret.as_str()) {
                text = text.replace(secret.as_str(), REDACTED);
            }
        }
        text
    }

    /// Removes every known secret from a result's evidence and from every text of its finding,
    /// in place.
    pub(crate) fn result(&self, mut result: CheckResult) -> CheckResult {
        for evidence in &mut result.evidence {
            evidence.value = self.text(&evidence.value);
        }
        result.finding.visit_texts("", &mut |_, text| {
            if self
                .secrets
                .iter()
                .any(|secret| text.contains(secret.as_str()))
            {
                *text = self.text(text);
            }
        });
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_text_removes_credentials() {
        let cases = [
            (
                r#"{"access_token":"abc.def","refresh_token" : "xyz"}"#,
                r#"{"access_token":"[redacted]","refresh_token" : "[redacted]"}"#,
            ),
            (
                "grant_type=password&username=u&password=hunter22&scope=x",
                "grant_type=password&username=u&password=[redacted]&scope=x",
            ),
            (
                "Authorization: Bearer abc123",
                "Authorization: Bearer [redacted]",
            ),
            ("Basic dXNlcjpwYXNz", "Basic [redacted]"),
            ("Basic dXNlcg==", "Basic [redacted]"),
            (
                r#"Bearer realm="https://r/oauth2/token",service="r""#,
                r#"Bearer realm="https://r/oauth2/token",service="r""#,
            ),
            (
                "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig here",
                "token [redacted] here",
            ),
            (r#"{"token":"t0k3n"}"#, r#"{"token":"[redacted]"}"#),
            (
                r#"{"code":"DENIED","message":"no"}"#,
                r#"{"code":"DENIED","message":"no"}"#,
            ),
            ("the tokens are fine", "the tokens are fine"),
        ];
        for (text, expected) in cases {
            assert_eq!(redact_text(text), expected, "text {text:?}");
        }
    }

    #[test]
    fn redact_url_removes_credentials() {
        let cases = [
            (
                "https://acct.blob.core.windows.net/c/b?sv=2021&sig=abc%2F&se=x",
                "https://acct.blob.core.windows.net/c/b?sv=2021&sig=[redacted]&se=x",
            ),
            (
                "https://user:pw@host.test/v2/",
                "https://[redacted]@host.test/v2/",
            ),
            (
                "https://r.test/oauth2/token?service=r&scope=repository:a:pull",
                "https://r.test/oauth2/token?service=r&scope=repository:a:pull",
            ),
            ("https://r.test/v2/#x", "https://r.test/v2/#x"),
        ];
        for (url, expected) in cases {
            assert_eq!(redact_url(url), expected, "url {url:?}");
        }
    }

    #[test]
    fn cut_respects_char_boundaries() {
        assert_eq!(cut("레지스트리", 4), "레…");
        assert_eq!(cut("short", 10), "short");
    }

    #[test]
    fn scrubber_removes_secrets_from_every_text_of_a_finding() {
        let mut scrubber = Scrubber::new();
        scrubber.add("hunter22");
        let result = CheckResult {
            check: crate::CheckId::AccessToken,
            side: crate::Side::Browser,
            status: crate::Status::Fail,
            code: None,
            finding: super::super::RegistryFinding::Forbidden {
                url: "https://r.test/v2/?p=hunter22".into(),
                client_ip: Some("10.0.0.1".into()),
                message: Some("password hunter22 refused".into()),
            }
            .into(),
            evidence: vec![Evidence::new("body", "hunter22")],
            elapsed_ms: 3,
        };

        let scrubbed = scrubber.result(result);

        assert_eq!(
            scrubbed.finding,
            super::super::RegistryFinding::Forbidden {
                url: "https://r.test/v2/?p=[redacted]".into(),
                client_ip: Some("10.0.0.1".into()),
                message: Some("password [redacted] refused".into()),
            }
            .into()
        );
        assert_eq!(scrubbed.evidence, vec![Evidence::new("body", REDACTED)]);
    }

    #[test]
    fn scrubber_ignores_short_secrets() {
        let mut scrubber = Scrubber::new();
        scrubber.add("a");
        scrubber.add("hunter22");
        assert_eq!(scrubber.text("a hunter22"), "a [redacted]");
    }
}
