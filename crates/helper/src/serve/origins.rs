//! Web origins the helper lets call its API, from flags and from a config file.

use std::fmt;
use std::path::Path;

use serde::Deserialize;

/// A web origin as a browser sends it in the `Origin` header: `scheme://host[:port]`, lower
/// case, without the scheme's default port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin(String);

/// The reason an origin given by the user was rejected.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OriginError {
    #[error("invalid origin {0:?}: a wildcard is never allowed; list each origin")]
    Wildcard(String),
    #[error("invalid origin {0:?}: expected scheme://host[:port] with scheme http or https")]
    Malformed(String),
    #[error("invalid origin {0:?}: an origin has no path, query or fragment")]
    HasPath(String),
}

impl Origin {
    /// Parses an origin given with `--allow-origin` or in the config file.
    pub fn parse(text: &str) -> Result<Origin, OriginError> {
        let text = text.trim();
        if text.contains('*') {
            return Err(OriginError::Wildcard(text.to_owned()));
        }
        let (scheme, rest) = text
            .split_once("://")
            .ok_or_else(|| OriginError::Malformed(text.to_owned()))?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => "80",
            "https" => "443",
            _ => return Err(OriginError::Malformed(text.to_owned())),
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.contains(['/', '?', '#']) {
            return Err(OriginError::HasPath(text.to_owned()));
        }
        if authority.is_empty()
            || authority.contains('@')
            || authority.contains(char::is_whitespace)
        {
            return Err(OriginError::Malformed(text.to_owned()));
        }

        // Split off a port, minding bracketed IPv6 literals such as `[::1]:8080`.
        let (host, port) = match authority.rfind(':') {
            Some(colon) if !authority[colon..].contains(']') => {
                (&authority[..colon], Some(&authority[colon + 1..]))
            }
            _ => (authority, None),
        };
        if host.is_empty() {
            return Err(OriginError::Malformed(text.to_owned()));
        }
        let host = host.to_ascii_lowercase();
        let origin = match port {
            Some(port) if port.parse::<u16>().is_err() => {
                return Err(OriginError::Malformed(text.to_owned()))
            }
            Some(port) if port != default_port => format!("{scheme}://{host}:{port}"),
            _ => format!("{scheme}://{host}"),
        };
        Ok(Origin(origin))
    }

    /// Returns the helper's own origins: the page it serves, under each loopback name.
    pub fn own(port: u16) -> Vec<Origin> {
        ["127.0.0.1", "localhost", "[::1]"]
            .into_iter()
            .map(|host| Origin(format!("http://{host}:{port}")))
            .collect()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Tells whether an `Origin` header value is exactly this origin. Browsers send origins
    /// already serialized, so no normalization is done on the header: anything else is foreign.
    pub fn matches_header(&self, header: &str) -> bool {
        self.0 == header
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The helper's config file (JSON), such as `{"allowed_origins": ["https://portal.example"]}`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub allowed_origins: Vec<String>,
}

/// Reads the origins listed in a config file. Fails on an unreadable file, invalid JSON or an
/// invalid origin, naming the file and the value.
pub fn load_config_file(path: &Path) -> anyhow::Result<Vec<Origin>> {
    use anyhow::Context;

    let text = std::fs::read_to_string(path)
        .with_context(|| format!("failed to read config file {}", path.display()))?;
    let config: ConfigFile = serde_json::from_str(&text)
        .with_context(|| format!("invalid config file {}", path.display()))?;
    config
        .allowed_origins
        .iter()
        .map(|text| {
            Origin::parse(text).with_context(|| format!("in config file {}", path.display()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_normalizes() {
        let cases = [
            ("https://Portal.Example", "https://portal.example"),
            ("https://portal.example/", "https://portal.example"),
            ("https://portal.example:443", "https://portal.example"),
            ("http://portal.example:80", "http://portal.example"),
            ("https://portal.example:8443", "https://portal.example:8443"),
            ("http://[::1]:3000", "http://[::1]:3000"),
            ("http://[::1]", "http://[::1]"),
        ];
        for (text, expected) in cases {
            let origin = Origin::parse(text).expect(text);
            assert_eq!(origin.as_str(), expected, "input {text:?}");
        }
    }

    #[test]
    fn parse_rejects_wildcard() {
        assert!(matches!(Origin::parse("*"), Err(OriginError::Wildcard(_))));
        assert!(matches!(
            Origin::parse("https://*.example"),
            Err(OriginError::Wildcard(_))
        ));
    }

    #[test]
    fn parse_rejects_malformed() {
        for text in [
            "portal.example",
            "ftp://portal.example",
            "https://",
            "https://user@portal.example",
            "https://portal.example:99999",
            "null",
        ] {
            assert!(Origin::parse(text).is_err(), "accepted {text:?}");
        }
    }

    #[test]
    fn parse_rejects_path() {
        assert!(matches!(
            Origin::parse("https://portal.example/page"),
            Err(OriginError::HasPath(_))
        ));
    }

    #[test]
    fn config_file_lists_origins() {
        let dir = std::env::temp_dir().join(format!("acr-health-origins-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("helper.json");
        std::fs::write(&path, r#"{"allowed_origins": ["https://portal.example"]}"#).expect("write");
        let origins = load_config_file(&path).expect("valid config");
        assert_eq!(
            origins,
            vec![Origin::parse("https://portal.example").unwrap()]
        );

        std::fs::write(&path, r#"{"allowed_origins": ["*"]}"#).expect("write");
        assert!(load_config_file(&path).is_err());
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }
}
