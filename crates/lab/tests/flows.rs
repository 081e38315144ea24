//! The healthy registry over HTTP: challenge, every way to a token, distribution accepting the
//! lab's tokens, and the blob redirect to storage.

mod common;

use acr_health_lab::auth::NULL_GUID;
use acr_health_lab::{Lab, LabConfig, Scenario};
use common::{challenge_param, claims, Answer, Call};
use serde_json::json;

const MANIFEST_TYPES: &str = "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";

fn start() -> Lab {
    Lab::start(LabConfig::default()).expect("the lab starts")
}

async fn token_for(lab: &Lab, username: &str, password: &str, scope: &str) -> Answer {
    let url = format!(
        "{}/oauth2/token?service={}&scope={scope}",
        lab.base_url(),
        lab.login_server()
    );
    Call::get(url)
        .basic(username, password)
        .send()
        .await
        .unwrap()
}

async fn manifest(lab: &Lab, token: &str) -> Answer {
    let url = format!("{}/v2/hello-world/manifests/latest", lab.base_url());
    Call::get(url)
        .bearer(token)
        .header("accept", MANIFEST_TYPES)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn challenge_names_realm_and_service() {
    let lab = start();
    let answer = Call::get(format!("{}/v2/", lab.base_url()))
        .send()
        .await
        .unwrap();

    assert_eq!(answer.status, 401);
    let challenge = answer
        .header("www-authenticate")
        .expect("a challenge header");
    assert!(challenge.starts_with("Bearer "), "{challenge}");
    assert_eq!(
        challenge_param(challenge, "realm"),
        Some(format!("{}/oauth2/token", lab.base_url()))
    );
    assert_eq!(
        challenge_param(challenge, "service"),
        Some(lab.login_server())
    );
}

#[tokio::test]
async fn admin_token_pulls_manifest_and_blob() {
    let lab = start();
    let admin = lab.admin().clone();
    let answer = token_for(
        &lab,
        &admin.username,
        &admin.password,
        "repository:hello-world:pull",
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    let token = answer.json()["access_token"].as_str().unwrap().to_string();

    // The claims are what distribution checks.
    let claims = claims(&token);
    assert_eq!(claims["aud"], lab.login_server());
    assert_eq!(claims["iss"], "Azure Container Registry");
    assert_eq!(
        claims["access"],
        json!([{ "type": "repository", "name": "hello-world", "actions": ["pull"] }])
    );

    // distribution accepts the token.
    let manifest = manifest(&lab, &token).await;
    assert_eq!(manifest.status, 200, "{}", manifest.text());
    let layer = manifest.json()["layers"][0]["digest"]
        .as_str()
        .unwrap()
        .to_string();

    // The blob response is a redirect to the storage listener.
    let blob_url = format!("{}/v2/hello-world/blobs/{layer}", lab.base_url());
    let redirect = Call::get(&blob_url).bearer(&token).send().await.unwrap();
    assert_eq!(redirect.status, 307, "{}", redirect.text());
    let location = redirect.header("location").unwrap().to_string();
    assert!(
        location.starts_with(&format!(
            "http://{}/hello-world/blobs/{layer}?",
            lab.storage_addr()
        )),
        "{location}"
    );

    // Storage serves it without the registry's token and rejects it with the token.
    let blob = Call::get(&location).send().await.unwrap();
    assert_eq!(blob.status, 200);
    let digest = ring::digest::digest(&ring::digest::SHA256, &blob.body);
    let hex: String = digest
        .as_ref()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    assert_eq!(format!("sha256:{hex}"), layer);
    let with_token = Call::get(&location).bearer(&token).send().await.unwrap();
    assert_eq!(with_token.status, 403);
    assert!(
        with_token.text().contains("AuthenticationFailed"),
        "{}",
        with_token.text()
    );
}

#[tokio::test]
async fn storage_rejects_tampered_signature() {
    let lab = start();
    let digest = format!("sha256:{}", "0".repeat(64));
    let url = format!(
        "http://{}/hello-world/blobs/{digest}?se=9999999999&sig=00",
        lab.storage_addr()
    );
    let answer = Call::get(url).send().await.unwrap();
    assert_eq!(answer.status, 403);
    assert_eq!(
        answer.header("x-ms-error-code"),
        Some("AuthenticationFailed")
    );
}

#[tokio::test]
async fn blob_without_token_keeps_distribution_answer() {
    let lab = start();
    let url = format!(
        "{}/v2/hello-world/blobs/sha256:{}",
        lab.base_url(),
        "0".repeat(64)
    );
    let answer = Call::get(url).send().await.unwrap();
    assert_eq!(answer.status, 401);
    assert!(answer
        .header("www-authenticate")
        .unwrap()
        .contains("repository:hello-world:pull"));
}

#[tokio::test]
async fn catalog_needs_catalog_scope() {
    let lab = start();
    let admin = lab.admin().clone();
    let url = format!("{}/v2/_catalog", lab.base_url());

    let pull_only = token_for(
        &lab,
        &admin.username,
        &admin.password,
        "repository:hello-world:pull",
    )
    .await;
    let answer = Call::get(&url)
        .bearer(pull_only.json()["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status, 401);

    let catalog = token_for(&lab, &admin.username, &admin.password, "registry:catalog:*").await;
    let answer = Call::get(&url)
        .bearer(catalog.json()["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.json()["repositories"], json!(["hello-world"]));
}

#[tokio::test]
async fn token_user_limited_to_pull() {
    let lab = start();
    let user = lab.token_user().clone();
    let pull_push = token_for(
        &lab,
        &user.username,
        &user.password,
        "repository:hello-world:pull,push",
    )
    .await;
    let catalog = token_for(&lab, &user.username, &user.password, "registry:catalog:*").await;

    assert_eq!(
        claims(pull_push.json()["access_token"].as_str().unwrap())["access"][0]["actions"],
        json!(["pull"])
    );
    assert_eq!(
        claims(catalog.json()["access_token"].as_str().unwrap())["access"][0]["actions"],
        json!([])
    );
}

#[tokio::test]
async fn wrong_password_rejected() {
    let lab = start();
    let answer = token_for(
        &lab,
        &lab.admin().username,
        "wrong",
        "repository:hello-world:pull",
    )
    .await;
    assert_eq!(answer.status, 401);
    assert_eq!(answer.json()["errors"][0]["code"], "UNAUTHORIZED");
}

#[tokio::test]
async fn anonymous_token_needs_anonymous_pull() {
    let lab = start();
    let url = format!(
        "{}/oauth2/token?service={}&scope=repository:hello-world:pull",
        lab.base_url(),
        lab.login_server()
    );
    let refused = Call::get(&url).send().await.unwrap();
    assert_eq!(refused.status, 401);

    lab.set_scenario(Scenario::AnonymousPull).unwrap();
    let granted = Call::get(&url).send().await.unwrap();
    assert_eq!(granted.status, 200);
    let token = granted.json()["access_token"].as_str().unwrap().to_string();
    assert_eq!(manifest(&lab, &token).await.status, 200);
}

#[tokio::test]
async fn aad_exchange_then_refresh_grant() {
    let lab = start();
    let aad = lab.aad_token("tenant-1", "object-1", false);
    let exchange = Call::post_form(
        format!("{}/oauth2/exchange", lab.base_url()),
        &[
            ("grant_type", "access_token"),
            ("service", &lab.login_server()),
            ("tenant", "tenant-1"),
            ("access_token", &aad),
        ],
    )
    .send()
    .await
    .unwrap();
    assert_eq!(exchange.status, 200, "{}", exchange.text());
    let refresh = exchange.json()["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(claims(&refresh)["sub"], "object-1");

    // Docker sends several scopes in one space-separated field.
    let token = Call::post_form(
        format!("{}/oauth2/token", lab.base_url()),
        &[
            ("grant_type", "refresh_token"),
            ("service", &lab.login_server()),
            ("scope", "repository:hello-world:pull registry:catalog:*"),
            ("refresh_token", &refresh),
        ],
    )
    .send()
    .await
    .unwrap();
    assert_eq!(token.status, 200, "{}", token.text());
    let access = token.json()["access_token"].as_str().unwrap().to_string();
    assert_eq!(claims(&access)["access"].as_array().unwrap().len(), 2);
    assert_eq!(manifest(&lab, &access).await.status, 200);

    // The null GUID with the refresh token as password works as Basic credentials too.
    let basic = token_for(&lab, NULL_GUID, &refresh, "repository:hello-world:pull").await;
    assert_eq!(basic.status, 200, "{}", basic.text());
}

#[tokio::test]
async fn exchange_rejects_bad_tokens() {
    let lab = start();
    let url = format!("{}/oauth2/exchange", lab.base_url());
    let expired = lab.aad_token("t", "o", true);
    let service = lab.login_server();

    let answer = Call::post_form(
        &url,
        &[
            ("grant_type", "access_token"),
            ("service", &service),
            ("access_token", &expired),
        ],
    )
    .send()
    .await
    .unwrap();
    assert_eq!(answer.status, 401);
    assert!(answer.text().contains("expired"), "{}", answer.text());

    let answer = Call::post_form(
        &url,
        &[
            ("grant_type", "access_token"),
            ("service", &service),
            ("access_token", "a.b.c"),
        ],
    )
    .send()
    .await
    .unwrap();
    assert_eq!(answer.status, 401);

    let answer = Call::post_form(&url, &[("grant_type", "password"), ("service", &service)])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status, 400);
    assert!(answer.text().contains("'password'"), "{}", answer.text());

    let fresh = lab.aad_token("t", "o", false);
    let answer = Call::post_form(
        &url,
        &[
            ("grant_type", "access_token"),
            ("service", "other.test"),
            ("access_token", &fresh),
        ],
    )
    .send()
    .await
    .unwrap();
    assert_eq!(answer.status, 401);
    assert!(answer.text().contains("'other.test'"), "{}", answer.text());
}

#[tokio::test]
async fn password_grant_issues_token() {
    let lab = start();
    let admin = lab.admin().clone();
    let answer = Call::post_form(
        format!("{}/oauth2/token", lab.base_url()),
        &[
            ("grant_type", "password"),
            ("service", &lab.login_server()),
            ("scope", "repository:hello-world:pull"),
            ("username", &admin.username),
            ("password", &admin.password),
        ],
    )
    .send()
    .await
    .unwrap();
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(
        manifest(&lab, answer.json()["access_token"].as_str().unwrap())
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn cors_reflects_loopback_origin() {
    let lab = start();
    let url = format!("{}/v2/", lab.base_url());
    let origin = "http://127.0.0.1:8765";

    let preflight = Call::get(&url)
        .method("OPTIONS")
        .header("origin", origin)
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status, 204);
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some(origin)
    );
    assert_eq!(
        preflight.header("access-control-allow-headers"),
        Some("authorization")
    );

    let answer = Call::get(&url)
        .header("origin", origin)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status, 401);
    assert_eq!(answer.header("access-control-allow-origin"), Some(origin));
    assert!(answer
        .header("access-control-expose-headers")
        .unwrap()
        .contains("WWW-Authenticate"));

    let foreign = Call::get(&url)
        .header("origin", "http://example.test")
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.header("access-control-allow-origin"), None);
}
