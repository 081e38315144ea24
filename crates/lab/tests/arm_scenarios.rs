//! Every ARM scenario over real HTTP: what a client that searches the subscriptions as the ARM
//! checks do finds, and the documents it reads next (private endpoint, identity).

mod common;

use acr_health_lab::arm::resources::{
    cmk_identity_id, registry_id, ALLOWING_IP_RULE, CMK_IDENTITY_CLIENT_ID,
    CMK_IDENTITY_PRINCIPAL_ID, DENYING_IP_RULE, EMPTY_SUBSCRIPTION_ID, KEY_IDENTIFIER,
    MISMATCHED_PRIVATE_IP, REGISTRY_NAME, REGISTRY_SUBSCRIPTION_ID,
};
use acr_health_lab::{ArmScenario, Lab, LabConfig, Scenario};
use common::{Answer, Call};
use serde_json::{json, Value};

/// The maximum number of pages a search follows, because a client must bound it.
const MAX_PAGES: usize = 10;

/// How a registry is identified in the search.
enum Lookup<'a> {
    LoginServer(&'a str),
    Name(&'a str),
}

/// The outcome of a search across every subscription.
#[derive(Debug)]
enum Search {
    Found(Value),
    NotFound { searched: Vec<String> },
    Refused(Answer),
}

fn start(arm: ArmScenario) -> Lab {
    let lab = Lab::start(LabConfig::default()).expect("the lab starts");
    lab.set_arm_scenario(arm);
    lab
}

async fn get(url: &str, token: &str) -> Answer {
    Call::get(url).bearer(token).send().await.unwrap()
}

/// Reads a list and every page after it, returning the items, or the first non-200 response.
async fn list_all(first: String, token: &str) -> Result<Vec<Value>, Answer> {
    let mut items = Vec::new();
    let mut next = Some(first);
    for _ in 0..MAX_PAGES {
        let Some(url) = next.take() else {
            return Ok(items);
        };
        let answer = get(&url, token).await;
        if answer.status != 200 {
            return Err(answer);
        }
        let page = answer.json();
        items.extend(page["value"].as_array().unwrap().iter().cloned());
        next = page["nextLink"].as_str().map(str::to_string);
    }
    panic!("the list did not end within {MAX_PAGES} pages");
}

/// Searches the token's subscriptions for the registry as the ARM checks do.
async fn search(lab: &Lab, lookup: Lookup<'_>) -> Search {
    let token = lab.arm_token(false);
    let base = lab.arm_url();
    let subscriptions = list_all(
        format!("{base}/subscriptions?api-version=2022-12-01"),
        &token,
    )
    .await
    .expect("the subscription list answers");

    let mut searched = Vec::new();
    for subscription in subscriptions {
        let id = subscription["subscriptionId"].as_str().unwrap().to_string();
        let url = format!("{base}/subscriptions/{id}/providers/Microsoft.ContainerRegistry/registries?api-version=2023-07-01");
        let registries = match list_all(url, &token).await {
            Ok(registries) => registries,
            Err(answer) => return Search::Refused(answer),
        };
        searched.push(id);
        let found = registries.into_iter().find(|registry| match lookup {
            Lookup::LoginServer(login_server) => registry["properties"]["loginServer"]
                .as_str()
                .is_some_and(|value| value.eq_ignore_ascii_case(login_server)),
            Lookup::Name(name) => registry["name"]
                .as_str()
                .is_some_and(|value| value.eq_ignore_ascii_case(name)),
        });
        if let Some(registry) = found {
            return Search::Found(registry);
        }
    }
    Search::NotFound { searched }
}

/// Finds the registry by the lab's login server, failing the test otherwise.
async fn found(lab: &Lab) -> Value {
    match search(lab, Lookup::LoginServer(&lab.login_server())).await {
        Search::Found(registry) => registry,
        other => panic!("labreg not found: {other:?}"),
    }
}

/// Reads an ARM resource by id with the API version the checks use for its type.
async fn resource(lab: &Lab, id: &str, api_version: &str) -> Answer {
    let url = format!("{}{id}?api-version={api_version}", lab.arm_url());
    get(&url, &lab.arm_token(false)).await
}

#[tokio::test]
async fn found_describes_registry() {
    let lab = start(ArmScenario::Found);
    let registry = found(&lab).await;
    let properties = &registry["properties"];

    assert_eq!(registry["name"], REGISTRY_NAME);
    assert_eq!(registry["id"], registry_id());
    assert_eq!(registry["type"], "Microsoft.ContainerRegistry/registries");
    assert!(registry["location"].as_str().is_some());
    assert_eq!(registry["sku"]["name"], "Premium");
    assert!(registry.get("identity").is_none(), "{registry}");

    assert_eq!(properties["loginServer"], lab.login_server());
    assert_eq!(properties["adminUserEnabled"], true);
    assert_eq!(properties["anonymousPullEnabled"], false);
    assert_eq!(properties["publicNetworkAccess"], "Enabled");
    assert_eq!(properties["networkRuleSet"]["defaultAction"], "Allow");
    assert_eq!(properties["networkRuleSet"]["ipRules"], json!([]));
    assert_eq!(properties["networkRuleBypassOptions"], "AzureServices");
    assert_eq!(properties["dataEndpointEnabled"], true);
    assert_eq!(
        properties["dataEndpointHostNames"],
        json!([lab.storage_addr().to_string()])
    );
    assert_eq!(properties["privateEndpointConnections"], json!([]));
    assert_eq!(properties["encryption"], json!({ "status": "disabled" }));
}

#[tokio::test]
async fn found_follows_anonymous_pull() {
    let lab = start(ArmScenario::Found);
    lab.set_scenario(Scenario::AnonymousPull).unwrap();
    let registry = found(&lab).await;
    assert_eq!(registry["properties"]["anonymousPullEnabled"], true);
}

#[tokio::test]
async fn found_by_name_too() {
    let lab = start(ArmScenario::Found);
    let Search::Found(registry) = search(&lab, Lookup::Name("LabReg")).await else {
        panic!("labreg not found by name");
    };
    assert_eq!(registry["properties"]["loginServer"], lab.login_server());
}

#[tokio::test]
async fn registry_resource_readable() {
    let lab = start(ArmScenario::Found);
    let answer = resource(&lab, &registry_id(), "2023-07-01").await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.json(), found(&lab).await);
}

#[tokio::test]
async fn not_found_searches_both() {
    let lab = start(ArmScenario::NotFound);
    match search(&lab, Lookup::LoginServer(&lab.login_server())).await {
        Search::NotFound { searched } => {
            assert_eq!(searched, [EMPTY_SUBSCRIPTION_ID, REGISTRY_SUBSCRIPTION_ID]);
        }
        other => panic!("expected not found, got {other:?}"),
    }
    let answer = resource(&lab, &registry_id(), "2023-07-01").await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.json()["error"]["code"], "ResourceNotFound");
}

#[tokio::test]
async fn forbidden_refuses_registry_list() {
    let lab = start(ArmScenario::Forbidden);
    let Search::Refused(answer) = search(&lab, Lookup::LoginServer(&lab.login_server())).await
    else {
        panic!("expected a refusal");
    };
    assert_eq!(answer.status, 403, "{}", answer.text());
    assert_eq!(answer.json()["error"]["code"], "AuthorizationFailed");
    let message = answer.json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("'Microsoft.ContainerRegistry/registries/read'"),
        "{message}"
    );
    assert!(
        message.contains(&format!(
            "over scope '/subscriptions/{EMPTY_SUBSCRIPTION_ID}'"
        )),
        "{message}"
    );

    let direct = resource(&lab, &registry_id(), "2023-07-01").await;
    assert_eq!(direct.status, 403);
}

#[tokio::test]
async fn other_cloud_login_server() {
    let lab = start(ArmScenario::OtherCloud);
    assert!(matches!(
        search(&lab, Lookup::LoginServer(&lab.login_server())).await,
        Search::NotFound { .. }
    ));
    let Search::Found(registry) = search(&lab, Lookup::Name(REGISTRY_NAME)).await else {
        panic!("labreg not found by name");
    };
    assert_eq!(registry["properties"]["loginServer"], "labreg.azurecr.cn");
}

#[tokio::test]
async fn cmk_present_identity_exists() {
    let lab = start(ArmScenario::CmkPresent);
    let registry = found(&lab).await;
    let encryption = &registry["properties"]["encryption"];
    assert_eq!(encryption["status"], "enabled");
    assert_eq!(
        encryption["keyVaultProperties"]["keyIdentifier"],
        KEY_IDENTIFIER
    );
    assert_eq!(
        encryption["keyVaultProperties"]["identity"],
        CMK_IDENTITY_CLIENT_ID
    );
    assert_eq!(registry["identity"]["type"], "UserAssigned");
    let assigned = &registry["identity"]["userAssignedIdentities"][cmk_identity_id()];
    assert_eq!(assigned["clientId"], CMK_IDENTITY_CLIENT_ID);
    assert_eq!(assigned["principalId"], CMK_IDENTITY_PRINCIPAL_ID);

    let identity = resource(&lab, &cmk_identity_id(), "2023-01-31").await;
    assert_eq!(identity.status, 200, "{}", identity.text());
    let identity = identity.json();
    assert_eq!(identity["id"], cmk_identity_id());
    assert_eq!(
        identity["type"],
        "Microsoft.ManagedIdentity/userAssignedIdentities"
    );
    assert_eq!(identity["properties"]["clientId"], CMK_IDENTITY_CLIENT_ID);
    assert_eq!(
        identity["properties"]["principalId"],
        CMK_IDENTITY_PRINCIPAL_ID
    );
}

#[tokio::test]
async fn cmk_deleted_identity_missing() {
    let lab = start(ArmScenario::CmkDeleted);
    let registry = found(&lab).await;
    assert_eq!(registry["properties"]["encryption"]["status"], "enabled");
    assert_eq!(
        registry["properties"]["encryption"]["keyVaultProperties"]["identity"],
        CMK_IDENTITY_CLIENT_ID
    );
    // ARM keeps the deleted identity in the registry's map.
    assert!(registry["identity"]["userAssignedIdentities"]
        .get(cmk_identity_id())
        .is_some());

    let identity = resource(&lab, &cmk_identity_id(), "2023-01-31").await;
    assert_eq!(identity.status, 404, "{}", identity.text());
    assert_eq!(identity.json()["error"]["code"], "ResourceNotFound");
    let message = identity.json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("'Microsoft.ManagedIdentity/userAssignedIdentities/labreg-cmk'"),
        "{message}"
    );
}

#[tokio::test]
async fn cmk_system_identity_removed() {
    let lab = start(ArmScenario::CmkSystemRemoved);
    let registry = found(&lab).await;
    let encryption = &registry["properties"]["encryption"];
    assert_eq!(encryption["status"], "enabled");
    assert_eq!(
        encryption["keyVaultProperties"]["keyIdentifier"],
        KEY_IDENTIFIER
    );
    assert!(
        encryption["keyVaultProperties"].get("identity").is_none(),
        "{encryption}"
    );
    assert_eq!(registry["identity"], json!({ "type": "None" }));
}

#[tokio::test]
async fn network_deny_excludes_client() {
    let lab = start(ArmScenario::NetworkDeny);
    let registry = found(&lab).await;
    let properties = &registry["properties"];
    assert_eq!(properties["publicNetworkAccess"], "Enabled");
    assert_eq!(properties["networkRuleSet"]["defaultAction"], "Deny");
    assert_eq!(
        properties["networkRuleSet"]["ipRules"],
        json!([{ "action": "Allow", "value": DENYING_IP_RULE }])
    );

    // The paired registry scenario's 403 names the client the rules leave out.
    lab.set_scenario(Scenario::FirewallV2).unwrap();
    let denied = Call::get(format!("{}/v2/", lab.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status, 403);
    let message = denied.json()["errors"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("'127.0.0.1'"), "{message}");
}

#[tokio::test]
async fn network_allow_includes_client() {
    let lab = start(ArmScenario::NetworkAllow);
    let registry = found(&lab).await;
    let rules = &registry["properties"]["networkRuleSet"];
    assert_eq!(rules["defaultAction"], "Deny");
    assert_eq!(
        rules["ipRules"],
        json!([
            { "action": "Allow", "value": DENYING_IP_RULE },
            { "action": "Allow", "value": ALLOWING_IP_RULE },
        ])
    );
}

#[tokio::test]
async fn public_access_disabled() {
    let lab = start(ArmScenario::PublicAccessDisabled);
    let registry = found(&lab).await;
    assert_eq!(registry["properties"]["publicNetworkAccess"], "Disabled");
    assert_eq!(
        registry["properties"]["privateEndpointConnections"],
        json!([])
    );
}

/// Follows the registry's only private endpoint connection and returns the endpoint's custom
/// DNS configs.
async fn custom_dns_configs(lab: &Lab) -> Value {
    let registry = found(lab).await;
    let connections = registry["properties"]["privateEndpointConnections"]
        .as_array()
        .unwrap();
    assert_eq!(connections.len(), 1, "{registry}");
    let connection = &connections[0]["properties"];
    assert_eq!(
        connection["privateLinkServiceConnectionState"]["status"],
        "Approved"
    );
    let endpoint_id = connection["privateEndpoint"]["id"].as_str().unwrap();

    let endpoint = resource(lab, endpoint_id, "2023-09-01").await;
    assert_eq!(endpoint.status, 200, "{}", endpoint.text());
    let endpoint = endpoint.json();
    assert_eq!(endpoint["id"], endpoint_id);
    assert_eq!(endpoint["type"], "Microsoft.Network/privateEndpoints");
    endpoint["properties"]["customDnsConfigs"].clone()
}

#[tokio::test]
async fn private_endpoint_matches_loopback() {
    let lab = start(ArmScenario::PrivateEndpointMatch);
    assert_eq!(
        custom_dns_configs(&lab).await,
        json!([{ "fqdn": "127.0.0.1", "ipAddresses": ["127.0.0.1"] }])
    );
}

#[tokio::test]
async fn private_endpoint_mismatches() {
    let lab = start(ArmScenario::PrivateEndpointMismatch);
    assert_eq!(
        custom_dns_configs(&lab).await,
        json!([{ "fqdn": "127.0.0.1", "ipAddresses": [MISMATCHED_PRIVATE_IP] }])
    );
}

#[tokio::test]
async fn no_private_endpoint_elsewhere() {
    let lab = start(ArmScenario::Found);
    let id = format!("/subscriptions/{REGISTRY_SUBSCRIPTION_ID}/resourceGroups/lab-network/providers/Microsoft.Network/privateEndpoints/labreg-pe");
    let answer = resource(&lab, &id, "2023-09-01").await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.json()["error"]["code"], "ResourceNotFound");
}

#[tokio::test]
async fn every_scenario_answers() {
    let lab = start(ArmScenario::Found);
    for (scenario, info) in ArmScenario::ALL {
        let put = Call::get(format!("{}/scenario", lab.control_url()))
            .json_body(
                "PUT",
                &format!(
                    r#"{{"name":"{}","arm":"{}"}}"#,
                    info.registry_scenario, info.name
                ),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(put.status, 200, "{}: {}", info.name, put.text());
        assert_eq!(lab.arm_scenario(), scenario);

        let lookup = match info.registry_name {
            Some(name) => Lookup::Name(name),
            None => Lookup::LoginServer(&lab.login_server()),
        };
        let outcome = search(&lab, lookup).await;
        let expected = match scenario {
            ArmScenario::NotFound => "not found",
            ArmScenario::Forbidden => "refused",
            _ => "found",
        };
        let actual = match outcome {
            Search::Found(_) => "found",
            Search::NotFound { .. } => "not found",
            Search::Refused(_) => "refused",
        };
        assert_eq!(actual, expected, "{}", info.name);
    }
}
