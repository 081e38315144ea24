//! Starting a run: validate the input, plan the rows, then run the browser's probes and the
//! helper's checks side by side. Results reach the state as actions, tagged with the run they
//! belong to, so a new run makes late results of the previous one harmless.

use std::cell::{Cell, RefCell};

use acr_health_core::parse::registry_input::{Cloud, LoginServer};
use acr_health_core::rules::arm::{default_arm_base_url, ArmRun, ArmSettings};
use acr_health_core::rules::registry::{login_server, RegistryRun, RunOptions};
use acr_health_core::{CheckId, CheckResult, Side};
use futures::join;
use wasm_bindgen_futures::spawn_local;
use yew::UseReducerDispatcher;

use crate::app::{Action, HelperStatus, State};
use crate::components::registry_form::RunRequest;
use crate::components::arm_fields::ArmForm;
use crate::helper::client::{run_checks, ArmBody, RunBody};
use crate::helper::discovery::{discover, locate_helper, Capabilities, HelperLocation};
use crate::helper::HelperError;
use crate::page_url::{ArmUrl, PageParams};
use crate::probe::clock::wall_clock_ms;
use crate::probe::registry::{drive, Progress};
use crate::probe::{arm, fetch::error_message, reachability};

/// The checks of an ARM run, on either side. The helper lists them among its checks whether or
/// not a run requests them, so the page plans them only when it sends the helper ARM settings.
const ARM_CHECKS: [CheckId; 5] = [
    CheckId::ArmToken,
    CheckId::ArmRegistry,
    CheckId::NetworkRules,
    CheckId::PrivateEndpoints,
    CheckId::EncryptionIdentity,
];

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

    let started_at_ms = wall_clock_ms();
    let options = RunOptions::new(Side::Browser, started_at_ms);
    let run = RegistryRun::new(server.clone(), request.credential.to_core(), options);
    let arm_run = browser_arm_run(&server, request.cloud, &request.arm, &params.arm_url, started_at_ms);
    let planned = [CheckId::LoginServer, CheckId::Reachability]
        .into_iter()
        .chain(run.checks())
        .chain(arm_run.iter().flat_map(ArmRun::checks))
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
        arm_run,
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

/// Returns the browser's ARM run when the user pasted an ARM token and the page's address did
/// not name an ARM URL the core rejected (the page shows that as a note, and sends the token
/// nowhere). Without `arm_url=` the requests go to the default of the registry's cloud,
/// or of the cloud picked in the form for any other host.
pub fn browser_arm_run(
    server: &LoginServer,
    cloud: Cloud,
    form: &ArmForm,
    arm_url: &ArmUrl,
    started_at_ms: u64,
) -> Option<ArmRun> {
    let token = form.token()?;
    let base_url = match arm_url {
        ArmUrl::Given(url) => url.clone(),
        ArmUrl::Default => default_arm_base_url(server.cloud.unwrap_or(cloud)).to_owned(),
        ArmUrl::Refused => return None,
    };
    let settings = ArmSettings {
        base_url,
        registry_name: form.registry_name().map(str::to_owned),
    };
    Some(ArmRun::new(
        server.clone(),
        token.to_owned(),
        settings,
        Side::Browser,
        started_at_ms,
    ))
}

/// Runs the browser's checks: reachability, the registry chain and the ARM requests at the
/// same time, since none waits for another. The ARM run then finishes with what the other
/// browser checks saw.
async fn run_browser(
    state: UseReducerDispatcher<State>,
    run_id: u32,
    server: LoginServer,
    run: RegistryRun,
    mut arm_run: Option<ArmRun>,
    timeout_ms: u32,
) {
    // Every finished browser result, for the ARM run's observations.
    let seen: RefCell<Vec<CheckResult>> = RefCell::default();
    let report = |progress| match progress {
        Progress::Running(check) => state.dispatch(Action::CheckRunning {
            run_id,
            check,
            side: Side::Browser,
        }),
        Progress::Finished(result) => {
            seen.borrow_mut().push(result.clone());
            state.dispatch(Action::CheckFinished { run_id, result });
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
            Ok(result) => report(Progress::Finished(result)),
            Err(error) => state.dispatch(Action::BrowserError {
                run_id,
                detail: error_message(&error),
            }),
        }
    };
    let chain = drive(run, timeout_ms, &report);
    let arm_requests = async {
        if let Some(arm_run) = arm_run.as_mut() {
            arm::drive_requests(arm_run, timeout_ms, &report).await;
        }
    };
    join!(reach, chain, arm_requests);
    if let Some(arm_run) = arm_run.as_mut() {
        let results = seen.take();
        arm::finish(arm_run, &results, &report);
    }

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

    // An `arm_url=` the core rejected keeps the ARM settings from the helper too.
    let arm_body = match (&params.arm_url, capabilities.arm) {
        (ArmUrl::Refused, _) | (_, false) => None,
        (ArmUrl::Given(url), true) => ArmBody::new(&request.arm, Some(url)),
        (ArmUrl::Default, true) => ArmBody::new(&request.arm, None),
    };
    let body = RunBody::new(&request, arm_body);
    let planned = capabilities
        .checks
        .iter()
        .filter_map(|id| CheckId::ALL.into_iter().find(|check| check.as_str() == id))
        .filter(|check| body.has_arm() || !ARM_CHECKS.contains(check))
        .map(|check| (check, Side::Machine))
        .collect();
    state.dispatch(Action::AddPending { run_id, planned });

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
                arm: capabilities.arm,
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

#[cfg(test)]
mod tests {
    use acr_health_core::parse::registry_input;
    use base64::Engine;

    use super::*;

    /// An unsigned JWT for the ARM of `audience` that expires far in the future. The core reads
    /// its claims without verifying them, as it does for any pasted token.
    fn arm_token(audience: &str) -> String {
        let encode = |json: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
        let claims = format!(r#"{{"aud":"{audience}/","tid":"t","exp":4102444800}}"#);
        format!(
            "{}.{}.signature",
            encode(r#"{"alg":"RS256","typ":"JWT"}"#),
            encode(&claims)
        )
    }

    fn form(token: &str) -> ArmForm {
        ArmForm {
            token: token.to_owned(),
            registry: String::new(),
            from_az: false,
        }
    }

    /// Returns the URL of the first request of the browser's ARM run, or `None` without a run.
    fn first_url(input: &str, cloud: Cloud, form: &ArmForm, arm_url: &ArmUrl) -> Option<String> {
        let server = registry_input::parse(input, cloud).expect("a valid registry input");
        let run = browser_arm_run(&server, cloud, form, arm_url, 1_700_000_000_000)?;
        Some(run.next_request().expect("a first ARM request").url)
    }

    #[test]
    fn arm_run_needs_a_token() {
        let url = first_url("myreg", Cloud::AzureCloud, &form(" \n"), &ArmUrl::Default);
        assert_eq!(url, None);
    }

    #[test]
    fn rejected_arm_url_sends_nowhere() {
        let token = arm_token("https://management.azure.com");
        let url = first_url("myreg", Cloud::AzureCloud, &form(&token), &ArmUrl::Refused);
        assert_eq!(url, None, "no fallback to the cloud's default host");
    }

    #[test]
    fn arm_url_goes_to_the_right_host() {
        let given = ArmUrl::Given("http://127.0.0.1:5300".to_owned());
        let cases = [
            ("myreg.azurecr.io", Cloud::AzureCloud, ArmUrl::Default, "https://management.azure.com"),
            // The registry's own cloud wins over the one picked in the form.
            ("myreg.azurecr.cn", Cloud::AzureCloud, ArmUrl::Default, "https://management.chinacloudapi.cn"),
            // Another host takes the cloud picked in the form.
            ("127.0.0.1:5000", Cloud::AzureUSGovernment, ArmUrl::Default, "https://management.usgovcloudapi.net"),
            ("127.0.0.1:5000", Cloud::AzureCloud, given, "http://127.0.0.1:5300"),
        ];
        for (input, cloud, arm_url, base) in cases {
            // A loopback ARM takes the public cloud's audience, as the lab's tokens carry.
            let audience = if base.starts_with("http://") { "https://management.azure.com" } else { base };
            let url = first_url(input, cloud, &form(&arm_token(audience)), &arm_url).expect("an ARM run");
            assert!(url.starts_with(&format!("{base}/")), "{input} in {cloud:?} with {arm_url:?}: {url}");
        }
    }
}
