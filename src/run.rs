//! Starting a run: validate the input, plan the rows, then run the browser's probes and the
//! helper's checks side by side. Results reach the state as actions, tagged with the run they
//! belong to, so a new run makes late results of the previous one harmless.

use std::cell::Cell;

use acr_health_core::parse::registry_input::LoginServer;
use acr_health_core::rules::registry::{login_server, RegistryRun, RunOptions};
use acr_health_core::{CheckId, Side};
use futures::join;
use wasm_bindgen_futures::spawn_local;
use yew::UseReducerDispatcher;

use crate::app::{Action, HelperStatus, State};
use crate::components::registry_form::RunRequest;
use crate::helper::client::{run_checks, RunBody};
use crate::helper::discovery::{discover, locate_helper, Capabilities, HelperLocation};
use crate::helper::HelperError;
use crate::page_url::PageParams;
use crate::probe::clock::wall_clock_ms;
use crate::probe::registry::{drive, Progress};
use crate::probe::{fetch::error_message, reachability};

thread_local! {
    static LAST_RUN_ID: Cell<u32> = const { Cell::new(0) };
}

fn next_run_id() -> u32 {
    LAST_RUN_ID.with(|last| {
        let id = last.get() + 1;
        last.set(id);
        id
    })
}

/// Starts a run for `request`. An input the core rejects ends the run at the login server
/// check, before any request.
pub fn start(state: UseReducerDispatcher<State>, params: &PageParams, request: RunRequest) {
    let run_id = next_run_id();
    let (login_result, server) = login_server(&request.input, request.cloud, Side::Browser);
    let Some(server) = server else {
        state.dispatch(Action::StartRun {
            run_id,
            registry: request.input.trim().to_owned(),
            sides: Vec::new(),
            planned: Vec::new(),
        });
        state.dispatch(Action::CheckFinished {
            run_id,
            result: login_result,
        });
        return;
    };

    let options = RunOptions::new(Side::Browser, wall_clock_ms());
    let run = RegistryRun::new(server.clone(), request.credential.to_core(), options);
    let planned = [CheckId::LoginServer, CheckId::Reachability]
        .into_iter()
        .chain(run.checks())
        .map(|check| (check, Side::Browser))
        .collect();
    // The runs are spawned before the state changes: yew queues its render behind the tasks
    // spawned so far, so the first requests leave before the planned rows are drawn. The tasks
    // start after this function returns, so they still see the run started.
    spawn_local(run_browser(
        state.clone(),
        run_id,
        server.clone(),
        run,
        request.timeout_ms,
    ));
    spawn_local(run_machine(state.clone(), run_id, params.clone(), request));

    state.dispatch(Action::StartRun {
        run_id,
        registry: server.authority(),
        sides: vec![Side::Browser, Side::Machine],
        planned,
    });
    state.dispatch(Action::CheckFinished {
        run_id,
        result: login_result,
    });
}

/// Runs the browser's checks: reachability and the registry chain at the same time, since
/// neither waits for the other.
async fn run_browser(
    state: UseReducerDispatcher<State>,
    run_id: u32,
    server: LoginServer,
    run: RegistryRun,
    timeout_ms: u32,
) {
    let report = {
        let state = state.clone();
        move |progress| match progress {
            Progress::Running(check) => state.dispatch(Action::CheckRunning {
                run_id,
                check,
                side: Side::Browser,
            }),
            Progress::Finished(result) => state.dispatch(Action::CheckFinished { run_id, result }),
        }
    };

    state.dispatch(Action::CheckRunning {
        run_id,
        check: CheckId::Reachability,
        side: Side::Browser,
    });
    // The reachability row is shown as soon as its single request ends, not with the chain.
    let reach = async {
        match reachability::probe(&server, timeout_ms).await {
            Ok(result) => state.dispatch(Action::CheckFinished { run_id, result }),
            Err(error) => state.dispatch(Action::BrowserError {
                run_id,
                detail: error_message(&error),
            }),
        }
    };
    let chain = drive(run, timeout_ms, report);
    join!(reach, chain);

    state.dispatch(Action::SideFinished {
        run_id,
        side: Side::Browser,
    });
}

/// Runs the helper's checks when a paired helper is found, and ends the machine side otherwise.
async fn run_machine(
    state: UseReducerDispatcher<State>,
    run_id: u32,
    params: PageParams,
    request: RunRequest,
) {
    let finish = |state: &UseReducerDispatcher<State>| {
        state.dispatch(Action::SideFinished {
            run_id,
            side: Side::Machine,
        })
    };

    // Look again on every run: the helper may have started or stopped since the last one.
    let helper = match locate_helper(&params) {
        Ok(helper) => helper,
        Err(error) => {
            state.dispatch(Action::BrowserError {
                run_id,
                detail: error_message(&error),
            });
            finish(&state);
            return;
        }
    };
    let Some(capabilities) = find_helper(&state, &helper, &params).await else {
        finish(&state);
        return;
    };
    let Some(secret) = params.pairing_secret.as_deref() else {
        finish(&state);
        return;
    };

    let planned = capabilities
        .checks
        .iter()
        .filter_map(|id| CheckId::ALL.into_iter().find(|check| check.as_str() == id))
        .map(|check| (check, Side::Machine))
        .collect();
    state.dispatch(Action::AddPending { run_id, planned });

    let body = RunBody::new(&request);
    let on_result = {
        let state = state.clone();
        move |result| state.dispatch(Action::CheckFinished { run_id, result })
    };
    if let Err(error) = run_checks(&helper.base, secret, &body, on_result).await {
        state.dispatch(Action::Helper(HelperStatus::Failed {
            version: capabilities.version.clone(),
            port: helper.port,
            error,
        }));
    }
    finish(&state);
}

/// Asks for the helper's capabilities and records what responded.
async fn find_helper(
    state: &UseReducerDispatcher<State>,
    helper: &HelperLocation,
    params: &PageParams,
) -> Option<Capabilities> {
    state.dispatch(Action::Helper(HelperStatus::Looking));
    match discover(&helper.base).await {
        Ok(Some(capabilities)) if capabilities.api == 1 => {
            state.dispatch(Action::Helper(HelperStatus::Found {
                version: capabilities.version.clone(),
                port: helper.port,
                paired: params.pairing_secret.is_some(),
            }));
            Some(capabilities)
        }
        Ok(Some(capabilities)) => {
            state.dispatch(Action::Helper(HelperStatus::Failed {
                version: capabilities.version.clone(),
                port: helper.port,
                error: HelperError::Malformed {
                    detail: format!("API version {} instead of 1", capabilities.api),
                },
            }));
            None
        }
        Ok(None) => {
            state.dispatch(Action::Helper(HelperStatus::Absent));
            None
        }
        Err(error) => {
            state.dispatch(Action::Helper(HelperStatus::Failed {
                version: String::new(),
                port: helper.port,
                error,
            }));
            None
        }
    }
}

/// Looks for the helper outside a run, to show whether one is there.
pub fn look_for_helper(state: UseReducerDispatcher<State>, params: &PageParams) {
    let params = params.clone();
    spawn_local(async move {
        match locate_helper(&params) {
            Ok(helper) => {
                find_helper(&state, &helper, &params).await;
            }
            Err(error) => state.dispatch(Action::BrowserError {
                run_id: 0,
                detail: error_message(&error),
            }),
        }
    });
}
