//! The Markdown of a report, for pasting into a support ticket: a heading with the registry,
//! when and from where the checks ran, a table with one row per result, then what each failing
//! code means and how to fix it, and the evidence in a collapsed block.

use std::fmt::Write;

use crate::parse::http_date::format_utc;
use crate::render::{status_label, summary};
use crate::{catalog, CheckResult, Code, Lang, Localize, Report, Side, Status};

struct Labels {
    heading: &'static str,
    ran_at: &'static str,
    tool: &'static str,
    browser: &'static str,
    helper: &'static str,
    check: &'static str,
    side: &'static str,
    status: &'static str,
    code: &'static str,
    finding: &'static str,
    time: &'static str,
    side_browser: &'static str,
    side_machine: &'static str,
    fixes: &'static str,
    reference: &'static str,
    evidence: &'static str,
}

fn labels(lang: Lang) -> Labels {
    match lang {
        Lang::En => Labels {
            heading: "Registry health check",
            ran_at: "Run at",
            tool: "acr-health",
            browser: "browser",
            helper: "helper",
            check: "Check",
            side: "Side",
            status: "Status",
            code: "Code",
            finding: "Finding",
            time: "Time",
            side_browser: "browser",
            side_machine: "machine",
            fixes: "Possible fixes",
            reference: "Error reference",
            evidence: "Evidence",
        },
        Lang::Ko => Labels {
            heading: "레지스트리 상태 점검",
            ran_at: "실행 시각",
            tool: "acr-health",
            browser: "브라우저",
            helper: "도우미",
            check: "검사",
            side: "위치",
            status: "상태",
            code: "코드",
            finding: "결과",
            time: "시간",
            side_browser: "브라우저",
            side_machine: "이 머신",
            fixes: "해결 방법",
            reference: "오류 참조",
            evidence: "근거",
        },
    }
}

/// Renders a report as GitHub-flavoured Markdown in one language.
pub fn to_markdown(report: &Report, lang: Lang) -> String {
    let labels = labels(lang);
    let mut out = String::new();

    // Heading and where the run came from.
    let _ = writeln!(
        out,
        "### {}: {} ({})\n",
        labels.heading,
        code_span(&report.registry),
        report.cloud
    );
    let mut origin = vec![
        format!("{}: {}", labels.ran_at, format_utc(report.started_at_ms)),
        format!("{} {}", labels.tool, report.tool_version),
    ];
    if let Some(browser) = &report.browser {
        origin.push(format!("{}: {}", labels.browser, inline(browser)));
    }
    if let Some(helper) = &report.helper_version {
        origin.push(format!("{} {}", labels.helper, inline(helper)));
    }
    let _ = writeln!(out, "{}\n", origin.join(" · "));
    let _ = writeln!(out, "**{}**\n", summary(report, lang));

    // One row per result.
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} |",
        labels.check, labels.side, labels.status, labels.code, labels.finding, labels.time
    );
    out.push_str("| --- | --- | --- | --- | --- | ---: |\n");
    for result in &report.results {
        let code = result.code.map(|code| code_span(&code.to_string()));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} ms |",
            result.check.title(lang),
            side_label(result.side, &labels),
            status_label(result.status, lang),
            code.unwrap_or_default(),
            cell(&result.finding.localize(lang)),
            result.elapsed_ms
        );
    }

    // The meaning and fixes of each code that failed or warned, once per code.
    let mut explained: Vec<Code> = Vec::new();
    for result in &report.results {
        let Some(code) = result.code else { continue };
        if !matches!(result.status, Status::Fail | Status::Warning) || explained.contains(&code) {
            continue;
        }
        explained.push(code);
        write_code(&mut out, code, lang, &labels);
    }

    // Evidence, collapsed so that the ticket stays readable.
    let with_evidence: Vec<&CheckResult> = report
        .results
        .iter()
        .filter(|result| !result.evidence.is_empty())
        .collect();
    if !with_evidence.is_empty() {
        let _ = writeln!(out, "\n<details><summary>{}</summary>\n", labels.evidence);
        for result in with_evidence {
            let _ = writeln!(
                out,
                "- **{} ({})**",
                result.check.title(lang),
                side_label(result.side, &labels)
            );
            for evidence in &result.evidence {
                let _ = writeln!(
                    out,
                    "  - {}: {}",
                    inline(&evidence.label),
                    code_span(&evidence.value)
                );
            }
        }
        out.push_str("\n</details>\n");
    }
    out
}

fn write_code(out: &mut String, code: Code, lang: Lang, labels: &Labels) {
    let entry = catalog::entry(code);
    let text = entry.text(lang);
    let _ = writeln!(
        out,
        "\n#### {} {}\n\n{}\n",
        code_span(&code.to_string()),
        inline(text.title),
        inline(text.meaning)
    );
    let _ = writeln!(out, "{}:\n", labels.fixes);
    for fix in text.fixes {
        let _ = writeln!(out, "- {}", inline(fix));
    }
    if let Some(url) = entry.doc_url() {
        let _ = writeln!(out, "\n{}: <{url}>", labels.reference);
    }
}

fn side_label(side: Side, labels: &Labels) -> &'static str {
    match side {
        Side::Browser => labels.side_browser,
        Side::Machine => labels.side_machine,
    }
}

/// Text on one line, with the characters that would start HTML or break a table escaped.
/// Backticks stay, because the catalog marks commands with them.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\r' | '\n' => out.push(' '),
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// Formats a table cell as [`inline`] text that is never empty, so the row keeps its columns.
fn cell(text: &str) -> String {
    let text = inline(text);
    if text.trim().is_empty() {
        "-".to_owned()
    } else {
        text
    }
}

/// Wraps any text in a code span: the fence is one backtick longer than the longest run of
/// backticks inside, and a pipe is escaped so that the span can sit in a table.
fn code_span(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let text = text.replace('|', "\\|");
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::text::tests::sample_report;
    use crate::rules::registry::{Failure, RegistryFinding};
    use crate::{CheckId, Evidence};

    fn report_with_failure() -> Report {
        let mut report = sample_report();
        report.browser = Some("Chrome 143".into());
        report.helper_version = Some("0.1.0".into());
        report.results.push(CheckResult {
            check: CheckId::Challenge,
            side: Side::Browser,
            status: Status::Fail,
            code: Some(Code::ConnectivityForbidden),
            finding: RegistryFinding::RequestFailed {
                url: "https://r.example.test/v2/".into(),
                failure: Failure::CorsBlocked,
            }
            .into(),
            evidence: vec![
                Evidence::new("status", "403"),
                Evidence::new("body", "a | b `c` <script>"),
            ],
            elapsed_ms: 61,
        });
        report
    }

    #[test]
    fn markdown_has_heading_and_table() {
        let report = report_with_failure();

        let markdown = to_markdown(&report, Lang::En);

        assert!(markdown.starts_with("### Registry health check: `"), "{markdown}");
        assert!(markdown.contains("| Check | Side | Status | Code | Finding | Time |"));
        assert!(markdown.contains("| Challenge (GET /v2/) | browser | FAILED | `CONNECTIVITY_FORBIDDEN_ERROR` |"), "{markdown}");
        assert!(markdown.contains("browser: Chrome 143"));
        assert!(markdown.contains(&summary(&report, Lang::En)));
    }

    #[test]
    fn markdown_rows_match_results() {
        let report = report_with_failure();

        let markdown = to_markdown(&report, Lang::En);
        let rows = markdown
            .lines()
            .filter(|line| line.starts_with("| ") && line.ends_with(" ms |"))
            .count();

        assert_eq!(rows, report.results.len());
    }

    #[test]
    fn markdown_explains_failed_code() {
        let markdown = to_markdown(&report_with_failure(), Lang::En);
        let entry = catalog::entry(Code::ConnectivityForbidden);

        assert!(markdown.contains("#### `CONNECTIVITY_FORBIDDEN_ERROR`"), "{markdown}");
        assert!(markdown.contains(&inline(entry.en.fixes[0])), "{markdown}");
    }

    #[test]
    fn markdown_escapes_evidence() {
        let markdown = to_markdown(&report_with_failure(), Lang::En);

        assert!(markdown.contains("``a \\| b `c` <script>``"), "{markdown}");
        assert!(!markdown.contains("a | b"), "{markdown}");
    }

    #[test]
    fn markdown_in_korean() {
        let markdown = to_markdown(&report_with_failure(), Lang::Ko);

        assert!(markdown.starts_with("### 레지스트리 상태 점검: "), "{markdown}");
        assert!(markdown.contains("| 검사 | 위치 | 상태 | 코드 | 결과 | 시간 |"));
        assert!(markdown.contains(catalog::entry(Code::ConnectivityForbidden).ko.meaning.split('`').next().unwrap_or_default()));
    }

    #[test]
    fn code_span_table() {
        let cases = [
            ("plain", "`plain`"),
            ("a`b", "``a`b``"),
            ("`x`", "`` `x` ``"),
            ("a|b", "`a\\|b`"),
            ("two\nlines", "`two lines`"),
        ];

        for (input, expected) in cases {
            assert_eq!(code_span(input), expected, "input: {input:?}");
        }
    }
}
