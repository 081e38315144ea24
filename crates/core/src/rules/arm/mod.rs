//! Rules for the registry's settings in Azure Resource Manager: the ARM access token, the
//! registry resource found by name, its network rules, its private endpoints and the identity
//! of its customer-managed key.
//!
//! [`ArmRun`] is a sans-I/O driver like [`crate::rules::registry::RegistryRun`]: the page and
//! the helper send the requests it returns and hand back the outcomes. The token is sent only to
//! the base URL that [`arm_base_url`] accepted, and never appears in a result.

mod encryption;
mod finding;
mod lookup;
mod network;
mod observations;
mod private_endpoint;
mod registry;
mod run;
mod settings;
mod source;
mod token;
mod verdict;

pub use finding::{ArmFinding, EndpointDns};
pub use observations::Observations;
pub use run::ArmRun;
pub use settings::{arm_base_url, default_arm_base_url, ArmSettings, ArmUrlError};
pub use source::{token_source_failed, TokenSourceFailure};

/// How many pages of one list (subscriptions, or registries of one subscription) the run reads
/// before it stops following `nextLink`.
pub const MAX_PAGES: u8 = 10;

/// The maximum number of subscriptions the run searches for the registry. With access to more,
/// give the registry name (`registry_name`) or use a token of a narrower scope.
pub const MAX_SUBSCRIPTIONS: usize = 50;

/// How many private endpoints of one registry the run reads.
pub const MAX_PRIVATE_ENDPOINTS: usize = 10;

/// `api-version` of the subscription list.
const SUBSCRIPTIONS_API: &str = "2022-12-01";
/// `api-version` of `Microsoft.ContainerRegistry/registries`.
const REGISTRIES_API: &str = "2023-07-01";
/// `api-version` of `Microsoft.Network/privateEndpoints`.
const PRIVATE_ENDPOINTS_API: &str = "2023-09-01";
/// `api-version` of `Microsoft.ManagedIdentity/userAssignedIdentities`.
const IDENTITIES_API: &str = "2023-01-31";

#[cfg(test)]
mod tests;
