use proptest::prelude::*;

use super::sample::typical_report;
use super::*;
use crate::rules::arm::ArmFinding;
use crate::rules::environment::{EnvironmentFinding, Version};
use crate::rules::registry::{ClockSource, Failure, RegistryFinding, TokenFlow};
use crate::{CheckId, CheckResult, Code, Finding, Side, Status};

/// The address a deployed page would have; share links start with it.
const PAGE_URL: &str = "https://acr-health.example.test/tools/acr-health/";

/// Builds a payload with any version byte and any (uncompressed) content.
fn payload_of(version: u8, content: &[u8]) -> String {
    let mut bytes = vec![version];
    bytes.extend_from_slice(&dictionary::compress(content));
    URL_SAFE_NO_PAD.encode(bytes)
}

fn wire_bytes(report: &Report) -> Vec<u8> {
    postcard::to_allocvec(&WireReport::from_report(report)).expect("a wire report serializes")
}

fn all_text(report: &Report) -> String {
    serde_json::to_string(report).expect("a report serializes to JSON")
}

#[test]
fn typical_report_round_trips() {
    let report = typical_report();

    let decoded = decode(&encode(&report));

    assert_eq!(decoded, Ok(report));
}

#[test]
fn typical_link_fits_2000_chars() {
    let report = typical_report();

    let link = link(PAGE_URL, &report);

    println!(
        "share link of a typical report with helper results: {} characters",
        link.len()
    );
    assert!(
        link.len() <= 2000,
        "the link is {} characters long",
        link.len()
    );
}

#[test]
fn link_drops_query_and_fragment() {
    let report = typical_report();
    let url = format!("{PAGE_URL}?registry=x&embedder=https://portal.example.test#pair=s3cret");

    let link = link(&url, &report);

    assert!(link.starts_with(&format!("{PAGE_URL}#report=")));
    assert!(!link.contains("s3cret"));
    assert!(!link.contains("embedder"));
}

#[test]
fn decode_link_reads_pasted_forms() {
    let report = typical_report();
    let payload = encode(&report);
    let forms = [
        format!("{PAGE_URL}#report={payload}"),
        format!("  {PAGE_URL}#pair=abc&report={payload}\n"),
        format!("#report={payload}"),
        format!("report={payload}"),
        payload.clone(),
        format!("{payload}=="),
    ];

    for form in &forms {
        assert_eq!(
            decode_link(form).as_ref(),
            Ok(&report),
            "pasted form: {form}"
        );
    }
}

#[test]
fn payload_from_link_without_report_is_empty() {
    let cases = [
        "https://acr-health.example.test/",
        "https://acr-health.example.test/#pair=abc",
        "#pair=abc&lang=ko",
        "",
    ];

    for case in cases {
        assert_eq!(payload_from_link(case), "", "input: {case:?}");
        assert_eq!(decode_link(case), Err(ShareError::Empty), "input: {case:?}");
    }
}

#[test]
fn error_empty() {
    assert_eq!(decode(""), Err(ShareError::Empty));
    assert_eq!(decode("  \n"), Err(ShareError::Empty));
    assert_eq!(decode("=="), Err(ShareError::Empty));
}

#[test]
fn error_too_long() {
    let payload = "A".repeat(MAX_PAYLOAD_CHARS + 1);

    assert_eq!(
        decode(&payload),
        Err(ShareError::TooLong {
            chars: MAX_PAYLOAD_CHARS + 1
        })
    );
}

#[test]
fn error_not_base64() {
    let payload = encode(&typical_report());
    let altered = format!("{}+/{}", &payload[..10], &payload[10..]);

    assert_eq!(decode(&altered), Err(ShareError::NotBase64));
    assert_eq!(decode("abc def"), Err(ShareError::NotBase64));
    // One base64 character alone carries only six bits: never a whole byte.
    assert_eq!(decode("A"), Err(ShareError::NotBase64));
    // Multibyte text longer in bytes than the limit but not in characters.
    let wide = "가".repeat(MAX_PAYLOAD_CHARS / 2);
    assert_eq!(decode(&wide), Err(ShareError::NotBase64));
}

#[test]
fn error_unknown_version() {
    let payload = encode(&typical_report());
    let mut bytes = URL_SAFE_NO_PAD
        .decode(&payload)
        .expect("our payload is base64url");
    bytes[0] = PAYLOAD_VERSION.wrapping_add(1);
    let foreign = URL_SAFE_NO_PAD.encode(&bytes);

    assert_eq!(
        decode(&foreign),
        Err(ShareError::UnknownVersion {
            version: PAYLOAD_VERSION.wrapping_add(1)
        })
    );
}

#[test]
fn error_corrupt_when_truncated() {
    let payload = encode(&typical_report());
    // A multiple of four characters is still whole base64, so only the deflate stream is cut.
    let cut = &payload[..payload.len() / 8 * 4];

    assert_eq!(decode(cut), Err(ShareError::Corrupt));
}

#[test]
fn payload_is_smaller_with_dictionary() {
    let packed = wire_bytes(&typical_report());

    let with_dictionary = dictionary::compress(&packed).len();
    let without = miniz_oxide::deflate::compress_to_vec(&packed, 10).len();

    assert!(
        with_dictionary < without,
        "{with_dictionary} bytes against {without}"
    );
}

#[test]
fn dictionary_round_trips_large_input() {
    // Larger than the first output buffer, so the decoder must grow it.
    let data: Vec<u8> = (0..200_000_u32).map(|i| (i % 251) as u8).collect();

    let packed = dictionary::compress(&data);

    assert_eq!(
        dictionary::decompress_with_limit(&packed, dictionary::DICTIONARY, MAX_REPORT_BYTES),
        Ok(data)
    );
}

#[test]
fn error_too_large() {
    let bomb = payload_of(PAYLOAD_VERSION, &vec![0; MAX_REPORT_BYTES + 1]);

    assert!(
        bomb.len() < MAX_PAYLOAD_CHARS,
        "the bomb is {} characters",
        bomb.len()
    );
    assert_eq!(decode(&bomb), Err(ShareError::TooLarge));
}

#[test]
fn error_malformed() {
    let mut packed = wire_bytes(&typical_report());
    let garbage = payload_of(PAYLOAD_VERSION, b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff");
    packed.push(0);
    let trailing = payload_of(PAYLOAD_VERSION, &packed);
    let mut other_format = typical_report();
    other_format.format = REPORT_FORMAT + 1;
    let other_format = payload_of(PAYLOAD_VERSION, &wire_bytes(&other_format));

    assert_eq!(decode(&garbage), Err(ShareError::Malformed));
    assert_eq!(decode(&trailing), Err(ShareError::Malformed));
    assert_eq!(decode(&other_format), Err(ShareError::Malformed));
}

#[test]
fn error_malformed_when_nested_deep() {
    // A report whose only result has a finding of 100,000 nested lists, 200 KB unpacked. postcard writes the
    // result's fields in order: check, side, status, code, then the node count and the nodes.
    let empty = Report {
        results: Vec::new(),
        ..typical_report()
    };
    let mut packed = wire_bytes(&empty);
    packed.pop(); // The count of results, 0.
    packed.extend_from_slice(&[1, 0, 0, 2, 0]);
    let depth: u32 = 100_000;
    let mut count = Vec::new();
    let mut left = depth;
    while left >= 0x80 {
        count.push((left as u8) | 0x80);
        left >>= 7;
    }
    count.push(left as u8);
    packed.extend_from_slice(&count);
    for _ in 0..depth {
        packed.extend_from_slice(&[6, 1]); // Node::List(1)
    }
    packed.extend_from_slice(&[0, 0, 0]); // Node::Null, no evidence, 0 ms.

    let bomb = payload_of(PAYLOAD_VERSION, &packed);

    assert!(
        bomb.len() < MAX_PAYLOAD_CHARS,
        "the payload is {} characters",
        bomb.len()
    );
    assert_eq!(decode(&bomb), Err(ShareError::Malformed));
}

#[test]
fn errors_read_in_both_languages() {
    let errors = [
        ShareError::Empty,
        ShareError::TooLong { chars: 20_000 },
        ShareError::NotBase64,
        ShareError::UnknownVersion { version: 9 },
        ShareError::Corrupt,
        ShareError::TooLarge,
        ShareError::Malformed,
    ];

    for error in &errors {
        let en = error.localize(Lang::En);
        let ko = error.localize(Lang::Ko);
        assert!(!en.is_empty(), "{error:?}");
        assert!(
            ko.chars().any(|c| ('가'..='힣').contains(&c)),
            "{error:?}: {ko}"
        );
        assert_ne!(en, ko, "{error:?}");
    }
}

#[test]
fn anonymize_hides_registry() {
    let hidden = anonymize(&typical_report());
    let text = all_text(&hidden);

    assert_eq!(hidden.registry, "registry.hidden");
    assert!(
        !text.to_ascii_lowercase().contains("contosoregistry"),
        "{text}"
    );
}

#[test]
fn anonymize_hides_ipv4_and_ipv6() {
    let hidden = anonymize(&typical_report());
    let text = all_text(&hidden);

    assert!(!text.contains("20.61.140.34"), "{text}");
    assert!(!text.contains("20.50.2.13"), "{text}");
    assert!(!text.contains("2603:1020:206:3::1f"), "{text}");
    assert!(text.contains("x.x.x.x:443"), "{text}");
}

#[test]
fn anonymize_keeps_the_diagnosis() {
    let report = typical_report();

    let hidden = anonymize(&report);

    assert_eq!(hidden.results.len(), report.results.len());
    for (before, after) in report.results.iter().zip(&hidden.results) {
        assert_eq!(after.check, before.check);
        assert_eq!(after.status, before.status);
        assert_eq!(after.code, before.code);
        assert_eq!(after.elapsed_ms, before.elapsed_ms);
        // Each finding is still the same kind of finding.
        assert_eq!(
            std::mem::discriminant(&after.finding),
            std::mem::discriminant(&before.finding)
        );
    }
    assert_eq!(decode(&encode(&hidden)), Ok(hidden));
}

#[test]
fn typical_report_has_arm_results_on_both_sides() {
    let report = typical_report();

    for side in [Side::Browser, Side::Machine] {
        let arm = report
            .results
            .iter()
            .filter(|result| result.side == side && matches!(result.finding, Finding::Arm(_)))
            .count();
        assert_eq!(arm, 5, "ARM results on {side:?}");
    }
}

#[test]
fn version_2_links_still_open() {
    let mut report = typical_report();
    report
        .results
        .retain(|result| !matches!(result.finding, Finding::Arm(_)));
    let packed = wire_bytes(&report);
    let mut bytes = vec![2];
    bytes.extend_from_slice(&dictionary::compress_with(
        &packed,
        dictionary::DICTIONARY_V2,
    ));

    let decoded = decode(&URL_SAFE_NO_PAD.encode(bytes));

    assert_eq!(decoded, Ok(report));
}

#[test]
fn version_1_is_unknown() {
    let payload = payload_of(1, b"anything");
    assert_eq!(
        decode(&payload),
        Err(ShareError::UnknownVersion { version: 1 })
    );
}

/// A report of one result holding `finding`.
fn report_with(finding: Finding) -> Report {
    let mut report = typical_report();
    report.results.truncate(1);
    report.results[0].finding = finding;
    report
}

#[test]
fn every_finding_round_trips_through_a_link() {
    for finding in crate::texts::tests::every_finding() {
        let report = report_with(finding);
        assert_eq!(decode(&encode(&report)), Ok(report));
    }
}

#[test]
fn findings_keep_the_node_layout_of_earlier_links() {
    // Links of versions 2 and 3 were written from the finding's `serde_json::Value`.
    for finding in crate::texts::tests::every_finding() {
        let mut expected = Vec::new();
        wire::flatten(&serde_json::to_value(&finding).unwrap(), &mut expected);
        assert_eq!(wire::finding_nodes(&finding), expected, "{finding:?}");
    }
}

#[test]
fn nodes_read_what_serde_json_reads() {
    use crate::nodes::Node;
    // `{"skipped_after_failure": null}` is a unit variant, as serde_json reads it.
    let unit_in_map = vec![
        Node::Map(1),
        Node::Key("Registry".into()),
        Node::Map(1),
        Node::Key("skipped_after_failure".into()),
        Node::Null,
    ];
    // A number that is not finite stands for JSON's `null`: an absent status.
    let nan_status = vec![
        Node::Map(1),
        Node::Key("Registry".into()),
        Node::Map(1),
        Node::Key("reached".into()),
        Node::Map(2),
        Node::Key("status".into()),
        Node::Float(f64::NAN),
        Node::Key("url".into()),
        Node::Text("https://r.test/v2/".into()),
    ];

    assert_eq!(
        Finding::from_nodes(unit_in_map).ok(),
        Some(RegistryFinding::SkippedAfterFailure.into())
    );
    assert_eq!(
        Finding::from_nodes(nan_status).ok(),
        Some(
            RegistryFinding::Reached {
                url: "https://r.test/v2/".into(),
                status: None
            }
            .into()
        )
    );
}

#[test]
fn nodes_refuse_what_is_not_a_finding() {
    use crate::nodes::Node;
    let cases: [(&str, Vec<Node>); 5] = [
        ("no node", vec![]),
        ("a key alone", vec![Node::Key("Registry".into())]),
        (
            "an enum map of two variants",
            vec![
                Node::Map(2),
                Node::Key("Registry".into()),
                Node::Text("skipped_after_failure".into()),
                Node::Key("Arm".into()),
                Node::Text("token_missing".into()),
            ],
        ),
        (
            "a node left over",
            vec![
                Node::Map(1),
                Node::Key("Registry".into()),
                Node::Text("skipped_after_failure".into()),
                Node::Null,
            ],
        ),
        (
            "a count past the nodes",
            vec![
                Node::Map(1),
                Node::Key("Registry".into()),
                Node::Map(1),
                Node::Key("not_bearer".into()),
                Node::Map(2),
                Node::Key("schemes".into()),
                Node::List(u32::MAX),
            ],
        ),
    ];
    for (case, nodes) in cases {
        assert!(Finding::from_nodes(nodes).is_err(), "{case}");
    }
}

#[test]
fn anonymize_hides_a_registry_named_like_a_variant() {
    // `basic` is also how the token flow `Basic` is written; the flow stays, the host goes.
    let mut report = report_with(
        RegistryFinding::TokenGranted {
            url: "https://basic/oauth2/token".into(),
            flow: TokenFlow::Basic,
            scope: "repository:hello-world:pull".into(),
            granted: vec!["pull".into()],
            expires_at_ms: None,
        }
        .into(),
    );
    report.registry = "basic".into();

    let hidden = anonymize(&report);

    assert_eq!(
        hidden.results[0].finding,
        RegistryFinding::TokenGranted {
            url: format!("https://{HIDDEN_REGISTRY}/oauth2/token"),
            flow: TokenFlow::Basic,
            scope: "repository:hello-world:pull".into(),
            granted: vec!["pull".into()],
            expires_at_ms: None,
        }
        .into()
    );
}

#[test]
fn anonymize_hides_azure_names() {
    let hidden = anonymize(&typical_report());
    let text = all_text(&hidden);

    assert!(
        !text.contains("7c4d9a2e-5b1f-4e8a-9d3c-2f6b8e1a4c70"),
        "subscription id: {text}"
    );
    assert!(
        !text.contains("72f988bf-86f1-41af-91ab-2d7cd011db47"),
        "tenant id: {text}"
    );
    assert!(!text.contains("contoso-prod"), "resource group: {text}");
    assert!(
        !text.contains("Contoso Production"),
        "subscription name: {text}"
    );
    assert!(
        text.contains("/subscriptions/xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx/resourceGroups/group/"),
        "{text}"
    );
    for lang in [Lang::En, Lang::Ko] {
        for result in &hidden.results {
            let sentence = result.finding.localize(lang);
            assert!(
                !sentence.to_ascii_lowercase().contains("contoso"),
                "{sentence}"
            );
        }
    }
}

#[test]
fn hide_guids_table() {
    let cases = [
        (
            "tid 72f988bf-86f1-41af-91ab-2d7cd011db47.",
            "tid xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.",
        ),
        (
            "/subscriptions/7C4D9A2E-5B1F-4E8A-9D3C-2F6B8E1A4C70/x",
            "/subscriptions/xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx/x",
        ),
        (
            "a72f988bf-86f1-41af-91ab-2d7cd011db47",
            "a72f988bf-86f1-41af-91ab-2d7cd011db47",
        ),
        (
            "72f988bf-86f1-41af-91ab-2d7cd011db4",
            "72f988bf-86f1-41af-91ab-2d7cd011db4",
        ),
        (
            "sha256:d2c94e258dcb3c5ac2798d32e1249e42",
            "sha256:d2c94e258dcb3c5ac2798d32e1249e42",
        ),
        (
            "레지스트리 72f988bf-86f1-41af-91ab-2d7cd011db47",
            "레지스트리 xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(hide_guids(input), expected, "input: {input}");
    }
}

#[test]
fn hide_resource_groups_table() {
    let cases = [
        (
            "/subscriptions/s/resourceGroups/prod-rg/providers/x",
            "/subscriptions/s/resourceGroups/group/providers/x",
        ),
        (
            "/subscriptions/s/resourcegroups/prod-rg",
            "/subscriptions/s/resourcegroups/group",
        ),
        ("no ids here", "no ids here"),
        ("/resourceGroups/", "/resourceGroups/"),
    ];
    for (input, expected) in cases {
        assert_eq!(hide_resource_groups(input), expected, "input: {input}");
    }
}

#[test]
fn anonymize_loopback_registry() {
    let mut report = typical_report();
    report.registry = "127.0.0.1:5000".into();
    report.results[1].evidence = vec![Evidence::new("url", "http://127.0.0.1:5000/v2/")];
    report.results[2].evidence = vec![Evidence::new("url", "http://[::1]:5000/v2/")];

    let text = all_text(&anonymize(&report));

    assert!(!text.contains("127.0.0.1"), "{text}");
    assert!(!text.contains("::1]"), "{text}");
}

#[test]
fn anonymize_hides_azure_name_of_loopback_registry() {
    let mut report = typical_report();
    report.registry = "127.0.0.1:5000".into();
    let arm_result = |finding: ArmFinding, evidence: Vec<Evidence>| CheckResult {
        check: CheckId::ArmRegistry,
        side: Side::Browser,
        status: Status::Pass,
        code: None,
        finding: finding.into(),
        evidence,
        elapsed_ms: 3,
    };
    let identity = "/subscriptions/00000000-0000-0000-0000-0000000000a1/resourceGroups/lab-rg\
                    /providers/Microsoft.ManagedIdentity/userAssignedIdentities/labreg-cmk";
    report.results.push(arm_result(
        ArmFinding::RegistryFound {
            name: "labreg".into(),
            login_server: "127.0.0.1:5000".into(),
            subscription: "Lab Subscription".into(),
            sku: Some("Premium".into()),
            admin_user_enabled: Some(true),
            anonymous_pull_enabled: Some(false),
        },
        vec![
            Evidence::new(
                "id",
                "/subscriptions/00000000-0000-0000-0000-0000000000a1/resourceGroups/lab-rg\
                 /providers/Microsoft.ContainerRegistry/registries/labreg",
            ),
            Evidence::new("key", "https://labvault.vault.test/keys/labkey"),
            Evidence::new("identity", identity),
        ],
    ));
    report.results.push(arm_result(
        ArmFinding::CmkIdentityDeleted {
            registry: "labreg".into(),
            client_id: "00000000-0000-0000-0000-0000000000c1".into(),
        },
        Vec::new(),
    ));

    let text = all_text(&anonymize(&report));

    assert!(!text.to_ascii_lowercase().contains("labreg"), "{text}");
    assert!(!text.contains("labvault"), "{text}");
    assert!(!text.contains("labkey"), "{text}");
    assert!(!text.contains("lab-rg"), "{text}");
    assert!(text.contains("Premium"), "the facts stay: {text}");
}

#[test]
fn hide_addresses_table() {
    let cases = [
        (
            "client with IP '203.0.113.7' is not allowed",
            "client with IP 'x.x.x.x' is not allowed",
        ),
        ("from 10.1.2.3.", "from x.x.x.x."),
        ("at 10.1.2.3:8080/v2", "at x.x.x.x:8080/v2"),
        ("fe80::1%eth0", "x::x%eth0"),
        ("::ffff:192.0.2.1", "x::x"),
        (
            "version 28.2.2, build e6534b4",
            "version 28.2.2, build e6534b4",
        ),
        ("at 20:49:34 GMT", "at 20:49:34 GMT"),
        ("sha256:d2c94e258dcb", "sha256:d2c94e258dcb"),
    ];

    for (input, expected) in cases {
        assert_eq!(hide_addresses(input), expected, "input: {input}");
    }
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), "[a-z0-9.:/-]{0,40}"]
}

fn finding() -> impl Strategy<Value = Finding> {
    prop_oneof![
        Just(Finding::Registry(RegistryFinding::SkippedCorsBlocked)),
        (text(), any::<Option<u16>>()).prop_map(|(url, status)| RegistryFinding::Reached {
            url,
            status
        }
        .into()),
        (text(), text(), text()).prop_map(|(url, realm, service)| {
            RegistryFinding::ChallengeIssued {
                url,
                realm,
                service,
            }
            .into()
        }),
        (text(), any::<Option<String>>(), any::<Option<String>>()).prop_map(
            |(url, client_ip, message)| RegistryFinding::Forbidden {
                url,
                client_ip,
                message
            }
            .into()
        ),
        (text(), any::<u32>()).prop_map(|(url, after_ms)| {
            RegistryFinding::RequestFailed {
                url,
                failure: Failure::TimedOut { after_ms },
            }
            .into()
        }),
        (
            text(),
            proptest::collection::vec(text(), 0..4),
            any::<Option<u64>>()
        )
            .prop_map(
                |(url, granted, expires_at_ms)| RegistryFinding::TokenGranted {
                    url,
                    flow: TokenFlow::Basic,
                    scope: "repository:hello-world:pull".into(),
                    granted,
                    expires_at_ms,
                }
                .into()
            ),
        (any::<u64>(), any::<u64>()).prop_map(|(server_ms, local_ms)| {
            RegistryFinding::ClockSkewed {
                source: ClockSource::TokenIssuedAt,
                server_ms,
                local_ms,
            }
            .into()
        }),
        (text(), any::<(u64, u64, u64)>()).prop_map(|(name, (a, b, c))| {
            EnvironmentFinding::VersionFound {
                name,
                version: Version::new(a, b, c),
            }
            .into()
        }),
        (text(), any::<i64>()).prop_map(|(host, days)| EnvironmentFinding::TlsExpiresSoon {
            host,
            days
        }
        .into()),
        (text(), text(), text(), any::<Option<bool>>()).prop_map(
            |(name, login_server, subscription, admin_user_enabled)| ArmFinding::RegistryFound {
                name,
                login_server,
                subscription,
                sku: Some("Premium".into()),
                admin_user_enabled,
                anonymous_pull_enabled: None,
            }
            .into()
        ),
        (
            text(),
            text(),
            proptest::collection::vec(text(), 0..4),
            any::<bool>()
        )
            .prop_map(|(registry, client_ip, rules, forbidden_seen)| {
                ArmFinding::ClientDenied {
                    registry,
                    rule_count: rules.len(),
                    client_ip,
                    rules,
                    forbidden_seen,
                    data_host: None,
                }
                .into()
            }),
        (text(), proptest::collection::vec(text(), 0..3)).prop_map(|(fqdn, seen)| {
            ArmFinding::PrivateDnsMismatch {
                fqdn,
                expected: vec!["10.0.0.5".into()],
                seen,
                data_host: None,
            }
            .into()
        }),
        (text(), text()).prop_map(|(registry, client_id)| {
            ArmFinding::CmkIdentityDeleted {
                registry,
                client_id,
            }
            .into()
        }),
    ]
}

fn check_result() -> impl Strategy<Value = CheckResult> {
    (
        proptest::sample::select(CheckId::ALL.to_vec()),
        any::<bool>(),
        proptest::sample::select(vec![
            Status::Pending,
            Status::Running,
            Status::Pass,
            Status::Warning,
            Status::Fail,
            Status::Skipped,
        ]),
        proptest::option::of(proptest::sample::select(vec![
            Code::ConnectivityForbidden,
            Code::ConnectivityCors,
            Code::DockerDaemon,
            Code::ClockSkew,
        ])),
        finding(),
        proptest::collection::vec((text(), text()), 0..4),
        any::<u32>(),
    )
        .prop_map(
            |(check, machine, status, code, finding, evidence, elapsed_ms)| CheckResult {
                check,
                side: if machine {
                    Side::Machine
                } else {
                    Side::Browser
                },
                status,
                code,
                finding,
                evidence: evidence
                    .into_iter()
                    .map(|(label, value)| Evidence::new(label, value))
                    .collect(),
                elapsed_ms,
            },
        )
}

fn report() -> impl Strategy<Value = Report> {
    (
        text(),
        text(),
        text(),
        any::<u64>(),
        any::<Option<String>>(),
        any::<Option<String>>(),
        proptest::collection::vec(check_result(), 0..24),
    )
        .prop_map(
            |(tool_version, registry, cloud, started_at_ms, browser, helper_version, results)| {
                Report {
                    format: REPORT_FORMAT,
                    tool_version,
                    registry,
                    cloud,
                    started_at_ms,
                    browser,
                    helper_version,
                    results,
                }
            },
        )
}

proptest! {
    #[test]
    fn encode_then_decode_is_identity(report in report()) {
        let payload = encode(&report);

        prop_assert!(payload.len() <= MAX_PAYLOAD_CHARS || decode(&payload).is_err());
        if payload.len() <= MAX_PAYLOAD_CHARS {
            prop_assert_eq!(decode(&payload), Ok(report));
        }
    }

    #[test]
    fn decode_never_panics(input in any::<String>()) {
        let _ = decode_link(&input);
    }

    #[test]
    fn anonymized_report_round_trips(report in report()) {
        let hidden = anonymize(&report);
        let payload = encode(&hidden);

        if payload.len() <= MAX_PAYLOAD_CHARS {
            prop_assert_eq!(decode(&payload), Ok(hidden));
        }
    }
}
