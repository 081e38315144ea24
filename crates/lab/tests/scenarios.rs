//! Every scenario that plain HTTP can show, driven over HTTP: status codes, headers and bodies.
//! The TLS scenarios are in `tls.rs`.

mod common;

use std::time::{Duration, Instant};

use acr_health_lab::{Current, Lab, LabConfig, Scenario};
use common::{challenge_param, claims, Answer, Call};
use http_body_util::BodyExt;
use serde_json::json;

fn start() -> Lab {
    Lab::start(LabConfig::default()).expect("the lab starts")
}

async fn challenge(lab: &Lab) -> Answer {
    Call::get(format!("{}/v2/", lab.base_url()))
        .send()
        .await
        .unwrap()
}

fn admin_token_call(lab: &Lab) -> Call {
    let url = format!(
        "{}/oauth2/token?service={}&scope=repository:hello-world:pull",
        lab.base_url(),
        lab.login_server()
    );
    Call::get(url).basic(&lab.admin().username, &lab.admin().password)
}

async fn exchange(lab: &Lab) -> Answer {
    let aad = lab.aad_token("tenant-1", "object-1", false);
    Call::post_form(
        format!("{}/oauth2/exchange", lab.base_url()),
        &[
            ("grant_type", "access_token"),
            ("service", &lab.login_server()),
            ("access_token", &aad),
        ],
    )
    .send()
    .await
    .unwrap()
}

/// Returns the layer digest and a pull token, fetched while the lab is healthy.
async fn layer_and_token(lab: &Lab) -> (String, String) {
    let token = admin_token_call(lab).send().await.unwrap().json()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let manifest = Call::get(format!(
        "{}/v2/hello-world/manifests/latest",
        lab.base_url()
    ))
    .bearer(&token)
    .header("accept", "application/vnd.oci.image.manifest.v1+json")
    .send()
    .await
    .unwrap();
    (
        manifest.json()["layers"][0]["digest"]
            .as_str()
            .unwrap()
            .to_string(),
        token,
    )
}

fn assert_denied(answer: &Answer) {
    assert_eq!(answer.status, 403, "{}", answer.text());
    assert_eq!(answer.json()["errors"][0]["code"], "DENIED");
    let message = answer.json()["errors"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        message,
        "client with IP '127.0.0.1' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."
    );
}

#[tokio::test]
async fn firewall_v2_denies_with_client_ip() {
    let lab = start();
    lab.set_scenario(Scenario::FirewallV2).unwrap();

    assert_denied(&challenge(&lab).await);
    assert_denied(&admin_token_call(&lab).send().await.unwrap());
    assert_denied(&exchange(&lab).await);
}

#[tokio::test]
async fn firewall_exchange_denies_only_exchange() {
    let lab = start();
    lab.set_scenario(Scenario::FirewallExchange).unwrap();

    assert_eq!(challenge(&lab).await.status, 401);
    assert_denied(&exchange(&lab).await);
}

#[tokio::test]
async fn challenge_scenarios() {
    let lab = start();
    let realm = format!("{}/oauth2/token", lab.base_url());

    lab.set_scenario(Scenario::ChallengeMissing).unwrap();
    let answer = challenge(&lab).await;
    assert_eq!(answer.status, 401);
    assert_eq!(answer.header("www-authenticate"), None);

    lab.set_scenario(Scenario::Challenge200).unwrap();
    let answer = challenge(&lab).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("www-authenticate"), None);

    lab.set_scenario(Scenario::Challenge500).unwrap();
    assert_eq!(challenge(&lab).await.status, 500);

    lab.set_scenario(Scenario::Challenge429).unwrap();
    let answer = challenge(&lab).await;
    assert_eq!(answer.status, 429);
    assert_eq!(answer.header("retry-after"), Some("10"));

    lab.set_scenario(Scenario::ChallengeBasicOnly).unwrap();
    let answer = challenge(&lab).await;
    assert_eq!(answer.status, 401);
    assert!(answer
        .header("www-authenticate")
        .unwrap()
        .starts_with("Basic realm="));

    lab.set_scenario(Scenario::BearerNoRealm).unwrap();
    let header = challenge(&lab)
        .await
        .header("www-authenticate")
        .unwrap()
        .to_string();
    assert_eq!(challenge_param(&header, "realm"), None);
    assert_eq!(
        challenge_param(&header, "service"),
        Some(lab.login_server())
    );

    lab.set_scenario(Scenario::BearerNoService).unwrap();
    let header = challenge(&lab)
        .await
        .header("www-authenticate")
        .unwrap()
        .to_string();
    assert_eq!(challenge_param(&header, "realm"), Some(realm));
    assert_eq!(challenge_param(&header, "service"), None);
}

#[tokio::test]
async fn exchange_failures() {
    let lab = start();

    lab.set_scenario(Scenario::Exchange401).unwrap();
    assert_eq!(exchange(&lab).await.status, 401);

    lab.set_scenario(Scenario::Exchange500).unwrap();
    assert_eq!(exchange(&lab).await.status, 500);

    lab.set_scenario(Scenario::Exchange429).unwrap();
    let answer = exchange(&lab).await;
    assert_eq!(answer.status, 429);
    assert_eq!(answer.header("retry-after"), Some("10"));
    assert_eq!(answer.json()["errors"][0]["code"], "TOOMANYREQUESTS");
}

#[tokio::test]
async fn token_failures() {
    let lab = start();

    lab.set_scenario(Scenario::Token401).unwrap();
    assert_eq!(admin_token_call(&lab).send().await.unwrap().status, 401);

    lab.set_scenario(Scenario::TokenFewerActions).unwrap();
    let answer = admin_token_call(&lab).send().await.unwrap();
    assert_eq!(answer.status, 200);
    let access = &claims(answer.json()["access_token"].as_str().unwrap())["access"];
    assert_eq!(
        access,
        &json!([{ "type": "repository", "name": "hello-world", "actions": [] }])
    );

    // distribution enforces the missing action.
    let token = answer.json()["access_token"].as_str().unwrap().to_string();
    let manifest = Call::get(format!(
        "{}/v2/hello-world/manifests/latest",
        lab.base_url()
    ))
    .bearer(&token)
    .send()
    .await
    .unwrap();
    assert_eq!(manifest.status, 401);
}

#[tokio::test]
async fn refresh_token_expired() {
    let lab = start();
    let healthy_refresh = exchange(&lab).await.json()["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();

    lab.set_scenario(Scenario::RefreshTokenExpired).unwrap();
    let issued = exchange(&lab).await;
    assert_eq!(issued.status, 200);
    let refresh = issued.json()["refresh_token"].as_str().unwrap().to_string();
    let exp = claims(&refresh)["exp"].as_i64().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!(exp < now, "exp {exp} is not in the past");

    for token in [refresh, healthy_refresh] {
        let answer = Call::post_form(
            format!("{}/oauth2/token", lab.base_url()),
            &[
                ("grant_type", "refresh_token"),
                ("service", &lab.login_server()),
                ("scope", "repository:hello-world:pull"),
                ("refresh_token", &token),
            ],
        )
        .send()
        .await
        .unwrap();
        assert_eq!(answer.status, 401);
        assert!(answer.text().contains("expired"), "{}", answer.text());
    }
}

#[tokio::test]
async fn clock_skew_moves_date_and_tokens() {
    let lab = start();
    lab.set(Current {
        scenario: Scenario::ClockSkew,
        latency_ms: 0,
        skew_minutes: 30,
    })
    .unwrap();
    let now = std::time::SystemTime::now();

    let answer = challenge(&lab).await;
    let date = httpdate::parse_http_date(answer.header("date").unwrap()).unwrap();
    let ahead = date.duration_since(now).unwrap().as_secs();
    assert!(
        (29 * 60..=31 * 60).contains(&ahead),
        "Date is {ahead} s ahead"
    );

    let token = admin_token_call(&lab).send().await.unwrap().json()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let nbf = claims(&token)["nbf"].as_i64().unwrap();
    let real = now.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    assert!((nbf - real - 30 * 60).abs() < 60, "nbf {nbf} vs now {real}");

    // The registry accepts its own skewed token, as a registry with a wrong clock does.
    let manifest = Call::get(format!(
        "{}/v2/hello-world/manifests/latest",
        lab.base_url()
    ))
    .bearer(&token)
    .header("accept", "application/vnd.oci.image.manifest.v1+json")
    .send()
    .await
    .unwrap();
    assert_eq!(manifest.status, 200, "{}", manifest.text());
}

#[tokio::test]
async fn hang_never_answers() {
    let lab = start();
    lab.set_scenario(Scenario::Hang).unwrap();
    let result = Call::get(format!("{}/v2/", lab.base_url()))
        .timeout(Duration::from_millis(800))
        .send()
        .await;
    assert_eq!(result.unwrap_err(), "timed out after 800ms");
}

#[tokio::test]
async fn latency_delays_responses() {
    let lab = start();
    let (layer, token) = layer_and_token(&lab).await;
    let blob_url = format!("{}/v2/hello-world/blobs/{layer}", lab.base_url());
    let storage_url = Call::get(&blob_url)
        .bearer(&token)
        .send()
        .await
        .unwrap()
        .header("location")
        .unwrap()
        .to_string();

    lab.set(Current {
        scenario: Scenario::Healthy,
        latency_ms: 300,
        skew_minutes: 0,
    })
    .unwrap();
    let started = Instant::now();
    assert_eq!(challenge(&lab).await.status, 401);
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );

    // The storage listener is delayed too.
    let started = Instant::now();
    assert_eq!(Call::get(&storage_url).send().await.unwrap().status, 200);
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn cors_off_sends_no_cors() {
    let lab = start();
    lab.set_scenario(Scenario::CorsOff).unwrap();
    let origin = "http://127.0.0.1:8765";

    let answer = Call::get(format!("{}/v2/", lab.base_url()))
        .header("origin", origin)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status, 401);
    assert_eq!(answer.header("access-control-allow-origin"), None);

    let preflight = Call::get(format!("{}/v2/", lab.base_url()))
        .method("OPTIONS")
        .header("origin", origin)
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    assert_ne!(preflight.status, 204);
    assert_eq!(preflight.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn storage_scenarios() {
    let lab = start();
    let (layer, token) = layer_and_token(&lab).await;
    let blob_url = format!("{}/v2/hello-world/blobs/{layer}", lab.base_url());

    lab.set_scenario(Scenario::StorageRefused).unwrap();
    let redirect = Call::get(&blob_url).bearer(&token).send().await.unwrap();
    assert_eq!(redirect.status, 307);
    let refused = Call::get(redirect.header("location").unwrap()).send().await;
    assert!(refused.unwrap_err().contains("connect failed"));

    lab.set_scenario(Scenario::Storage403).unwrap();
    let redirect = Call::get(&blob_url).bearer(&token).send().await.unwrap();
    let blocked = Call::get(redirect.header("location").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(blocked.status, 403);
    assert_eq!(
        blocked.header("x-ms-error-code"),
        Some("AuthorizationFailure")
    );

    lab.set_scenario(Scenario::HostileRedirectLoop).unwrap();
    let mut url = blob_url.clone();
    for round in 1..=3 {
        let answer = Call::get(&url).bearer(&token).send().await.unwrap();
        assert_eq!(answer.status, 307);
        url = answer.header("location").unwrap().to_string();
        assert!(url.starts_with(&blob_url), "{url}");
        assert!(url.ends_with(&format!("?loop={round}")), "{url}");
    }
}

#[tokio::test]
async fn hostile_token_answers() {
    let lab = start();

    lab.set_scenario(Scenario::HostileBigBody).unwrap();
    let answer = admin_token_call(&lab).send().await.unwrap();
    assert_eq!(answer.status, 200);
    assert!(
        answer.body.len() >= 10 * 1024 * 1024,
        "{} bytes",
        answer.body.len()
    );

    lab.set_scenario(Scenario::HostileInvalidUtf8).unwrap();
    let answer = admin_token_call(&lab).send().await.unwrap();
    assert_eq!(answer.status, 200);
    assert!(std::str::from_utf8(&answer.body).is_err());

    lab.set_scenario(Scenario::HostileTruncatedJson).unwrap();
    let answer = admin_token_call(&lab).send().await.unwrap();
    assert!(serde_json::from_slice::<serde_json::Value>(&answer.body)
        .unwrap_err()
        .is_eof());

    lab.set_scenario(Scenario::HostileTokenType).unwrap();
    let answer = admin_token_call(&lab).send().await.unwrap();
    assert!(answer.json()["access_token"].is_number());

    lab.set_scenario(Scenario::HostileTokenShape).unwrap();
    let answer = admin_token_call(&lab).send().await.unwrap();
    let token = answer.json()["access_token"].as_str().unwrap().to_string();
    assert_ne!(token.split('.').count(), 3);
}

#[tokio::test]
async fn hostile_drip_sends_a_byte_a_second() {
    let lab = start();
    lab.set_scenario(Scenario::HostileDrip).unwrap();

    let response = admin_token_call(&lab)
        .timeout(Duration::from_secs(2))
        .send_head()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let announced: usize = response.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();

    let mut body = response.into_body();
    let mut received = 0;
    let deadline = tokio::time::sleep(Duration::from_millis(2500));
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            frame = body.frame() => match frame {
                Some(Ok(frame)) => received += frame.data_ref().map(|data| data.len()).unwrap_or(0),
                _ => break,
            },
            _ = &mut deadline => break,
        }
    }
    assert!((2..=4).contains(&received), "{received} bytes in 2.5 s");
    assert!(received < announced);
}

#[tokio::test]
async fn hostile_big_header() {
    let lab = start();
    lab.set_scenario(Scenario::HostileBigHeader).unwrap();
    let answer = challenge(&lab).await;
    assert_eq!(answer.status, 401);
    assert!(answer.header("www-authenticate").unwrap().len() > 64 * 1024);
}

#[test]
fn scenario_switch_by_name() {
    let lab = start();
    lab.set_scenario_named("cors-off").unwrap();
    assert_eq!(lab.current().scenario, Scenario::CorsOff);

    let unknown = lab.set_scenario_named("cors-of").unwrap_err().to_string();
    assert!(unknown.contains("'cors-of'"), "{unknown}");
    let needs_tls = lab
        .set_scenario_named("tls-wrong-host")
        .unwrap_err()
        .to_string();
    assert!(needs_tls.contains("'tls-wrong-host'"), "{needs_tls}");
    assert_eq!(lab.current().scenario, Scenario::CorsOff);
}

#[tokio::test]
async fn every_scenario_switchable() {
    let lab = start();
    for (scenario, info) in Scenario::ALL {
        let result = lab.set_scenario(scenario);
        if scenario.needs_tls() {
            let error = result.unwrap_err().to_string();
            assert!(error.contains(info.name), "{error}");
        } else {
            result.unwrap();
            assert_eq!(lab.current().scenario, scenario);
        }
    }
}
