//! Who a token request speaks for, and which actions each identity may be granted.
//!
//! The identities mirror ACR: the admin user (full access), a scope-map token user (pull on the
//! seeded repository only), an AAD identity that came through the exchange (full access), and an
//! anonymous caller when anonymous pull is enabled (pull on every repository).

use serde::Serialize;

/// The user name that marks the password as an ACR refresh token.
pub const NULL_GUID: &str = "00000000-0000-0000-0000-000000000000";

/// A user name and password pair the lab accepts.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// The principal a token is issued to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Identity {
    Admin {
        username: String,
    },
    TokenUser {
        username: String,
        repository: String,
    },
    Aad {
        object_id: String,
        tenant: String,
    },
    Anonymous,
}

/// One requested resource scope: `repository:hello-world:pull,push`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Scope {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub actions: Vec<String>,
}

impl Identity {
    /// Returns the `sub` claim of tokens issued to this identity.
    pub fn subject(&self) -> String {
        match self {
            Identity::Admin { username } | Identity::TokenUser { username, .. } => username.clone(),
            Identity::Aad { object_id, .. } => object_id.clone(),
            Identity::Anonymous => String::new(),
        }
    }

    /// Returns the subset of the requested actions this identity holds on the scope's resource.
    pub fn grant(&self, scope: &Scope) -> Vec<String> {
        match self {
            Identity::Admin { .. } | Identity::Aad { .. } => scope.actions.clone(),
            Identity::TokenUser { repository, .. } => {
                if scope.kind == "repository" && &scope.name == repository {
                    keep(&scope.actions, &["pull"])
                } else {
                    Vec::new()
                }
            }
            Identity::Anonymous => {
                if scope.kind == "repository" {
                    keep(&scope.actions, &["pull"])
                } else {
                    Vec::new()
                }
            }
        }
    }
}

fn keep(requested: &[String], allowed: &[&str]) -> Vec<String> {
    requested
        .iter()
        .filter(|action| allowed.contains(&action.as_str()))
        .cloned()
        .collect()
}

/// Parses `scope` values. One value may hold several scopes separated by spaces, as Docker sends
/// them in a POST; malformed entries (fewer than three colon-separated parts) are skipped.
pub fn parse_scopes<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<Scope> {
    values
        .into_iter()
        .flat_map(|value| value.split(' '))
        .filter_map(|entry| {
            // The name may contain colons only in theory; type is before the first, actions after the last.
            let (kind, rest) = entry.split_once(':')?;
            let (name, actions) = rest.rsplit_once(':')?;
            if kind.is_empty() || name.is_empty() {
                return None;
            }
            Some(Scope {
                kind: kind.to_string(),
                name: name.to_string(),
                actions: actions
                    .split(',')
                    .filter(|action| !action.is_empty())
                    .map(str::to_string)
                    .collect(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_parse_spaces_and_repeats() {
        let scopes = parse_scopes([
            "repository:a/b:pull,push registry:catalog:*",
            "repository:c:pull",
        ]);
        assert_eq!(scopes.len(), 3);
        assert_eq!(scopes[0].name, "a/b");
        assert_eq!(scopes[0].actions, vec!["pull", "push"]);
        assert_eq!(scopes[1].kind, "registry");
        assert_eq!(scopes[1].actions, vec!["*"]);
    }

    #[test]
    fn malformed_scope_skipped() {
        assert!(parse_scopes(["repository", "repository:x", ""]).is_empty());
    }

    #[test]
    fn token_user_pulls_only_its_repository() {
        let user = Identity::TokenUser {
            username: "t".into(),
            repository: "hello-world".into(),
        };
        let own = parse_scopes(["repository:hello-world:pull,push"]);
        let other = parse_scopes(["repository:other:pull"]);
        assert_eq!(user.grant(&own[0]), vec!["pull"]);
        assert!(user.grant(&other[0]).is_empty());
    }

    #[test]
    fn anonymous_gets_no_catalog() {
        let scopes = parse_scopes(["registry:catalog:*"]);
        assert!(Identity::Anonymous.grant(&scopes[0]).is_empty());
    }
}
