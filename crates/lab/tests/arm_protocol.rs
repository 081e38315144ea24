//! The ARM listener's protocol over real HTTP: bearer validation with ARM's error codes, CORS,
//! `api-version`, paging across the two subscriptions, and the control API's ARM parts.

mod common;

use acr_health_lab::arm::resources::{
    DECOY_REGISTRY_NAME, EMPTY_SUBSCRIPTION_ID, REGISTRY_NAME, REGISTRY_SUBSCRIPTION_ID, TENANT_ID,
};
use acr_health_lab::arm::ALLOWED_AUDIENCES;
use acr_health_lab::{ArmScenario, Lab, LabConfig};
use common::{claims, Answer, Call};
use serde_json::Value;

const SUBSCRIPTIONS: &str = "/subscriptions?api-version=2022-12-01";

fn start() -> Lab {
    Lab::start(LabConfig::default()).expect("the lab starts")
}

fn registries_path(subscription: &str) -> String {
    format!("/subscriptions/{subscription}/providers/Microsoft.ContainerRegistry/registries?api-version=2023-07-01")
}

async fn get(url: String, token: &str) -> Answer {
    Call::get(url).bearer(token).send().await.unwrap()
}

async fn arm_get(lab: &Lab, path: &str, token: &str) -> Answer {
    get(format!("{}{path}", lab.arm_url()), token).await
}

async fn mint(lab: &Lab, body: &str) -> Answer {
    Call::get(format!("{}/arm-token", lab.control_url()))
        .json_body("POST", body)
        .send()
        .await
        .unwrap()
}

async fn minted(lab: &Lab, body: &str) -> String {
    let answer = mint(lab, body).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    answer.json()["access_token"].as_str().unwrap().to_string()
}

/// Asserts an ARM 401 with `code` and a `WWW-Authenticate` Bearer challenge, and returns the
/// message.
fn assert_unauthorized(answer: &Answer, code: &str) -> String {
    assert_eq!(answer.status, 401, "{}", answer.text());
    assert_eq!(answer.json()["error"]["code"], code, "{}", answer.text());
    let challenge = answer.header("www-authenticate").unwrap_or_default();
    assert!(
        challenge.starts_with("Bearer ") && challenge.contains("error=\"invalid_token\""),
        "{challenge}"
    );
    answer.json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_string()
}

fn names(list: &Value) -> Vec<String> {
    list["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            item.get("name")
                .or_else(|| item.get("subscriptionId"))
                .and_then(Value::as_str)
                .unwrap()
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn valid_token_lists_subscriptions() {
    let lab = start();
    let answer = arm_get(&lab, SUBSCRIPTIONS, &lab.arm_token(false)).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert!(answer
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
}

#[tokio::test]
async fn missing_token_is_invalid() {
    let lab = start();
    let answer = Call::get(format!("{}{SUBSCRIPTIONS}", lab.arm_url()))
        .send()
        .await
        .unwrap();
    let message = assert_unauthorized(&answer, "InvalidAuthenticationToken");
    assert!(
        message.contains("'Authorization' header is missing"),
        "{message}"
    );
}

#[tokio::test]
async fn garbage_tokens_are_invalid() {
    let lab = start();
    let valid = lab.arm_token(false);
    let (unsigned, _) = valid.rsplit_once('.').unwrap();
    let forged = format!("{unsigned}.AAAA");

    for token in ["not-a-jwt", "a.b.c", forged.as_str()] {
        let answer = arm_get(&lab, SUBSCRIPTIONS, token).await;
        let message = assert_unauthorized(&answer, "InvalidAuthenticationToken");
        assert_eq!(message, "The access token is invalid.", "{token}");
    }

    let basic = Call::get(format!("{}{SUBSCRIPTIONS}", lab.arm_url()))
        .basic("user", "password")
        .send()
        .await
        .unwrap();
    assert_unauthorized(&basic, "InvalidAuthenticationToken");
}

#[tokio::test]
async fn expired_token_is_named() {
    let lab = start();
    let token = minted(&lab, r#"{"expired":true}"#).await;
    let answer = arm_get(&lab, SUBSCRIPTIONS, &token).await;
    let message = assert_unauthorized(&answer, "ExpiredAuthenticationToken");
    assert!(
        message.starts_with("The access token expiry UTC time '"),
        "{message}"
    );
    assert!(
        message.contains("' is earlier than current UTC time '"),
        "{message}"
    );
}

#[tokio::test]
async fn wrong_audience_is_named() {
    let lab = start();
    let token = minted(&lab, r#"{"audience":"https://vault.azure.net"}"#).await;
    let answer = arm_get(&lab, SUBSCRIPTIONS, &token).await;
    let message = assert_unauthorized(&answer, "InvalidAuthenticationTokenAudience");
    assert!(
        message.contains("wrong audience or resource 'https://vault.azure.net'"),
        "{message}"
    );
    assert!(
        message.contains("'https://management.azure.com/'"),
        "{message}"
    );
}

#[tokio::test]
async fn every_management_audience_accepted() {
    let lab = start();
    for audience in ALLOWED_AUDIENCES {
        let token = lab.arm_token_for(audience, false);
        let answer = arm_get(&lab, SUBSCRIPTIONS, &token).await;
        assert_eq!(answer.status, 200, "{audience}: {}", answer.text());
    }
}

#[tokio::test]
async fn minted_token_claims() {
    let lab = start();
    let token = minted(&lab, "").await;
    let fresh = claims(&token);
    assert_eq!(fresh["aud"], "https://management.azure.com/");
    assert_eq!(fresh["tid"], TENANT_ID);
    assert!(fresh["oid"].as_str().is_some_and(|oid| !oid.is_empty()));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!(fresh["exp"].as_i64().unwrap() > now);

    let expired = claims(&minted(&lab, r#"{"expired":true}"#).await);
    assert!(expired["exp"].as_i64().unwrap() < now);

    let other = minted(&lab, r#"{"audience":"https://graph.microsoft.com"}"#).await;
    assert_eq!(claims(&other)["aud"], "https://graph.microsoft.com");
}

#[tokio::test]
async fn arm_token_body_errors() {
    let lab = start();
    let unknown = mint(&lab, r#"{"expires":true}"#).await;
    assert_eq!(unknown.status, 400);
    assert!(unknown.text().contains("expires"), "{}", unknown.text());

    let broken = mint(&lab, "{expired").await;
    assert_eq!(broken.status, 400);
    assert!(
        broken.json()["error"]
            .as_str()
            .unwrap()
            .contains("POST /arm-token"),
        "{}",
        broken.text()
    );
}

#[tokio::test]
async fn arm_token_works_at_exchange() {
    let lab = start();
    let token = minted(&lab, "").await;
    let exchange = Call::post_form(
        format!("{}/oauth2/exchange", lab.base_url()),
        &[
            ("grant_type", "access_token"),
            ("service", &lab.login_server()),
            ("access_token", &token),
        ],
    )
    .send()
    .await
    .unwrap();
    assert_eq!(exchange.status, 200, "{}", exchange.text());
}

#[tokio::test]
async fn preflight_answered_before_auth() {
    let lab = start();
    let answer = Call::get(format!("{}{SUBSCRIPTIONS}", lab.arm_url()))
        .method("OPTIONS")
        .header("origin", "https://portal.example.test")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("https://portal.example.test")
    );
    let methods = answer.header("access-control-allow-methods").unwrap();
    assert!(
        methods.split(", ").any(|method| method == "GET"),
        "{methods}"
    );
    let headers = answer.header("access-control-allow-headers").unwrap();
    assert!(headers.eq_ignore_ascii_case("authorization"), "{headers}");
    assert_eq!(answer.header("access-control-allow-credentials"), None);
}

#[tokio::test]
async fn cors_on_success_and_error() {
    let lab = start();
    let origin = "http://127.0.0.1:8765";

    let ok = Call::get(format!("{}{SUBSCRIPTIONS}", lab.arm_url()))
        .header("origin", origin)
        .bearer(&lab.arm_token(false))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status, 200);
    assert_eq!(ok.header("access-control-allow-origin"), Some(origin));

    // The page must read a 401's error code, so errors carry CORS headers too.
    let rejected = Call::get(format!("{}{SUBSCRIPTIONS}", lab.arm_url()))
        .header("origin", origin)
        .bearer(&lab.arm_token(true))
        .send()
        .await
        .unwrap();
    assert_eq!(rejected.status, 401);
    assert_eq!(rejected.header("access-control-allow-origin"), Some(origin));
    let exposed = rejected.header("access-control-expose-headers").unwrap();
    assert!(exposed.contains("WWW-Authenticate"), "{exposed}");
}

#[tokio::test]
async fn api_version_required() {
    let lab = start();
    let answer = arm_get(&lab, "/subscriptions", &lab.arm_token(false)).await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.json()["error"]["code"], "MissingApiVersionParameter");
}

#[tokio::test]
async fn only_get_is_served() {
    let lab = start();
    let answer = Call::get(format!("{}{SUBSCRIPTIONS}", lab.arm_url()))
        .bearer(&lab.arm_token(false))
        .json_body("PUT", "{}")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status, 405);
    assert_eq!(answer.json()["error"]["code"], "MethodNotAllowed");
}

#[tokio::test]
async fn subscriptions_page_in_two() {
    let lab = start();
    let token = lab.arm_token(false);

    let first = arm_get(&lab, SUBSCRIPTIONS, &token).await.json();
    assert_eq!(names(&first), [EMPTY_SUBSCRIPTION_ID]);
    let subscription = &first["value"][0];
    assert_eq!(subscription["state"], "Enabled");
    assert_eq!(subscription["tenantId"], TENANT_ID);
    assert_eq!(
        subscription["id"],
        format!("/subscriptions/{EMPTY_SUBSCRIPTION_ID}")
    );
    assert!(subscription["displayName"].as_str().is_some());

    let next = first["nextLink"].as_str().expect("a nextLink");
    assert!(next.starts_with(&lab.arm_url()), "{next}");
    assert!(next.contains("api-version=2022-12-01"), "{next}");
    let second = get(next.to_string(), &token).await.json();
    assert_eq!(names(&second), [REGISTRY_SUBSCRIPTION_ID]);
    assert!(second.get("nextLink").is_none(), "{second}");
}

#[tokio::test]
async fn next_link_keeps_request_host() {
    let lab = start();
    let localhost = lab.arm_url().replace("127.0.0.1", "localhost");
    let first = get(format!("{localhost}{SUBSCRIPTIONS}"), &lab.arm_token(false))
        .await
        .json();
    let next = first["nextLink"].as_str().expect("a nextLink");
    assert!(
        next.starts_with(&format!("{localhost}/subscriptions?")),
        "{next}"
    );
}

#[tokio::test]
async fn registry_list_pages_in_two() {
    let lab = start();
    let token = lab.arm_token(false);

    let empty = arm_get(&lab, &registries_path(EMPTY_SUBSCRIPTION_ID), &token).await;
    assert_eq!(empty.status, 200);
    assert_eq!(empty.json()["value"], serde_json::json!([]));
    assert!(empty.json().get("nextLink").is_none());

    let first = arm_get(&lab, &registries_path(REGISTRY_SUBSCRIPTION_ID), &token)
        .await
        .json();
    assert_eq!(names(&first), [DECOY_REGISTRY_NAME]);
    let next = first["nextLink"].as_str().expect("a nextLink");
    assert!(next.contains("api-version=2023-07-01"), "{next}");
    let second = get(next.to_string(), &token).await.json();
    assert_eq!(names(&second), [REGISTRY_NAME]);
    assert!(second.get("nextLink").is_none(), "{second}");
}

#[tokio::test]
async fn bad_skip_token_rejected() {
    let lab = start();
    let answer = arm_get(
        &lab,
        &format!("{SUBSCRIPTIONS}&%24skiptoken=page-9"),
        &lab.arm_token(false),
    )
    .await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.json()["error"]["code"], "InvalidSkipToken");
}

#[tokio::test]
async fn paths_match_without_case() {
    let lab = start();
    let token = lab.arm_token(false);
    let path = registries_path(REGISTRY_SUBSCRIPTION_ID)
        .replace("Microsoft.ContainerRegistry", "microsoft.containerregistry")
        .replace("/subscriptions/", "/SUBSCRIPTIONS/");
    let answer = arm_get(&lab, &path, &token).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(names(&answer.json()), [DECOY_REGISTRY_NAME]);
}

#[tokio::test]
async fn unknown_subscription_not_found() {
    let lab = start();
    let answer = arm_get(
        &lab,
        &registries_path("00000000-1111-2222-3333-444444444444"),
        &lab.arm_token(false),
    )
    .await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.json()["error"]["code"], "SubscriptionNotFound");
}

#[tokio::test]
async fn unknown_resource_not_found() {
    let lab = start();
    let path = format!("/subscriptions/{REGISTRY_SUBSCRIPTION_ID}/resourceGroups/lab-rg/providers/Microsoft.ContainerRegistry/registries/nosuchreg?api-version=2023-07-01");
    let answer = arm_get(&lab, &path, &lab.arm_token(false)).await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.json()["error"]["code"], "ResourceNotFound");
    let message = answer.json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains(
            "'Microsoft.ContainerRegistry/registries/nosuchreg' under resource group 'lab-rg'"
        ),
        "{message}"
    );
}

#[tokio::test]
async fn state_shows_arm() {
    let lab = start();
    let control = lab.control_url();
    let state = Call::get(format!("{control}/state"))
        .send()
        .await
        .unwrap()
        .json();
    assert_eq!(state["arm"], "found");
    assert_eq!(state["arm_url"], lab.arm_url());
}

#[tokio::test]
async fn put_scenario_sets_arm() {
    let lab = start();
    let control = lab.control_url();

    let put = Call::get(format!("{control}/scenario"))
        .json_body("PUT", r#"{"name":"firewall-v2","arm":"network-deny"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(put.status, 200, "{}", put.text());
    assert_eq!(put.json()["arm"], "network-deny");
    assert_eq!(lab.arm_scenario(), ArmScenario::NetworkDeny);
    let state = Call::get(format!("{control}/state"))
        .send()
        .await
        .unwrap()
        .json();
    assert_eq!(state["scenario"], "firewall-v2");
    assert_eq!(state["arm"], "network-deny");

    // A PUT replaces every setting, so leaving out `arm` restores `found`.
    let put = Call::get(format!("{control}/scenario"))
        .json_body("PUT", r#"{"name":"healthy"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(put.status, 200, "{}", put.text());
    assert_eq!(lab.arm_scenario(), ArmScenario::Found);
}

#[tokio::test]
async fn unknown_arm_scenario_rejected() {
    let lab = start();
    lab.set_arm_scenario(ArmScenario::CmkDeleted);
    let answer = Call::get(format!("{}/scenario", lab.control_url()))
        .json_body("PUT", r#"{"name":"firewall-v2","arm":"cmk-lost"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status, 400);
    let error = answer.json()["error"].as_str().unwrap().to_string();
    assert!(error.contains("unknown ARM scenario 'cmk-lost'"), "{error}");

    // Nothing switched: neither the registry scenario nor the ARM scenario.
    assert_eq!(lab.arm_scenario(), ArmScenario::CmkDeleted);
    assert_eq!(lab.current().scenario, acr_health_lab::Scenario::Healthy);
}

#[tokio::test]
async fn arm_scenarios_listed() {
    let lab = start();
    let list = Call::get(format!("{}/arm-scenarios", lab.control_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status, 200);
    let list = list.json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), ArmScenario::ALL.len());

    let deny = list
        .iter()
        .find(|entry| entry["name"] == "network-deny")
        .unwrap();
    assert_eq!(deny["check"], "NetworkRules");
    assert_eq!(deny["expected_code"], "CONNECTIVITY_FORBIDDEN_ERROR");
    assert_eq!(deny["registry_scenario"], "firewall-v2");

    let mismatch = list
        .iter()
        .find(|entry| entry["name"] == "private-endpoint-mismatch")
        .unwrap();
    assert_eq!(mismatch["expected_code"], "CONNECTIVITY_DNS_ERROR");
    assert_eq!(mismatch["browser_code"], Value::Null);

    let other_cloud = list
        .iter()
        .find(|entry| entry["name"] == "other-cloud")
        .unwrap();
    assert_eq!(other_cloud["registry_name"], "labreg");
}

#[test]
fn config_sets_arm_scenario() {
    let lab = Lab::start(LabConfig {
        arm_scenario: ArmScenario::PublicAccessDisabled,
        ..LabConfig::default()
    })
    .expect("the lab starts");
    assert_eq!(lab.arm_scenario(), ArmScenario::PublicAccessDisabled);
    assert_eq!(lab.summary()["arm_scenario"], "public-access-disabled");
}

#[test]
fn arm_scenario_switch_by_name() {
    let lab = start();
    lab.set_arm_scenario_named("cmk-system-removed").unwrap();
    assert_eq!(lab.arm_scenario(), ArmScenario::CmkSystemRemoved);
    let error = lab.set_arm_scenario_named("cmk-gone").unwrap_err();
    assert!(error.to_string().contains("'cmk-gone'"), "{error}");
}
