//! One line of the check list. A finished check expands to show its finding, the evidence it
//! rests on, and for a code the catalog's meaning, fixes and documentation link.

use acr_health_core::{catalog, CheckResult, Code, Lang, Localize, Status};
use yew::prelude::*;

use crate::app::Row;
use crate::i18n::{side_label, status_label, Ui};

#[derive(Clone, PartialEq, Properties)]
pub struct CheckRowProps {
    pub lang: Lang,
    pub row: Row,
    /// Set when the other side finished the same check with another status or code.
    #[prop_or_default]
    pub differs: bool,
}

/// Returns the value of `data-status`: the status in lower case, as the core serializes it.
pub fn status_attr(status: Status) -> &'static str {
    match status {
        Status::Pending => "pending",
        Status::Running => "running",
        Status::Pass => "pass",
        Status::Warning => "warning",
        Status::Fail => "fail",
        Status::Skipped => "skipped",
    }
}

/// Returns the value of `data-side`.
pub fn side_attr(side: acr_health_core::Side) -> &'static str {
    match side {
        acr_health_core::Side::Browser => "browser",
        acr_health_core::Side::Machine => "machine",
    }
}

#[component]
pub fn CheckRow(props: &CheckRowProps) -> Html {
    let lang = props.lang;
    let row = &props.row;
    let code = row.result.as_ref().and_then(|result| result.code);
    let status = status_attr(row.status);

    let heading = html! {
        <>
            <span class={classes!("status", status)}>{ status_label(row.status, lang) }</span>
            { " " }
            <span class="check-title">{ row.check.title(lang) }</span>
            { " " }
            <span class="side">{ side_label(row.side, lang) }</span>
            if let Some(code) = code {
                { " " }
                <code class="code">{ code.as_str() }</code>
            }
        </>
    };

    let body = match &row.result {
        // A pending or running check has nothing to expand yet.
        None => html! { <div class="check-heading">{ heading }</div> },
        Some(result) => html! {
            <details>
                <summary class="check-heading">{ heading }</summary>
                { details_view(result, lang) }
            </details>
        },
    };

    html! {
        <li
            class={classes!("check", status)}
            data-check={row.check.as_str()}
            data-status={status}
            data-code={code.map(|code| code.as_str()).unwrap_or_default()}
            data-side={side_attr(row.side)}
            aria-busy={(row.status == Status::Running).then_some("true")}
        >
            { body }
            // Outside the details, so the disagreement shows without expanding the row.
            if props.differs {
                <p class="sides-differ" role="note">{ Ui::SidesDiffer.text(lang) }</p>
            }
        </li>
    }
}

fn details_view(result: &CheckResult, lang: Lang) -> Html {
    html! {
        <div class="check-details">
            <p class="finding">{ result.finding.localize(lang) }</p>
            if let Some(code) = result.code {
                { remedy_view(code, lang) }
            }
            { evidence_view(result, lang) }
        </div>
    }
}

fn remedy_view(code: Code, lang: Lang) -> Html {
    let entry = catalog::entry(code);
    let text = entry.text(lang);
    html! {
        <div class="remedy">
            <h4>{ text.title }</h4>
            <h5>{ Ui::Meaning.text(lang) }</h5>
            <p>{ with_code_spans(text.meaning) }</p>
            if !text.fixes.is_empty() {
                <h5>{ Ui::Fixes.text(lang) }</h5>
                <ul class="fixes">
                    { for text.fixes.iter().map(|fix| html! { <li>{ with_code_spans(fix) }</li> }) }
                </ul>
            }
            if let Some(url) = entry.doc_url() {
                <p class="doc-link">
                    <a href={url} target="_blank" rel="noopener noreferrer">
                        { Ui::ErrorReference.text(lang) }{ ": " }{ code.as_str() }
                    </a>
                </p>
            }
        </div>
    }
}

/// Renders catalog text, where commands, hosts and headers are written between backticks, with
/// those parts as `<code>`. An unpaired backtick is shown as it is.
fn with_code_spans(text: &str) -> Html {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return html! { { text } };
    }
    html! {
        <>
            { for parts.iter().enumerate().map(|(index, part)| {
                if index % 2 == 1 {
                    html! { <code>{ *part }</code> }
                } else {
                    html! { { *part } }
                }
            }) }
        </>
    }
}

fn evidence_view(result: &CheckResult, lang: Lang) -> Html {
    html! {
        <div class="evidence">
            <h5>{ Ui::Evidence.text(lang) }</h5>
            <dl>
                { for result.evidence.iter().map(|evidence| html! {
                    <>
                        <dt>{ &evidence.label }</dt>
                        <dd><code>{ &evidence.value }</code></dd>
                    </>
                }) }
                if !result.evidence.iter().any(|evidence| evidence.label == "elapsed_ms") {
                    <dt>{ "elapsed_ms" }</dt>
                    <dd><code>{ result.elapsed_ms }</code></dd>
                }
            </dl>
        </div>
    }
}
