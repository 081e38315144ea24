//! The binary layout of a report inside a share link.
//!
//! Postcard is compact but not self-describing, so it cannot read back serde's internally tagged
//! enums (`#[serde(tag = "kind")]`), which the findings use. The wire form keeps every field of
//! the report as postcard data, and stores each finding as its JSON tree flattened into a list
//! of nodes in pre-order. Deflate then folds the repeated field names. Reading a tree back is
//! bounded in depth, so a crafted link cannot exhaust the stack.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

use crate::{CheckId, CheckResult, Code, Evidence, Finding, Report, Side, Status};

/// Deepest nesting of a finding's JSON that a link may hold. Real findings nest three levels.
const MAX_DEPTH: usize = 16;

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

/// One node of a JSON tree in pre-order. `List` and `Map` give the number of children that
/// follow them; each child of a map is a `Key` and then its value.
#[derive(Serialize, Deserialize)]
enum Node {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Text(String),
    List(u32),
    Map(u32),
    Key(String),
}

/// The reason a wire report does not read back as a report.
#[derive(Debug)]
pub(super) struct Invalid;

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
        let json = serde_json::to_value(&result.finding).expect("a finding serializes to JSON");
        let mut finding = Vec::new();
        flatten(&json, &mut finding);
        WireResult {
            check: result.check,
            side: result.side,
            status: result.status,
            code: result.code,
            finding,
            evidence: result.evidence.clone(),
            elapsed_ms: result.elapsed_ms,
        }
    }

    fn into_result(self) -> Result<CheckResult, Invalid> {
        let mut nodes = self.finding.into_iter();
        let json = unflatten(&mut nodes, 0)?;
        if nodes.next().is_some() {
            return Err(Invalid);
        }
        let finding: Finding = serde_json::from_value(json).map_err(|_| Invalid)?;
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

fn flatten(value: &Value, out: &mut Vec<Node>) {
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

/// Reads one value and its children. Every child consumes at least one node, so a count larger
/// than what is left ends the input and fails instead of allocating.
fn unflatten(nodes: &mut std::vec::IntoIter<Node>, depth: usize) -> Result<Value, Invalid> {
    if depth > MAX_DEPTH {
        return Err(Invalid);
    }
    let value = match nodes.next().ok_or(Invalid)? {
        Node::Null => Value::Null,
        Node::Bool(flag) => Value::Bool(flag),
        Node::Unsigned(unsigned) => Value::from(unsigned),
        Node::Signed(signed) => Value::from(signed),
        Node::Float(float) => Number::from_f64(float).map_or(Value::Null, Value::Number),
        Node::Text(text) => Value::String(text),
        Node::Key(_) => return Err(Invalid),
        Node::List(len) => {
            let mut items = Vec::new();
            for _ in 0..len {
                items.push(unflatten(nodes, depth + 1)?);
            }
            Value::Array(items)
        }
        Node::Map(len) => {
            let mut fields = Map::new();
            for _ in 0..len {
                let Some(Node::Key(key)) = nodes.next() else {
                    return Err(Invalid);
                };
                fields.insert(key, unflatten(nodes, depth + 1)?);
            }
            Value::Object(fields)
        }
    };
    Ok(value)
}
