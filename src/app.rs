//! The page's state, the actions that change it, and the root component.
//!
//! Every change goes through [`State::reduce`], so a run that streams results from the browser
//! and from the helper at the same time updates one list in one order. Results are stored as the
//! core's data ([`CheckResult`]), never as sentences, so switching the language re-renders them.

use std::rc::Rc;

use acr_health_core::{CheckId, CheckResult, Lang, Localize, Side, Status};
use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::components::header::Header;
use crate::components::helper_panel::HelperPanel;
use crate::components::registry_form::{RegistryForm, RunRequest};
use crate::components::results::Results;
use crate::components::summary::Summary;
use crate::helper::HelperError;
use crate::i18n::Ui;
use crate::page_url::{ArmUrl, PageParams, ParamError};

/// One line of the check list: a check on one side, before and after it has a result.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub check: CheckId,
    pub side: Side,
    pub status: Status,
    /// The finished result. `None` while the check is pending or running.
    pub result: Option<CheckResult>,
}

impl Row {
    pub fn pending(check: CheckId, side: Side) -> Row {
        Row {
            check,
            side,
            status: Status::Pending,
            result: None,
        }
    }

    pub fn finished(result: CheckResult) -> Row {
        Row {
            check: result.check,
            side: result.side,
            status: result.status,
            result: Some(result),
        }
    }
}

/// Where the run stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// Nothing has run since the page loaded.
    Idle,
    /// Checks are running on the sides listed.
    Running { sides: Vec<Side> },
    /// Every side has finished.
    Done,
}

/// The state of the helper on this machine, as the page last saw it.
#[derive(Clone, Debug, PartialEq)]
pub enum HelperStatus {
    /// The page has not looked yet.
    Unknown,
    Looking,
    /// Nothing responded on the helper's port.
    Absent,
    /// The helper responded to `GET /api/v1/capabilities`.
    Found {
        version: String,
        port: u16,
        /// Whether the page holds the pairing secret needed to start the helper's checks.
        paired: bool,
        /// Whether the helper runs ARM checks (its capabilities say `arm: true`).
        arm: bool,
    },
    /// Something responded on the helper's port, but the page could not use it. `version` is
    /// empty when the capabilities could not be read.
    Failed {
        version: String,
        port: u16,
        error: HelperError,
    },
}

/// The whole state of the page.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub lang: Lang,
    /// Increases with every run, so that results of an abandoned run are dropped.
    pub run_id: u32,
    pub phase: Phase,
    /// The login server being checked, as shown in the summary.
    pub registry: String,
    pub rows: Vec<Row>,
    pub helper: HelperStatus,
    /// A browser API that failed where the page expected none to, with the browser's message.
    pub browser_error: Option<String>,
}

/// Every change to [`State`].
pub enum Action {
    SetLang(Lang),
    /// A run starts: the rows it plans, each pending, replace the previous run's.
    StartRun {
        run_id: u32,
        registry: String,
        sides: Vec<Side>,
        planned: Vec<(CheckId, Side)>,
    },
    CheckRunning {
        run_id: u32,
        check: CheckId,
        side: Side,
    },
    CheckFinished {
        run_id: u32,
        result: CheckResult,
    },
    SideFinished {
        run_id: u32,
        side: Side,
    },
    /// Adds pending rows once a side has listed the checks it runs, as the helper does.
    AddPending {
        run_id: u32,
        planned: Vec<(CheckId, Side)>,
    },
    /// A browser API failed; `run_id` 0 is for failures outside a run.
    BrowserError {
        run_id: u32,
        detail: String,
    },
    Helper(HelperStatus),
}

impl State {
    pub fn new(lang: Lang) -> State {
        State {
            lang,
            run_id: 0,
            phase: Phase::Idle,
            registry: String::new(),
            rows: Vec::new(),
            helper: HelperStatus::Unknown,
            browser_error: None,
        }
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::SetLang(lang) => self.lang = lang,

            Action::StartRun {
                run_id,
                registry,
                sides,
                planned,
            } => {
                self.run_id = run_id;
                self.browser_error = None;
                self.registry = registry;
                self.rows = planned
                    .into_iter()
                    .map(|(check, side)| Row::pending(check, side))
                    .collect();
                self.phase = if sides.is_empty() {
                    Phase::Done
                } else {
                    Phase::Running { sides }
                };
            }

            Action::CheckRunning { run_id, check, side } if run_id == self.run_id => {
                if let Some(row) = self.row_mut(check, side) {
                    if !row.status.is_final() {
                        row.status = Status::Running;
                    }
                }
            }

            Action::CheckFinished { run_id, result } if run_id == self.run_id => {
                match self.row_mut(result.check, result.side) {
                    Some(row) => *row = Row::finished(result),
                    None => self.insert_in_order(Row::finished(result)),
                }
            }

            Action::SideFinished { run_id, side } if run_id == self.run_id => {
                // A side that ends without reporting a planned check, such as a helper that
                // failed mid-run, leaves no row waiting forever. The helper line says what failed.
                self.rows.retain(|row| row.side != side || row.result.is_some());
                if let Phase::Running { sides } = &mut self.phase {
                    sides.retain(|running| *running != side);
                    if sides.is_empty() {
                        self.phase = Phase::Done;
                    }
                }
            }

            Action::AddPending { run_id, planned } if run_id == self.run_id => {
                for (check, side) in planned {
                    if self.row_mut(check, side).is_none() {
                        self.insert_in_order(Row::pending(check, side));
                    }
                }
            }

            Action::BrowserError { run_id, detail } if run_id == 0 || run_id == self.run_id => {
                self.browser_error = Some(detail);
            }

            // An action of an earlier run arrives after a new run started.
            Action::CheckRunning { .. }
            | Action::CheckFinished { .. }
            | Action::SideFinished { .. }
            | Action::AddPending { .. }
            | Action::BrowserError { .. } => {}

            Action::Helper(status) => self.helper = status,
        }
    }

    fn row_mut(&mut self, check: CheckId, side: Side) -> Option<&mut Row> {
        self.rows
            .iter_mut()
            .find(|row| row.check == check && row.side == side)
    }

    /// Inserts a row the run did not plan (the helper may report checks the page does not know
    /// in advance) after the rows of earlier checks.
    fn insert_in_order(&mut self, row: Row) {
        let position = self
            .rows
            .iter()
            .position(|other| (other.check, side_order(other.side)) > (row.check, side_order(row.side)))
            .unwrap_or(self.rows.len());
        self.rows.insert(position, row);
    }

    /// Tells whether a run is in progress.
    pub fn is_running(&self) -> bool {
        matches!(self.phase, Phase::Running { .. })
    }
}

fn side_order(side: Side) -> u8 {
    match side {
        Side::Browser => 0,
        Side::Machine => 1,
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

/// The page's starting options, read from its address and the browser before mounting.
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct AppProps {
    pub params: PageParams,
    pub param_errors: Vec<ParamError>,
    pub initial_lang: Lang,
}

impl AppProps {
    /// Reads the address and `navigator.languages`. A `lang=` in the address wins over the
    /// browser's preference.
    pub fn from_window() -> Result<AppProps, JsValue> {
        let (params, param_errors) = PageParams::from_window()?;
        let initial_lang = match params.lang {
            Some(lang) => lang,
            None => navigator_lang()?,
        };
        Ok(AppProps {
            params,
            param_errors,
            initial_lang,
        })
    }
}

/// Picks the page language from `navigator.languages`, in the user's order of preference.
pub fn navigator_lang() -> Result<Lang, JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let tags: Vec<String> = window
        .navigator()
        .languages()
        .iter()
        .filter_map(|tag| tag.as_string())
        .collect();
    Ok(Lang::negotiate(tags.iter().map(String::as_str)))
}

/// Sets `<html lang>` and the document title to the chosen language, so screen readers
/// pronounce the page correctly.
pub fn apply_document_lang(lang: Lang) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let root = document
        .document_element()
        .ok_or_else(|| JsValue::from_str("the document has no root element"))?;
    root.set_attribute("lang", lang.tag())?;
    document.set_title(&format!("{} · acr-health", Ui::Title.text(lang)));
    Ok(())
}

/// Writes a browser failure the page cannot show anywhere better to the console.
pub fn report_js_error(context: &str, error: &JsValue) {
    web_sys::console::error_2(&JsValue::from_str(context), error);
}

/// The root component: header, form, helper line, summary and the check list.
#[component]
pub fn App(props: &AppProps) -> Html {
    let state = use_reducer({
        let lang = props.initial_lang;
        move || State::new(lang)
    });
    let lang = state.lang;

    // Keep `<html lang>` in step with the language switch.
    use_effect_with(lang, |lang| {
        if let Err(error) = apply_document_lang(*lang) {
            report_js_error("acr-health: could not set the document language", &error);
        }
    });

    // Look for the helper at once only when it serves this page, so that a page without a
    // helper loads without a failed request in the console. Elsewhere the page looks when the
    // user runs the checks or presses the button.
    {
        let state = state.dispatcher();
        let params = props.params.clone();
        use_effect_with((), move |_| {
            match crate::helper::discovery::served_by_helper(&params) {
                Ok(true) => {
                    crate::run::look_for_helper(state, &params);
                }
                Ok(_) => {}
                Err(error) => report_js_error("acr-health: could not read the page's address", &error),
            }
        });
    }

    let onlang = {
        let state = state.dispatcher();
        Callback::from(move |lang| state.dispatch(Action::SetLang(lang)))
    };

    let onrun = {
        let state = state.dispatcher();
        let params = props.params.clone();
        Callback::from(move |request: RunRequest| {
            crate::run::start(state.clone(), &params, request)
        })
    };

    let onlookhelper = {
        let state = state.dispatcher();
        let params = props.params.clone();
        Callback::from(move |()| crate::run::look_for_helper(state.clone(), &params))
    };

    html! {
        <div class="acr-health">
            <Header {lang} {onlang} />
            <main>
                { for props.param_errors.iter().map(|error| param_error_view(error, lang)) }
                <crate::embed::EmbedNotes {lang} />
                if let Some(detail) = &state.browser_error {
                    <p class="notice" role="alert">{ Ui::BrowserError.text(lang) }{ " " }<code>{ detail }</code></p>
                }
                <RegistryForm
                    {lang}
                    initial_registry={props.params.registry.clone().unwrap_or_default()}
                    initial_cloud={props.params.cloud.clone()}
                    autorun={props.params.autorun}
                    initial_arm_registry={props.params.arm_registry.clone()}
                    helper_can_use_az={matches!(state.helper, HelperStatus::Found { paired: true, arm: true, .. })}
                    arm_url={match &props.params.arm_url {
                        ArmUrl::Given(url) => Some(url.clone()),
                        ArmUrl::Default | ArmUrl::Refused => None,
                    }}
                    running={state.is_running()}
                    {onrun}
                />
                <Summary {lang} phase={state.phase.clone()} registry={state.registry.clone()} rows={state.rows.clone()} />
                <crate::share::run::RunShare state={(*state).clone()} />
                <HelperPanel {lang} status={state.helper.clone()} onlook={onlookhelper} />
                <Results {lang} rows={state.rows.clone()} />
            </main>
        </div>
    }
}

fn param_error_view(error: &ParamError, lang: Lang) -> Html {
    let (key, value) = match error {
        ParamError::HelperPort(value) => (Ui::InvalidHelperPort, value),
        ParamError::Lang(value) => (Ui::InvalidLang, value),
        ParamError::Theme(value) => (Ui::InvalidTheme, value),
        ParamError::ArmUrl(value, reason) => {
            return html! {
                <p id="arm-url-refused" class="notice" role="alert">
                    { Ui::InvalidArmUrl.text(lang) }{ " " }<code>{ value }</code>
                    { ". " }{ reason.localize(lang) }
                </p>
            };
        }
    };
    html! {
        <p class="notice" role="alert">{ key.text(lang) }{ " " }<code>{ value }</code></p>
    }
}
