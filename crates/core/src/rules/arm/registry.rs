//! Finding the registry among the token's subscriptions, and the verdict on what was found.

use crate::parse::arm::Registry;
use crate::parse::registry_input::{Cloud, LoginServer};
use crate::{Code, Evidence};

use super::verdict::Verdict;
use super::{ArmFinding, ArmSettings};

/// The registry the run searches for: a name, and the login server as checked.
#[derive(Clone, Debug)]
pub(crate) struct Wanted {
    /// The override, else the first label of an ACR login server (`myreg` of
    /// `myreg.azurecr.io`); `None` for any other host, such as the lab's `127.0.0.1:PORT`.
    pub name: Option<String>,
    /// `host[:port]` of the login server checked.
    pub authority: String,
}

impl Wanted {
    pub(crate) fn new(server: &LoginServer, settings: &ArmSettings) -> Wanted {
        let name = settings
            .registry_name
            .as_deref()
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
            .or_else(|| {
                server
                    .cloud
                    .and_then(|_| server.host.split('.').next())
                    .map(str::to_owned)
            });
        Wanted {
            name,
            authority: server.authority(),
        }
    }

    /// Tells whether a registry is the one wanted: same name (case-insensitive) when a name is
    /// known, else the same login server.
    pub(crate) fn matches(&self, registry: &Registry) -> bool {
        match &self.name {
            Some(name) => registry.name.eq_ignore_ascii_case(name),
            None => registry
                .login_server
                .as_deref()
                .is_some_and(|login| login.eq_ignore_ascii_case(&self.authority)),
        }
    }

    /// Describes what was looked for, for a finding.
    pub(crate) fn describe(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.authority.clone())
    }
}

/// Judges the registry found: pass when its login server is the one checked, LOGIN_SERVER_ERROR
/// when it is in another cloud, a warning when it differs in another way.
pub(crate) fn judge_found(registry: &Registry, subscription: &str, wanted: &Wanted) -> Verdict {
    let evidence = facts(registry);
    let name = registry.name.clone();
    let login_server = registry
        .login_server
        .clone()
        .unwrap_or_else(|| wanted.authority.clone());

    if login_server.eq_ignore_ascii_case(&wanted.authority) {
        return Verdict::pass(
            ArmFinding::RegistryFound {
                name,
                login_server,
                subscription: subscription.to_owned(),
                sku: registry.sku.clone(),
                admin_user_enabled: registry.admin_user_enabled,
                anonymous_pull_enabled: registry.anonymous_pull_enabled,
            },
            evidence,
        );
    }

    let checked_cloud = cloud_of(&wanted.authority);
    match cloud_of(&login_server) {
        Some(cloud) if Some(cloud) != checked_cloud => Verdict::fail(
            Code::LoginServer,
            ArmFinding::RegistryInOtherCloud {
                name,
                login_server,
                cloud,
            },
            evidence,
        ),
        _ => Verdict::warn(
            Code::LoginServer,
            ArmFinding::LoginServerDiffers {
                name,
                login_server,
                checked: wanted.authority.clone(),
            },
            evidence,
        ),
    }
}

/// Returns the facts worth showing about a registry, as evidence. The login server is in the finding,
/// network settings are the network rules check's evidence, and the list request itself is not
/// recorded because the resource id names the subscription: a share link has little room.
fn facts(registry: &Registry) -> Vec<Evidence> {
    let mut evidence = vec![Evidence::new("resource_id", registry.id.clone())];
    let mut push = |label: &str, value: Option<String>| {
        if let Some(value) = value {
            evidence.push(Evidence::new(label, value));
        }
    };
    push("location", registry.location.clone());
    // Enabled data endpoints show as their host names; only `false` needs saying.
    push(
        "data_endpoint_enabled",
        registry
            .data_endpoint_enabled
            .filter(|enabled| !enabled)
            .map(|flag| flag.to_string()),
    );
    for host in &registry.data_endpoint_host_names {
        evidence.push(Evidence::new("data_endpoint", host.clone()));
    }
    evidence
}

fn cloud_of(authority: &str) -> Option<Cloud> {
    let host = authority
        .split(':')
        .next()
        .unwrap_or(authority)
        .to_ascii_lowercase();
    Cloud::ALL
        .into_iter()
        .find(|cloud| host.ends_with(&format!(".{}", cloud.suffix())))
}
