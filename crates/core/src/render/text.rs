//! The az-style text of a report: one `<check> : OK` line per check, and under a failure its
//! code, what was seen, what the code means and how to fix it.

use std::fmt::Write;

use crate::{catalog, CheckResult, Lang, Localize, Report, Side, Status};

/// Returns the word shown after ` : ` for a status.
pub fn status_label(status: Status, lang: Lang) -> &'static str {
    match (status, lang) {
        (Status::Pass, Lang::En) => "OK",
        (Status::Pass, Lang::Ko) => "정상",
        (Status::Warning, Lang::En) => "WARNING",
        (Status::Warning, Lang::Ko) => "경고",
        (Status::Fail, Lang::En) => "FAILED",
        (Status::Fail, Lang::Ko) => "실패",
        (Status::Skipped, Lang::En) => "SKIPPED",
        (Status::Skipped, Lang::Ko) => "건너뜀",
        (Status::Pending, Lang::En) => "PENDING",
        (Status::Pending, Lang::Ko) => "대기",
        (Status::Running, Lang::En) => "RUNNING",
        (Status::Running, Lang::Ko) => "진행 중",
    }
}

struct Labels {
    heading: &'static str,
    meaning: &'static str,
    fix: &'static str,
    reference: &'static str,
    browser: &'static str,
    machine: &'static str,
}

fn labels(lang: Lang) -> Labels {
    match lang {
        Lang::En => Labels {
            heading: "Registry health check",
            meaning: "Meaning",
            fix: "Fix",
            reference: "More",
            browser: "browser",
            machine: "machine",
        },
        Lang::Ko => Labels {
            heading: "레지스트리 상태 점검",
            meaning: "의미",
            fix: "조치",
            reference: "자세히",
            browser: "브라우저",
            machine: "이 머신",
        },
    }
}

/// Renders the whole report: a heading line, one block per result in report order, and the
/// summary line.
pub fn to_text(report: &Report, lang: Lang) -> String {
    let labels = labels(lang);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} ({})",
        labels.heading, report.registry, report.cloud
    );
    out.push('\n');

    let both_sides = report.results.iter().any(|r| r.side == Side::Browser)
        && report.results.iter().any(|r| r.side == Side::Machine);
    for result in &report.results {
        write_result(&mut out, result, lang, &labels, both_sides);
    }

    out.push('\n');
    out.push_str(&summary(report, lang));
    out.push('\n');
    out
}

fn write_result(
    out: &mut String,
    result: &CheckResult,
    lang: Lang,
    labels: &Labels,
    both_sides: bool,
) {
    let mut title = result.check.title(lang).to_owned();
    if both_sides {
        let side = match result.side {
            Side::Browser => labels.browser,
            Side::Machine => labels.machine,
        };
        let _ = write!(title, " [{side}]");
    }
    let status = status_label(result.status, lang);
    match result.code {
        Some(code) => {
            let _ = writeln!(out, "{title} : {status} {code}");
        }
        None => {
            let _ = writeln!(out, "{title} : {status}");
        }
    }
    let _ = writeln!(out, "    {}", plain(&result.finding.localize(lang)));

    let Some(code) = result.code else {
        return;
    };
    if !matches!(result.status, Status::Fail | Status::Warning) {
        return;
    }
    let entry = catalog::entry(code);
    let text = entry.text(lang);
    let _ = writeln!(out, "    {}: {}", labels.meaning, plain(text.meaning));
    for fix in text.fixes {
        let _ = writeln!(out, "    {}: {}", labels.fix, plain(fix));
    }
    if let Some(url) = entry.doc_url() {
        let _ = writeln!(out, "    {}: {url}", labels.reference);
    }
}

/// Removes the backticks the catalog puts around commands and names; a terminal shows them
/// as they are.
fn plain(text: &str) -> String {
    text.replace('`', "")
}

/// Returns the one-line summary: how many checks passed, warned, failed and were skipped.
pub fn summary(report: &Report, lang: Lang) -> String {
    let count = |status: Status| report.results.iter().filter(|r| r.status == status).count();
    let (pass, warn, fail, skip) = (
        count(Status::Pass),
        count(Status::Warning),
        count(Status::Fail),
        count(Status::Skipped),
    );
    match lang {
        Lang::En => {
            let warnings = if warn == 1 { "warning" } else { "warnings" };
            format!("{pass} passed, {warn} {warnings}, {fail} failed, {skip} skipped.")
        }
        Lang::Ko => format!("정상 {pass}개, 경고 {warn}개, 실패 {fail}개, 건너뜀 {skip}개."),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::report::REPORT_FORMAT;
    use crate::rules::environment::EnvironmentFinding;
    use crate::{CheckId, Code, Evidence};

    pub(crate) fn sample_report() -> Report {
        let result = |check, status, code, finding: EnvironmentFinding| CheckResult {
            check,
            side: Side::Machine,
            status,
            code,
            finding: finding.into(),
            evidence: vec![Evidence::new("exit_status", "1")],
            elapsed_ms: 7,
        };
        Report {
            format: REPORT_FORMAT,
            tool_version: "0.1.0".to_owned(),
            registry: "myreg.azurecr.io".to_owned(),
            cloud: "AzureCloud".to_owned(),
            started_at_ms: 1_800_000_000_000,
            browser: None,
            helper_version: Some("0.1.0".to_owned()),
            results: vec![
                result(
                    CheckId::DockerCommand,
                    Status::Pass,
                    None,
                    EnvironmentFinding::CommandFound {
                        name: "docker".to_owned(),
                        path: "/usr/bin/docker".to_owned(),
                    },
                ),
                result(
                    CheckId::DockerDaemon,
                    Status::Fail,
                    Some(Code::DockerDaemon),
                    EnvironmentFinding::DaemonUnreachable {
                        detail: "Cannot connect to the Docker daemon".to_owned(),
                    },
                ),
                result(
                    CheckId::DockerPull,
                    Status::Skipped,
                    None,
                    EnvironmentFinding::SkippedNoDaemon,
                ),
            ],
        }
    }

    #[test]
    fn text_lists_checks_az_style() {
        let text = to_text(&sample_report(), Lang::En);
        assert!(text.contains("Docker command : OK\n"), "{text}");
        assert!(
            text.contains("Docker daemon : FAILED DOCKER_DAEMON_ERROR\n"),
            "{text}"
        );
        assert!(text.contains("Docker pull : SKIPPED\n"), "{text}");
    }

    #[test]
    fn text_failure_has_fix_and_link() {
        let text = to_text(&sample_report(), Lang::En);
        let fixes = catalog::entry(Code::DockerDaemon).en.fixes;
        assert!(!fixes.is_empty());
        assert!(
            text.contains(&format!("    Fix: {}", plain(fixes[0]))),
            "{text}"
        );
        assert!(
            text.contains("https://aka.ms/acr/errors#docker_daemon_error"),
            "{text}"
        );
    }

    #[test]
    fn text_korean() {
        let text = to_text(&sample_report(), Lang::Ko);
        assert!(
            text.contains("Docker 데몬 : 실패 DOCKER_DAEMON_ERROR\n"),
            "{text}"
        );
        assert!(text.contains("    조치: "), "{text}");
        assert!(
            text.ends_with("정상 1개, 경고 0개, 실패 1개, 건너뜀 1개.\n"),
            "{text}"
        );
    }

    #[test]
    fn summary_counts_statuses() {
        assert_eq!(
            summary(&sample_report(), Lang::En),
            "1 passed, 0 warnings, 1 failed, 1 skipped."
        );
    }
}
