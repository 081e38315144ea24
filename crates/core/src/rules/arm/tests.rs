//! Driver tests: each ARM scenario as canned ARM responses, fed through a whole run, with the
//! requests sent and the status and code of every check asserted.

use std::net::IpAddr;

use serde_json::{json, Value};

use super::*;
use crate::parse::jwt::test_token;
use crate::parse::registry_input::{Cloud, LoginServer, Scheme};
use crate::rules::registry::{HttpAnswer, HttpRequest, Outcome, RegistryFinding};
use crate::{CheckId, CheckResult, Code, Evidence, Finding, Lang, Localize, Side, Status};

/// Local time of every test run: 2026-12-04 20:00:00 UTC.
const NOW_MS: u64 = 1_796_414_400_000;
const NOW_S: i64 = (NOW_MS / 1_000) as i64;
const ARM: &str = "http://127.0.0.1:7000";
/// A part of every test token that must never appear in a result.
const TOKEN_SECRET_PART: &str = "arm-token-signature-5e1b";
const EMPTY_SUB: &str = "00000000-0000-0000-0000-00000000000a";
const LAB_SUB: &str = "00000000-0000-0000-0000-00000000000b";
const REGISTRY_ID: &str = "/subscriptions/00000000-0000-0000-0000-00000000000b/resourceGroups/lab/providers/Microsoft.ContainerRegistry/registries/labreg";
const ENDPOINT_ID: &str = "/subscriptions/00000000-0000-0000-0000-00000000000b/resourceGroups/lab/providers/Microsoft.Network/privateEndpoints/labreg-pe";
const IDENTITY_ID: &str = "/subscriptions/00000000-0000-0000-0000-00000000000b/resourceGroups/lab/providers/Microsoft.ManagedIdentity/userAssignedIdentities/labreg-key";
const CLIENT_ID: &str = "11111111-2222-3333-4444-555555555555";

fn server() -> LoginServer {
    LoginServer {
        scheme: Scheme::Http,
        host: "127.0.0.1".to_owned(),
        port: Some(5000),
        cloud: None,
    }
}

fn arm_token(exp: i64, audience: &str) -> String {
    format!(
        "{}{TOKEN_SECRET_PART}",
        test_token(&json!({"aud": audience, "tid": "lab-tenant", "oid": "o", "exp": exp}))
    )
}

fn valid_token() -> String {
    arm_token(NOW_S + 3_600, "https://management.azure.com/")
}

fn settings() -> ArmSettings {
    ArmSettings {
        base_url: ARM.to_owned(),
        registry_name: None,
    }
}

fn answer(url: &str, status: u16, body: &Value) -> Outcome {
    Outcome::Answer(HttpAnswer {
        url: url.to_owned(),
        status,
        headers: vec![("content-type".to_owned(), "application/json".to_owned())],
        body: body.to_string().into_bytes(),
        body_truncated: false,
    })
}

fn arm_error(code: &str, message: &str) -> Value {
    json!({"error": {"code": code, "message": message}})
}

fn subscriptions_url() -> String {
    format!("{ARM}/subscriptions?api-version=2022-12-01")
}

fn registries_url(subscription: &str) -> String {
    format!("{ARM}/subscriptions/{subscription}/providers/Microsoft.ContainerRegistry/registries?api-version=2023-07-01")
}

fn endpoint_url() -> String {
    format!("{ARM}{ENDPOINT_ID}?api-version=2023-09-01")
}

fn identity_url() -> String {
    format!("{ARM}{IDENTITY_ID}?api-version=2023-01-31")
}

fn subscriptions() -> Value {
    json!({"value": [
        {"subscriptionId": EMPTY_SUB, "displayName": "lab-empty", "state": "Enabled"},
        {"subscriptionId": LAB_SUB, "displayName": "lab-registries", "state": "Enabled"},
    ]})
}

/// Returns the `found` registry: Premium, admin user on, public access enabled, default action Allow,
/// a data endpoint, no private endpoint, no customer-managed key.
fn lab_registry() -> Value {
    json!({
        "id": REGISTRY_ID,
        "name": "labreg",
        "location": "westeurope",
        "sku": {"name": "Premium", "tier": "Premium"},
        "identity": {"type": "None"},
        "properties": {
            "loginServer": "127.0.0.1:5000",
            "adminUserEnabled": true,
            "anonymousPullEnabled": false,
            "publicNetworkAccess": "Enabled",
            "networkRuleSet": {"defaultAction": "Allow", "ipRules": []},
            "networkRuleBypassOptions": "AzureServices",
            "dataEndpointEnabled": true,
            "dataEndpointHostNames": ["127.0.0.1"],
            "privateEndpointConnections": [],
            "encryption": {"status": "disabled"},
            "provisioningState": "Succeeded"
        }
    })
}

/// Returns the lab registry with changes applied to `properties` (or the root, for `identity`).
fn registry_with(change: impl FnOnce(&mut Value)) -> Value {
    let mut registry = lab_registry();
    change(&mut registry);
    registry
}

fn list(items: Vec<Value>) -> Value {
    json!({ "value": items })
}

/// A canned ARM that responds by URL, and with 404 to any other URL.
struct CannedArm {
    answers: Vec<(String, Outcome)>,
}

impl CannedArm {
    fn new() -> CannedArm {
        CannedArm {
            answers: vec![
                (
                    subscriptions_url(),
                    answer(&subscriptions_url(), 200, &subscriptions()),
                ),
                (
                    registries_url(EMPTY_SUB),
                    answer(&registries_url(EMPTY_SUB), 200, &list(vec![])),
                ),
            ],
        }
    }

    /// Returns the lab ARM with this registry list for the lab subscription.
    fn with_registry(registry: Value) -> CannedArm {
        CannedArm::new().on(&registries_url(LAB_SUB), 200, &list(vec![registry]))
    }

    fn on(mut self, url: &str, status: u16, body: &Value) -> CannedArm {
        self.answers.retain(|(known, _)| known != url);
        self.answers
            .push((url.to_owned(), answer(url, status, body)));
        self
    }

    fn failing(mut self, url: &str, outcome: Outcome) -> CannedArm {
        self.answers.retain(|(known, _)| known != url);
        self.answers.push((url.to_owned(), outcome));
        self
    }

    fn respond(&self, request: &HttpRequest) -> Outcome {
        self.answers
            .iter()
            .find(|(url, _)| *url == request.url)
            .map(|(_, outcome)| outcome.clone())
            .unwrap_or_else(|| {
                answer(
                    &request.url,
                    404,
                    &arm_error("ResourceNotFound", "no such resource"),
                )
            })
    }
}

/// What one run did: the URLs requested and every result, in order.
struct Ran {
    requests: Vec<HttpRequest>,
    results: Vec<CheckResult>,
}

impl Ran {
    fn result(&self, check: CheckId) -> &CheckResult {
        let found: Vec<&CheckResult> = self.results.iter().filter(|r| r.check == check).collect();
        assert_eq!(
            found.len(),
            1,
            "exactly one result for {check:?}: {:#?}",
            self.results
        );
        found[0]
    }

    fn urls(&self) -> Vec<&str> {
        self.requests
            .iter()
            .map(|request| request.url.as_str())
            .collect()
    }

    fn assert(&self, expected: &[(CheckId, Status, Option<Code>)]) {
        for (check, status, code) in expected {
            let result = self.result(*check);
            assert_eq!(result.status, *status, "status of {check:?}: {:#?}", result);
            assert_eq!(result.code, *code, "code of {check:?}: {:#?}", result);
        }
    }

    fn text(&self, check: CheckId, lang: Lang) -> String {
        self.result(check).finding.localize(lang)
    }
}

fn drive_with(
    arm: &CannedArm,
    token: &str,
    settings: ArmSettings,
    side: Side,
    seen: &Observations,
) -> Ran {
    let mut run = ArmRun::new(server(), token.to_owned(), settings, side, NOW_MS);
    let mut requests = Vec::new();
    let mut results = Vec::new();
    while let Some(request) = run.next_request() {
        assert!(requests.len() < 100, "the run does not end: {requests:#?}");
        let outcome = arm.respond(&request);
        requests.push(request);
        results.extend(run.observe(outcome, 25, NOW_MS));
    }
    results.extend(run.finish(seen));

    let checks: Vec<CheckId> = results.iter().map(|r| r.check).collect();
    let mut sorted = checks.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        checks.len(),
        "a check reported twice: {checks:?}"
    );
    let mut expected = run.checks();
    expected.sort();
    assert_eq!(sorted, expected, "every check reported once");
    assert_no_token(&results, token);
    Ran { requests, results }
}

fn drive(arm: &CannedArm, seen: &Observations) -> Ran {
    drive_with(arm, &valid_token(), settings(), Side::Machine, seen)
}

fn assert_no_token(results: &[CheckResult], token: &str) {
    let json = serde_json::to_string(results).expect("results serialize");
    let mut texts = vec![json];
    for result in results {
        for lang in Lang::ALL {
            texts.push(result.finding.localize(lang));
        }
    }
    for text in texts {
        assert!(
            !text.contains(TOKEN_SECRET_PART),
            "the token leaked: {text}"
        );
        // Texts always contain a few letters of a token that is empty or nearly so.
        if token.trim().len() >= 8 {
            assert!(!text.contains(token.trim()), "the token leaked: {text}");
        }
    }
}

fn forbidden_from(ip: &str) -> Observations {
    Observations {
        forbidden: true,
        client_ip: Some(ip.parse().expect("an IP")),
        ..Observations::default()
    }
}

fn resolved(addresses: &[&str]) -> Observations {
    Observations {
        dns_addresses: Some(
            addresses
                .iter()
                .map(|a| a.parse().expect("an IP"))
                .collect(),
        ),
        ..Observations::default()
    }
}

fn both_languages_contain(ran: &Ran, check: CheckId, needle: &str) {
    for lang in Lang::ALL {
        let text = ran.text(check, lang);
        assert!(
            text.contains(needle),
            "{check:?} in {lang:?} lacks {needle:?}: {text}"
        );
    }
}

#[test]
fn found_scenario() {
    let ran = drive(
        &CannedArm::with_registry(lab_registry()),
        &Observations::default(),
    );

    assert_eq!(
        ran.urls(),
        [
            subscriptions_url(),
            registries_url(EMPTY_SUB),
            registries_url(LAB_SUB)
        ]
    );
    ran.assert(&[
        (CheckId::ArmToken, Status::Pass, None),
        (CheckId::ArmRegistry, Status::Pass, None),
        (CheckId::NetworkRules, Status::Pass, None),
        (CheckId::PrivateEndpoints, Status::Skipped, None),
        (CheckId::EncryptionIdentity, Status::Skipped, None),
    ]);
    both_languages_contain(&ran, CheckId::ArmRegistry, "labreg");
    both_languages_contain(&ran, CheckId::ArmRegistry, "Premium");
    both_languages_contain(&ran, CheckId::ArmRegistry, "lab-registries");
    assert!(ran
        .text(CheckId::ArmRegistry, Lang::En)
        .contains("admin user is enabled"));
    assert!(ran
        .text(CheckId::ArmRegistry, Lang::Ko)
        .contains("관리자 사용자가 켜져"));
    assert!(ran
        .text(CheckId::EncryptionIdentity, Lang::En)
        .contains("not encrypted with a customer-managed key"));
    assert!(ran
        .text(CheckId::PrivateEndpoints, Lang::En)
        .contains("no private endpoint"));
    both_languages_contain(&ran, CheckId::ArmToken, "lab-tenant");
}

#[test]
fn requests_carry_token_and_accept_json() {
    let ran = drive(
        &CannedArm::with_registry(lab_registry()),
        &Observations::default(),
    );

    for request in &ran.requests {
        assert_eq!(request.bearer.as_deref(), Some(valid_token().as_str()));
        assert_eq!(request.accept.as_deref(), Some("application/json"));
        assert_eq!(request.redirect, crate::rules::registry::Redirect::Follow);
        assert!(request.url.starts_with(ARM), "{}", request.url);
        assert!(!request.url.contains(TOKEN_SECRET_PART), "token in URL");
        assert!(
            !format!("{request:?}").contains(TOKEN_SECRET_PART),
            "token in Debug"
        );
    }
}

#[test]
fn registry_evidence_shows_facts() {
    let ran = drive(
        &CannedArm::with_registry(lab_registry()),
        &Observations::default(),
    );
    let evidence = &ran.result(CheckId::ArmRegistry).evidence;

    let value = |label: &str| {
        evidence
            .iter()
            .find(|e| e.label == label)
            .map(|e| e.value.as_str())
    };
    assert_eq!(value("resource_id"), Some(REGISTRY_ID));
    assert_eq!(value("location"), Some("westeurope"));
    assert_eq!(value("data_endpoint"), Some("127.0.0.1"));
    assert_eq!(
        value("data_endpoint_enabled"),
        None,
        "shown by the host names"
    );
    assert_eq!(value("url"), None, "the list request is not recorded");
}

#[test]
fn found_by_derived_name() {
    let acr = LoginServer {
        scheme: Scheme::Https,
        host: "labreg.azurecr.io".to_owned(),
        port: None,
        cloud: Some(Cloud::AzureCloud),
    };
    let registry = registry_with(|r| r["properties"]["loginServer"] = json!("labreg.azurecr.io"));
    let arm = CannedArm::with_registry(registry);
    let mut run = ArmRun::new(acr, valid_token(), settings(), Side::Browser, NOW_MS);
    let mut results = Vec::new();
    while let Some(request) = run.next_request() {
        results.extend(run.observe(arm.respond(&request), 10, NOW_MS));
    }
    let registry = results
        .iter()
        .find(|r| r.check == CheckId::ArmRegistry)
        .expect("the registry check is final after the search");
    assert_eq!(registry.status, Status::Pass);
}

#[test]
fn not_found_names_subscriptions() {
    let arm = CannedArm::new().on(&registries_url(LAB_SUB), 200, &list(vec![]));
    let ran = drive(&arm, &Observations::default());

    ran.assert(&[
        (CheckId::ArmToken, Status::Pass, None),
        (CheckId::ArmRegistry, Status::Fail, Some(Code::LoginServer)),
        (CheckId::NetworkRules, Status::Skipped, None),
        (CheckId::PrivateEndpoints, Status::Skipped, None),
        (CheckId::EncryptionIdentity, Status::Skipped, None),
    ]);
    both_languages_contain(&ran, CheckId::ArmRegistry, "lab-empty, lab-registries");
    both_languages_contain(&ran, CheckId::ArmRegistry, "127.0.0.1:5000");
    assert!(ran
        .text(CheckId::ArmRegistry, Lang::En)
        .contains("with login server 127.0.0.1:5000"));
    assert!(ran
        .text(CheckId::ArmRegistry, Lang::Ko)
        .contains("로그인 서버가 127.0.0.1:5000인"));
    assert!(ran
        .text(CheckId::ArmRegistry, Lang::En)
        .contains("Give the registry's name"));
    assert!(ran
        .text(CheckId::NetworkRules, Lang::En)
        .contains("not found"));
}

#[test]
fn not_found_by_name() {
    let arm = CannedArm::with_registry(lab_registry());
    let settings = ArmSettings {
        registry_name: Some("otherreg".to_owned()),
        ..settings()
    };
    let ran = drive_with(
        &arm,
        &valid_token(),
        settings,
        Side::Browser,
        &Observations::default(),
    );

    ran.assert(&[(CheckId::ArmRegistry, Status::Fail, Some(Code::LoginServer))]);
    both_languages_contain(&ran, CheckId::ArmRegistry, "otherreg");
    assert!(ran
        .text(CheckId::ArmRegistry, Lang::En)
        .contains("Check the name"));
    assert!(ran
        .text(CheckId::ArmRegistry, Lang::Ko)
        .contains("이름을 확인하거나"));
}

#[test]
fn not_found_without_subscriptions() {
    let arm = CannedArm::new().on(&subscriptions_url(), 200, &list(vec![]));
    let ran = drive(&arm, &Observations::default());

    ran.assert(&[(CheckId::ArmRegistry, Status::Fail, Some(Code::LoginServer))]);
    assert!(ran
        .text(CheckId::ArmRegistry, Lang::En)
        .contains("sees no subscription"));
    assert!(ran
        .text(CheckId::ArmRegistry, Lang::Ko)
        .contains("구독이 없어"));
}

#[test]
fn forbidden_is_no_permission() {
    let message = "The client 'o' with object id 'o' does not have authorization to perform action 'Microsoft.ContainerRegistry/registries/read'.";
    let arm = CannedArm::new().on(
        &registries_url(LAB_SUB),
        403,
        &arm_error("AuthorizationFailed", message),
    );
    let ran = drive(&arm, &Observations::default());

    ran.assert(&[
        (CheckId::ArmToken, Status::Pass, None),
        (CheckId::ArmRegistry, Status::Fail, Some(Code::LoginServer)),
        (CheckId::NetworkRules, Status::Skipped, None),
    ]);
    both_languages_contain(&ran, CheckId::ArmRegistry, "lab-registries");
    both_languages_contain(&ran, CheckId::ArmRegistry, "registries/read");
    assert!(ran
        .text(CheckId::ArmRegistry, Lang::En)
        .contains("No permission"));
    assert!(ran
        .text(CheckId::ArmRegistry, Lang::Ko)
        .contains("권한이 없습니다"));
}

#[test]
fn forbidden_everywhere_names_each_subscription() {
    let error = arm_error("AuthorizationFailed", "no registries/read");
    let arm = CannedArm::new()
        .on(&registries_url(EMPTY_SUB), 403, &error)
        .on(&registries_url(LAB_SUB), 403, &error);
    let ran = drive(&arm, &Observations::default());

    ran.assert(&[(CheckId::ArmRegistry, Status::Fail, Some(Code::LoginServer))]);
    both_languages_contain(&ran, CheckId::ArmRegistry, "lab-empty, lab-registries");
}

#[test]
fn forbidden_then_found_elsewhere_passes() {
    let arm = CannedArm::with_registry(lab_registry()).on(
        &registries_url(EMPTY_SUB),
        403,
        &arm_error("AuthorizationFailed", "no"),
    );
    let ran = drive(&arm, &Observations::default());

    ran.assert(&[(CheckId::ArmRegistry, Status::Pass, None)]);
}

#[test]
fn other_cloud_fails_login_server() {
    let registry = registry_with(|r| r["properties"]["loginServer"] = json!("labreg.azurecr.cn"));
    let settings = ArmSettings {
        registry_name: Some("LabReg".to_owned()),
        ..settings()
    };
    let ran = drive_with(
        &CannedArm::with_registry(registry),
        &valid_token(),
        settings,
        Side::Machine,
        &Observations::default(),
    );

    ran.assert(&[(CheckId::ArmRegistry, Status::Fail, Some(Code::LoginServer))]);
    both_languages_contain(&ran, CheckId::ArmRegistry, "labreg.azurecr.cn");
    assert!(ran
        .text(CheckId::ArmRegistry, Lang::En)
        .contains("Azure China"));
    assert!(ran
        .text(CheckId::ArmRegistry, Lang::Ko)
        .contains("Azure 중국"));
}

#[test]
fn other_login_server_warns() {
    let registry = registry_with(|r| r["properties"]["loginServer"] = json!("labreg.example.test"));
    let settings = ArmSettings {
        registry_name: Some("labreg".to_owned()),
        ..settings()
    };
    let ran = drive_with(
        &CannedArm::with_registry(registry),
        &valid_token(),
        settings,
        Side::Machine,
        &Observations::default(),
    );

    ran.assert(&[(
        CheckId::ArmRegistry,
        Status::Warning,
        Some(Code::LoginServer),
    )]);
    both_languages_contain(&ran, CheckId::ArmRegistry, "labreg.example.test");
    both_languages_contain(&ran, CheckId::ArmRegistry, "127.0.0.1:5000");
}

fn cmk_registry() -> Value {
    registry_with(|r| {
        r["identity"] = json!({
            "type": "UserAssigned",
            "userAssignedIdentities": {
                IDENTITY_ID: {"principalId": "p-1", "clientId": CLIENT_ID}
            }
        });
        r["properties"]["encryption"] = json!({
            "status": "enabled",
            "keyVaultProperties": {
                "keyIdentifier": "https://labvault.vault.azure.net/keys/labkey/1",
                "identity": CLIENT_ID
            }
        });
    })
}

#[test]
fn cmk_present_passes() {
    let arm = CannedArm::with_registry(cmk_registry()).on(
        &identity_url(),
        200,
        &json!({"id": IDENTITY_ID, "name": "labreg-key", "properties": {"clientId": CLIENT_ID, "principalId": "p-1"}}),
    );
    let ran = drive(&arm, &Observations::default());

    assert_eq!(ran.urls().last().copied(), Some(identity_url().as_str()));
    ran.assert(&[(CheckId::EncryptionIdentity, Status::Pass, None)]);
    both_languages_contain(&ran, CheckId::EncryptionIdentity, CLIENT_ID);
}

#[test]
fn cmk_deleted_fails() {
    let arm = CannedArm::with_registry(cmk_registry()).on(
        &identity_url(),
        404,
        &arm_error(
            "ResourceNotFound",
            "The Resource 'labreg-key' was not found.",
        ),
    );
    let ran = drive(&arm, &Observations::default());

    ran.assert(&[(CheckId::EncryptionIdentity, Status::Fail, Some(Code::Cmk))]);
    both_languages_contain(&ran, CheckId::EncryptionIdentity, "labreg");
    both_languages_contain(&ran, CheckId::EncryptionIdentity, CLIENT_ID);
    assert!(ran
        .text(CheckId::EncryptionIdentity, Lang::En)
        .contains("deleted"));
    assert!(ran
        .text(CheckId::EncryptionIdentity, Lang::Ko)
        .contains("삭제"));
}

#[test]
fn lookup_failures_fail_their_check() {
    let arm = CannedArm::with_registry(registry_with(|r| {
        *r = cmk_registry();
        r["properties"]["privateEndpointConnections"] =
            private_endpoint_registry()["properties"]["privateEndpointConnections"].clone();
    }))
    .failing(&endpoint_url(), Outcome::TimedOut { after_ms: 10_000 })
    .failing(
        &identity_url(),
        Outcome::Network {
            detail: "connection reset".into(),
        },
    );
    let ran = drive(&arm, &resolved(&["127.0.0.1"]));

    assert_eq!(
        ran.urls().last().copied(),
        Some(identity_url().as_str()),
        "the run goes on"
    );
    ran.assert(&[
        (CheckId::PrivateEndpoints, Status::Fail, None),
        (CheckId::EncryptionIdentity, Status::Fail, None),
    ]);
    both_languages_contain(&ran, CheckId::PrivateEndpoints, "10000");
    both_languages_contain(&ran, CheckId::EncryptionIdentity, "connection reset");
}

#[test]
fn identity_error_status_warns() {
    let arm = CannedArm::with_registry(cmk_registry()).on(
        &identity_url(),
        403,
        &arm_error("AuthorizationFailed", "no"),
    );
    let ran = drive(&arm, &Observations::default());

    ran.assert(&[(CheckId::EncryptionIdentity, Status::Warning, None)]);
    both_languages_contain(&ran, CheckId::EncryptionIdentity, "HTTP 403");
}

#[test]
fn cmk_identity_not_assigned_fails() {
    let registry = registry_with(|r| {
        *r = cmk_registry();
        r["identity"] = json!({"type": "None"});
    });
    let ran = drive(
        &CannedArm::with_registry(registry),
        &Observations::default(),
    );

    assert!(!ran
        .urls()
        .iter()
        .any(|url| url.contains("userAssignedIdentities")));
    ran.assert(&[(CheckId::EncryptionIdentity, Status::Fail, Some(Code::Cmk))]);
    both_languages_contain(&ran, CheckId::EncryptionIdentity, CLIENT_ID);
}

#[test]
fn cmk_system_removed_fails() {
    let registry = registry_with(|r| {
        r["identity"] = json!({"type": "None"});
        r["properties"]["encryption"] = json!({
            "status": "enabled",
            "keyVaultProperties": {"keyIdentifier": "https://labvault.vault.azure.net/keys/labkey/1"}
        });
    });
    let ran = drive(
        &CannedArm::with_registry(registry),
        &Observations::default(),
    );

    ran.assert(&[(CheckId::EncryptionIdentity, Status::Fail, Some(Code::Cmk))]);
    both_languages_contain(&ran, CheckId::EncryptionIdentity, "labreg");
    assert!(ran
        .text(CheckId::EncryptionIdentity, Lang::En)
        .contains("system-assigned"));
    assert!(ran
        .text(CheckId::EncryptionIdentity, Lang::Ko)
        .contains("시스템 할당"));
}

#[test]
fn cmk_system_present_passes() {
    let registry = registry_with(|r| {
        r["identity"] = json!({"type": "SystemAssigned, UserAssigned", "principalId": "sys-1"});
        r["properties"]["encryption"] = json!({
            "status": "enabled",
            "keyVaultProperties": {"identity": "sys-1"}
        });
    });
    let ran = drive(
        &CannedArm::with_registry(registry),
        &Observations::default(),
    );

    ran.assert(&[(CheckId::EncryptionIdentity, Status::Pass, None)]);
}

fn deny_registry(rules: &[&str]) -> Value {
    let rules: Vec<Value> = rules
        .iter()
        .map(|value| json!({"action": "Allow", "value": value}))
        .collect();
    registry_with(|r| {
        r["properties"]["networkRuleSet"] = json!({"defaultAction": "Deny", "ipRules": rules});
    })
}

#[test]
fn network_deny_names_rule_and_ip() {
    let arm = CannedArm::with_registry(deny_registry(&["203.0.113.0/24"]));
    let ran = drive(&arm, &forbidden_from("127.0.0.1"));

    ran.assert(&[(
        CheckId::NetworkRules,
        Status::Fail,
        Some(Code::ConnectivityForbidden),
    )]);
    both_languages_contain(&ran, CheckId::NetworkRules, "127.0.0.1");
    both_languages_contain(&ran, CheckId::NetworkRules, "203.0.113.0/24");
    both_languages_contain(&ran, CheckId::NetworkRules, "Deny");
    both_languages_contain(&ran, CheckId::NetworkRules, "az acr network-rule add");
}

#[test]
fn network_deny_without_403_warns() {
    let arm = CannedArm::with_registry(deny_registry(&["203.0.113.0/24"]));
    let seen = Observations {
        forbidden: false,
        ..forbidden_from("127.0.0.1")
    };
    let ran = drive(&arm, &seen);

    ran.assert(&[(CheckId::NetworkRules, Status::Warning, None)]);
}

#[test]
fn network_deny_with_unknown_ip() {
    let arm = CannedArm::with_registry(deny_registry(&["203.0.113.0/24"]));

    let ran = drive_with(
        &arm,
        &valid_token(),
        settings(),
        Side::Browser,
        &Observations::default(),
    );
    ran.assert(&[(CheckId::NetworkRules, Status::Warning, None)]);
    assert!(ran
        .text(CheckId::NetworkRules, Lang::En)
        .contains("cannot know its public address"));
    assert!(ran
        .text(CheckId::NetworkRules, Lang::Ko)
        .contains("공인 IP를 알 수 없어서"));

    let seen = Observations {
        forbidden: true,
        ..Observations::default()
    };
    let ran = drive_with(&arm, &valid_token(), settings(), Side::Browser, &seen);
    ran.assert(&[(
        CheckId::NetworkRules,
        Status::Fail,
        Some(Code::ConnectivityForbidden),
    )]);
}

#[test]
fn network_allow_names_rule() {
    let arm = CannedArm::with_registry(deny_registry(&["203.0.113.0/24", "127.0.0.1"]));
    let ran = drive(&arm, &forbidden_from("127.0.0.1"));

    ran.assert(&[(CheckId::NetworkRules, Status::Pass, None)]);
    both_languages_contain(&ran, CheckId::NetworkRules, "127.0.0.1");
}

#[test]
fn network_deny_mentions_failed_data_endpoint() {
    let arm = CannedArm::with_registry(deny_registry(&["203.0.113.0/24"]));
    let seen = Observations {
        data_path_failed_host: Some("127.0.0.1".to_owned()),
        ..forbidden_from("198.51.100.7")
    };
    let ran = drive(&arm, &seen);

    ran.assert(&[(
        CheckId::NetworkRules,
        Status::Fail,
        Some(Code::ConnectivityForbidden),
    )]);
    assert!(ran
        .text(CheckId::NetworkRules, Lang::En)
        .contains("data path also failed at 127.0.0.1"));
    assert!(ran
        .text(CheckId::NetworkRules, Lang::Ko)
        .contains("데이터 엔드포인트 127.0.0.1"));
}

#[test]
fn network_open_after_403_points_elsewhere() {
    let ran = drive(
        &CannedArm::with_registry(lab_registry()),
        &forbidden_from("127.0.0.1"),
    );

    ran.assert(&[(CheckId::NetworkRules, Status::Pass, None)]);
    assert!(ran
        .text(CheckId::NetworkRules, Lang::En)
        .contains("another cause"));
}

#[test]
fn public_access_disabled_fails() {
    let registry = registry_with(|r| r["properties"]["publicNetworkAccess"] = json!("Disabled"));
    let ran = drive(
        &CannedArm::with_registry(registry),
        &Observations::default(),
    );

    ran.assert(&[(
        CheckId::NetworkRules,
        Status::Fail,
        Some(Code::ConnectivityForbidden),
    )]);
    both_languages_contain(&ran, CheckId::NetworkRules, "labreg");
    both_languages_contain(&ran, CheckId::NetworkRules, "--public-network-enabled true");
}

#[test]
fn public_access_disabled_but_answered_warns() {
    let registry = registry_with(|r| r["properties"]["publicNetworkAccess"] = json!("Disabled"));
    let seen = Observations {
        login_server_answered: true,
        ..Observations::default()
    };
    let ran = drive(&CannedArm::with_registry(registry), &seen);

    ran.assert(&[(CheckId::NetworkRules, Status::Warning, None)]);
    both_languages_contain(&ran, CheckId::NetworkRules, "labreg");
    both_languages_contain(&ran, CheckId::NetworkRules, "403");
}

fn private_endpoint_registry() -> Value {
    registry_with(|r| {
        r["properties"]["privateEndpointConnections"] = json!([{
            "id": format!("{REGISTRY_ID}/privateEndpointConnections/labreg-pe.1"),
            "properties": {
                "privateEndpoint": {"id": ENDPOINT_ID},
                "privateLinkServiceConnectionState": {"status": "Approved"}
            }
        }]);
    })
}

fn private_endpoint(address: &str) -> Value {
    json!({
        "id": ENDPOINT_ID,
        "name": "labreg-pe",
        "properties": {"customDnsConfigs": [
            {"fqdn": "127.0.0.1", "ipAddresses": [address]},
            {"fqdn": "labreg.westeurope.data.azurecr.io", "ipAddresses": ["10.20.30.41"]}
        ]}
    })
}

#[test]
fn private_endpoint_match_passes() {
    let arm = CannedArm::with_registry(private_endpoint_registry()).on(
        &endpoint_url(),
        200,
        &private_endpoint("127.0.0.1"),
    );
    let ran = drive(&arm, &resolved(&["127.0.0.1"]));

    assert!(ran.urls().contains(&endpoint_url().as_str()));
    ran.assert(&[(CheckId::PrivateEndpoints, Status::Pass, None)]);
    both_languages_contain(&ran, CheckId::PrivateEndpoints, "127.0.0.1");
}

#[test]
fn private_endpoint_mismatch_fails_dns() {
    let arm = CannedArm::with_registry(private_endpoint_registry()).on(
        &endpoint_url(),
        200,
        &private_endpoint("10.20.30.40"),
    );
    let ran = drive(&arm, &resolved(&["127.0.0.1"]));

    ran.assert(&[(
        CheckId::PrivateEndpoints,
        Status::Fail,
        Some(Code::ConnectivityDns),
    )]);
    both_languages_contain(&ran, CheckId::PrivateEndpoints, "10.20.30.40");
    both_languages_contain(&ran, CheckId::PrivateEndpoints, "127.0.0.1");
    both_languages_contain(&ran, CheckId::PrivateEndpoints, "nslookup");
}

#[test]
fn private_endpoint_mismatch_names_failed_data_endpoint() {
    let arm = CannedArm::with_registry(private_endpoint_registry()).on(
        &endpoint_url(),
        200,
        &private_endpoint("10.20.30.40"),
    );
    let seen = Observations {
        data_path_failed_host: Some("127.0.0.1".to_owned()),
        ..resolved(&["127.0.0.1"])
    };
    let ran = drive(&arm, &seen);

    ran.assert(&[(
        CheckId::PrivateEndpoints,
        Status::Fail,
        Some(Code::ConnectivityDns),
    )]);
    assert!(ran
        .text(CheckId::PrivateEndpoints, Lang::En)
        .contains("data path also failed at 127.0.0.1"));
    assert!(ran
        .text(CheckId::PrivateEndpoints, Lang::Ko)
        .contains("데이터 엔드포인트 127.0.0.1"));
}

#[test]
fn private_endpoint_in_browser_lists() {
    let arm = CannedArm::with_registry(private_endpoint_registry()).on(
        &endpoint_url(),
        200,
        &private_endpoint("10.20.30.40"),
    );
    let ran = drive_with(
        &arm,
        &valid_token(),
        settings(),
        Side::Browser,
        &Observations::default(),
    );

    ran.assert(&[(CheckId::PrivateEndpoints, Status::Pass, None)]);
    both_languages_contain(&ran, CheckId::PrivateEndpoints, "127.0.0.1 → 10.20.30.40");
    both_languages_contain(&ran, CheckId::PrivateEndpoints, "acr-health-helper");
}

#[test]
fn private_endpoint_unreadable_warns() {
    let arm = CannedArm::with_registry(private_endpoint_registry()).on(
        &endpoint_url(),
        403,
        &arm_error("AuthorizationFailed", "no"),
    );
    let ran = drive(&arm, &resolved(&["127.0.0.1"]));

    ran.assert(&[(CheckId::PrivateEndpoints, Status::Warning, None)]);
    both_languages_contain(&ran, CheckId::PrivateEndpoints, "labreg-pe");
    both_languages_contain(&ran, CheckId::PrivateEndpoints, "403");
}

#[test]
fn public_access_disabled_reached_privately_passes() {
    let registry = registry_with(|r| {
        *r = private_endpoint_registry();
        r["properties"]["publicNetworkAccess"] = json!("Disabled");
    });
    let arm =
        CannedArm::with_registry(registry).on(&endpoint_url(), 200, &private_endpoint("127.0.0.1"));
    let ran = drive(&arm, &resolved(&["127.0.0.1"]));

    ran.assert(&[
        (CheckId::NetworkRules, Status::Pass, None),
        (CheckId::PrivateEndpoints, Status::Pass, None),
    ]);
}

#[test]
fn expired_token_fails_before_any_request() {
    let token = arm_token(NOW_S - 60, "https://management.azure.com/");
    let ran = drive_with(
        &CannedArm::new(),
        &token,
        settings(),
        Side::Browser,
        &Observations::default(),
    );

    assert!(ran.requests.is_empty(), "{:?}", ran.urls());
    ran.assert(&[
        (CheckId::ArmToken, Status::Fail, Some(Code::ArmToken)),
        (CheckId::ArmRegistry, Status::Skipped, None),
        (CheckId::NetworkRules, Status::Skipped, None),
        (CheckId::PrivateEndpoints, Status::Skipped, None),
        (CheckId::EncryptionIdentity, Status::Skipped, None),
    ]);
    assert!(ran
        .text(CheckId::ArmToken, Lang::En)
        .contains("expired at 2026-12-04 19:59:00 UTC"));
    assert!(ran
        .text(CheckId::ArmToken, Lang::Ko)
        .contains("만료되었습니다"));
}

#[test]
fn empty_token_fails_before_any_request() {
    for token in ["", "  ", "\"\"", "Bearer "] {
        let ran = drive_with(
            &CannedArm::new(),
            token,
            settings(),
            Side::Browser,
            &Observations::default(),
        );

        assert!(ran.requests.is_empty(), "token {token:?}");
        ran.assert(&[(CheckId::ArmToken, Status::Fail, Some(Code::ArmToken))]);
        assert!(ran.text(CheckId::ArmToken, Lang::En).contains("empty"));
        assert!(ran
            .text(CheckId::ArmToken, Lang::Ko)
            .contains("비어 있습니다"));
    }
}

#[test]
fn pasted_token_forms_are_normalized() {
    let token = valid_token();
    for pasted in [
        format!("Bearer {token}"),
        format!("  \"{token}\"\n"),
        format!("bearer {token}"),
    ] {
        let ran = drive_with(
            &CannedArm::with_registry(lab_registry()),
            &pasted,
            settings(),
            Side::Browser,
            &Observations::default(),
        );

        assert_eq!(
            ran.requests[0].bearer.as_deref(),
            Some(token.as_str()),
            "pasted {pasted:?}"
        );
        ran.assert(&[(CheckId::ArmRegistry, Status::Pass, None)]);
    }
}

#[test]
fn wrong_audience_fails_before_any_request() {
    let token = arm_token(NOW_S + 3_600, "https://vault.azure.net");
    let ran = drive_with(
        &CannedArm::new(),
        &token,
        settings(),
        Side::Browser,
        &Observations::default(),
    );

    assert!(ran.requests.is_empty());
    ran.assert(&[(CheckId::ArmToken, Status::Fail, Some(Code::ArmToken))]);
    both_languages_contain(&ran, CheckId::ArmToken, "https://vault.azure.net");
    both_languages_contain(
        &ran,
        CheckId::ArmToken,
        "--resource https://management.azure.com/",
    );
}

#[test]
fn audiences_accepted_per_cloud() {
    let cases = [
        ("https://management.azure.com/", ARM, true),
        ("https://management.core.windows.net/", ARM, true),
        ("https://management.chinacloudapi.cn", ARM, true),
        (
            "https://management.azure.com",
            "https://management.azure.com",
            true,
        ),
        (
            "https://management.core.windows.net",
            "https://management.azure.com",
            true,
        ),
        (
            "https://management.chinacloudapi.cn/",
            "https://management.azure.com",
            false,
        ),
        (
            "https://management.azure.com/",
            "https://management.usgovcloudapi.net",
            false,
        ),
        (
            "https://management.core.usgovcloudapi.net/",
            "https://management.usgovcloudapi.net",
            true,
        ),
        ("https://graph.microsoft.com", ARM, false),
    ];
    for (audience, base, accepted) in cases {
        let settings = ArmSettings {
            base_url: base.to_owned(),
            registry_name: None,
        };
        let run = ArmRun::new(
            server(),
            arm_token(NOW_S + 60, audience),
            settings,
            Side::Browser,
            NOW_MS,
        );
        assert_eq!(
            run.next_request().is_some(),
            accepted,
            "audience {audience} at {base}"
        );
    }
}

#[test]
fn arm_401_answers_fail_the_token() {
    let cases = [
        ("ExpiredAuthenticationToken", "expired"),
        (
            "InvalidAuthenticationTokenAudience",
            "not for Azure Resource Manager",
        ),
        ("InvalidAuthenticationToken", "InvalidAuthenticationToken"),
    ];
    for (code, english) in cases {
        let arm = CannedArm::new().on(
            &subscriptions_url(),
            401,
            &arm_error(code, "The access token is invalid."),
        );
        // A token that is not a JWT is sent as it is, and ARM decides.
        let token = format!("not-a-jwt-{TOKEN_SECRET_PART}");
        let ran = drive_with(
            &arm,
            &token,
            settings(),
            Side::Browser,
            &Observations::default(),
        );

        assert_eq!(ran.requests.len(), 1, "{code}");
        ran.assert(&[
            (CheckId::ArmToken, Status::Fail, Some(Code::ArmToken)),
            (CheckId::ArmRegistry, Status::Skipped, None),
            (CheckId::EncryptionIdentity, Status::Skipped, None),
        ]);
        let text = ran.text(CheckId::ArmToken, Lang::En);
        assert!(text.contains(english), "{code}: {text}");
        assert!(!ran.text(CheckId::ArmToken, Lang::Ko).is_empty());
    }
}

#[test]
fn network_failure_fails_the_token_check() {
    let outcomes = [
        (
            Outcome::Network {
                detail: "connection refused".into(),
            },
            "connection refused",
        ),
        (Outcome::CorsBlocked, "CORS"),
        (Outcome::TimedOut { after_ms: 10_000 }, "10000 ms"),
    ];
    for (outcome, detail) in outcomes {
        let arm = CannedArm::new().failing(&subscriptions_url(), outcome);
        let ran = drive_with(
            &arm,
            &valid_token(),
            settings(),
            Side::Browser,
            &Observations::default(),
        );

        ran.assert(&[
            (CheckId::ArmToken, Status::Fail, None),
            (CheckId::ArmRegistry, Status::Skipped, None),
            (CheckId::NetworkRules, Status::Skipped, None),
        ]);
        let text = ran.text(CheckId::ArmToken, Lang::En);
        assert!(text.contains(detail), "{text}");
        assert!(text.contains(&subscriptions_url()), "{text}");
        assert!(ran.text(CheckId::ArmToken, Lang::Ko).contains("ARM URL"));
    }
}

#[test]
fn network_failure_later_fails_that_check() {
    let arm = CannedArm::new().failing(
        &registries_url(LAB_SUB),
        Outcome::Network {
            detail: "reset".into(),
        },
    );
    let ran = drive(&arm, &Observations::default());

    ran.assert(&[
        (CheckId::ArmToken, Status::Pass, None),
        (CheckId::ArmRegistry, Status::Fail, None),
        (CheckId::PrivateEndpoints, Status::Skipped, None),
    ]);
    assert!(ran
        .text(CheckId::PrivateEndpoints, Lang::En)
        .contains("earlier"));
}

#[test]
fn server_error_is_named() {
    let arm = CannedArm::new().on(
        &subscriptions_url(),
        500,
        &arm_error("InternalServerError", "try later"),
    );
    let ran = drive(&arm, &Observations::default());

    ran.assert(&[(CheckId::ArmToken, Status::Fail, None)]);
    both_languages_contain(&ran, CheckId::ArmToken, "HTTP 500");
    both_languages_contain(&ran, CheckId::ArmToken, "InternalServerError");
}

#[test]
fn unreadable_answer_names_field() {
    let broken = json!({"value": [{"subscriptionId": 7}]});
    let arm = CannedArm::new().on(&subscriptions_url(), 200, &broken);
    let ran = drive(&arm, &Observations::default());

    ran.assert(&[(CheckId::ArmToken, Status::Fail, None)]);
    both_languages_contain(&ran, CheckId::ArmToken, "value[0].subscriptionId");
}

#[test]
fn rejected_base_url_sends_nothing() {
    let settings = ArmSettings {
        base_url: "https://evil.invalid".to_owned(),
        registry_name: None,
    };
    let ran = drive_with(
        &CannedArm::new(),
        &valid_token(),
        settings,
        Side::Browser,
        &Observations::default(),
    );

    assert!(ran.requests.is_empty());
    ran.assert(&[(CheckId::ArmToken, Status::Fail, None)]);
    both_languages_contain(&ran, CheckId::ArmToken, "evil.invalid");
}

#[test]
fn next_link_is_followed_within_base() {
    let next = format!("{ARM}/subscriptions?api-version=2022-12-01&%24skiptoken=page2");
    let first = json!({"value": [{"subscriptionId": EMPTY_SUB, "displayName": "lab-empty"}], "nextLink": next});
    let second = json!({"value": [{"subscriptionId": LAB_SUB, "displayName": "lab-registries"}]});
    let arm = CannedArm::with_registry(lab_registry())
        .on(&subscriptions_url(), 200, &first)
        .on(&next, 200, &second);
    let ran = drive(&arm, &Observations::default());

    assert_eq!(
        ran.urls(),
        [
            subscriptions_url(),
            next,
            registries_url(EMPTY_SUB),
            registries_url(LAB_SUB)
        ]
    );
    ran.assert(&[(CheckId::ArmRegistry, Status::Pass, None)]);
}

#[test]
fn next_link_to_other_host_is_not_followed() {
    let first = json!({
        "value": [{"subscriptionId": LAB_SUB, "displayName": "lab-registries"}],
        "nextLink": "https://evil.invalid/subscriptions?page=2"
    });
    let arm = CannedArm::with_registry(lab_registry()).on(&subscriptions_url(), 200, &first);
    let ran = drive(&arm, &Observations::default());

    assert!(
        ran.urls().iter().all(|url| url.starts_with(ARM)),
        "{:?}",
        ran.urls()
    );
    ran.assert(&[(CheckId::ArmRegistry, Status::Pass, None)]);
}

#[test]
fn endless_next_links_end() {
    // Every page links to another; the run stops after MAX_PAGES pages.
    let mut arm = CannedArm::new();
    for page in 1..=(u32::from(MAX_PAGES) + 5) {
        let url = if page == 1 {
            subscriptions_url()
        } else {
            format!("{ARM}/subscriptions?api-version=2022-12-01&page={page}")
        };
        let next = format!(
            "{ARM}/subscriptions?api-version=2022-12-01&page={}",
            page + 1
        );
        arm = arm.on(&url, 200, &json!({"value": [], "nextLink": next}));
    }
    let ran = drive(&arm, &Observations::default());

    assert_eq!(ran.requests.len(), usize::from(MAX_PAGES));
    ran.assert(&[(CheckId::ArmRegistry, Status::Fail, Some(Code::LoginServer))]);
}

#[test]
fn observe_reports_token_and_registry_before_finish() {
    let arm = CannedArm::with_registry(lab_registry());
    let mut run = ArmRun::new(server(), valid_token(), settings(), Side::Machine, NOW_MS);
    let mut early = Vec::new();
    while let Some(request) = run.next_request() {
        early.extend(run.observe(arm.respond(&request), 10, NOW_MS));
    }
    let checks: Vec<CheckId> = early.iter().map(|r| r.check).collect();
    assert_eq!(checks, [CheckId::ArmToken, CheckId::ArmRegistry]);

    let rest: Vec<CheckId> = run
        .finish(&Observations::default())
        .iter()
        .map(|r| r.check)
        .collect();
    assert_eq!(
        rest,
        [
            CheckId::NetworkRules,
            CheckId::PrivateEndpoints,
            CheckId::EncryptionIdentity
        ]
    );
}

#[test]
fn token_source_failure_results() {
    let results = token_source_failed(
        TokenSourceFailure::AzNotLoggedIn,
        "ERROR: Please run 'az login' to setup account.".to_owned(),
        Side::Machine,
        NOW_MS,
    );

    let checks: Vec<(CheckId, Status, Option<Code>)> = results
        .iter()
        .map(|r| (r.check, r.status, r.code))
        .collect();
    assert_eq!(
        checks,
        [
            (CheckId::ArmToken, Status::Fail, Some(Code::ArmToken)),
            (CheckId::ArmRegistry, Status::Skipped, None),
            (CheckId::NetworkRules, Status::Skipped, None),
            (CheckId::PrivateEndpoints, Status::Skipped, None),
            (CheckId::EncryptionIdentity, Status::Skipped, None),
        ]
    );
    assert!(results[0]
        .finding
        .localize(Lang::En)
        .contains("Run az login"));
    assert!(results[0]
        .finding
        .localize(Lang::Ko)
        .contains("az login을 실행"));
}

fn result(
    check: CheckId,
    side: Side,
    status: Status,
    code: Option<Code>,
    finding: Finding,
    evidence: &[(&str, &str)],
) -> CheckResult {
    CheckResult {
        check,
        side,
        status,
        code,
        finding,
        evidence: evidence
            .iter()
            .map(|(l, v)| Evidence::new(*l, *v))
            .collect(),
        elapsed_ms: 0,
    }
}

#[test]
fn observations_from_results() {
    let forbidden = result(
        CheckId::Challenge,
        Side::Machine,
        Status::Fail,
        Some(Code::ConnectivityForbidden),
        RegistryFinding::Forbidden {
            url: "http://127.0.0.1:5000/v2/".into(),
            client_ip: Some("127.0.0.1".into()),
            message: None,
        }
        .into(),
        &[("status", "403"), ("client_ip", "127.0.0.1")],
    );
    let dns = result(
        CheckId::Dns,
        Side::Machine,
        Status::Pass,
        None,
        crate::rules::environment::EnvironmentFinding::ProxyNone.into(),
        &[
            ("host", "127.0.0.1"),
            ("address", "127.0.0.1 (loopback)"),
            ("address", "::1 (loopback)"),
        ],
    );
    let data = result(
        CheckId::DataPath,
        Side::Machine,
        Status::Fail,
        Some(Code::ConnectivityDataEndpoint),
        RegistryFinding::RequestFailed {
            url: "https://labreg.westeurope.data.azurecr.io/blob?sig=x".into(),
            failure: crate::rules::registry::Failure::Network {
                detail: "refused".into(),
            },
        }
        .into(),
        &[],
    );

    let seen = Observations::from_results(&[forbidden.clone(), dns.clone(), data.clone()]);
    assert!(seen.forbidden);
    assert_eq!(
        seen.client_ip,
        Some("127.0.0.1".parse::<IpAddr>().expect("an IP"))
    );
    assert_eq!(
        seen.dns_addresses,
        Some(vec![
            "127.0.0.1".parse().expect("an IP"),
            "::1".parse().expect("an IP")
        ])
    );
    assert_eq!(
        seen.data_path_failed_host.as_deref(),
        Some("labreg.westeurope.data.azurecr.io")
    );

    let browser_only = Observations::from_results(&[forbidden]);
    assert_eq!(browser_only.dns_addresses, None);
    assert_eq!(Observations::from_results(&[]), Observations::default());
}

#[test]
fn observations_ignore_other_403s() {
    let denied_pull = result(
        CheckId::DataPath,
        Side::Browser,
        Status::Fail,
        Some(Code::ConnectivityForbidden),
        RegistryFinding::SkippedAfterFailure.into(),
        &[],
    );
    assert!(!Observations::from_results(&[denied_pull]).forbidden);
}

#[test]
fn network_allow_without_client_ip() {
    let arm = CannedArm::with_registry(deny_registry(&["203.0.113.0/24", "127.0.0.1"]));
    let answered = Observations {
        login_server_answered: true,
        ..Observations::default()
    };

    for side in [Side::Machine, Side::Browser] {
        let ran = drive_with(&arm, &valid_token(), settings(), side, &answered);
        ran.assert(&[(CheckId::NetworkRules, Status::Pass, None)]);
        both_languages_contain(&ran, CheckId::NetworkRules, "203.0.113.0/24, 127.0.0.1");
        assert!(ran
            .text(CheckId::NetworkRules, Lang::En)
            .contains("without 403"));
        assert!(ran
            .text(CheckId::NetworkRules, Lang::Ko)
            .contains("403 없이"));
    }
}

#[test]
fn network_unknown_ip_wording_per_side() {
    let arm = CannedArm::with_registry(deny_registry(&["203.0.113.0/24"]));

    let machine = drive(&arm, &Observations::default());
    machine.assert(&[(CheckId::NetworkRules, Status::Warning, None)]);
    let english = machine.text(CheckId::NetworkRules, Lang::En);
    assert!(
        english.contains("this machine's public address"),
        "{english}"
    );
    assert!(!english.contains("browser"), "{english}");
    assert!(machine
        .text(CheckId::NetworkRules, Lang::Ko)
        .contains("이 머신의 공인 IP"));
}

#[test]
fn failed_data_endpoint_matches_without_port() {
    let registry = registry_with(|r| {
        *r = deny_registry(&["203.0.113.0/24"]);
        r["properties"]["dataEndpointHostNames"] = json!(["127.0.0.1:5001"]);
    });
    let seen = Observations {
        data_path_failed_host: Some("127.0.0.1".to_owned()),
        ..forbidden_from("198.51.100.7")
    };
    let ran = drive(&CannedArm::with_registry(registry), &seen);

    both_languages_contain(&ran, CheckId::NetworkRules, "127.0.0.1:5001");

    let storage = Observations {
        data_path_failed_host: Some("labstorage.blob.core.windows.net".to_owned()),
        ..forbidden_from("198.51.100.7")
    };
    let ran = drive(
        &CannedArm::with_registry(deny_registry(&["203.0.113.0/24"])),
        &storage,
    );
    assert!(!ran
        .text(CheckId::NetworkRules, Lang::En)
        .contains("data path"));
}

#[test]
fn observations_see_the_answered_challenge() {
    let challenge = result(
        CheckId::Challenge,
        Side::Browser,
        Status::Pass,
        None,
        RegistryFinding::ChallengeIssued {
            url: "http://127.0.0.1:5000/v2/".into(),
            realm: "http://127.0.0.1:5000/oauth2/token".into(),
            service: "127.0.0.1:5000".into(),
        }
        .into(),
        &[("status", "401")],
    );
    assert!(Observations::from_results(&[challenge]).login_server_answered);
    assert!(!Observations::from_results(&[]).login_server_answered);
}

/// Builds a report of ARM results as the page does, for the share and render tests.
fn report_of(results: Vec<CheckResult>) -> crate::Report {
    crate::Report {
        format: crate::report::REPORT_FORMAT,
        tool_version: "0.1.0".into(),
        registry: "127.0.0.1:5000".into(),
        cloud: "custom".into(),
        started_at_ms: NOW_MS,
        browser: Some("Chrome 143".into()),
        helper_version: None,
        results,
    }
}

#[test]
fn share_link_round_trips_without_token() {
    let arm = CannedArm::with_registry(deny_registry(&["203.0.113.0/24"]));
    let ran = drive(&arm, &forbidden_from("127.0.0.1"));
    let report = report_of(ran.results);

    let link = crate::share::link("http://127.0.0.1:8080/", &report);

    assert!(!link.contains(TOKEN_SECRET_PART));
    assert_eq!(crate::share::decode_link(&link), Ok(report.clone()));
    let hidden = crate::share::anonymize(&report);
    assert_eq!(
        crate::share::decode(&crate::share::encode(&hidden)),
        Ok(hidden)
    );
}

#[test]
fn renderers_show_arm_checks() {
    let arm = CannedArm::with_registry(deny_registry(&["203.0.113.0/24"]));
    let ran = drive(&arm, &forbidden_from("127.0.0.1"));
    let report = report_of(ran.results);

    let text = crate::render::to_text(&report, Lang::En);
    let markdown = crate::render::markdown::to_markdown(&report, Lang::Ko);
    let json = crate::render::to_json(&report);

    for title in [
        "ARM access token",
        "Registry in Azure",
        "Network rules",
        "CONNECTIVITY_FORBIDDEN_ERROR",
    ] {
        assert!(text.contains(title), "text lacks {title}: {text}");
    }
    for title in [
        "ARM 액세스 토큰",
        "Azure의 레지스트리",
        "네트워크 규칙",
        "203.0.113.0/24",
    ] {
        assert!(
            markdown.contains(title),
            "markdown lacks {title}: {markdown}"
        );
    }
    assert!(json.contains("\"network_rules\""), "{json}");
    assert_eq!(crate::render::from_json(&json).ok(), Some(report));
    for rendered in [text, markdown, json] {
        assert!(!rendered.contains(TOKEN_SECRET_PART));
    }
}

#[test]
fn scrubber_removes_token_echoed_by_arm() {
    // An ARM error that quotes the token back must not carry it into a result.
    let token = valid_token();
    let body = arm_error(
        "InvalidAuthenticationToken",
        &format!("The token '{token}' is invalid."),
    );
    let arm = CannedArm::new().on(&subscriptions_url(), 401, &body);

    let ran = drive(&arm, &Observations::default());

    ran.assert(&[(CheckId::ArmToken, Status::Fail, Some(Code::ArmToken))]);
}

#[test]
fn finish_twice_reports_nothing_new() {
    let arm = CannedArm::with_registry(lab_registry());
    let mut run = ArmRun::new(server(), valid_token(), settings(), Side::Browser, NOW_MS);
    while let Some(request) = run.next_request() {
        let _ = run.observe(arm.respond(&request), 10, NOW_MS);
    }

    assert_eq!(run.finish(&Observations::default()).len(), 3);
    assert!(run.finish(&Observations::default()).is_empty());
    assert!(
        run.observe(Outcome::CorsBlocked, 1, NOW_MS).is_empty(),
        "an outcome without a request is ignored"
    );
}

#[test]
fn abandoned_run_skips_the_rest() {
    let mut run = ArmRun::new(server(), valid_token(), settings(), Side::Browser, NOW_MS);
    let request = run.next_request().expect("the subscription list");
    let _ = run.observe(answer(&request.url, 200, &subscriptions()), 10, NOW_MS);

    let rest = run.finish(&Observations::default());

    let statuses: Vec<(CheckId, Status)> = rest.iter().map(|r| (r.check, r.status)).collect();
    assert_eq!(
        statuses,
        [
            (CheckId::ArmRegistry, Status::Skipped),
            (CheckId::NetworkRules, Status::Skipped),
            (CheckId::PrivateEndpoints, Status::Skipped),
            (CheckId::EncryptionIdentity, Status::Skipped),
        ]
    );
    assert!(run.next_request().is_none(), "finish ends the run");
}

#[test]
fn registry_list_pages_past_a_decoy() {
    let next = format!("{}&%24skiptoken=page-2", registries_url(LAB_SUB));
    let decoy = registry_with(|r| {
        r["name"] = json!("otherreg");
        r["id"] = json!(REGISTRY_ID.replace("labreg", "otherreg"));
        r["properties"]["loginServer"] = json!("otherreg.azurecr.io");
    });
    let arm = CannedArm::new()
        .on(
            &registries_url(LAB_SUB),
            200,
            &json!({"value": [decoy], "nextLink": next}),
        )
        .on(&next, 200, &list(vec![lab_registry()]));
    let ran = drive(&arm, &Observations::default());

    assert_eq!(
        ran.urls(),
        [
            subscriptions_url(),
            registries_url(EMPTY_SUB),
            registries_url(LAB_SUB),
            next
        ]
    );
    ran.assert(&[(CheckId::ArmRegistry, Status::Pass, None)]);
    both_languages_contain(&ran, CheckId::ArmRegistry, "labreg");
}
