//! The binary layout of a report inside a share link.
//!
//! The wire form keeps every field of the report as postcard data, and stores each finding as
//! its JSON tree flattened into a list of nodes in pre-order, with the keys of each map in
//! sorted order. Deflate then folds the repeated field names. [`Finding::from_nodes`] reads a
//! finding back from its nodes.
//!
//! Writing goes through the finding's pretty JSON text, which the page already builds for its
//! JSON export, so the serde code it runs is linked once. A `serde_json::Value` parsed from that
//! text gives the tree: its maps keep keys sorted, as the links written so far have them.

use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

use crate::nodes::{Invalid, Node};
use crate::{CheckId, CheckResult, Code, Evidence, Finding, Report, Side, Status};

#[derive(Serialize, Deserialize)]
pub(super) struct WireReport {
    format: u16,
    tool_version: String,
    registry: String,
    cloud: String,
    started_at_ms: u64,
    browser: Option<String>,
    helper_version: Option<String>,
    results: Vec<WireResult>,
}

#[derive(Serialize, Deserialize)]
struct WireResult {
    check: CheckId,
    side: Side,
    status: Status,
    code: Option<Code>,
    finding: Vec<Node>,
    evidence: Vec<Evidence>,
    elapsed_ms: u32,
}

impl WireReport {
    pub(super) fn from_report(report: &Report) -> WireReport {
        WireReport {
            format: report.format,
            tool_version: report.tool_version.clone(),
            registry: report.registry.clone(),
            cloud: report.cloud.clone(),
            started_at_ms: report.started_at_ms,
            browser: report.browser.clone(),
            helper_version: report.helper_version.clone(),
            results: report.results.iter().map(WireResult::from_result).collect(),
        }
    }

    pub(super) fn into_report(self) -> Result<Report, Invalid> {
        let results = self
            .results
            .into_iter()
            .map(WireResult::into_result)
            .collect::<Result<Vec<_>, Invalid>>()?;
        Ok(Report {
            format: self.format,
            tool_version: self.tool_version,
            registry: self.registry,
            cloud: self.cloud,
            started_at_ms: self.started_at_ms,
            browser: self.browser,
            helper_version: self.helper_version,
            results,
        })
    }
}

impl WireResult {
    fn from_result(result: &CheckResult) -> WireResult {
        WireResult {
            check: result.check,
            side: result.side,
            status: result.status,
            code: result.code,
            finding: finding_nodes(&result.finding),
            evidence: result.evidence.clone(),
            elapsed_ms: result.elapsed_ms,
        }
    }

    fn into_result(self) -> Result<CheckResult, Invalid> {
        let finding = Finding::from_nodes(self.finding)?;
        Ok(CheckResult {
            check: self.check,
            side: self.side,
            status: self.status,
            code: self.code,
            finding,
            evidence: self.evidence,
            elapsed_ms: self.elapsed_ms,
        })
    }
}

/// Returns the nodes of a finding's JSON tree.
pub(super) fn finding_nodes(finding: &Finding) -> Vec<Node> {
    let text = serde_json::to_vec_pretty(finding)
        .expect("a finding contains only strings, numbers, enums and lists, which serialize");
    // `from_slice`, like every JSON read in the page, so serde_json's parser is linked once.
    let json: Value = serde_json::from_slice(&text).expect("serde_json reads its own output");
    let mut nodes = Vec::new();
    flatten(&json, &mut nodes);
    nodes
}

pub(super) fn flatten(value: &Value, out: &mut Vec<Node>) {
    match value {
        Value::Null => out.push(Node::Null),
        Value::Bool(flag) => out.push(Node::Bool(*flag)),
        Value::Number(number) => out.push(number_node(number)),
        Value::String(text) => out.push(Node::Text(text.clone())),
        Value::Array(items) => {
            out.push(Node::List(count(items.len())));
            for item in items {
                flatten(item, out);
            }
        }
        Value::Object(fields) => {
            out.push(Node::Map(count(fields.len())));
            for (key, item) in fields {
                out.push(Node::Key(key.clone()));
                flatten(item, out);
            }
        }
    }
}

fn count(len: usize) -> u32 {
    u32::try_from(len).expect("a finding has fewer than 2^32 fields or items")
}

fn number_node(number: &Number) -> Node {
    if let Some(unsigned) = number.as_u64() {
        Node::Unsigned(unsigned)
    } else if let Some(signed) = number.as_i64() {
        Node::Signed(signed)
    } else {
        Node::Float(number.as_f64().unwrap_or(0.0))
    }
}
