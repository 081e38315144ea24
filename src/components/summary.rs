//! The one-line summary above the check list, announced to screen readers as it changes.

use acr_health_core::{Lang, Side, Status};
use yew::prelude::*;

use crate::app::{Phase, Row};
use crate::components::results::sides_differ;
use crate::i18n::{sides_differ_count, summary_done, summary_running, Tally, Ui};

#[derive(Clone, PartialEq, Properties)]
pub struct SummaryProps {
    pub lang: Lang,
    pub phase: Phase,
    pub registry: String,
    pub rows: Vec<Row>,
}

#[component]
pub fn Summary(props: &SummaryProps) -> Html {
    let line = summary_line(props);
    let class = classes!("summary", summary_class(props));
    html! {
        <p id="summary" {class} role="status" aria-live="polite">{ line }</p>
    }
}

/// Returns the summary sentence for the current state.
pub fn summary_line(props: &SummaryProps) -> String {
    let lang = props.lang;
    let tally = Tally::count(props.rows.iter().map(|row| row.status));
    match &props.phase {
        Phase::Idle => Ui::SummaryIdle.text(lang).to_owned(),
        Phase::Running { .. } => summary_running(&props.registry, tally, lang),
        Phase::Done => {
            let first_failure = props
                .rows
                .iter()
                .find(|row| row.status == Status::Fail)
                .map(|row| {
                    let code = row.result.as_ref().and_then(|result| result.code);
                    (row.check.title(lang), code.map(|code| code.as_str()))
                });
            let line = summary_done(&props.registry, tally, first_failure, lang);
            let disagreements = props
                .rows
                .iter()
                .filter(|row| row.side == Side::Browser)
                .filter(|row| sides_differ(&props.rows, row.check, Side::Browser))
                .count();
            match disagreements {
                0 => line,
                count => format!("{line} {}", sides_differ_count(count, lang)),
            }
        }
    }
}

fn summary_class(props: &SummaryProps) -> &'static str {
    let has = |status| props.rows.iter().any(|row| row.status == status);
    match &props.phase {
        Phase::Idle => "idle",
        Phase::Running { .. } => "running",
        Phase::Done if has(Status::Fail) => "fail",
        Phase::Done if has(Status::Warning) => "warning",
        Phase::Done => "pass",
    }
}
