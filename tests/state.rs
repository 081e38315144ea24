//! Tests of the page's reducer: how a run's rows move from pending to their results, and how
//! late results of an earlier run are kept out.

#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use acr_health::app::{Action, Phase, State};
use acr_health_core::rules::registry::RegistryFinding;
use acr_health_core::{CheckId, CheckResult, Lang, Side, Status};
use wasm_bindgen_test::*;
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

fn result(check: CheckId, side: Side, status: Status) -> CheckResult {
    CheckResult {
        check,
        side,
        status,
        code: None,
        finding: RegistryFinding::SkippedAfterFailure.into(),
        evidence: Vec::new(),
        elapsed_ms: 1,
    }
}

fn started(run_id: u32) -> Rc<State> {
    Rc::new(State::new(Lang::En)).reduce(Action::StartRun {
        run_id,
        registry: "r.test".to_owned(),
        sides: vec![Side::Browser, Side::Machine],
        planned: vec![
            (CheckId::Reachability, Side::Browser),
            (CheckId::Challenge, Side::Browser),
        ],
    })
}

fn status_of(state: &State, check: CheckId, side: Side) -> Option<Status> {
    state
        .rows
        .iter()
        .find(|row| row.check == check && row.side == side)
        .map(|row| row.status)
}

#[wasm_bindgen_test]
fn start_run_plans_pending_rows() {
    let state = started(1);
    assert_eq!(state.rows.len(), 2);
    assert_eq!(status_of(&state, CheckId::Challenge, Side::Browser), Some(Status::Pending));
    assert!(state.is_running());
}

#[wasm_bindgen_test]
fn check_moves_to_running_then_result() {
    let state = started(1).reduce(Action::CheckRunning {
        run_id: 1,
        check: CheckId::Challenge,
        side: Side::Browser,
    });
    assert_eq!(status_of(&state, CheckId::Challenge, Side::Browser), Some(Status::Running));

    let state = state.reduce(Action::CheckFinished {
        run_id: 1,
        result: result(CheckId::Challenge, Side::Browser, Status::Fail),
    });
    assert_eq!(status_of(&state, CheckId::Challenge, Side::Browser), Some(Status::Fail));
    assert!(state.rows[1].result.is_some());
}

#[wasm_bindgen_test]
fn late_result_of_old_run_ignored() {
    let state = started(2).reduce(Action::CheckFinished {
        run_id: 1,
        result: result(CheckId::Challenge, Side::Browser, Status::Fail),
    });
    assert_eq!(status_of(&state, CheckId::Challenge, Side::Browser), Some(Status::Pending));
}

#[wasm_bindgen_test]
fn running_never_overwrites_result() {
    let state = started(1)
        .reduce(Action::CheckFinished {
            run_id: 1,
            result: result(CheckId::Reachability, Side::Browser, Status::Pass),
        })
        .reduce(Action::CheckRunning {
            run_id: 1,
            check: CheckId::Reachability,
            side: Side::Browser,
        });
    assert_eq!(status_of(&state, CheckId::Reachability, Side::Browser), Some(Status::Pass));
}

#[wasm_bindgen_test]
fn unplanned_result_inserted_in_order() {
    let state = started(1).reduce(Action::CheckFinished {
        run_id: 1,
        result: result(CheckId::Challenge, Side::Machine, Status::Pass),
    });
    let order: Vec<(CheckId, Side)> = state.rows.iter().map(|row| (row.check, row.side)).collect();
    assert_eq!(
        order,
        vec![
            (CheckId::Reachability, Side::Browser),
            (CheckId::Challenge, Side::Browser),
            (CheckId::Challenge, Side::Machine),
        ]
    );
}

#[wasm_bindgen_test]
fn add_pending_skips_existing_rows() {
    let state = started(1).reduce(Action::AddPending {
        run_id: 1,
        planned: vec![(CheckId::Challenge, Side::Browser), (CheckId::DockerCommand, Side::Machine)],
    });
    assert_eq!(state.rows.len(), 3);
    assert_eq!(status_of(&state, CheckId::DockerCommand, Side::Machine), Some(Status::Pending));
}

#[wasm_bindgen_test]
fn run_done_after_both_sides() {
    let state = started(1).reduce(Action::SideFinished { run_id: 1, side: Side::Browser });
    assert!(state.is_running());
    let state = state.reduce(Action::SideFinished { run_id: 1, side: Side::Machine });
    assert_eq!(state.phase, Phase::Done);
}

#[wasm_bindgen_test]
fn language_switch_keeps_results() {
    let state = started(1)
        .reduce(Action::CheckFinished {
            run_id: 1,
            result: result(CheckId::Challenge, Side::Browser, Status::Fail),
        })
        .reduce(Action::SetLang(Lang::Ko));
    assert_eq!(state.lang, Lang::Ko);
    assert_eq!(status_of(&state, CheckId::Challenge, Side::Browser), Some(Status::Fail));
}

#[wasm_bindgen_test]
fn side_finished_drops_unreported_rows() {
    let state = started(1)
        .reduce(Action::AddPending {
            run_id: 1,
            planned: vec![(CheckId::DockerCommand, Side::Machine)],
        })
        .reduce(Action::CheckFinished {
            run_id: 1,
            result: result(CheckId::Reachability, Side::Browser, Status::Pass),
        })
        .reduce(Action::SideFinished { run_id: 1, side: Side::Machine });
    assert_eq!(status_of(&state, CheckId::DockerCommand, Side::Machine), None);
    assert_eq!(status_of(&state, CheckId::Challenge, Side::Browser), Some(Status::Pending));
    assert_eq!(status_of(&state, CheckId::Reachability, Side::Browser), Some(Status::Pass));
}
