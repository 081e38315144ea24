use serde_json::json;

use super::*;

fn wrong(field: &str, expected: &str, found: &str) -> ArmParseError {
    ArmParseError::WrongType {
        field: field.to_owned(),
        expected: expected.to_owned(),
        found: found.to_owned(),
    }
}

fn missing(field: &str) -> ArmParseError {
    ArmParseError::Missing {
        field: field.to_owned(),
    }
}

#[test]
fn subscriptions_page() {
    let body = json!({
        "value": [
            {"subscriptionId": "s1", "displayName": "One", "state": "Enabled", "tenantId": "t"},
            {"subscriptionId": "s2"}
        ],
        "nextLink": "https://management.azure.com/subscriptions?page=2",
        "count": {"type": "Total", "value": 2}
    });
    let page = subscriptions(body.to_string().as_bytes()).expect("a subscription list parses");

    assert_eq!(
        page.items,
        [
            Subscription {
                id: "s1".into(),
                display_name: Some("One".into()),
                state: Some("Enabled".into()),
            },
            Subscription {
                id: "s2".into(),
                display_name: None,
                state: None,
            },
        ]
    );
    assert_eq!(
        page.next_link.as_deref(),
        Some("https://management.azure.com/subscriptions?page=2")
    );
}

#[test]
fn subscriptions_errors() {
    let cases: Vec<(&str, ArmParseError)> = vec![
        ("", ArmParseError::Empty),
        ("  \n", ArmParseError::Empty),
        ("[]", ArmParseError::NotAnObject),
        ("\"value\"", ArmParseError::NotAnObject),
        (
            "{\"value\": [",
            ArmParseError::InvalidJson {
                line: 1,
                column: 11,
            },
        ),
        (
            "not json",
            ArmParseError::InvalidJson { line: 1, column: 2 },
        ),
        (
            r#"{"value": {}}"#,
            wrong("value", "a list of objects", "an object"),
        ),
        (
            r#"{"value": ["s1"]}"#,
            wrong("value[0]", "an object", "a string"),
        ),
        (r#"{"value": [{}]}"#, missing("value[0].subscriptionId")),
        (
            r#"{"value": [{"subscriptionId": null}]}"#,
            missing("value[0].subscriptionId"),
        ),
        (
            r#"{"value": [{"subscriptionId": 7}]}"#,
            wrong("value[0].subscriptionId", "a string", "a number"),
        ),
        (
            r#"{"value": [{"subscriptionId": "s", "displayName": true}]}"#,
            wrong("value[0].displayName", "a string", "a boolean"),
        ),
        (
            r#"{"value": [], "nextLink": 3}"#,
            wrong("nextLink", "a string", "a number"),
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(
            subscriptions(body.as_bytes()),
            Err(expected),
            "body {body:?}"
        );
    }
}

#[test]
fn subscriptions_without_value_is_empty() {
    let page = subscriptions(br#"{"nextLink": "", "extra": 1}"#).expect("parses");
    assert!(page.items.is_empty());
    assert_eq!(page.next_link, None);
}

fn full_registry() -> serde_json::Value {
    json!({
        "id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/myreg",
        "name": "myreg",
        "type": "Microsoft.ContainerRegistry/registries",
        "location": "westeurope",
        "tags": {"team": "x"},
        "sku": {"name": "Premium", "tier": "Premium"},
        "identity": {
            "type": "SystemAssigned, UserAssigned",
            "principalId": "sys-principal",
            "tenantId": "t",
            "userAssignedIdentities": {
                "/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/key": {
                    "principalId": "user-principal",
                    "clientId": "user-client"
                }
            }
        },
        "properties": {
            "loginServer": "myreg.azurecr.io",
            "creationDate": "2024-01-01T00:00:00Z",
            "adminUserEnabled": false,
            "anonymousPullEnabled": true,
            "publicNetworkAccess": "Enabled",
            "networkRuleSet": {
                "defaultAction": "Deny",
                "ipRules": [{"action": "Allow", "value": "203.0.113.0/24"}, {"value": "198.51.100.7"}]
            },
            "networkRuleBypassOptions": "AzureServices",
            "dataEndpointEnabled": true,
            "dataEndpointHostNames": ["myreg.westeurope.data.azurecr.io"],
            "privateEndpointConnections": [{
                "id": "/subscriptions/s/.../privateEndpointConnections/pe.1",
                "properties": {
                    "privateEndpoint": {"id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/pe"},
                    "privateLinkServiceConnectionState": {"status": "Approved", "description": "ok"},
                    "provisioningState": "Succeeded"
                }
            }],
            "encryption": {
                "status": "enabled",
                "keyVaultProperties": {
                    "keyIdentifier": "https://v.vault.azure.net/keys/k/1",
                    "identity": "user-client",
                    "keyRotationEnabled": true
                }
            },
            "zoneRedundancy": "Disabled"
        }
    })
}

#[test]
fn registry_with_every_field() {
    let registry = registry(full_registry().to_string().as_bytes()).expect("a registry parses");

    assert_eq!(registry.name, "myreg");
    assert_eq!(registry.location.as_deref(), Some("westeurope"));
    assert_eq!(registry.sku.as_deref(), Some("Premium"));
    assert_eq!(registry.login_server.as_deref(), Some("myreg.azurecr.io"));
    assert_eq!(registry.admin_user_enabled, Some(false));
    assert_eq!(registry.anonymous_pull_enabled, Some(true));
    assert_eq!(registry.public_network_access.as_deref(), Some("Enabled"));
    assert_eq!(
        registry.network_rule_bypass_options.as_deref(),
        Some("AzureServices")
    );
    assert_eq!(registry.data_endpoint_enabled, Some(true));
    assert_eq!(
        registry.data_endpoint_host_names,
        ["myreg.westeurope.data.azurecr.io"]
    );

    let identity = registry.identity.expect("identity");
    assert!(identity.has_system_assigned());
    assert_eq!(identity.principal_id.as_deref(), Some("sys-principal"));
    assert_eq!(identity.user_assigned.len(), 1);
    assert_eq!(
        identity.user_assigned[0].client_id.as_deref(),
        Some("user-client")
    );
    assert!(identity.user_assigned[0]
        .resource_id
        .ends_with("/userAssignedIdentities/key"));

    let rules = registry.network_rule_set.expect("rules");
    assert_eq!(rules.default_action.as_deref(), Some("Deny"));
    assert_eq!(
        rules.ip_rules,
        [
            IpRule {
                action: Some("Allow".into()),
                value: "203.0.113.0/24".into()
            },
            IpRule {
                action: None,
                value: "198.51.100.7".into()
            },
        ]
    );

    let connection = &registry.private_endpoint_connections[0];
    assert!(connection
        .private_endpoint_id
        .as_deref()
        .is_some_and(|id| id.ends_with("/privateEndpoints/pe")));
    assert_eq!(connection.status.as_deref(), Some("Approved"));

    let encryption = registry.encryption.expect("encryption");
    assert!(encryption.is_enabled());
    assert_eq!(encryption.identity.as_deref(), Some("user-client"));
    assert_eq!(
        encryption.key_identifier.as_deref(),
        Some("https://v.vault.azure.net/keys/k/1")
    );
}

#[test]
fn registry_with_only_required_fields() {
    let registry = registry(br#"{"id": "/x", "name": "r"}"#).expect("parses");
    assert_eq!(
        registry,
        Registry {
            id: "/x".into(),
            name: "r".into(),
            ..Registry::default()
        }
    );
}

#[test]
fn registry_nulls_are_absent() {
    let body = json!({
        "id": "/x", "name": "r", "sku": null, "identity": null,
        "properties": {
            "loginServer": null, "networkRuleSet": null, "encryption": null,
            "privateEndpointConnections": null, "dataEndpointHostNames": null
        }
    });
    let registry = registry(body.to_string().as_bytes()).expect("parses");
    assert_eq!(registry.sku, None);
    assert_eq!(registry.identity, None);
    assert_eq!(registry.login_server, None);
    assert!(registry.private_endpoint_connections.is_empty());
}

#[test]
fn registry_errors_name_the_field() {
    let cases: Vec<(serde_json::Value, ArmParseError)> = vec![
        (json!({"name": "r"}), missing("id")),
        (json!({"id": "/x"}), missing("name")),
        (
            json!({"id": "/x", "name": 1}),
            wrong("name", "a string", "a number"),
        ),
        (
            json!({"id": "/x", "name": "r", "sku": "Premium"}),
            wrong("sku", "an object", "a string"),
        ),
        (
            json!({"id": "/x", "name": "r", "sku": {"name": 3}}),
            wrong("sku.name", "a string", "a number"),
        ),
        (
            json!({"id": "/x", "name": "r", "properties": []}),
            wrong("properties", "an object", "an array"),
        ),
        (
            json!({"id": "/x", "name": "r", "properties": {"adminUserEnabled": "true"}}),
            wrong("properties.adminUserEnabled", "a boolean", "a string"),
        ),
        (
            json!({"id": "/x", "name": "r", "properties": {"anonymousPullEnabled": 1}}),
            wrong("properties.anonymousPullEnabled", "a boolean", "a number"),
        ),
        (
            json!({"id": "/x", "name": "r", "properties": {"dataEndpointHostNames": "h"}}),
            wrong(
                "properties.dataEndpointHostNames",
                "a list of strings",
                "a string",
            ),
        ),
        (
            json!({"id": "/x", "name": "r", "properties": {"dataEndpointHostNames": ["h", 2]}}),
            wrong(
                "properties.dataEndpointHostNames[1]",
                "a string",
                "a number",
            ),
        ),
        (
            json!({"id": "/x", "name": "r", "properties": {"networkRuleSet": {"ipRules": [{"action": "Allow"}]}}}),
            missing("properties.networkRuleSet.ipRules[0].value"),
        ),
        (
            json!({"id": "/x", "name": "r", "properties": {"networkRuleSet": {"defaultAction": false}}}),
            wrong(
                "properties.networkRuleSet.defaultAction",
                "a string",
                "a boolean",
            ),
        ),
        (
            json!({"id": "/x", "name": "r", "properties": {"privateEndpointConnections": [{"properties": {"privateEndpoint": "pe"}}]}}),
            wrong(
                "properties.privateEndpointConnections[0].properties.privateEndpoint",
                "an object",
                "a string",
            ),
        ),
        (
            json!({"id": "/x", "name": "r", "properties": {"encryption": {"keyVaultProperties": {"identity": 5}}}}),
            wrong(
                "properties.encryption.keyVaultProperties.identity",
                "a string",
                "a number",
            ),
        ),
        (
            json!({"id": "/x", "name": "r", "identity": {"userAssignedIdentities": {"/id": "x"}}}),
            wrong(
                "identity.userAssignedIdentities[\"/id\"]",
                "an object",
                "a string",
            ),
        ),
        (
            json!({"id": "/x", "name": "r", "identity": {"type": ["SystemAssigned"]}}),
            wrong("identity.type", "a string", "an array"),
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(
            registry(body.to_string().as_bytes()),
            Err(expected),
            "body {body}"
        );
    }
}

#[test]
fn registries_page_names_item() {
    let body = json!({"value": [{"id": "/x", "name": "a"}, {"id": "/y"}]});
    assert_eq!(
        registries(body.to_string().as_bytes()),
        Err(missing("value[1].name"))
    );
    let page = registries(br#"{"value": [{"id": "/x", "name": "a"}]}"#).expect("parses");
    assert_eq!(page.items.len(), 1);
}

#[test]
fn private_endpoint_dns_configs() {
    let body = json!({
        "id": "/pe", "name": "pe",
        "properties": {
            "customDnsConfigs": [
                {"fqdn": "myreg.azurecr.io", "ipAddresses": ["10.0.0.5"]},
                {"fqdn": "myreg.westeurope.data.azurecr.io", "ipAddresses": ["10.0.0.6", "10.0.0.7"]}
            ],
            "networkInterfaces": [{"id": "/nic"}]
        }
    });
    let endpoint = private_endpoint(body.to_string().as_bytes()).expect("parses");
    assert_eq!(endpoint.name.as_deref(), Some("pe"));
    assert_eq!(
        endpoint.dns_configs,
        [
            DnsConfig {
                fqdn: "myreg.azurecr.io".into(),
                ip_addresses: vec!["10.0.0.5".into()]
            },
            DnsConfig {
                fqdn: "myreg.westeurope.data.azurecr.io".into(),
                ip_addresses: vec!["10.0.0.6".into(), "10.0.0.7".into()],
            },
        ]
    );
}

#[test]
fn private_endpoint_errors() {
    let cases: Vec<(serde_json::Value, ArmParseError)> = vec![
        (
            json!({"properties": {"customDnsConfigs": [{"ipAddresses": []}]}}),
            missing("properties.customDnsConfigs[0].fqdn"),
        ),
        (
            json!({"properties": {"customDnsConfigs": [{"fqdn": "f", "ipAddresses": "10.0.0.5"}]}}),
            wrong(
                "properties.customDnsConfigs[0].ipAddresses",
                "a list of strings",
                "a string",
            ),
        ),
        (
            json!({"properties": {"customDnsConfigs": {}}}),
            wrong(
                "properties.customDnsConfigs",
                "a list of objects",
                "an object",
            ),
        ),
        (
            json!({"properties": 1}),
            wrong("properties", "an object", "a number"),
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(
            private_endpoint(body.to_string().as_bytes()),
            Err(expected),
            "body {body}"
        );
    }
    let bare = private_endpoint(b"{}").expect("parses");
    assert!(bare.dns_configs.is_empty());
}

#[test]
fn managed_identity_fields() {
    let body = json!({"id": "/id", "name": "key", "properties": {"clientId": "c", "principalId": "p", "tenantId": "t"}});
    let identity = managed_identity(body.to_string().as_bytes()).expect("parses");
    assert_eq!(identity.client_id.as_deref(), Some("c"));
    assert_eq!(identity.principal_id.as_deref(), Some("p"));
    assert_eq!(
        managed_identity(br#"{"properties": {"clientId": 1}}"#),
        Err(wrong("properties.clientId", "a string", "a number"))
    );
}

#[test]
fn error_bodies() {
    let cases: Vec<(&str, Option<ArmError>)> = vec![
        (
            r#"{"error":{"code":"AuthorizationFailed","message":"no access"}}"#,
            Some(ArmError {
                code: "AuthorizationFailed".into(),
                message: "no access".into(),
            }),
        ),
        (
            r#"{"error":{"code":"ExpiredAuthenticationToken"}}"#,
            Some(ArmError {
                code: "ExpiredAuthenticationToken".into(),
                message: String::new(),
            }),
        ),
        (
            r#"{"error":{"code":5,"message":["x"],"details":[]}}"#,
            Some(ArmError {
                code: String::new(),
                message: String::new(),
            }),
        ),
        (r#"{"error":"InvalidAuthenticationToken"}"#, None),
        (r#"{"errors":[{"code":"DENIED"}]}"#, None),
        ("<html>bad gateway</html>", None),
        ("", None),
    ];
    for (body, expected) in cases {
        assert_eq!(error(body.as_bytes()), expected, "body {body:?}");
    }
}

#[test]
fn ip_range_parse_and_contains() {
    let cases = [
        ("203.0.113.0/24", "203.0.113.7", true),
        ("203.0.113.0/24", "203.0.114.7", false),
        ("203.0.113.7", "203.0.113.7", true),
        ("203.0.113.7", "203.0.113.8", false),
        ("127.0.0.1", "127.0.0.1", true),
        ("0.0.0.0/0", "198.51.100.1", true),
        ("203.0.113.0/24", "::ffff:203.0.113.9", true),
        ("203.0.113.0/24", "2001:db8::1", false),
        ("2001:db8::/32", "2001:db8:1::1", true),
        ("2001:db8::/32", "2001:db9::1", false),
        (" 10.0.0.0/8 ", "10.255.0.1", true),
    ];
    for (range, address, inside) in cases {
        let parsed = IpRange::parse(range).unwrap_or_else(|| panic!("{range} parses"));
        let address: IpAddr = address.parse().expect("an address");
        assert_eq!(
            parsed.contains(address),
            inside,
            "{range} contains {address}"
        );
    }
}

#[test]
fn ip_range_rejects() {
    for text in [
        "",
        "x",
        "203.0.113.0/33",
        "203.0.113.0/",
        "203.0.113.0/-1",
        "203.0.113.0/+8",
        "::/129",
        "1.2.3/8",
        "203.0.113.0/24/1",
    ] {
        assert_eq!(IpRange::parse(text), None, "text {text:?}");
    }
}

#[test]
fn parsers_survive_garbage() {
    let inputs: [&[u8]; 6] = [
        b"\xff\xfe",
        b"{",
        b"null",
        b"{\"value\":[null]}",
        b"{\"properties\":{\"encryption\":[]}}",
        b"[[[[[[]]]]]]",
    ];
    for input in inputs {
        let _ = subscriptions(input);
        let _ = registries(input);
        let _ = registry(input);
        let _ = private_endpoint(input);
        let _ = managed_identity(input);
        let _ = error(input);
    }
}

/// Builds JSON values shaped like ARM responses, with any type in any field.
fn json_value() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
    use proptest::prelude::*;
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        "[a-zA-Z0-9./:-]{0,12}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let key = prop_oneof![
            Just("value".to_owned()),
            Just("properties".to_owned()),
            Just("id".to_owned()),
            Just("name".to_owned()),
            Just("identity".to_owned()),
            Just("userAssignedIdentities".to_owned()),
            Just("networkRuleSet".to_owned()),
            Just("ipRules".to_owned()),
            Just("privateEndpointConnections".to_owned()),
            Just("customDnsConfigs".to_owned()),
            Just("encryption".to_owned()),
            Just("error".to_owned()),
            "[a-z]{1,6}",
        ];
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            proptest::collection::btree_map(key, inner, 0..5)
                .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest::proptest! {
    #[test]
    fn parsers_never_panic_on_bytes(body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..256)) {
        let _ = subscriptions(&body);
        let _ = registries(&body);
        let _ = registry(&body);
        let _ = private_endpoint(&body);
        let _ = managed_identity(&body);
        let _ = error(&body);
    }

    #[test]
    fn parsers_never_panic_on_json(value in json_value()) {
        let body = value.to_string();
        let _ = subscriptions(body.as_bytes());
        let _ = registries(body.as_bytes());
        let _ = registry(body.as_bytes());
        let _ = private_endpoint(body.as_bytes());
        let _ = managed_identity(body.as_bytes());
        let _ = error(body.as_bytes());
    }

    #[test]
    fn ip_range_never_panics(text in "[0-9a-f.:/]{0,48}") {
        if let Some(range) = IpRange::parse(&text) {
            proptest::prop_assert!(range.contains(range.network));
        }
    }
}
