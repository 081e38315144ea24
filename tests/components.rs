//! Browser tests of the page's components: render into a real DOM, wait for yew to finish, and
//! read what a user would see, in each language.

#![cfg(target_arch = "wasm32")]

use acr_health::app::{App, AppProps, HelperStatus, Phase, Row};
use acr_health::components::arm_fields::{ArmFields, ArmFieldsProps, ArmForm};
use acr_health::components::check_row::{CheckRow, CheckRowProps};
use acr_health::components::credentials::{CredentialForm, CredentialKind, Credentials, CredentialsProps};
use acr_health::components::header::{Header, HeaderProps};
use acr_health::components::helper_panel::{HelperPanel, HelperPanelProps};
use acr_health::components::results::{sides_differ, Results, ResultsProps};
use acr_health::components::summary::{Summary, SummaryProps};
use acr_health::i18n::Ui;
use acr_health::page_url::PageParams;
use acr_health_core::rules::registry::RegistryFinding;
use acr_health_core::{catalog, CheckId, CheckResult, Code, Evidence, Lang, Localize, Side, Status};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, Event, HtmlInputElement, HtmlSelectElement};
use yew::{BaseComponent, Callback};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts `C` with `props` into a fresh element and waits until it has rendered.
async fn render<C: BaseComponent>(props: C::Properties) -> Element {
    let document = web_sys::window().expect("a browser window").document().expect("a document");
    let root = document.create_element("div").expect("create a div");
    document.body().expect("a body").append_child(&root).expect("append the root");
    yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

fn text_of(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .expect("a valid selector")
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .text_content()
        .unwrap_or_default()
}

fn forbidden_result(side: Side) -> CheckResult {
    CheckResult {
        check: CheckId::Challenge,
        side,
        status: Status::Fail,
        code: Some(Code::ConnectivityForbidden),
        finding: RegistryFinding::Forbidden {
            url: "https://r.test/v2/".to_owned(),
            client_ip: Some("203.0.113.7".to_owned()),
            message: None,
        }
        .into(),
        evidence: vec![
            Evidence::new("url", "https://r.test/v2/"),
            Evidence::new("status", "403"),
        ],
        elapsed_ms: 42,
    }
}

fn pass_result(check: CheckId, side: Side) -> CheckResult {
    CheckResult {
        check,
        side,
        status: Status::Pass,
        code: None,
        finding: RegistryFinding::Reached {
            url: "https://r.test/v2/".to_owned(),
            status: None,
        }
        .into(),
        evidence: Vec::new(),
        elapsed_ms: 3,
    }
}

#[wasm_bindgen_test]
async fn header_title_in_each_language() {
    for (lang, title) in [(Lang::En, "Registry health check"), (Lang::Ko, "레지스트리 상태 점검")] {
        let root = render::<Header>(HeaderProps { lang, onlang: Callback::noop() }).await;
        assert_eq!(text_of(&root, "h1"), title);
        let select: HtmlSelectElement = root
            .query_selector("select#lang")
            .expect("a valid selector")
            .expect("the language switch")
            .dyn_into()
            .expect("a select element");
        assert_eq!(select.value(), lang.tag());
    }
}

#[wasm_bindgen_test]
async fn app_switches_language_and_html_lang() {
    let props = AppProps {
        params: PageParams::default(),
        param_errors: Vec::new(),
        initial_lang: Lang::Ko,
    };
    let root = render::<App>(props).await;
    let html = web_sys::window().unwrap().document().unwrap().document_element().unwrap();
    assert_eq!(text_of(&root, "h1"), "레지스트리 상태 점검");
    assert_eq!(html.get_attribute("lang").as_deref(), Some("ko"));
    assert_eq!(text_of(&root, "#summary"), Ui::SummaryIdle.text(Lang::Ko));

    let select: HtmlSelectElement = root
        .query_selector("select#lang")
        .unwrap()
        .expect("the language switch")
        .dyn_into()
        .unwrap();
    select.set_value("en");
    select
        .dispatch_event(&Event::new("change").unwrap())
        .expect("dispatch change");
    yew::scheduler::flush().await;

    assert_eq!(text_of(&root, "h1"), "Registry health check");
    assert_eq!(html.get_attribute("lang").as_deref(), Some("en"));
    assert_eq!(text_of(&root, "#summary"), Ui::SummaryIdle.text(Lang::En));
    assert!(root.query_selector("input#registry").unwrap().is_some());
    assert!(root.query_selector("button#run").unwrap().is_some());
    assert!(root.query_selector("section#results").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn check_row_carries_data_attributes() {
    let row = Row::finished(forbidden_result(Side::Browser));
    let root = render::<CheckRow>(CheckRowProps { lang: Lang::En, row, differs: false }).await;
    let item = root.query_selector("li.check").unwrap().expect("a check item");
    assert_eq!(item.get_attribute("data-check").as_deref(), Some("challenge"));
    assert_eq!(item.get_attribute("data-status").as_deref(), Some("fail"));
    assert_eq!(item.get_attribute("data-code").as_deref(), Some("CONNECTIVITY_FORBIDDEN_ERROR"));
    assert_eq!(item.get_attribute("data-side").as_deref(), Some("browser"));
}

#[wasm_bindgen_test]
async fn check_row_explains_code_in_each_language() {
    for lang in Lang::ALL {
        let result = forbidden_result(Side::Browser);
        let finding = result.finding.localize(lang);
        let row = Row::finished(result);
        let root = render::<CheckRow>(CheckRowProps { lang, row, differs: false }).await;
        let text = root.text_content().unwrap_or_default();
        let entry = catalog::entry(Code::ConnectivityForbidden).text(lang);

        assert!(text.contains(acr_health::i18n::status_label(Status::Fail, lang)), "{text}");
        assert!(text.contains(CheckId::Challenge.title(lang)), "{text}");
        assert!(text.contains(&finding), "{text}");
        assert!(text.contains(entry.title), "{text}");
        assert!(text.contains(&entry.meaning.replace('`', "")), "{text}");
        assert!(text.contains(&entry.fixes[0].replace('`', "")), "{text}");
        assert!(text.contains("403"), "evidence missing: {text}");
    }
}

#[wasm_bindgen_test]
async fn check_row_shows_commands_as_code() {
    let row = Row::finished(forbidden_result(Side::Browser));
    let root = render::<CheckRow>(CheckRowProps { lang: Lang::En, row, differs: false }).await;
    let codes = root.query_selector_all(".remedy code").expect("a valid selector");
    let text = root.text_content().unwrap_or_default();

    assert!(codes.length() > 0, "no <code> in the remedy: {text}");
    assert!(!text.contains('`'), "a backtick is shown: {text}");
}

#[wasm_bindgen_test]
async fn check_row_korean_labels() {
    let row = Row::finished(forbidden_result(Side::Machine));
    let root = render::<CheckRow>(CheckRowProps { lang: Lang::Ko, row, differs: true }).await;
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("실패"), "{text}");
    assert!(text.contains("이 머신에서"), "{text}");
    assert!(text.contains("근거"), "{text}");
    assert!(text.contains(Ui::SidesDiffer.text(Lang::Ko)), "{text}");
}

#[wasm_bindgen_test]
async fn check_row_doc_link_for_reference_code() {
    let row = Row::finished(forbidden_result(Side::Browser));
    let root = render::<CheckRow>(CheckRowProps { lang: Lang::En, row, differs: false }).await;
    let link = root.query_selector(".doc-link a").unwrap().expect("a documentation link");
    let expected = catalog::entry(Code::ConnectivityForbidden).doc_url();
    assert_eq!(link.get_attribute("href"), expected);
}

#[wasm_bindgen_test]
async fn pending_row_has_no_details() {
    let row = Row::pending(CheckId::AccessToken, Side::Browser);
    let root = render::<CheckRow>(CheckRowProps { lang: Lang::En, row, differs: false }).await;
    let item = root.query_selector("li.check").unwrap().expect("a check item");
    assert_eq!(item.get_attribute("data-status").as_deref(), Some("pending"));
    assert_eq!(item.get_attribute("data-code").as_deref(), Some(""));
    assert!(root.query_selector("details").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn results_empty_in_each_language() {
    for lang in Lang::ALL {
        let root = render::<Results>(ResultsProps { lang, rows: Vec::new() }).await;
        assert_eq!(text_of(&root, ".no-results"), Ui::NoResults.text(lang));
        assert_eq!(text_of(&root, "section#results h2"), Ui::Results.text(lang));
    }
}

#[wasm_bindgen_test]
fn sides_differ_compares_final_verdicts() {
    let rows = vec![
        Row::finished(forbidden_result(Side::Browser)),
        Row::finished(pass_result(CheckId::Challenge, Side::Machine)),
        Row::finished(pass_result(CheckId::Reachability, Side::Browser)),
        Row::pending(CheckId::Reachability, Side::Machine),
    ];
    assert!(sides_differ(&rows, CheckId::Challenge, Side::Browser));
    assert!(sides_differ(&rows, CheckId::Challenge, Side::Machine));
    assert!(!sides_differ(&rows, CheckId::Reachability, Side::Browser));
}

#[wasm_bindgen_test]
async fn summary_done_names_failure_in_each_language() {
    for lang in Lang::ALL {
        let rows = vec![
            Row::finished(pass_result(CheckId::Reachability, Side::Browser)),
            Row::finished(forbidden_result(Side::Browser)),
        ];
        let props = SummaryProps { lang, phase: Phase::Done, registry: "r.test".to_owned(), rows };
        let root = render::<Summary>(props).await;
        let line = text_of(&root, "#summary");
        assert!(line.contains("r.test"), "{line}");
        assert!(line.contains("CONNECTIVITY_FORBIDDEN_ERROR"), "{line}");
        assert!(line.contains(CheckId::Challenge.title(lang)), "{line}");
    }
}

#[wasm_bindgen_test]
async fn summary_running_counts_finished() {
    let rows = vec![
        Row::finished(pass_result(CheckId::Reachability, Side::Browser)),
        Row::pending(CheckId::Challenge, Side::Browser),
    ];
    let props = SummaryProps {
        lang: Lang::En,
        phase: Phase::Running { sides: vec![Side::Browser] },
        registry: "r.test".to_owned(),
        rows,
    };
    let root = render::<Summary>(props).await;
    assert_eq!(text_of(&root, "#summary"), "Checking r.test: 1 of 2 checks finished.");
}

#[wasm_bindgen_test]
async fn credentials_never_render_secret() {
    let secret = "s3cret-value-that-must-not-show";
    for kind in [CredentialKind::Password, CredentialKind::AadToken, CredentialKind::RefreshToken] {
        let value = CredentialForm {
            kind,
            username: "user".to_owned(),
            password: secret.to_owned(),
            token: secret.to_owned(),
            tenant: String::new(),
        };
        let root = render::<Credentials>(CredentialsProps {
            lang: Lang::En,
            value,
            onchange: Callback::noop(),
        })
        .await;
        assert!(!root.outer_html().contains(secret), "{kind:?} shows the secret in the markup");
        let secret_inputs = root.query_selector_all("input[type=password]").unwrap();
        assert_eq!(secret_inputs.length(), 1, "{kind:?} has no masked field");
    }
}

#[wasm_bindgen_test]
async fn credentials_labels_in_korean() {
    let value = CredentialForm { kind: CredentialKind::Password, ..CredentialForm::default() };
    let root = render::<Credentials>(CredentialsProps { lang: Lang::Ko, value, onchange: Callback::noop() }).await;
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("사용자 이름"), "{text}");
    assert!(text.contains("비밀번호"), "{text}");
    assert!(text.contains(Ui::CredentialsKept.text(Lang::Ko)), "{text}");
}

#[wasm_bindgen_test]
async fn helper_panel_absent_says_how_to_start() {
    for lang in Lang::ALL {
        let props = HelperPanelProps { lang, status: HelperStatus::Absent, onlook: Callback::noop() };
        let root = render::<HelperPanel>(props).await;
        let text = root.text_content().unwrap_or_default();
        assert!(text.contains("acr-health-helper serve"), "{text}");
        assert!(text.contains(Ui::HelperLook.text(lang)), "{text}");
    }
}

#[wasm_bindgen_test]
async fn helper_panel_found_shows_version() {
    let status = HelperStatus::Found { version: "0.1.0".to_owned(), port: 8765, paired: false, arm: false };
    let props = HelperPanelProps { lang: Lang::Ko, status, onlook: Callback::noop() };
    let root = render::<HelperPanel>(props).await;
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("0.1.0"), "{text}");
    assert!(text.contains("8765"), "{text}");
    assert!(text.contains(Ui::HelperNotPaired.text(Lang::Ko)), "{text}");
}

#[wasm_bindgen_test]
async fn summary_counts_side_disagreements() {
    for lang in Lang::ALL {
        let rows = vec![
            Row::finished(forbidden_result(Side::Browser)),
            Row::finished(pass_result(CheckId::Challenge, Side::Machine)),
        ];
        let props = SummaryProps { lang, phase: Phase::Done, registry: "r.test".to_owned(), rows };
        let root = render::<Summary>(props).await;
        let line = text_of(&root, "#summary");
        assert!(line.contains(&acr_health::i18n::sides_differ_count(1, lang)), "{line}");
    }
}

fn arm_props(lang: Lang, helper_can_use_az: bool) -> ArmFieldsProps {
    ArmFieldsProps {
        lang,
        value: ArmForm {
            token: "arm-token-that-must-not-show".to_owned(),
            registry: String::new(),
            from_az: false,
        },
        onchange: Callback::noop(),
        derived_name: Some("myreg".to_owned()),
        helper_can_use_az,
        custom_url: Some("http://127.0.0.1:5300".to_owned()),
    }
}

#[wasm_bindgen_test]
async fn arm_fields_label_each_field_in_each_language() {
    for lang in Lang::ALL {
        let root = render::<ArmFields>(arm_props(lang, true)).await;
        let text = root.text_content().unwrap_or_default();
        for key in [Ui::ArmGroup, Ui::ArmToken, Ui::ArmRegistry, Ui::ArmFromAz, Ui::ArmUrlInUse] {
            assert!(text.contains(key.text(lang)), "{lang:?} lacks {key:?}: {text}");
        }
        assert!(text.contains("http://127.0.0.1:5300"), "the ARM address in use is shown: {text}");
    }
}

#[wasm_bindgen_test]
async fn arm_fields_mask_the_token() {
    let root = render::<ArmFields>(arm_props(Lang::En, false)).await;
    let token = root.query_selector("input#arm-token").unwrap().expect("the token field");
    assert_eq!(token.get_attribute("type").as_deref(), Some("password"));
    assert!(!root.outer_html().contains("arm-token-that-must-not-show"), "the token is in the markup");
}

#[wasm_bindgen_test]
async fn arm_fields_show_the_derived_name() {
    let root = render::<ArmFields>(arm_props(Lang::En, false)).await;
    let name = root.query_selector("input#arm-registry").unwrap().expect("the name field");
    assert_eq!(name.get_attribute("placeholder").as_deref(), Some("myreg"));

    let props = ArmFieldsProps { derived_name: None, ..arm_props(Lang::Ko, false) };
    let root = render::<ArmFields>(props).await;
    let name = root.query_selector("input#arm-registry").unwrap().expect("the name field");
    assert_eq!(
        name.get_attribute("placeholder").as_deref(),
        Some(Ui::ArmRegistryByLoginServer.text(Lang::Ko))
    );
}

#[wasm_bindgen_test]
async fn arm_fields_accept_only_acr_names() {
    let root = render::<ArmFields>(arm_props(Lang::En, false)).await;
    let name: HtmlInputElement = root
        .query_selector("input#arm-registry")
        .unwrap()
        .expect("the name field")
        .dyn_into()
        .unwrap();
    for (value, valid) in [("", true), ("labreg", true), ("lab-reg", false), ("abcd", false), ("my reg", false)] {
        name.set_value(value);
        assert_eq!(name.check_validity(), valid, "{value:?}");
    }
}

#[wasm_bindgen_test]
async fn arm_fields_offer_az_only_with_a_capable_helper() {
    let without = render::<ArmFields>(arm_props(Lang::En, false)).await;
    assert!(without.query_selector("input#arm-from-az").unwrap().is_none());
    let with = render::<ArmFields>(arm_props(Lang::En, true)).await;
    let checkbox = with.query_selector("input#arm-from-az").unwrap().expect("the az checkbox");
    assert_eq!(checkbox.get_attribute("type").as_deref(), Some("checkbox"));
}

#[wasm_bindgen_test]
async fn app_notes_a_refused_arm_url_in_each_language() {
    let (params, param_errors) = PageParams::parse("?arm_url=https://evil.invalid", "").expect("parses");
    for lang in Lang::ALL {
        let props = AppProps { params: params.clone(), param_errors: param_errors.clone(), initial_lang: lang };
        let root = render::<App>(props).await;
        let note = text_of(&root, "#arm-url-refused");
        assert!(note.contains(Ui::InvalidArmUrl.text(lang)), "{note}");
        assert!(note.contains("https://evil.invalid"), "{note}");
        assert!(note.contains("evil.invalid"), "{note}");
        assert!(root.query_selector("#arm-url").unwrap().is_none(), "a refused URL is not shown as in use");
    }
}
