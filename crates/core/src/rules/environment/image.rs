//! Image references given for the pull check, validated before they reach `docker pull`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The image pulled when the user names none: small, public and multi-platform.
pub const DEFAULT_PULL_IMAGE: &str = "mcr.microsoft.com/mcr/hello-world:latest";

/// A validated image reference: `[registry/]repository[:tag][@digest]`.
///
/// Only references of this shape are passed to `docker pull`, as one argument and never
/// through a shell, so a value such as `--help` or `x; rm -rf /` cannot become anything else.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageRef {
    /// Registry host with an optional port, such as `myreg.azurecr.io` or `127.0.0.1:5000`.
    pub registry: Option<String>,
    pub repository: String,
    pub tag: Option<String>,
    /// Content digest, such as `sha256:` followed by 64 hex digits.
    pub digest: Option<String>,
}

/// The reason an image reference was rejected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImageRefError {
    Empty,
    TooLong,
    /// A character outside the reference grammar (spaces, shell characters, upper case in the
    /// repository, a leading `-`).
    InvalidCharacter,
    InvalidRegistry,
    InvalidRepository,
    InvalidTag,
    InvalidDigest,
}

impl fmt::Display for ImageRefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            ImageRefError::Empty => "the reference is empty",
            ImageRefError::TooLong => "the reference is longer than 255 characters",
            ImageRefError::InvalidCharacter => "the reference contains a character not allowed in image names",
            ImageRefError::InvalidRegistry => "the registry part is not a valid host[:port]",
            ImageRefError::InvalidRepository => "the repository must be lower-case path components separated by '/'",
            ImageRefError::InvalidTag => "the tag must be up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'",
            ImageRefError::InvalidDigest => "the digest must be sha256: followed by 64 lower-case hex digits",
        };
        f.write_str(text)
    }
}

/// Maximum length of a reference, as the distribution reference grammar sets for names.
const MAX_LENGTH: usize = 255;

impl ImageRef {
    /// Parses and validates an image reference.
    pub fn parse(text: &str) -> Result<ImageRef, ImageRefError> {
        if text.is_empty() {
            return Err(ImageRefError::Empty);
        }
        if text.len() > MAX_LENGTH {
            return Err(ImageRefError::TooLong);
        }
        if text.starts_with('-') || !text.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ImageRefError::InvalidCharacter);
        }

        let (name, digest) = match text.split_once('@') {
            Some((name, digest)) => (name, Some(digest)),
            None => (text, None),
        };
        if let Some(digest) = digest {
            let hex = digest
                .strip_prefix("sha256:")
                .ok_or(ImageRefError::InvalidDigest)?;
            let valid =
                hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
            if !valid {
                return Err(ImageRefError::InvalidDigest);
            }
        }

        // A tag follows the last ':' that comes after the last '/' (a ':' before it is a port).
        let last_slash = name.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name[last_slash..].rfind(':') {
            Some(colon) => {
                let colon = last_slash + colon;
                (&name[..colon], Some(&name[colon + 1..]))
            }
            None => (name, None),
        };
        if let Some(tag) = tag {
            if !valid_tag(tag) {
                return Err(ImageRefError::InvalidTag);
            }
        }

        // The first component is a registry when it looks like a host: it has a '.' or a ':',
        // or is `localhost`.
        let (registry, repository) = match name.split_once('/') {
            Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => {
                (Some(first), rest)
            }
            _ => (None, name),
        };
        if let Some(registry) = registry {
            if !valid_registry(registry) {
                return Err(ImageRefError::InvalidRegistry);
            }
        }
        if !repository.split('/').all(valid_path_component) {
            return Err(ImageRefError::InvalidRepository);
        }

        Ok(ImageRef {
            registry: registry.map(str::to_owned),
            repository: repository.to_owned(),
            tag: tag.map(str::to_owned),
            digest: digest.map(str::to_owned),
        })
    }
}

fn valid_tag(tag: &str) -> bool {
    let mut bytes = tag.bytes();
    let first_ok = bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
    first_ok
        && tag.len() <= 128
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

fn valid_registry(registry: &str) -> bool {
    let (host, port) = match registry.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (registry, None),
    };
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0));
    let host_ok = !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    port_ok && host_ok
}

/// Tells whether `component` is one path component: lower-case letters and digits, joined by `.`, `_`, `__` or dashes.
fn valid_path_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut index = 0;
    while index < bytes.len() {
        let b = bytes[index];
        if alnum(b) {
            index += 1;
            continue;
        }
        // A separator: `.`, `_`, `__` or one or more `-`, always followed by a letter or digit.
        let run_end = bytes[index..]
            .iter()
            .position(|&c| alnum(c))
            .map_or(bytes.len(), |offset| index + offset);
        let separator = &component[index..run_end];
        let valid = matches!(separator, "." | "_" | "__") || separator.bytes().all(|c| c == b'-');
        if !valid {
            return false;
        }
        index = run_end;
    }
    true
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(registry) = &self.registry {
            write!(f, "{registry}/")?;
        }
        f.write_str(&self.repository)?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_valid() {
        let digest = format!("sha256:{}", "a".repeat(64));
        let cases = [
            DEFAULT_PULL_IMAGE.to_owned(),
            "hello-world".to_owned(),
            "myreg.azurecr.io/team/app:1.0".to_owned(),
            "127.0.0.1:5000/hello-world:latest".to_owned(),
            "localhost/a__b/c-d--e:v1".to_owned(),
            format!("myreg.azurecr.io/app@{digest}"),
            format!("myreg.azurecr.io/app:1@{digest}"),
        ];
        for text in cases {
            let image = ImageRef::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(image.to_string(), text);
        }
    }

    #[test]
    fn parse_splits_parts() {
        let image = ImageRef::parse("127.0.0.1:5000/hello-world:latest").expect("valid");
        assert_eq!(image.registry.as_deref(), Some("127.0.0.1:5000"));
        assert_eq!(image.repository, "hello-world");
        assert_eq!(image.tag.as_deref(), Some("latest"));
    }

    #[test]
    fn parse_rejects_invalid() {
        let cases = [
            ("", ImageRefError::Empty),
            ("--help", ImageRefError::InvalidCharacter),
            ("hello world", ImageRefError::InvalidCharacter),
            ("x;rm", ImageRefError::InvalidRepository),
            ("$(id)", ImageRefError::InvalidRepository),
            ("Hello", ImageRefError::InvalidRepository),
            ("a//b", ImageRefError::InvalidRepository),
            ("a/b:", ImageRefError::InvalidTag),
            ("a/b:.x", ImageRefError::InvalidTag),
            ("a/b@md5:00", ImageRefError::InvalidDigest),
            ("host.test:0/a", ImageRefError::InvalidRegistry),
            ("-host.test/a", ImageRefError::InvalidCharacter),
            ("ho_st.test/a", ImageRefError::InvalidRegistry),
        ];
        for (text, expected) in cases {
            assert_eq!(
                ImageRef::parse(text),
                Err(expected.clone()),
                "text {text:?}"
            );
        }
        assert_eq!(
            ImageRef::parse(&"a".repeat(300)),
            Err(ImageRefError::TooLong)
        );
    }
}
