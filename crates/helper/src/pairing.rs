//! The pairing secret: proof that a request comes from the page this helper opened.
//!
//! The helper prints the secret in the terminal and places it in the URL fragment of the page
//! it opens. Browsers never send a fragment to a server, so only that page (and the person at
//! the terminal) has it. Any request that runs a command or carries credentials must present
//! it as `Authorization: Pairing <secret>`.

use std::fmt;

/// Number of random bytes in a secret. 32 bytes (256 bits) cannot be guessed within any rate
/// limit.
const SECRET_BYTES: usize = 32;

/// The scheme name in `Authorization: Pairing <secret>`.
pub const SCHEME: &str = "Pairing";

/// A random pairing secret, written as lower-case hex.
///
/// Its `Debug` and `Display` never show the value: use [`PairingSecret::expose`] for the one
/// place that prints it (the `url:` line).
#[derive(Clone)]
pub struct PairingSecret(String);

impl PairingSecret {
    /// Generates a new secret from the operating system's random source.
    ///
    /// Fails only when the operating system has no usable random source.
    pub fn generate() -> Result<PairingSecret, getrandom::Error> {
        let mut bytes = [0u8; SECRET_BYTES];
        getrandom::fill(&mut bytes)?;
        let hex = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Ok(PairingSecret(hex))
    }

    /// Wraps a known value, for tests that need a fixed secret.
    pub fn from_value(value: impl Into<String>) -> PairingSecret {
        PairingSecret(value.into())
    }

    /// Returns the secret itself, for the URL printed at start-up.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Tells whether `candidate` is the secret. The comparison takes the same time wherever
    /// the first difference is, so response timing does not reveal a prefix.
    pub fn matches(&self, candidate: &str) -> bool {
        constant_time_eq(self.0.as_bytes(), candidate.as_bytes())
    }

    /// Tells whether an `Authorization` header value is `Pairing <secret>` with this secret.
    /// The scheme name is matched without regard to case, as HTTP auth schemes are.
    pub fn matches_header(&self, header: &str) -> bool {
        let Some((scheme, value)) = header.trim().split_once(' ') else {
            return false;
        };
        scheme.eq_ignore_ascii_case(SCHEME) && self.matches(value.trim())
    }
}

impl fmt::Debug for PairingSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PairingSecret(<redacted>)")
    }
}

/// Compares two byte strings in time that depends only on their lengths. The length of the
/// secret is fixed and public, so leaking it costs nothing.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let difference = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    difference == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generate_gives_64_hex_digits() {
        let secret = PairingSecret::generate().expect("the OS has a random source");
        assert_eq!(secret.expose().len(), 64);
        assert!(secret.expose().bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[test]
    fn generate_differs_each_time() {
        let first = PairingSecret::generate().expect("random source");
        let second = PairingSecret::generate().expect("random source");
        assert_ne!(first.expose(), second.expose());
    }

    #[test]
    fn debug_hides_value() {
        let secret = PairingSecret::from_value("abc123");
        assert!(!format!("{secret:?}").contains("abc123"));
    }

    #[test]
    fn matches_header_cases() {
        let secret = PairingSecret::from_value("s3cret");
        let cases = [
            ("Pairing s3cret", true),
            ("pairing s3cret", true),
            ("  Pairing   s3cret ", true),
            ("Pairing s3cre", false),
            ("Pairing s3cret2", false),
            ("Bearer s3cret", false),
            ("s3cret", false),
            ("Pairing ", false),
            ("", false),
        ];
        for (header, expected) in cases {
            assert_eq!(secret.matches_header(header), expected, "header {header:?}");
        }
    }
}
