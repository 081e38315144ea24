//! The export bar after a run, and the messages to an embedding page.

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use acr_health_core::{CheckId, Side};
use yew::prelude::*;

use crate::app::{HelperStatus, Phase, State};
use crate::embed::{self, EmbedParams};
use crate::probe::clock::wall_clock_ms;
use crate::share::export::ExportBar;
use crate::share::{current_browser, page_url, report_from_rows, RunContext};

#[derive(Clone, PartialEq, Properties)]
pub struct RunShareProps {
    pub state: State,
}

/// Shows the export bar once a run is done, and posts progress and the final report to the
/// embedding page named by `embedder=`.
#[component]
pub fn RunShare(props: &RunShareProps) -> Html {
    let state = &props.state;
    let lang = state.lang;

    // The first render of a run happens when it starts, which is close enough for the report's
    // start time (the checks' own timings are exact).
    let started_at_ms = *use_memo(state.run_id, |_| wall_clock_ms());
    let embedder = use_memo((), |_| EmbedParams::from_window().params.embedder);
    let posted = use_mut_ref(|| (0_u32, HashSet::<(CheckId, Side)>::new()));

    let helper_version = match &state.helper {
        HelperStatus::Found { version, .. } => Some(version.clone()),
        _ => None,
    };
    let context = RunContext {
        registry: state.registry.clone(),
        started_at_ms,
        browser: current_browser(),
        helper_version,
    };
    let done = state.phase == Phase::Done && !state.rows.is_empty();
    let report = report_from_rows(&context, &state.rows);
    let link_base = page_url().unwrap_or_default();

    {
        let embedder = (*embedder).clone();
        let report = report.clone();
        let link_base = link_base.clone();
        let rows = state.rows.clone();
        let run_id = state.run_id;
        use_effect_with((run_id, rows, done), move |_| {
            if let Some(origin) = embedder {
                post_progress(&posted, &origin, run_id, &report);
                if done {
                    embed::post_report(&origin, run_id, &report, &link_base);
                }
            }
        });
    }

    if !done {
        return html! {};
    }
    html! { <ExportBar {lang} {report} page_url={link_base} /> }
}

/// The run whose results were posted, and the checks already posted for it.
type Posted = Rc<RefCell<(u32, HashSet<(CheckId, Side)>)>>;

/// Posts each result once, the first time it is seen finished in this run.
fn post_progress(
    posted: &Posted,
    origin: &str,
    run_id: u32,
    report: &acr_health_core::Report,
) {
    let mut posted = posted.borrow_mut();
    if posted.0 != run_id {
        *posted = (run_id, HashSet::new());
    }
    for result in &report.results {
        if posted.1.insert((result.check, result.side)) {
            embed::post_progress(origin, run_id, result);
        }
    }
}
