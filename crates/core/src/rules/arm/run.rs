//! The ARM run: the order of the requests, what each response decides, and which checks are
//! skipped when a step fails.
//!
//! The token's claims are read first, and an empty or expired token or one for another
//! audience fails the token check before anything is sent. Then come the subscription list (its
//! first response decides the token check), the registry list of each subscription until the registry is found (which
//! decides the registry check), each private endpoint, and the user-assigned identity of a
//! customer-managed key. The network, private endpoint and encryption checks compare with what
//! the registry checks saw, so [`ArmRun::finish`] reports them.

use std::mem;

use crate::parse::arm::{self, ArmParseError, Registry};
use crate::parse::registry_input::{Cloud, LoginServer};
use crate::rules::registry::evidence::{self, Scrubber};
use crate::rules::registry::{Failure, HttpAnswer, HttpRequest, Method, Outcome, Redirect};
use crate::{CheckId, CheckResult, Code, Evidence, Side};

use super::encryption::{self, IdentityLookup, KeyIdentity};
use super::private_endpoint::{self, EndpointLookup};
use super::registry::{self as found, Wanted};
use super::settings::{arm_base_url, cloud_of_base_url};
use super::token::{self, TokenFacts};
use super::verdict::Verdict;
use super::{
    lookup, network, ArmFinding, ArmSettings, Observations, MAX_PAGES, MAX_PRIVATE_ENDPOINTS,
    MAX_SUBSCRIPTIONS,
};

/// The request the run waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Subscriptions { url: String, page: u8 },
    Registries { index: usize, url: String, page: u8 },
    PrivateEndpoint { index: usize, url: String },
    Identity { url: String },
    Done,
}

/// The registry found, and what the later requests learned about it.
#[derive(Clone, Debug)]
struct Found {
    registry: Registry,
    /// Private endpoint resource ids, at most [`MAX_PRIVATE_ENDPOINTS`].
    endpoint_ids: Vec<String>,
    endpoints: Vec<(String, EndpointLookup)>,
    key: KeyIdentity,
    identity: Option<IdentityLookup>,
}

/// A sans-I/O run of the ARM checks for one login server.
///
/// Call [`ArmRun::next_request`], send the request, pass what happened to
/// [`ArmRun::observe`], and repeat until `next_request` returns `None`; then call
/// [`ArmRun::finish`] with what the registry checks saw. Every result passes through a scrubber
/// that removes the token.
pub struct ArmRun {
    server: LoginServer,
    token: String,
    side: Side,
    /// The accepted base URL; `None` when the settings' URL was rejected.
    base_url: Option<String>,
    cloud: Option<Cloud>,
    wanted: Wanted,
    facts: TokenFacts,
    step: Step,
    subscriptions: Vec<arm::Subscription>,
    /// A 403 on a registry list: subscription, ARM message and evidence.
    denied: Option<(String, Option<String>, Vec<Evidence>)>,
    found: Option<Found>,
    /// Verdicts decided before any request, reported by the first call that returns results.
    pending: Vec<(CheckId, Verdict)>,
    scrubber: Scrubber,
    reported: Vec<CheckId>,
    spent_ms: Vec<(CheckId, u32)>,
    skip_reason: ArmFinding,
}

impl ArmRun {
    /// Prepares a run. An empty or expired token, a token for another audience or a rejected
    /// base URL fail the token check here, and the run then sends nothing. A pasted
    /// `Bearer ` prefix and surrounding quotes are removed from the token. `started_at_ms` is the local
    /// time in Unix milliseconds that the token's expiry is compared with.
    pub fn new(
        server: LoginServer,
        token: String,
        settings: ArmSettings,
        side: Side,
        started_at_ms: u64,
    ) -> ArmRun {
        let mut scrubber = Scrubber::new();
        scrubber.add(&token);
        let normalized = token::normalize(&token).to_owned();
        scrubber.add(&normalized);
        let wanted = Wanted::new(&server, &settings);

        let mut run = ArmRun {
            server,
            token: normalized,
            side,
            base_url: None,
            cloud: None,
            wanted,
            facts: TokenFacts::default(),
            step: Step::Done,
            subscriptions: Vec::new(),
            denied: None,
            found: None,
            pending: Vec::new(),
            scrubber,
            reported: Vec::new(),
            spent_ms: Vec::new(),
            skip_reason: ArmFinding::SkippedAfterFailure,
        };

        let base_url = match arm_base_url(&settings.base_url) {
            Ok(url) => url,
            Err(error) => {
                let verdict =
                    Verdict::fail_without_code(ArmFinding::BaseUrlRejected { error }, Vec::new());
                run.pending.push((CheckId::ArmToken, verdict));
                return run;
            }
        };
        run.cloud = cloud_of_base_url(&base_url);
        if run.token.is_empty() {
            let verdict = Verdict::fail(Code::ArmToken, ArmFinding::TokenMissing, Vec::new());
            run.pending.push((CheckId::ArmToken, verdict));
            return run;
        }
        let (facts, verdict) = token::inspect(&run.token, run.cloud, started_at_ms);
        run.facts = facts;
        if let Some(verdict) = verdict {
            run.pending.push((CheckId::ArmToken, verdict));
            return run;
        }
        run.step = Step::Subscriptions {
            url: lookup::subscriptions_url(&base_url),
            page: 1,
        };
        run.base_url = Some(base_url);
        run
    }

    /// Returns the checks this run reports, in report order.
    pub fn checks(&self) -> Vec<CheckId> {
        vec![
            CheckId::ArmToken,
            CheckId::ArmRegistry,
            CheckId::NetworkRules,
            CheckId::PrivateEndpoints,
            CheckId::EncryptionIdentity,
        ]
    }

    /// Returns the request to send next, or `None` when no request is left. Calling it again
    /// before [`ArmRun::observe`] returns the same request.
    pub fn next_request(&self) -> Option<HttpRequest> {
        let (check, url) = match &self.step {
            Step::Subscriptions { url, .. } => (CheckId::ArmToken, url),
            Step::Registries { url, .. } => (CheckId::ArmRegistry, url),
            Step::PrivateEndpoint { url, .. } => (CheckId::PrivateEndpoints, url),
            Step::Identity { url } => (CheckId::EncryptionIdentity, url),
            Step::Done => return None,
        };
        Some(HttpRequest {
            check,
            method: Method::Get,
            url: url.clone(),
            form: Vec::new(),
            basic: None,
            bearer: Some(self.token.clone()),
            accept: Some("application/json".to_owned()),
            redirect: Redirect::Follow,
        })
    }

    /// Takes the outcome of the request from [`ArmRun::next_request`] and returns the checks
    /// it finished: the token check and the registry check, or every check when a failure ends
    /// the run. `elapsed_ms` is the request's wall time. `now_ms`, the local time when it
    /// ended, is taken for symmetry with the registry run; no ARM rule needs it yet.
    pub fn observe(&mut self, outcome: Outcome, elapsed_ms: u32, _now_ms: u64) -> Vec<CheckResult> {
        let mut results = Vec::new();
        self.emit_pending(&mut results);
        let Some(request) = self.next_request() else {
            return self.scrubbed(results);
        };
        let step = mem::replace(&mut self.step, Step::Done);
        self.add_time(request.check, elapsed_ms);

        match &outcome {
            Outcome::Answer(answer) => self.on_answer(answer, step, elapsed_ms, &mut results),
            failed => {
                let failure = Failure::of(failed).unwrap_or(Failure::Network {
                    detail: String::new(),
                });
                let evidence = evidence::failure(&request.url, failed, elapsed_ms);
                self.on_failure(&request, failure, step, evidence, &mut results);
            }
        }
        self.scrubbed(results)
    }

    /// Reports every check not reported yet: the network, private endpoint and encryption
    /// checks judged against `seen`, or skipped with the reason. Call it once the requests are
    /// over, or to abandon the run.
    pub fn finish(&mut self, seen: &Observations) -> Vec<CheckResult> {
        self.step = Step::Done;
        let mut results = Vec::new();
        self.emit_pending(&mut results);

        if let Some(found) = self.found.clone() {
            let entries = private_endpoint::dns_entries(&found.endpoints);
            let verdict = network::judge(&found.registry, seen, &entries, self.side);
            self.emit(CheckId::NetworkRules, verdict, &mut results);

            let verdict =
                private_endpoint::judge(&found.registry, &found.endpoints, seen, &self.server.host);
            self.emit(CheckId::PrivateEndpoints, verdict, &mut results);

            let verdict = encryption::judge(&found.registry, &found.key, found.identity.as_ref());
            self.emit(CheckId::EncryptionIdentity, verdict, &mut results);
        }
        self.skip_rest(&mut results);
        self.scrubbed(results)
    }

    fn on_answer(
        &mut self,
        answer: &HttpAnswer,
        step: Step,
        elapsed_ms: u32,
        results: &mut Vec<CheckResult>,
    ) {
        let evidence = evidence::answer(answer, elapsed_ms);

        // A 401 is about the token, whichever request got it.
        if answer.status == 401 {
            let error = arm::error(&answer.body);
            let mut evidence = evidence;
            evidence.extend(self.facts.evidence.clone());
            let verdict = token::rejected(error.as_ref(), &self.facts, self.cloud, evidence);
            let check = if self.reported.contains(&CheckId::ArmToken) {
                self.check_of(&step)
            } else {
                CheckId::ArmToken
            };
            self.emit(check, verdict, results);
            self.skip_rest(results);
            return;
        }

        match step {
            Step::Subscriptions { page, .. } => {
                self.on_subscriptions(answer, page, evidence, results)
            }
            Step::Registries { index, page, .. } => {
                self.on_registries(answer, index, page, evidence, results)
            }
            Step::PrivateEndpoint { index, .. } => {
                let lookup = if answer.status == 200 {
                    match arm::private_endpoint(&answer.body) {
                        Ok(endpoint) => EndpointLookup::Read(endpoint),
                        Err(_) => EndpointLookup::Failed {
                            status: Some(answer.status),
                            failure: None,
                        },
                    }
                } else {
                    EndpointLookup::Failed {
                        status: Some(answer.status),
                        failure: None,
                    }
                };
                self.record_endpoint(index, lookup);
            }
            Step::Identity { .. } => {
                let lookup = match answer.status {
                    200 => IdentityLookup::Exists,
                    404 => IdentityLookup::Deleted,
                    status => IdentityLookup::Failed {
                        status: Some(status),
                        failure: None,
                    },
                };
                if let Some(found) = &mut self.found {
                    found.identity = Some(lookup);
                }
                self.step = Step::Done;
            }
            Step::Done => {}
        }
    }

    fn on_subscriptions(
        &mut self,
        answer: &HttpAnswer,
        page: u8,
        evidence: Vec<Evidence>,
        results: &mut Vec<CheckResult>,
    ) {
        if answer.status != 200 {
            let verdict = self.rejected(answer, evidence);
            self.emit(CheckId::ArmToken, verdict, results);
            self.skip_rest(results);
            return;
        }
        let list = match arm::subscriptions(&answer.body) {
            Ok(list) => list,
            Err(problem) => {
                self.fail_unreadable(CheckId::ArmToken, answer, problem, evidence, results);
                return;
            }
        };

        // The finding names the tenant and the expiry, and the answer's URL and headers add
        // nothing, so only the audience (or why the claims are unreadable) is evidence: a share
        // link has little room.
        let evidence = self
            .facts
            .evidence
            .iter()
            .filter(|evidence| evidence.label != "tid" && evidence.label != "exp")
            .cloned()
            .collect();
        let verdict = Verdict::pass(
            ArmFinding::TokenAccepted {
                tenant: self.facts.tenant.clone(),
                expires_at_ms: self.facts.expires_at_ms,
            },
            evidence,
        );
        self.emit(CheckId::ArmToken, verdict, results);

        self.subscriptions.extend(list.items);
        self.subscriptions.truncate(MAX_SUBSCRIPTIONS);
        let base = self.base_url.clone().unwrap_or_default();
        let next = list
            .next_link
            .and_then(|link| lookup::next_link(&base, &link))
            .filter(|_| page < MAX_PAGES && self.subscriptions.len() < MAX_SUBSCRIPTIONS);
        match next {
            Some(url) => {
                self.step = Step::Subscriptions {
                    url,
                    page: page + 1,
                }
            }
            None => self.search_from(0, results),
        }
    }

    fn on_registries(
        &mut self,
        answer: &HttpAnswer,
        index: usize,
        page: u8,
        evidence: Vec<Evidence>,
        results: &mut Vec<CheckResult>,
    ) {
        let subscription = self.subscription_label(index);
        if answer.status == 403 {
            match &mut self.denied {
                // Every denied subscription is named; the first one's message and evidence
                // stand for the others.
                Some((names, _, _)) => {
                    names.push_str(", ");
                    names.push_str(&subscription);
                }
                None => {
                    let message = arm::error(&answer.body)
                        .map(|error| error.message)
                        .filter(|message| !message.is_empty())
                        .map(|message| evidence::cut(&evidence::redact_text(&message), 300));
                    self.denied = Some((subscription, message, evidence));
                }
            }
            self.search_from(index + 1, results);
            return;
        }
        if answer.status != 200 {
            let verdict = self.rejected(answer, evidence);
            self.emit(CheckId::ArmRegistry, verdict, results);
            self.skip_rest(results);
            return;
        }
        let list = match arm::registries(&answer.body) {
            Ok(list) => list,
            Err(problem) => {
                self.fail_unreadable(CheckId::ArmRegistry, answer, problem, evidence, results);
                return;
            }
        };

        if let Some(registry) = list.items.into_iter().find(|r| self.wanted.matches(r)) {
            let verdict = found::judge_found(&registry, &subscription, &self.wanted);
            self.emit(CheckId::ArmRegistry, verdict, results);
            self.start_lookups(registry);
            return;
        }

        let base = self.base_url.clone().unwrap_or_default();
        let next = list
            .next_link
            .and_then(|link| lookup::next_link(&base, &link))
            .filter(|_| page < MAX_PAGES);
        match next {
            Some(url) => {
                self.step = Step::Registries {
                    index,
                    url,
                    page: page + 1,
                }
            }
            None => self.search_from(index + 1, results),
        }
    }

    /// Asks for the registry list of the first searchable subscription from `index` on, or
    /// reports the registry as not found when none is left.
    fn search_from(&mut self, index: usize, results: &mut Vec<CheckResult>) {
        let base = self.base_url.clone().unwrap_or_default();
        for (index, subscription) in self.subscriptions.iter().enumerate().skip(index) {
            if let Some(url) = lookup::registries_url(&base, &subscription.id) {
                self.step = Step::Registries {
                    index,
                    url,
                    page: 1,
                };
                return;
            }
        }

        self.step = Step::Done;
        self.skip_reason = ArmFinding::SkippedRegistryUnknown;
        let verdict = match self.denied.take() {
            Some((subscription, message, evidence)) => Verdict::fail(
                Code::LoginServer,
                ArmFinding::NoPermission {
                    subscription,
                    message,
                },
                evidence,
            ),
            None => Verdict::fail(
                Code::LoginServer,
                ArmFinding::RegistryNotFound {
                    wanted: self.wanted.describe(),
                    by_login_server: self.wanted.name.is_none(),
                    subscriptions: (0..self.subscriptions.len())
                        .map(|index| self.subscription_label(index))
                        .collect(),
                },
                Vec::new(),
            ),
        };
        self.emit(CheckId::ArmRegistry, verdict, results);
        self.skip_rest(results);
    }

    /// Plans the private endpoint and identity requests for the registry found.
    fn start_lookups(&mut self, registry: Registry) {
        let endpoint_ids: Vec<String> = registry
            .private_endpoint_connections
            .iter()
            .filter_map(|connection| connection.private_endpoint_id.clone())
            .take(MAX_PRIVATE_ENDPOINTS)
            .collect();
        let key = encryption::key_identity(&registry);
        self.found = Some(Found {
            registry,
            endpoint_ids,
            endpoints: Vec::new(),
            key,
            identity: None,
        });
        self.next_endpoint(0);
    }

    /// Asks for private endpoint `index`, or moves on to the identity.
    fn next_endpoint(&mut self, index: usize) {
        let base = self.base_url.clone().unwrap_or_default();
        let Some(found) = &mut self.found else {
            self.step = Step::Done;
            return;
        };
        for (index, id) in found.endpoint_ids.iter().enumerate().skip(index) {
            match lookup::private_endpoint_url(&base, id) {
                Some(url) => {
                    self.step = Step::PrivateEndpoint { index, url };
                    return;
                }
                None => found.endpoints.push((
                    id.clone(),
                    EndpointLookup::Failed {
                        status: None,
                        failure: None,
                    },
                )),
            }
        }

        self.step = match &found.key {
            KeyIdentity::User {
                resource_id: Some(resource_id),
                ..
            } => match lookup::identity_url(&base, resource_id) {
                Some(url) => Step::Identity { url },
                None => {
                    found.identity = Some(IdentityLookup::Failed {
                        status: None,
                        failure: None,
                    });
                    Step::Done
                }
            },
            _ => Step::Done,
        };
    }

    fn record_endpoint(&mut self, index: usize, lookup: EndpointLookup) {
        if let Some(found) = &mut self.found {
            if let Some(id) = found.endpoint_ids.get(index) {
                found.endpoints.push((id.clone(), lookup));
            }
        }
        self.next_endpoint(index + 1);
    }

    fn on_failure(
        &mut self,
        request: &HttpRequest,
        failure: Failure,
        step: Step,
        evidence: Vec<Evidence>,
        results: &mut Vec<CheckResult>,
    ) {
        match step {
            Step::PrivateEndpoint { index, .. } => {
                let lookup = EndpointLookup::Failed {
                    status: None,
                    failure: Some(failure),
                };
                self.record_endpoint(index, lookup);
            }
            Step::Identity { .. } => {
                if let Some(found) = &mut self.found {
                    found.identity = Some(IdentityLookup::Failed {
                        status: None,
                        failure: Some(failure),
                    });
                }
            }
            _ => {
                let verdict = Verdict::fail_without_code(
                    ArmFinding::RequestFailed {
                        url: evidence::redact_url(&request.url),
                        failure,
                    },
                    evidence,
                );
                self.emit(request.check, verdict, results);
                self.skip_rest(results);
            }
        }
    }

    /// Fails `check` because ARM responded 200 with a body the parsers cannot read, and skips
    /// the checks after it.
    fn fail_unreadable(
        &mut self,
        check: CheckId,
        answer: &HttpAnswer,
        problem: ArmParseError,
        evidence: Vec<Evidence>,
        results: &mut Vec<CheckResult>,
    ) {
        let finding = ArmFinding::AnswerUnreadable {
            url: evidence::redact_url(&answer.url),
            problem,
        };
        let verdict = Verdict::fail_without_code(finding, evidence);
        self.emit(check, verdict, results);
        self.skip_rest(results);
    }

    fn rejected(&self, answer: &HttpAnswer, evidence: Vec<Evidence>) -> Verdict {
        let error = arm::error(&answer.body);
        let clean = |text: &str| evidence::cut(&evidence::redact_text(text), 300);
        Verdict::fail_without_code(
            ArmFinding::Rejected {
                url: evidence::redact_url(&answer.url),
                status: answer.status,
                code: error
                    .as_ref()
                    .map(|e| clean(&e.code))
                    .filter(|c| !c.is_empty()),
                message: error
                    .as_ref()
                    .map(|e| clean(&e.message))
                    .filter(|m| !m.is_empty()),
            },
            evidence,
        )
    }

    fn check_of(&self, step: &Step) -> CheckId {
        match step {
            Step::Subscriptions { .. } | Step::Done => CheckId::ArmToken,
            Step::Registries { .. } => CheckId::ArmRegistry,
            Step::PrivateEndpoint { .. } => CheckId::PrivateEndpoints,
            Step::Identity { .. } => CheckId::EncryptionIdentity,
        }
    }

    /// Names a subscription by its display name, else its id.
    fn subscription_label(&self, index: usize) -> String {
        self.subscriptions
            .get(index)
            .map(|subscription| {
                subscription
                    .display_name
                    .clone()
                    .filter(|name| !name.trim().is_empty())
                    .unwrap_or_else(|| subscription.id.clone())
            })
            .unwrap_or_default()
    }

    fn add_time(&mut self, check: CheckId, elapsed_ms: u32) {
        match self.spent_ms.iter_mut().find(|(id, _)| *id == check) {
            Some((_, spent)) => *spent = spent.saturating_add(elapsed_ms),
            None => self.spent_ms.push((check, elapsed_ms)),
        }
    }

    fn emit_pending(&mut self, results: &mut Vec<CheckResult>) {
        let pending = mem::take(&mut self.pending);
        let ended = !pending.is_empty();
        for (check, verdict) in pending {
            self.emit(check, verdict, results);
        }
        if ended {
            self.skip_rest(results);
        }
    }

    /// Turns a verdict into a result once per check; a check already reported keeps its first
    /// result.
    fn emit(&mut self, check: CheckId, verdict: Verdict, results: &mut Vec<CheckResult>) {
        if self.reported.contains(&check) {
            return;
        }
        self.reported.push(check);
        let elapsed_ms = self
            .spent_ms
            .iter()
            .find(|(id, _)| *id == check)
            .map_or(0, |(_, spent)| *spent);
        results.push(CheckResult {
            check,
            side: self.side,
            status: verdict.status,
            code: verdict.code,
            finding: verdict.finding.into(),
            evidence: verdict.evidence,
            elapsed_ms,
        });
    }

    fn skip_rest(&mut self, results: &mut Vec<CheckResult>) {
        self.step = Step::Done;
        for check in self.checks() {
            let verdict = Verdict::skipped(self.skip_reason.clone());
            self.emit(check, verdict, results);
        }
    }

    fn scrubbed(&self, results: Vec<CheckResult>) -> Vec<CheckResult> {
        results
            .into_iter()
            .map(|result| self.scrubber.result(result))
            .collect()
    }
}
