//! The check list. Rows appear pending when a run starts and fill in as results arrive.

use acr_health_core::{CheckId, Lang, Side};
use yew::prelude::*;

use crate::app::Row;
use crate::components::check_row::CheckRow;
use crate::i18n::Ui;

#[derive(Clone, PartialEq, Properties)]
pub struct ResultsProps {
    pub lang: Lang,
    pub rows: Vec<Row>,
}

#[component]
pub fn Results(props: &ResultsProps) -> Html {
    let lang = props.lang;
    html! {
        <section id="results" aria-labelledby="results-heading">
            <h2 id="results-heading">{ Ui::Results.text(lang) }</h2>
            if props.rows.is_empty() {
                <p class="no-results">{ Ui::NoResults.text(lang) }</p>
            } else {
                <ul class="checks">
                    { for props.rows.iter().map(|row| html! {
                        <CheckRow
                            key={format!("{}-{:?}", row.check.as_str(), row.side)}
                            {lang}
                            row={row.clone()}
                            differs={sides_differ(&props.rows, row.check, row.side)}
                        />
                    }) }
                </ul>
            }
        </section>
    }
}

/// Tells whether the browser and the machine both finished `check` and disagree on its status
/// or code. Skipped results are left out: a check one side could not run is no disagreement.
pub fn sides_differ(rows: &[Row], check: CheckId, side: Side) -> bool {
    let verdict = |side: Side| {
        rows.iter()
            .find(|row| row.check == check && row.side == side)
            .and_then(|row| row.result.as_ref())
            .filter(|result| result.status.is_final() && result.status != acr_health_core::Status::Skipped)
            .map(|result| (result.status, result.code))
    };
    let other = match side {
        Side::Browser => Side::Machine,
        Side::Machine => Side::Browser,
    };
    match (verdict(side), verdict(other)) {
        (Some(mine), Some(theirs)) => mine != theirs,
        _ => false,
    }
}
