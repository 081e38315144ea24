//! The JSON form of a report. It carries [`REPORT_FORMAT`] in its `format` field, and a reader
//! rejects a format it does not know instead of guessing.

use std::fmt;

use crate::report::REPORT_FORMAT;
use crate::Report;

/// Serializes a report as pretty-printed JSON, one field per line, ending with a newline.
pub fn to_json(report: &Report) -> String {
    // A report holds only strings, numbers, enums and vectors, which always serialize.
    let mut text = serde_json::to_string_pretty(report)
        .unwrap_or_else(|err| format!("{{\"error\":\"report could not be serialized: {err}\"}}"));
    text.push('\n');
    text
}

/// Why a JSON report was rejected.
#[derive(Debug)]
pub enum JsonError {
    Invalid(serde_json::Error),
    /// The report was written in a layout this version does not read.
    UnknownFormat(u64),
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonError::Invalid(err) => write!(f, "invalid report JSON: {err}"),
            JsonError::UnknownFormat(format) => write!(
                f,
                "report format {format} is not supported; this version reads format {REPORT_FORMAT}"
            ),
        }
    }
}

impl std::error::Error for JsonError {}

/// Parses a report written by [`to_json`], checking its format first.
pub fn from_json(text: &str) -> Result<Report, JsonError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(JsonError::Invalid)?;
    let format = value
        .get("format")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    if format != u64::from(REPORT_FORMAT) {
        return Err(JsonError::UnknownFormat(format));
    }
    serde_json::from_value(value).map_err(JsonError::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::text::tests::sample_report;

    #[test]
    fn json_round_trips() {
        let report = sample_report();
        let text = to_json(&report);
        assert_eq!(from_json(&text).expect("parses"), report);
    }

    #[test]
    fn json_carries_format_and_codes() {
        let value: serde_json::Value = serde_json::from_str(&to_json(&sample_report())).unwrap();
        assert_eq!(value["format"], 1);
        assert_eq!(value["results"][1]["code"], "DOCKER_DAEMON_ERROR");
        assert_eq!(value["results"][1]["check"], "docker_daemon");
    }

    #[test]
    fn json_unknown_format_rejected() {
        let text = to_json(&sample_report()).replace("\"format\": 1", "\"format\": 99");
        assert!(matches!(
            from_json(&text),
            Err(JsonError::UnknownFormat(99))
        ));
    }
}
