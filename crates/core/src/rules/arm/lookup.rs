//! The URLs the ARM run requests. Each is the accepted base URL followed by a path built from
//! values ARM returned. Every such value is checked before it becomes part of a URL, because the
//! token must reach no other host and no other kind of resource.

use super::{IDENTITIES_API, PRIVATE_ENDPOINTS_API, REGISTRIES_API, SUBSCRIPTIONS_API};

/// Returns the URL of the subscription list.
pub(crate) fn subscriptions_url(base: &str) -> String {
    format!("{base}/subscriptions?api-version={SUBSCRIPTIONS_API}")
}

/// Returns the URL of a subscription's registry list, or `None` when the id is not a
/// subscription id (letters, digits and `-` only).
pub(crate) fn registries_url(base: &str, subscription_id: &str) -> Option<String> {
    let valid = !subscription_id.is_empty()
        && subscription_id.len() <= 64
        && subscription_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    valid.then(|| {
        format!(
            "{base}/subscriptions/{subscription_id}/providers/Microsoft.ContainerRegistry/registries?api-version={REGISTRIES_API}"
        )
    })
}

/// Returns the URL of a private endpoint resource, or `None` when the id is not one.
pub(crate) fn private_endpoint_url(base: &str, resource_id: &str) -> Option<String> {
    resource_url(base, resource_id, "microsoft.network/privateendpoints/")
        .map(|path| format!("{path}?api-version={PRIVATE_ENDPOINTS_API}"))
}

/// Returns the URL of a user-assigned identity resource, or `None` when the id is not one.
pub(crate) fn identity_url(base: &str, resource_id: &str) -> Option<String> {
    resource_url(
        base,
        resource_id,
        "microsoft.managedidentity/userassignedidentities/",
    )
    .map(|path| format!("{path}?api-version={IDENTITIES_API}"))
}

/// Returns `base` + `resource_id` when the id is a resource id of the given provider and type:
/// `/subscriptions/...` with only the characters resource names use, and no `.`-only segment.
fn resource_url(base: &str, resource_id: &str, provider_type: &str) -> Option<String> {
    let safe = resource_id.len() <= 1024
        && resource_id.starts_with("/subscriptions/")
        && resource_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.()/".contains(&b))
        && !resource_id.contains("//")
        && resource_id
            .split('/')
            .all(|segment| segment.is_empty() || segment.bytes().any(|b| b != b'.'));
    let of_type = resource_id
        .to_ascii_lowercase()
        .contains(&format!("/providers/{provider_type}"));
    (safe && of_type).then(|| format!("{base}{resource_id}"))
}

/// Accepts a `nextLink` only when it points below the base URL, so that a crafted response
/// cannot send the token to another host.
pub(crate) fn next_link(base: &str, link: &str) -> Option<String> {
    let below_base = link
        .strip_prefix(base)
        .is_some_and(|rest| rest.starts_with('/'));
    let clean = !link.contains(['#', '@', '\\', ' ']) && !link.contains("/../");
    (below_base && clean).then(|| link.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://management.azure.com";

    #[test]
    fn registries_url_checks_subscription_id() {
        assert_eq!(
            registries_url(BASE, "00000000-0000-0000-0000-000000000001").as_deref(),
            Some("https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.ContainerRegistry/registries?api-version=2023-07-01")
        );
        for bad in ["", "a/b", "x?y", "../x", "a b", "x#y"] {
            assert_eq!(registries_url(BASE, bad), None, "id {bad:?}");
        }
    }

    #[test]
    fn resource_urls_check_type_and_characters() {
        let endpoint =
            "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe1";
        assert_eq!(
            private_endpoint_url(BASE, endpoint),
            Some(format!("{BASE}{endpoint}?api-version=2023-09-01"))
        );
        let identity = "/subscriptions/s1/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1";
        assert_eq!(
            identity_url(BASE, identity),
            Some(format!("{BASE}{identity}?api-version=2023-01-31"))
        );
        let bad = [
            "subscriptions/s1/providers/Microsoft.Network/privateEndpoints/pe1",
            "/subscriptions/s1/providers/Microsoft.Network/privateEndpoints/pe1?x=1",
            "/subscriptions/s1/providers/Microsoft.Network/privateEndpoints/../../x",
            "/subscriptions/s1//providers/Microsoft.Network/privateEndpoints/pe1",
            "/subscriptions/s1/providers/Microsoft.Storage/storageAccounts/a",
            "/subscriptions/s1/providers/Microsoft.Network/privateEndpoints/pe1@evil.invalid",
        ];
        for id in bad {
            assert_eq!(private_endpoint_url(BASE, id), None, "id {id:?}");
        }
        assert_eq!(identity_url(BASE, endpoint), None);
    }

    #[test]
    fn next_link_stays_below_base() {
        let good = format!("{BASE}/subscriptions?api-version=2022-12-01&%24skiptoken=abc");
        assert_eq!(next_link(BASE, &good), Some(good.clone()));
        let bad = [
            "https://evil.invalid/subscriptions".to_owned(),
            format!("{BASE}.evil.invalid/subscriptions"),
            format!("{BASE}@evil.invalid/x"),
            format!("{BASE}/a/../b"),
            "/subscriptions".to_owned(),
        ];
        for link in bad {
            assert_eq!(next_link(BASE, &link), None, "link {link:?}");
        }
    }
}
