//! Browser tests of whole runs through the page: type a registry, press Run, and wait for the
//! check list. Only loopback is involved: an invalid input makes no request, and a closed
//! loopback port fails at once.

#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use acr_health::app::{App, AppProps};
use acr_health::page_url::PageParams;
use acr_health_core::{CheckId, Lang};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, Event, HtmlButtonElement, HtmlInputElement, InputEvent};

wasm_bindgen_test_configure!(run_in_browser);

/// A loopback port nothing listens on, used for the registry and the helper alike.
const CLOSED_PORT: u16 = 1;

async fn mount(lang: Lang) -> Element {
    let document = web_sys::window().expect("a window").document().expect("a document");
    let root = document.create_element("div").expect("create a div");
    document.body().expect("a body").append_child(&root).expect("append the root");
    let params = PageParams {
        helper_port: CLOSED_PORT,
        helper_port_given: true,
        ..PageParams::default()
    };
    let props = AppProps {
        params,
        param_errors: Vec::new(),
        initial_lang: lang,
    };
    yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

/// Types `registry` into the form and presses Run.
async fn run(root: &Element, registry: &str) {
    let input: HtmlInputElement = root
        .query_selector("input#registry")
        .unwrap()
        .expect("the registry input")
        .dyn_into()
        .unwrap();
    input.set_value(registry);
    input
        .dispatch_event(&InputEvent::new("input").unwrap())
        .expect("dispatch input");
    yew::scheduler::flush().await;

    let button: HtmlButtonElement = root
        .query_selector("button#run")
        .unwrap()
        .expect("the run button")
        .dyn_into()
        .unwrap();
    button.click();
    yew::scheduler::flush().await;
}

/// Waits until the run button is enabled again, which happens when both sides have finished.
async fn wait_until_done(root: &Element) {
    for _ in 0..200 {
        let button: HtmlButtonElement = root
            .query_selector("button#run")
            .unwrap()
            .expect("the run button")
            .dyn_into()
            .unwrap();
        if !button.disabled() && root.query_selector("li.check").unwrap().is_some() {
            return;
        }
        gloo_timers::future::sleep(Duration::from_millis(50)).await;
        yew::scheduler::flush().await;
    }
    panic!("the run did not finish within 10 s");
}

fn row(root: &Element, check: CheckId) -> Element {
    root.query_selector(&format!("li.check[data-check=\"{}\"][data-side=\"browser\"]", check.as_str()))
        .unwrap()
        .unwrap_or_else(|| panic!("no row for {}", check.as_str()))
}

#[wasm_bindgen_test]
async fn invalid_input_fails_login_server() {
    for lang in Lang::ALL {
        let root = mount(lang).await;
        run(&root, "a!").await;
        wait_until_done(&root).await;

        let login = row(&root, CheckId::LoginServer);
        assert_eq!(login.get_attribute("data-status").as_deref(), Some("fail"));
        assert_eq!(login.get_attribute("data-code").as_deref(), Some("LOGIN_SERVER_ERROR"));
        assert_eq!(root.query_selector_all("li.check").unwrap().length(), 1);

        let summary = root.query_selector("#summary").unwrap().unwrap().text_content().unwrap();
        assert!(summary.contains("LOGIN_SERVER_ERROR"), "{summary}");
        assert!(summary.contains(CheckId::LoginServer.title(lang)), "{summary}");
    }
}

#[wasm_bindgen_test]
async fn closed_port_fails_reachability() {
    let root = mount(Lang::En).await;
    run(&root, &format!("http://127.0.0.1:{CLOSED_PORT}")).await;
    wait_until_done(&root).await;

    let reachability = row(&root, CheckId::Reachability);
    assert_eq!(reachability.get_attribute("data-status").as_deref(), Some("fail"));
    assert_eq!(
        reachability.get_attribute("data-code").as_deref(),
        Some("CONNECTIVITY_NETWORK_ERROR")
    );
    let login = row(&root, CheckId::LoginServer);
    assert_eq!(login.get_attribute("data-status").as_deref(), Some("pass"));

    // Every planned row has a final status: nothing stays pending after the run.
    let rows = root.query_selector_all("li.check").unwrap();
    for index in 0..rows.length() {
        let item: Element = rows.item(index).unwrap().dyn_into().unwrap();
        let status = item.get_attribute("data-status").unwrap_or_default();
        assert!(status != "pending" && status != "running", "{}", item.outer_html());
    }
    assert!(root.query_selector(&format!("li.check[data-check=\"{}\"]", CheckId::DataPath.as_str())).unwrap().is_some());
}

#[wasm_bindgen_test]
async fn results_follow_language_switch() {
    let root = mount(Lang::En).await;
    run(&root, "a!").await;
    wait_until_done(&root).await;
    let english = row(&root, CheckId::LoginServer).text_content().unwrap();

    let select = root.query_selector("select#lang").unwrap().unwrap();
    select.dyn_ref::<web_sys::HtmlSelectElement>().unwrap().set_value("ko");
    select.dispatch_event(&Event::new("change").unwrap()).unwrap();
    yew::scheduler::flush().await;

    let korean = row(&root, CheckId::LoginServer).text_content().unwrap();
    assert_ne!(english, korean);
    assert!(korean.contains(CheckId::LoginServer.title(Lang::Ko)), "{korean}");
    assert!(korean.contains("실패"), "{korean}");
}
