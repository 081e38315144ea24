//! The customer-managed-key check: the identity that reads the key from Key Vault must still
//! exist and still be assigned to the registry.

use crate::parse::arm::Registry;
use crate::rules::registry::Failure;
use crate::{Code, Evidence};

use super::verdict::Verdict;
use super::ArmFinding;

/// The identity the key uses, decided from the registry resource alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum KeyIdentity {
    /// No customer-managed key.
    NotEncrypted,
    /// The registry's system-assigned identity.
    System,
    /// A user-assigned identity by client id, with its resource id when the registry still
    /// lists it in `userAssignedIdentities`.
    User {
        client_id: String,
        resource_id: Option<String>,
    },
}

/// The outcome of reading the user-assigned identity resource.
#[derive(Clone, Debug)]
pub(crate) enum IdentityLookup {
    Exists,
    /// 404: the identity was deleted.
    Deleted,
    Failed {
        status: Option<u16>,
        failure: Option<Failure>,
    },
}

/// Decides which identity the registry's key uses. `keyVaultProperties.identity` contains a
/// user-assigned identity's client id; absent, or equal to the system identity's principal id,
/// it means the system identity.
pub(crate) fn key_identity(registry: &Registry) -> KeyIdentity {
    let Some(encryption) = registry.encryption.as_ref().filter(|e| e.is_enabled()) else {
        return KeyIdentity::NotEncrypted;
    };
    let identity = registry.identity.clone().unwrap_or_default();
    let Some(client_id) = encryption
        .identity
        .as_deref()
        .map(str::trim)
        .filter(|id| !id.is_empty())
    else {
        return KeyIdentity::System;
    };
    let is_system_principal = identity
        .principal_id
        .as_deref()
        .is_some_and(|principal| principal.eq_ignore_ascii_case(client_id));
    if is_system_principal {
        return KeyIdentity::System;
    }
    let resource_id = identity
        .user_assigned
        .iter()
        .find(|user| {
            user.client_id
                .as_deref()
                .is_some_and(|id| id.eq_ignore_ascii_case(client_id))
        })
        .map(|user| user.resource_id.clone());
    KeyIdentity::User {
        client_id: client_id.to_owned(),
        resource_id,
    }
}

/// Judges the key's identity, with the identity resource's lookup for a user-assigned one.
pub(crate) fn judge(
    registry: &Registry,
    key: &KeyIdentity,
    lookup: Option<&IdentityLookup>,
) -> Verdict {
    let name = registry.name.clone();
    let mut evidence = Vec::new();
    if let Some(key) = registry
        .encryption
        .as_ref()
        .and_then(|e| e.key_identifier.clone())
    {
        evidence.push(Evidence::new("key_identifier", key));
    }
    let identity_type = registry.identity.as_ref().and_then(|i| i.kind.clone());
    if let Some(kind) = &identity_type {
        evidence.push(Evidence::new("identity_type", kind.clone()));
    }

    match key {
        KeyIdentity::NotEncrypted => Verdict::skipped(ArmFinding::NotEncrypted { registry: name }),
        KeyIdentity::System => {
            let has_system = registry
                .identity
                .as_ref()
                .is_some_and(|identity| identity.has_system_assigned());
            if has_system {
                Verdict::pass(
                    ArmFinding::CmkIdentityPresent {
                        registry: name,
                        client_id: None,
                    },
                    evidence,
                )
            } else {
                Verdict::fail(
                    Code::Cmk,
                    ArmFinding::CmkSystemIdentityRemoved {
                        registry: name,
                        identity_type,
                    },
                    evidence,
                )
            }
        }
        KeyIdentity::User {
            client_id,
            resource_id,
        } => {
            evidence.push(Evidence::new("client_id", client_id.clone()));
            let client_id = client_id.clone();
            let Some(resource_id) = resource_id else {
                return Verdict::fail(
                    Code::Cmk,
                    ArmFinding::CmkIdentityNotAssigned {
                        registry: name,
                        client_id,
                    },
                    evidence,
                );
            };
            evidence.push(Evidence::new("identity_id", resource_id.clone()));
            match lookup {
                Some(IdentityLookup::Exists) => Verdict::pass(
                    ArmFinding::CmkIdentityPresent {
                        registry: name,
                        client_id: Some(client_id),
                    },
                    evidence,
                ),
                Some(IdentityLookup::Deleted) => Verdict::fail(
                    Code::Cmk,
                    ArmFinding::CmkIdentityDeleted {
                        registry: name,
                        client_id,
                    },
                    evidence,
                ),
                Some(IdentityLookup::Failed { status, failure }) => {
                    let finding = ArmFinding::CmkIdentityUnknown {
                        registry: name,
                        client_id,
                        status: *status,
                        failure: failure.clone(),
                    };
                    // An error status other than 404 tells nothing about the identity. No
                    // response at all is a failure of this check, as for every ARM request.
                    match failure {
                        Some(_) => Verdict::fail_without_code(finding, evidence),
                        None => Verdict::warn_without_code(finding, evidence),
                    }
                }
                None => Verdict::warn_without_code(
                    ArmFinding::CmkIdentityUnknown {
                        registry: name,
                        client_id,
                        status: None,
                        failure: None,
                    },
                    evidence,
                ),
            }
        }
    }
}
