//! Error bodies of the registry API: `{"errors":[{"code":"DENIED","message":"...","detail":...}]}`,
//! and the client IP address that ACR's firewall names in its `DENIED` message.

use std::net::IpAddr;

use serde_json::Value;

/// One entry of an error body. `detail` is any JSON, kept as compact JSON text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryError {
    pub code: String,
    pub message: String,
    pub detail: Option<String>,
}

/// Parses an error body. Returns `None` when the body is not one: not UTF-8, not JSON, or
/// without an `errors` list. Entries without a string `code` or `message` get an empty one.
pub fn parse(body: &[u8]) -> Option<Vec<RegistryError>> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let entries = value.get("errors")?.as_array()?;

    let text = |entry: &Value, key: &str| {
        entry
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let errors = entries
        .iter()
        .filter(|entry| entry.is_object())
        .map(|entry| RegistryError {
            code: text(entry, "code"),
            message: text(entry, "message"),
            detail: entry.get("detail").filter(|detail| !detail.is_null()).map(
                |detail| match detail {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                },
            ),
        })
        .collect();
    Some(errors)
}

/// Finds the client IP address in a firewall message such as
/// `client with IP '203.0.113.7' is not allowed access`.
///
/// Quoted words are tried first, then every word, so the IP is found in reworded messages
/// too. Returns the first word that parses as an IPv4 or IPv6 address.
pub fn client_ip(message: &str) -> Option<IpAddr> {
    let is_separator = |ch: char| ch.is_whitespace() || "'\"`,;()[]<>".contains(ch);
    let parse_word = |word: &str| {
        let word = word.trim_end_matches(['.', ':']);
        word.parse::<IpAddr>().ok()
    };

    let quoted = message.split(['\'', '"']).skip(1).step_by(2);
    quoted
        .filter_map(|word| parse_word(word.trim()))
        .next()
        .or_else(|| message.split(is_separator).find_map(parse_word))
}

/// Finds the client IP address in any entry of an error body.
pub fn client_ip_in(errors: &[RegistryError]) -> Option<IpAddr> {
    errors.iter().find_map(|error| {
        client_ip(&error.message).or_else(|| error.detail.as_deref().and_then(client_ip))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_error_bodies() {
        let body = br#"{"errors":[{"code":"DENIED","message":"client with IP '203.0.113.7' is not allowed access.","detail":{"ip":"x"}},{"code":"UNAUTHORIZED","message":"auth required","detail":null}]}"#;
        let errors = parse(body).expect("an error body parses");
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].code, "DENIED");
        assert_eq!(
            errors[0].message,
            "client with IP '203.0.113.7' is not allowed access."
        );
        assert_eq!(errors[0].detail.as_deref(), Some(r#"{"ip":"x"}"#));
        assert_eq!(errors[1].code, "UNAUTHORIZED");
        assert_eq!(errors[1].detail, None);
    }

    #[test]
    fn parse_rejects_other_bodies() {
        let cases: [&[u8]; 6] = [
            b"",
            b"<html>403 Forbidden</html>",
            b"\xff\xfe",
            br#"{"errors":"DENIED"}"#,
            br#"{"error":"invalid_grant"}"#,
            br#"{"errors":[{"code":"DENIED""#,
        ];
        for body in cases {
            assert_eq!(parse(body), None, "body {}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn parse_tolerates_odd_entries() {
        let errors = parse(br#"{"errors":[{"code":5},"text",{"message":"m"}]}"#).expect("parses");
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].code, "");
        assert_eq!(errors[1].message, "m");
    }

    #[test]
    fn client_ip_in_messages() {
        let cases = [
            (
                "client with IP '203.0.113.7' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.",
                Some("203.0.113.7"),
            ),
            (
                "client with IP '2001:db8::1' is not allowed access.",
                Some("2001:db8::1"),
            ),
            ("client with IP \"198.51.100.20\" denied", Some("198.51.100.20")),
            ("denied for 192.0.2.1.", Some("192.0.2.1")),
            ("denied for 2001:db8:0:0:0:0:0:2: rule", Some("2001:db8::2")),
            ("client with IP '999.1.1.1' is not allowed", None),
            ("access denied", None),
            ("version 1.2.3.4.5 is old", None),
            ("", None),
        ];
        for (message, expected) in cases {
            let expected = expected.map(|ip| ip.parse::<IpAddr>().expect("test IP parses"));
            assert_eq!(client_ip(message), expected, "message {message:?}");
        }
    }

    #[test]
    fn client_ip_in_detail() {
        let errors = parse(
            br#"{"errors":[{"code":"DENIED","message":"denied","detail":"client 192.0.2.9"}]}"#,
        )
        .expect("parses");
        assert_eq!(client_ip_in(&errors), "192.0.2.9".parse().ok());
    }
}
