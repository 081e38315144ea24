//! The ARM documents the lab serves: subscriptions, registries, a private endpoint and a
//! user-assigned identity, in the JSON shapes real ARM returns for the API versions the checks
//! use (subscriptions 2022-12-01, registries 2023-07-01, private endpoints 2023-09-01,
//! user-assigned identities 2023-01-31).
//!
//! Field names, nesting and value spellings follow ARM, including its mixed casing: encryption
//! `status` is lower-case `enabled`, `publicNetworkAccess` is `Enabled`. Values that identify
//! the lab (login server, data endpoint) come from the running lab; everything else is fixed so
//! tests can name it.

use serde_json::{json, Value};

use super::scenario::ArmScenario;

/// The registry the checks look for.
pub const REGISTRY_NAME: &str = "labreg";
/// The tenant of both subscriptions, and of ARM tokens minted without a tenant.
pub const TENANT_ID: &str = "3b5c1e2a-0d6f-4c1e-9a7b-1a2b3c4d5e6f";
/// The first subscription listed. It contains no registry, so a search must go on to the next.
pub const EMPTY_SUBSCRIPTION_ID: &str = "6f1c2b9e-5a4d-4e3b-8c2a-1d0e9f8a7b61";
pub const EMPTY_SUBSCRIPTION_NAME: &str = "Lab Empty Subscription";
/// The second subscription, listed on the second page. It contains `labreg` and a decoy.
pub const REGISTRY_SUBSCRIPTION_ID: &str = "c4a8e2f0-3b7d-4a91-9e65-2f1b0d3c8e47";
pub const REGISTRY_SUBSCRIPTION_NAME: &str = "Lab Registry Subscription";
pub const RESOURCE_GROUP: &str = "lab-rg";
/// The registry on the first page of the registry list, which no lab login server matches.
pub const DECOY_REGISTRY_NAME: &str = "otherreg";

/// The private endpoint of the `private-endpoint-*` scenarios.
pub const PRIVATE_ENDPOINT_NAME: &str = "labreg-pe";
/// The address the `private-endpoint-mismatch` endpoint maps the login server host to.
pub const MISMATCHED_PRIVATE_IP: &str = "10.20.30.40";

/// The user-assigned identity of the `cmk-present` and `cmk-deleted` scenarios.
pub const CMK_IDENTITY_NAME: &str = "labreg-cmk";
pub const CMK_IDENTITY_CLIENT_ID: &str = "9d2f4e61-7a3b-4c85-b0e9-6a1d2c3b4f50";
pub const CMK_IDENTITY_PRINCIPAL_ID: &str = "5e7a9c1b-2d4f-4a60-8b3e-0c9d8e7f6a51";
/// The key vault key the customer-managed key scenarios name. No one connects to it.
pub const KEY_IDENTIFIER: &str = "https://labvault.vault.test/keys/labkey";

/// The IP rule that does not contain the lab's clients.
pub const DENYING_IP_RULE: &str = "203.0.113.0/24";
/// The IP rule that contains the lab's clients.
pub const ALLOWING_IP_RULE: &str = "127.0.0.1";

/// The values of a running lab that its ARM documents contain.
#[derive(Clone, Debug)]
pub struct LabFacts {
    /// The base URL of the ARM listener as the client addressed it, for `nextLink`.
    pub arm_base: String,
    /// The login server's authority, `127.0.0.1:PORT`.
    pub login_server: String,
    /// The storage listener's authority, served as the registry's data endpoint.
    pub data_endpoint: String,
    /// Whether the registry scenario in force grants anonymous pull.
    pub anonymous_pull: bool,
}

impl LabFacts {
    /// Returns the host of the login server, without the port.
    pub fn login_host(&self) -> &str {
        self.login_server
            .rsplit_once(':')
            .map_or(self.login_server.as_str(), |(host, _)| host)
    }
}

/// Returns the ARM resource id of `labreg`.
pub fn registry_id() -> String {
    format!(
        "/subscriptions/{REGISTRY_SUBSCRIPTION_ID}/resourceGroups/{RESOURCE_GROUP}/providers/Microsoft.ContainerRegistry/registries/{REGISTRY_NAME}"
    )
}

/// Returns the ARM resource id of the private endpoint.
pub fn private_endpoint_id() -> String {
    format!(
        "/subscriptions/{REGISTRY_SUBSCRIPTION_ID}/resourceGroups/lab-network/providers/Microsoft.Network/privateEndpoints/{PRIVATE_ENDPOINT_NAME}"
    )
}

/// Returns the ARM resource id of the customer-managed key's user-assigned identity.
pub fn cmk_identity_id() -> String {
    format!(
        "/subscriptions/{REGISTRY_SUBSCRIPTION_ID}/resourceGroups/lab-identity/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{CMK_IDENTITY_NAME}"
    )
}

/// Returns a subscription as `GET /subscriptions` lists it.
pub fn subscription(id: &str, display_name: &str) -> Value {
    json!({
        "id": format!("/subscriptions/{id}"),
        "authorizationSource": "RoleBased",
        "managedByTenants": [],
        "subscriptionId": id,
        "tenantId": TENANT_ID,
        "displayName": display_name,
        "state": "Enabled",
        "subscriptionPolicies": {
            "locationPlacementId": "Public_2014-09-01",
            "quotaId": "PayAsYouGo_2014-09-01",
            "spendingLimit": "Off"
        }
    })
}

/// Returns the display name of a lab subscription, or `None` for any other id.
pub fn subscription_name(id: &str) -> Option<&'static str> {
    if id.eq_ignore_ascii_case(EMPTY_SUBSCRIPTION_ID) {
        Some(EMPTY_SUBSCRIPTION_NAME)
    } else if id.eq_ignore_ascii_case(REGISTRY_SUBSCRIPTION_ID) {
        Some(REGISTRY_SUBSCRIPTION_NAME)
    } else {
        None
    }
}

/// Returns `labreg` as ARM describes it in `scenario`, or `None` when it does not exist.
pub fn registry(scenario: ArmScenario, facts: &LabFacts) -> Option<Value> {
    use ArmScenario as A;

    if scenario == A::NotFound {
        return None;
    }
    let (login_server, location, data_endpoint) = match scenario {
        A::OtherCloud => (
            "labreg.azurecr.cn".to_string(),
            "chinanorth3",
            "labreg.chinanorth3.data.azurecr.cn".to_string(),
        ),
        _ => (
            facts.login_server.clone(),
            "koreacentral",
            facts.data_endpoint.clone(),
        ),
    };
    let (default_action, ip_rules) = match scenario {
        A::NetworkDeny => ("Deny", vec![ip_rule(DENYING_IP_RULE)]),
        A::NetworkAllow => (
            "Deny",
            vec![ip_rule(DENYING_IP_RULE), ip_rule(ALLOWING_IP_RULE)],
        ),
        _ => ("Allow", Vec::new()),
    };
    let public_network_access = match scenario {
        A::PublicAccessDisabled => "Disabled",
        _ => "Enabled",
    };
    let private_endpoint_connections = match scenario {
        A::PrivateEndpointMatch | A::PrivateEndpointMismatch => {
            vec![private_endpoint_connection()]
        }
        _ => Vec::new(),
    };

    let mut document = json!({
        "sku": { "name": "Premium", "tier": "Premium" },
        "type": "Microsoft.ContainerRegistry/registries",
        "id": registry_id(),
        "name": REGISTRY_NAME,
        "location": location,
        "tags": {},
        "systemData": system_data(),
        "properties": {
            "loginServer": login_server,
            "creationDate": "2025-03-14T09:26:53.1428571Z",
            "provisioningState": "Succeeded",
            "adminUserEnabled": true,
            "networkRuleSet": { "defaultAction": default_action, "ipRules": ip_rules },
            "policies": policies(),
            "encryption": encryption(scenario),
            "dataEndpointEnabled": true,
            "dataEndpointHostNames": [data_endpoint],
            "privateEndpointConnections": private_endpoint_connections,
            "publicNetworkAccess": public_network_access,
            "networkRuleBypassOptions": "AzureServices",
            "zoneRedundancy": "Disabled",
            "anonymousPullEnabled": facts.anonymous_pull,
            "metadataSearch": "Disabled"
        }
    });
    if let Some(identity) = registry_identity(scenario) {
        document["identity"] = identity;
    }
    Some(document)
}

/// Returns the registry on the first page of the list: a Basic registry in another resource
/// group, which neither the name `labreg` nor the lab's login server matches.
pub fn decoy_registry() -> Value {
    json!({
        "sku": { "name": "Basic", "tier": "Basic" },
        "type": "Microsoft.ContainerRegistry/registries",
        "id": format!("/subscriptions/{REGISTRY_SUBSCRIPTION_ID}/resourceGroups/lab-archive/providers/Microsoft.ContainerRegistry/registries/{DECOY_REGISTRY_NAME}"),
        "name": DECOY_REGISTRY_NAME,
        "location": "koreasouth",
        "tags": { "purpose": "archive" },
        "systemData": system_data(),
        "properties": {
            "loginServer": format!("{DECOY_REGISTRY_NAME}.azurecr.io"),
            "creationDate": "2023-11-02T04:12:09.5714285Z",
            "provisioningState": "Succeeded",
            "adminUserEnabled": false,
            "policies": policies(),
            "encryption": { "status": "disabled" },
            "dataEndpointEnabled": false,
            "dataEndpointHostNames": [],
            "privateEndpointConnections": [],
            "publicNetworkAccess": "Enabled",
            "networkRuleBypassOptions": "AzureServices",
            "zoneRedundancy": "Disabled",
            "anonymousPullEnabled": false,
            "metadataSearch": "Disabled"
        }
    })
}

/// Returns the private endpoint as the network provider describes it, or `None` when the
/// scenario has none.
pub fn private_endpoint(scenario: ArmScenario, facts: &LabFacts) -> Option<Value> {
    let address = match scenario {
        ArmScenario::PrivateEndpointMatch => "127.0.0.1",
        ArmScenario::PrivateEndpointMismatch => MISMATCHED_PRIVATE_IP,
        _ => return None,
    };
    let id = private_endpoint_id();
    Some(json!({
        "name": PRIVATE_ENDPOINT_NAME,
        "id": id,
        "etag": "W/\"4f2b8c1e-9a7d-4e36-b5c0-d1e2f3a4b5c6\"",
        "type": "Microsoft.Network/privateEndpoints",
        "location": "koreacentral",
        "properties": {
            "provisioningState": "Succeeded",
            "resourceGuid": "a3c5e7f9-1b2d-4c6e-8f0a-2b4d6f8a0c1e",
            "privateLinkServiceConnections": [{
                "name": PRIVATE_ENDPOINT_NAME,
                "id": format!("{id}/privateLinkServiceConnections/{PRIVATE_ENDPOINT_NAME}"),
                "etag": "W/\"4f2b8c1e-9a7d-4e36-b5c0-d1e2f3a4b5c6\"",
                "type": "Microsoft.Network/privateEndpoints/privateLinkServiceConnections",
                "properties": {
                    "provisioningState": "Succeeded",
                    "privateLinkServiceId": registry_id(),
                    "groupIds": ["registry"],
                    "privateLinkServiceConnectionState": {
                        "status": "Approved",
                        "description": "Auto-Approved",
                        "actionsRequired": "None"
                    }
                }
            }],
            "manualPrivateLinkServiceConnections": [],
            "subnet": {
                "id": format!("/subscriptions/{REGISTRY_SUBSCRIPTION_ID}/resourceGroups/lab-network/providers/Microsoft.Network/virtualNetworks/lab-vnet/subnets/default")
            },
            "ipConfigurations": [],
            "networkInterfaces": [{
                "id": format!("/subscriptions/{REGISTRY_SUBSCRIPTION_ID}/resourceGroups/lab-network/providers/Microsoft.Network/networkInterfaces/{PRIVATE_ENDPOINT_NAME}.nic.7c9e1a3b-5d2f-4b80-a6c4-e8f0a2b4c6d8")
            }],
            "customNetworkInterfaceName": "",
            // NOTE: a real registry endpoint also lists each data endpoint's FQDN. The lab's
            // data endpoint is on the same host as its login server, so only one entry is served.
            "customDnsConfigs": [{
                "fqdn": facts.login_host(),
                "ipAddresses": [address]
            }]
        }
    }))
}

/// Returns the user-assigned identity of the customer-managed key, or `None` when the scenario
/// has no such identity or it was deleted.
pub fn cmk_identity(scenario: ArmScenario) -> Option<Value> {
    if scenario != ArmScenario::CmkPresent {
        return None;
    }
    Some(json!({
        "id": cmk_identity_id(),
        "name": CMK_IDENTITY_NAME,
        "type": "Microsoft.ManagedIdentity/userAssignedIdentities",
        "location": "koreacentral",
        "tags": {},
        "systemData": system_data(),
        "properties": {
            "isolationScope": "None",
            "tenantId": TENANT_ID,
            "principalId": CMK_IDENTITY_PRINCIPAL_ID,
            "clientId": CMK_IDENTITY_CLIENT_ID
        }
    }))
}

fn ip_rule(value: &str) -> Value {
    json!({ "action": "Allow", "value": value })
}

/// Returns the registry's `identity`, absent (as ARM leaves it) when the registry has none.
fn registry_identity(scenario: ArmScenario) -> Option<Value> {
    match scenario {
        // A deleted identity stays in the registry's map: ARM does not cascade the deletion.
        ArmScenario::CmkPresent | ArmScenario::CmkDeleted => Some(json!({
            "type": "UserAssigned",
            "userAssignedIdentities": {
                cmk_identity_id(): {
                    "principalId": CMK_IDENTITY_PRINCIPAL_ID,
                    "clientId": CMK_IDENTITY_CLIENT_ID
                }
            }
        })),
        // The system-assigned identity was removed after encryption was set up with it.
        ArmScenario::CmkSystemRemoved => Some(json!({ "type": "None" })),
        _ => None,
    }
}

/// Returns the registry's `encryption`. With the system-assigned identity, the key vault
/// properties carry no `identity`: that field contains the client id of a user-assigned identity.
fn encryption(scenario: ArmScenario) -> Value {
    let mut key_vault = json!({
        "keyIdentifier": KEY_IDENTIFIER,
        "versionedKeyIdentifier": format!("{KEY_IDENTIFIER}/0f9e8d7c6b5a49382716f5e4d3c2b1a0"),
        "keyRotationEnabled": true,
        "lastKeyRotationTimestamp": "2025-06-01T08:00:00.0000000Z"
    });
    match scenario {
        ArmScenario::CmkPresent | ArmScenario::CmkDeleted => {
            key_vault["identity"] = Value::from(CMK_IDENTITY_CLIENT_ID);
        }
        ArmScenario::CmkSystemRemoved => {}
        _ => return json!({ "status": "disabled" }),
    }
    json!({ "status": "enabled", "keyVaultProperties": key_vault })
}

fn private_endpoint_connection() -> Value {
    let name = format!("{PRIVATE_ENDPOINT_NAME}.2b6d0f4a-8c1e-4a3b-9d5f-7e0a1c3b5d7f");
    json!({
        "id": format!("{}/privateEndpointConnections/{name}", registry_id()),
        "name": name,
        "type": "Microsoft.ContainerRegistry/registries/privateEndpointConnections",
        "properties": {
            "privateEndpoint": { "id": private_endpoint_id() },
            "privateLinkServiceConnectionState": {
                "status": "Approved",
                "description": "Auto-Approved",
                "actionsRequired": "None"
            },
            "provisioningState": "Succeeded"
        }
    })
}

fn policies() -> Value {
    json!({
        "quarantinePolicy": { "status": "disabled" },
        "trustPolicy": { "type": "Notary", "status": "disabled" },
        "retentionPolicy": { "days": 7, "lastUpdatedTime": "2025-03-14T09:27:01.2857142Z", "status": "disabled" },
        "exportPolicy": { "status": "enabled" },
        "azureADAuthenticationAsArmPolicy": { "status": "enabled" },
        "softDeletePolicy": { "retentionDays": 7, "lastUpdatedTime": "2025-03-14T09:27:01.2857142Z", "status": "disabled" }
    })
}

fn system_data() -> Value {
    json!({
        "createdBy": "lab@contoso.test",
        "createdByType": "User",
        "createdAt": "2025-03-14T09:26:53.1428571Z",
        "lastModifiedBy": "lab@contoso.test",
        "lastModifiedByType": "User",
        "lastModifiedAt": "2025-06-01T08:00:00.0000000Z"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> LabFacts {
        LabFacts {
            arm_base: "http://127.0.0.1:5200".to_string(),
            login_server: "127.0.0.1:5000".to_string(),
            data_endpoint: "127.0.0.1:5001".to_string(),
            anonymous_pull: false,
        }
    }

    #[test]
    fn login_host_drops_port() {
        assert_eq!(facts().login_host(), "127.0.0.1");
    }

    #[test]
    fn found_has_no_identity_and_no_key() {
        let registry = registry(ArmScenario::Found, &facts()).unwrap();
        assert!(registry.get("identity").is_none());
        assert_eq!(
            registry["properties"]["encryption"],
            json!({ "status": "disabled" })
        );
    }

    #[test]
    fn not_found_has_no_registry() {
        assert!(registry(ArmScenario::NotFound, &facts()).is_none());
    }

    #[test]
    fn user_assigned_key_names_client_id() {
        let registry = registry(ArmScenario::CmkDeleted, &facts()).unwrap();
        let identity = &registry["properties"]["encryption"]["keyVaultProperties"]["identity"];
        assert_eq!(identity, CMK_IDENTITY_CLIENT_ID);
        let entry = &registry["identity"]["userAssignedIdentities"][cmk_identity_id()];
        assert_eq!(entry["clientId"], CMK_IDENTITY_CLIENT_ID);
    }

    #[test]
    fn system_key_has_no_identity_field() {
        let registry = registry(ArmScenario::CmkSystemRemoved, &facts()).unwrap();
        let key_vault = &registry["properties"]["encryption"]["keyVaultProperties"];
        assert!(key_vault.get("identity").is_none(), "{key_vault}");
        assert_eq!(registry["identity"]["type"], "None");
    }

    #[test]
    fn identity_exists_only_when_present() {
        for (scenario, _) in ArmScenario::ALL {
            assert_eq!(
                cmk_identity(scenario).is_some(),
                scenario == ArmScenario::CmkPresent,
                "{scenario}"
            );
        }
    }
}
