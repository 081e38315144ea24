//! Azure Resource Manager responses: the subscription list, the registry list and resource, a
//! private endpoint, a user-assigned identity, and ARM error bodies.
//!
//! Every parser takes the body as received. Optional fields that are absent or `null` become
//! `None` (or an empty list); a field with the wrong JSON type is an error that names the field
//! by its JSON path, such as `properties.networkRuleSet.ipRules[0].value`. Unknown fields are
//! ignored, because ARM adds fields with every API version.

use std::fmt;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::token::type_name;

/// One subscription of `GET /subscriptions`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subscription {
    /// The subscription id, a GUID.
    pub id: String,
    pub display_name: Option<String>,
    /// `Enabled`, `Disabled`, `Warned`, `PastDue` or `Deleted`.
    pub state: Option<String>,
}

/// One page of a list: its items and the URL of the next page, if any.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_link: Option<String>,
}

/// A registry resource (`Microsoft.ContainerRegistry/registries`), with the fields the checks
/// use.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Registry {
    /// The resource id, `/subscriptions/<id>/resourceGroups/<group>/providers/...`.
    pub id: String,
    pub name: String,
    pub location: Option<String>,
    /// `sku.name`: `Basic`, `Standard` or `Premium`.
    pub sku: Option<String>,
    pub identity: Option<Identity>,
    /// `properties.loginServer`, such as `myreg.azurecr.io`.
    pub login_server: Option<String>,
    pub admin_user_enabled: Option<bool>,
    pub anonymous_pull_enabled: Option<bool>,
    /// `Enabled` or `Disabled`.
    pub public_network_access: Option<String>,
    pub network_rule_set: Option<NetworkRuleSet>,
    /// `AzureServices` or `None`.
    pub network_rule_bypass_options: Option<String>,
    pub data_endpoint_enabled: Option<bool>,
    pub data_endpoint_host_names: Vec<String>,
    pub private_endpoint_connections: Vec<PrivateEndpointConnection>,
    pub encryption: Option<Encryption>,
}

/// The managed identities of a resource.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Identity {
    /// `SystemAssigned`, `UserAssigned`, `SystemAssigned, UserAssigned` or `None`.
    pub kind: Option<String>,
    /// The principal id of the system-assigned identity.
    pub principal_id: Option<String>,
    pub user_assigned: Vec<UserAssignedIdentity>,
}

impl Identity {
    /// Tells whether `type` includes the system-assigned identity.
    pub fn has_system_assigned(&self) -> bool {
        self.kind.as_deref().is_some_and(|kind| {
            kind.split(',')
                .any(|part| part.trim().eq_ignore_ascii_case("SystemAssigned"))
        })
    }
}

/// One entry of `identity.userAssignedIdentities`, keyed by the identity's resource id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserAssignedIdentity {
    pub resource_id: String,
    pub principal_id: Option<String>,
    pub client_id: Option<String>,
}

/// `properties.networkRuleSet`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NetworkRuleSet {
    /// `Allow` or `Deny`.
    pub default_action: Option<String>,
    pub ip_rules: Vec<IpRule>,
}

/// One IP rule: an address or a CIDR range that the registry allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IpRule {
    /// `Allow`, the only action ARM defines.
    pub action: Option<String>,
    /// An IPv4 address or CIDR range as written in the rule, such as `203.0.113.0/24`.
    pub value: String,
}

/// One entry of `properties.privateEndpointConnections`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrivateEndpointConnection {
    pub id: Option<String>,
    /// `properties.privateEndpoint.id`, the private endpoint's own resource id.
    pub private_endpoint_id: Option<String>,
    /// `properties.privateLinkServiceConnectionState.status`: `Approved`, `Pending`,
    /// `Rejected` or `Disconnected`.
    pub status: Option<String>,
}

/// `properties.encryption`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Encryption {
    /// `enabled` when a customer-managed key is in use, else `disabled`.
    pub status: Option<String>,
    /// `keyVaultProperties.keyIdentifier`, the key's URL in Key Vault.
    pub key_identifier: Option<String>,
    /// `keyVaultProperties.identity`: the client id of the user-assigned identity that reads
    /// the key, or the system identity's principal id, or absent for the system identity.
    pub identity: Option<String>,
}

impl Encryption {
    /// Tells whether a customer-managed key is in use.
    pub fn is_enabled(&self) -> bool {
        self.status
            .as_deref()
            .is_some_and(|status| status.eq_ignore_ascii_case("enabled"))
    }
}

/// A private endpoint resource (`Microsoft.Network/privateEndpoints`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrivateEndpoint {
    pub id: Option<String>,
    pub name: Option<String>,
    /// `properties.customDnsConfigs`: the names clients must resolve to the endpoint's
    /// addresses.
    pub dns_configs: Vec<DnsConfig>,
}

/// One entry of `customDnsConfigs`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnsConfig {
    pub fqdn: String,
    /// The addresses as written by ARM; entries that are not IP addresses are kept as text.
    pub ip_addresses: Vec<String>,
}

/// A user-assigned identity resource (`Microsoft.ManagedIdentity/userAssignedIdentities`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ManagedIdentity {
    pub id: Option<String>,
    pub name: Option<String>,
    pub client_id: Option<String>,
    pub principal_id: Option<String>,
}

/// An ARM error body: `{"error":{"code":"AuthorizationFailed","message":"..."}}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArmError {
    pub code: String,
    pub message: String,
}

/// The reason an ARM response could not be read. No variant holds text from the body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArmParseError {
    /// The body is empty.
    Empty,
    /// The body is not JSON; the first error is at this line and column.
    InvalidJson { line: usize, column: usize },
    /// The JSON is valid but not an object.
    NotAnObject,
    /// A required field is absent or `null`.
    Missing { field: String },
    /// A field has the wrong JSON type.
    WrongType {
        field: String,
        expected: String,
        found: String,
    },
}

impl fmt::Display for ArmParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArmParseError::Empty => f.write_str("the body is empty"),
            ArmParseError::InvalidJson { line, column } => {
                write!(f, "the body is not JSON (line {line}, column {column})")
            }
            ArmParseError::NotAnObject => f.write_str("the body is not a JSON object"),
            ArmParseError::Missing { field } => write!(f, "field `{field}` is missing"),
            ArmParseError::WrongType {
                field,
                expected,
                found,
            } => write!(f, "field `{field}` is {found}, expected {expected}"),
        }
    }
}

impl std::error::Error for ArmParseError {}

/// Parses one page of `GET /subscriptions`. Each subscription needs a `subscriptionId`.
pub fn subscriptions(body: &[u8]) -> Result<Page<Subscription>, ArmParseError> {
    let root = object(body)?;
    page(&root, |item, at| {
        Ok(Subscription {
            id: required_string(item, "subscriptionId", at)?,
            display_name: string(item, "displayName", at)?,
            state: string(item, "state", at)?,
        })
    })
}

/// Parses one page of a registry list.
pub fn registries(body: &[u8]) -> Result<Page<Registry>, ArmParseError> {
    let root = object(body)?;
    page(&root, registry_of)
}

/// Parses one registry resource.
pub fn registry(body: &[u8]) -> Result<Registry, ArmParseError> {
    let root = object(body)?;
    registry_of(&root, "")
}

/// Parses a private endpoint resource.
pub fn private_endpoint(body: &[u8]) -> Result<PrivateEndpoint, ArmParseError> {
    let root = object(body)?;
    let properties = child(&root, "properties", "")?;
    let dns_configs = match &properties {
        Some(properties) => list(properties, "customDnsConfigs", "properties", |item, at| {
            Ok(DnsConfig {
                fqdn: required_string(item, "fqdn", at)?,
                ip_addresses: strings(item, "ipAddresses", at)?,
            })
        })?,
        None => Vec::new(),
    };
    Ok(PrivateEndpoint {
        id: string(&root, "id", "")?,
        name: string(&root, "name", "")?,
        dns_configs,
    })
}

/// Parses a user-assigned identity resource.
pub fn managed_identity(body: &[u8]) -> Result<ManagedIdentity, ArmParseError> {
    let root = object(body)?;
    let properties = child(&root, "properties", "")?;
    let property = |key: &str| match &properties {
        Some(properties) => string(properties, key, "properties"),
        None => Ok(None),
    };
    Ok(ManagedIdentity {
        id: string(&root, "id", "")?,
        name: string(&root, "name", "")?,
        client_id: property("clientId")?,
        principal_id: property("principalId")?,
    })
}

/// Parses an ARM error body. Returns `None` when the body is not one; a missing `code` or
/// `message` is empty.
pub fn error(body: &[u8]) -> Option<ArmError> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let error = value.get("error")?.as_object()?;
    let text = |key: &str| {
        error
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    Some(ArmError {
        code: text("code"),
        message: text("message"),
    })
}

/// An IPv4 or IPv6 address range written as an address or in CIDR notation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpRange {
    pub network: IpAddr,
    pub prefix: u8,
}

impl IpRange {
    /// Parses `203.0.113.7` (a single address) or `203.0.113.0/24`. Returns `None` for any
    /// other text, including a prefix longer than the address.
    pub fn parse(text: &str) -> Option<IpRange> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let network: IpAddr = address.parse().ok()?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(prefix) if !prefix.is_empty() && prefix.bytes().all(|b| b.is_ascii_digit()) => {
                prefix.parse::<u8>().ok().filter(|prefix| *prefix <= max)?
            }
            Some(_) => return None,
            None => max,
        };
        Some(IpRange { network, prefix })
    }

    /// Tells whether the range contains an address. An IPv4 range never contains an IPv6
    /// address, except an IPv4-mapped one (`::ffff:203.0.113.7`).
    pub fn contains(&self, address: IpAddr) -> bool {
        let address = match address {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
            v4 => v4,
        };
        match (self.network, address) {
            (IpAddr::V4(network), IpAddr::V4(address)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(network) & mask == u32::from(address) & mask
            }
            (IpAddr::V6(network), IpAddr::V6(address)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(network) & mask == u128::from(address) & mask
            }
            _ => false,
        }
    }
}

fn registry_of(item: &Map<String, Value>, at: &str) -> Result<Registry, ArmParseError> {
    let sku = child(item, "sku", at)?;
    let sku_at = path(at, "sku");
    let sku = match &sku {
        Some(sku) => string(sku, "name", &sku_at)?,
        None => None,
    };

    let identity = match child(item, "identity", at)? {
        Some(identity) => Some(identity_of(&identity, &path(at, "identity"))?),
        None => None,
    };

    let properties = child(item, "properties", at)?.unwrap_or_default();
    let props_at = path(at, "properties");
    let props = props_at.as_str();

    let network_rule_set = match child(&properties, "networkRuleSet", props)? {
        Some(rules) => {
            let rules_at = path(props, "networkRuleSet");
            Some(NetworkRuleSet {
                default_action: string(&rules, "defaultAction", &rules_at)?,
                ip_rules: list(&rules, "ipRules", &rules_at, |rule, at| {
                    Ok(IpRule {
                        action: string(rule, "action", at)?,
                        value: required_string(rule, "value", at)?,
                    })
                })?,
            })
        }
        None => None,
    };

    let private_endpoint_connections = list(
        &properties,
        "privateEndpointConnections",
        props,
        |connection, at| {
            let inner = child(connection, "properties", at)?.unwrap_or_default();
            let inner_at = path(at, "properties");
            let endpoint = child(&inner, "privateEndpoint", &inner_at)?.unwrap_or_default();
            let state =
                child(&inner, "privateLinkServiceConnectionState", &inner_at)?.unwrap_or_default();
            Ok(PrivateEndpointConnection {
                id: string(connection, "id", at)?,
                private_endpoint_id: string(&endpoint, "id", &path(&inner_at, "privateEndpoint"))?,
                status: string(
                    &state,
                    "status",
                    &path(&inner_at, "privateLinkServiceConnectionState"),
                )?,
            })
        },
    )?;

    let encryption = match child(&properties, "encryption", props)? {
        Some(encryption) => {
            let encryption_at = path(props, "encryption");
            let key_vault =
                child(&encryption, "keyVaultProperties", &encryption_at)?.unwrap_or_default();
            let key_vault_at = path(&encryption_at, "keyVaultProperties");
            Some(Encryption {
                status: string(&encryption, "status", &encryption_at)?,
                key_identifier: string(&key_vault, "keyIdentifier", &key_vault_at)?,
                identity: string(&key_vault, "identity", &key_vault_at)?,
            })
        }
        None => None,
    };

    Ok(Registry {
        id: required_string(item, "id", at)?,
        name: required_string(item, "name", at)?,
        location: string(item, "location", at)?,
        sku,
        identity,
        login_server: string(&properties, "loginServer", props)?,
        admin_user_enabled: boolean(&properties, "adminUserEnabled", props)?,
        anonymous_pull_enabled: boolean(&properties, "anonymousPullEnabled", props)?,
        public_network_access: string(&properties, "publicNetworkAccess", props)?,
        network_rule_set,
        network_rule_bypass_options: string(&properties, "networkRuleBypassOptions", props)?,
        data_endpoint_enabled: boolean(&properties, "dataEndpointEnabled", props)?,
        data_endpoint_host_names: strings(&properties, "dataEndpointHostNames", props)?,
        private_endpoint_connections,
        encryption,
    })
}

fn identity_of(identity: &Map<String, Value>, at: &str) -> Result<Identity, ArmParseError> {
    let mut user_assigned = Vec::new();
    if let Some(map) = child(identity, "userAssignedIdentities", at)? {
        let map_at = path(at, "userAssignedIdentities");
        for (resource_id, value) in &map {
            let entry_at = format!("{map_at}[{resource_id:?}]");
            let entry = match value {
                Value::Null => Map::new(),
                Value::Object(entry) => entry.clone(),
                other => return Err(wrong_type(&entry_at, "an object", other)),
            };
            user_assigned.push(UserAssignedIdentity {
                resource_id: resource_id.clone(),
                principal_id: string(&entry, "principalId", &entry_at)?,
                client_id: string(&entry, "clientId", &entry_at)?,
            });
        }
    }
    Ok(Identity {
        kind: string(identity, "type", at)?,
        principal_id: string(identity, "principalId", at)?,
        user_assigned,
    })
}

fn object(body: &[u8]) -> Result<Map<String, Value>, ArmParseError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ArmParseError::Empty);
    }
    let value: Value =
        serde_json::from_slice(body).map_err(|error| ArmParseError::InvalidJson {
            line: error.line(),
            column: error.column(),
        })?;
    match value {
        Value::Object(object) => Ok(object),
        _ => Err(ArmParseError::NotAnObject),
    }
}

fn page<T>(
    root: &Map<String, Value>,
    item: impl Fn(&Map<String, Value>, &str) -> Result<T, ArmParseError>,
) -> Result<Page<T>, ArmParseError> {
    Ok(Page {
        items: list(root, "value", "", item)?,
        next_link: string(root, "nextLink", "")?.filter(|link| !link.is_empty()),
    })
}

fn path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

fn wrong_type(field: &str, expected: &str, found: &Value) -> ArmParseError {
    ArmParseError::WrongType {
        field: field.to_owned(),
        expected: expected.to_owned(),
        found: type_name(found).to_owned(),
    }
}

fn string(
    object: &Map<String, Value>,
    key: &str,
    at: &str,
) -> Result<Option<String>, ArmParseError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(other) => Err(wrong_type(&path(at, key), "a string", other)),
    }
}

fn required_string(
    object: &Map<String, Value>,
    key: &str,
    at: &str,
) -> Result<String, ArmParseError> {
    string(object, key, at)?.ok_or_else(|| ArmParseError::Missing {
        field: path(at, key),
    })
}

fn boolean(
    object: &Map<String, Value>,
    key: &str,
    at: &str,
) -> Result<Option<bool>, ArmParseError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(flag)) => Ok(Some(*flag)),
        Some(other) => Err(wrong_type(&path(at, key), "a boolean", other)),
    }
}

fn child(
    object: &Map<String, Value>,
    key: &str,
    at: &str,
) -> Result<Option<Map<String, Value>>, ArmParseError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(child)) => Ok(Some(child.clone())),
        Some(other) => Err(wrong_type(&path(at, key), "an object", other)),
    }
}

fn strings(object: &Map<String, Value>, key: &str, at: &str) -> Result<Vec<String>, ArmParseError> {
    let field = path(at, key);
    match object.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(index, item)| match item {
                Value::String(text) => Ok(text.clone()),
                other => Err(wrong_type(&format!("{field}[{index}]"), "a string", other)),
            })
            .collect(),
        Some(other) => Err(wrong_type(&field, "a list of strings", other)),
    }
}

fn list<T>(
    object: &Map<String, Value>,
    key: &str,
    at: &str,
    item: impl Fn(&Map<String, Value>, &str) -> Result<T, ArmParseError>,
) -> Result<Vec<T>, ArmParseError> {
    let field = path(at, key);
    match object.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(index, value)| {
                let item_at = format!("{field}[{index}]");
                match value {
                    Value::Object(entry) => item(entry, &item_at),
                    other => Err(wrong_type(&item_at, "an object", other)),
                }
            })
            .collect(),
        Some(other) => Err(wrong_type(&field, "a list of objects", other)),
    }
}

#[cfg(test)]
mod tests;
