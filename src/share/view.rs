//! A report that arrived rather than ran here: from a share link, or handed to the JavaScript
//! API. It is shown read-only, marked as shared with the time of its run.

use acr_health_core::parse::http_date::format_utc;
use acr_health_core::share::{self, ShareError, HIDDEN_REGISTRY};
use acr_health_core::{Lang, Localize, Report};
use wasm_bindgen::JsValue;
use web_sys::UrlSearchParams;
use yew::prelude::*;

use crate::app::{apply_document_lang, report_js_error, Phase, Row};
use crate::components::header::Header;
use crate::components::results::Results;
use crate::components::summary::Summary;
use crate::share::export::ExportBar;
use crate::share::page_url;
use crate::share::text::ShareText;

#[derive(Clone, PartialEq, Properties)]
pub struct ReportViewProps {
    pub lang: Lang,
    pub report: Report,
}

/// Renders the banner, the summary and the check list of a finished report.
#[component]
pub fn ReportView(props: &ReportViewProps) -> Html {
    let lang = props.lang;
    let report = &props.report;
    let rows: Vec<Row> = report.results.iter().cloned().map(Row::finished).collect();
    let ran_at = format_utc(report.started_at_ms);

    html! {
        <div class="shared-report">
            <p id="shared-banner" class="notice shared" data-started-at={report.started_at_ms.to_string()}>
                <strong>{ ShareText::SharedBanner.text(lang) }{ " " }<time>{ ran_at }</time></strong>
                { " · acr-health " }{ &report.tool_version }
                if let Some(browser) = &report.browser {
                    { " · " }{ browser }
                }
                <br />
                { ShareText::SharedReadOnly.text(lang) }
            </p>
            <Summary {lang} phase={Phase::Done} registry={report.registry.clone()} rows={rows.clone()} />
            <Results {lang} {rows} />
        </div>
    }
}

#[derive(Clone, PartialEq, Properties)]
pub struct SharedPageProps {
    /// The `report=` value of the fragment, still encoded.
    pub payload: String,
    pub initial_lang: Lang,
}

/// Renders the whole page for a `#report=` link: the report, the export bar to pass it on, and the
/// button that runs the same checks from the viewer's machine. A link that does not decode
/// shows why, in the viewer's language.
#[component]
pub fn SharedPage(props: &SharedPageProps) -> Html {
    let lang = use_state(|| props.initial_lang);
    let decoded = use_memo(props.payload.clone(), |payload| share::decode(payload));

    use_effect_with(*lang, |lang| {
        if let Err(error) = apply_document_lang(*lang) {
            report_js_error("acr-health: could not set the document language", &error);
        }
    });
    let onlang = {
        let lang = lang.clone();
        Callback::from(move |chosen| lang.set(chosen))
    };
    let lang = *lang;

    let body = match &*decoded {
        Ok(report) => {
            let hidden = report.registry == HIDDEN_REGISTRY;
            let rerun_url = rerun_url(report).unwrap_or_default();
            html! {
                <>
                    <ReportView {lang} report={report.clone()} />
                    <p class="rerun">
                        <a id="rerun" class="button" href={rerun_url}>{ ShareText::RerunHere.text(lang) }</a>
                        if hidden {
                            { " " }<span class="hint">{ ShareText::RegistryHidden.text(lang) }</span>
                        }
                    </p>
                    <ExportBar {lang} report={report.clone()} page_url={page_url().unwrap_or_default()} />
                </>
            }
        }
        Err(error) => error_view(error, lang),
    };

    html! {
        <div class="acr-health shared-page">
            <Header {lang} {onlang} />
            <main>{ body }</main>
        </div>
    }
}

fn error_view(error: &ShareError, lang: Lang) -> Html {
    let start = rerun_base().map(|(path, _)| path).unwrap_or_default();
    html! {
        <div id="share-error" class="notice" role="alert">
            <p><strong>{ ShareText::OpenFailed.text(lang) }</strong></p>
            <p>{ error.localize(lang) }</p>
            <p><a href={start}>{ ShareText::StartNew.text(lang) }</a></p>
        </div>
    }
}

/// Returns the page's path and its query, without the fragment that carries the report.
fn rerun_base() -> Result<(String, UrlSearchParams), JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let location = window.location();
    let query = UrlSearchParams::new_with_str(location.search()?.trim_start_matches('?'))?;
    Ok((location.pathname()?, query))
}

/// Returns the address that runs the report's checks on this page: the same path and query,
/// with `registry`, `cloud` and `autorun` set. A hidden registry name is left for the user to
/// type, so nothing runs on its own.
fn rerun_url(report: &Report) -> Result<String, JsValue> {
    let (path, query) = rerun_base()?;
    if report.registry == HIDDEN_REGISTRY {
        query.delete("registry");
        query.delete("autorun");
    } else {
        query.set("registry", &report.registry);
        query.set("autorun", "1");
    }
    if report.cloud != "custom" {
        query.set("cloud", &report.cloud);
    }
    let query = String::from(query.to_string());
    Ok(if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    })
}

/// Mounts [`SharedPage`] where the page would mount its form: into `#acr-health`, or the whole
/// `<body>` without it.
pub fn mount_shared(
    document: &web_sys::Document,
    payload: String,
    initial_lang: Lang,
) -> Result<(), JsValue> {
    let props = SharedPageProps {
        payload,
        initial_lang,
    };
    match document.get_element_by_id(crate::MOUNT_ID) {
        Some(root) => {
            yew::Renderer::<SharedPage>::with_root_and_props(root, props).render();
        }
        None => {
            yew::Renderer::<SharedPage>::with_props(props).render();
        }
    }
    Ok(())
}
