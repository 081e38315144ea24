//! The registry run: the order of the steps, what each step needs from the ones before, and
//! which checks are skipped when a step fails.
//!
//! The chain is challenge, then the AAD exchange (for an Azure AD token only), then the access
//! token, then the data path. The clock is judged from the first `Date` header or token time
//! seen. In the browser, the challenge response also decides the CORS check.

use std::mem;

use super::challenge::{self, Bearer};
use super::data_path::{self, BlobNext, ManifestNext};
use super::evidence::{self, Scrubber};
use super::token::{self, Grant, Judgement};
use super::{
    clock, exchange, Credential, Failure, HttpAnswer, HttpRequest, Outcome, RegistryFinding,
    RunOptions,
};
use crate::parse::registry_input::LoginServer;
use crate::{CheckId, CheckResult, Code, Evidence, Side, Status};

/// The verdict of one step, before it becomes a [`CheckResult`].
#[derive(Clone, Debug)]
pub(crate) struct Verdict {
    pub status: Status,
    pub code: Option<Code>,
    pub finding: RegistryFinding,
    pub evidence: Vec<Evidence>,
}

impl Verdict {
    pub(crate) fn pass(finding: RegistryFinding, evidence: Vec<Evidence>) -> Verdict {
        Verdict {
            status: Status::Pass,
            code: None,
            finding,
            evidence,
        }
    }

    pub(crate) fn warn(code: Code, finding: RegistryFinding, evidence: Vec<Evidence>) -> Verdict {
        Verdict {
            status: Status::Warning,
            code: Some(code),
            finding,
            evidence,
        }
    }

    pub(crate) fn warn_without_code(finding: RegistryFinding, evidence: Vec<Evidence>) -> Verdict {
        Verdict {
            status: Status::Warning,
            code: None,
            finding,
            evidence,
        }
    }

    pub(crate) fn fail(code: Code, finding: RegistryFinding, evidence: Vec<Evidence>) -> Verdict {
        Verdict {
            status: Status::Fail,
            code: Some(code),
            finding,
            evidence,
        }
    }

    fn skipped(finding: RegistryFinding) -> Verdict {
        Verdict {
            status: Status::Skipped,
            code: None,
            finding,
            evidence: Vec::new(),
        }
    }
}

/// The request the run waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Challenge,
    Exchange,
    Token(Attempt),
    Manifest {
        reference: String,
        depth: u8,
    },
    Blob {
        digest: String,
    },
    Redirect {
        url: String,
        blob_url: String,
        hops: u8,
    },
    Done,
}

/// The grant being tried for the access token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Attempt {
    RefreshGrant,
    PasswordGrant,
    BasicGet,
    AnonymousGet,
}

/// A sans-I/O run of the registry checks against one login server.
///
/// Call [`RegistryRun::next_request`], send the request, pass what happened to
/// [`RegistryRun::observe`], and repeat until `next_request` returns `None`; then call
/// [`RegistryRun::finish`]. Every result passes through a scrubber that removes the user's
/// credential and every token the registry returned.
pub struct RegistryRun {
    server: LoginServer,
    credential: Credential,
    options: RunOptions,
    step: Step,
    bearer: Option<Bearer>,
    /// The refresh token from the exchange, for the AAD flow.
    refresh_token: Option<String>,
    access_token: Option<String>,
    scrubber: Scrubber,
    reported: Vec<CheckId>,
    /// Time spent per check so far, for checks that take several requests.
    spent_ms: Vec<(CheckId, u32)>,
    /// Evidence of earlier requests of a check, such as a password grant before its fallback.
    carried: Vec<Evidence>,
    /// The finding given to checks that never ran.
    skip_reason: RegistryFinding,
}

impl RegistryRun {
    pub fn new(server: LoginServer, credential: Credential, options: RunOptions) -> RegistryRun {
        let mut scrubber = Scrubber::new();
        for secret in credential.secrets() {
            scrubber.add(&secret);
        }
        let credential = credential.normalized();
        for secret in credential.secrets() {
            scrubber.add(&secret);
        }
        RegistryRun {
            server,
            credential,
            options,
            step: Step::Challenge,
            bearer: None,
            refresh_token: None,
            access_token: None,
            scrubber,
            reported: Vec::new(),
            spent_ms: Vec::new(),
            carried: Vec::new(),
            skip_reason: RegistryFinding::SkippedAfterFailure,
        }
    }

    /// Returns the checks this run reports, in report order.
    pub fn checks(&self) -> Vec<CheckId> {
        let mut checks = vec![CheckId::Challenge];
        if self.options.side == Side::Browser {
            checks.push(CheckId::Cors);
        }
        checks.extend([
            CheckId::AadExchange,
            CheckId::AccessToken,
            CheckId::Clock,
            CheckId::DataPath,
        ]);
        checks
    }

    /// Returns the request to send next, or `None` when the run is over. Calling it again
    /// before [`RegistryRun::observe`] returns the same request.
    pub fn next_request(&self) -> Option<HttpRequest> {
        let repository = &self.options.repository;
        let token = self.access_token.as_deref();
        match &self.step {
            Step::Challenge => Some(challenge::request(&self.server)),
            Step::Exchange => {
                let bearer = self.bearer.as_ref()?;
                match &self.credential {
                    Credential::AadToken { token, tenant } => Some(exchange::request(
                        &self.server,
                        bearer,
                        token,
                        tenant.as_deref(),
                    )),
                    _ => None,
                }
            }
            Step::Token(attempt) => {
                let bearer = self.bearer.as_ref()?;
                let grant = self.grant(*attempt)?;
                Some(token::request(bearer, &token::scope(repository), &grant))
            }
            Step::Manifest { reference, .. } => Some(data_path::manifest_request(
                &self.server,
                repository,
                reference,
                token,
            )),
            Step::Blob { digest } => Some(data_path::blob_request(
                &self.server,
                repository,
                digest,
                token,
                self.options.side,
            )),
            Step::Redirect { url, .. } => {
                Some(data_path::redirect_request(&self.server, url, token))
            }
            Step::Done => None,
        }
    }

    /// Takes the outcome of the request from [`RegistryRun::next_request`] and returns the
    /// checks it finished. `elapsed_ms` is the request's wall time and `now_ms` the local time
    /// when it ended, in Unix milliseconds.
    pub fn observe(&mut self, outcome: Outcome, elapsed_ms: u32, now_ms: u64) -> Vec<CheckResult> {
        let Some(request) = self.next_request() else {
            return Vec::new();
        };
        let step = mem::replace(&mut self.step, Step::Done);
        self.add_time(request.check, elapsed_ms);

        let mut results = Vec::new();
        match (&outcome, step) {
            (Outcome::Answer(answer), step) => {
                self.on_answer(answer, step, now_ms, elapsed_ms, &mut results);
                if let Some(verdict) = self
                    .clock_pending()
                    .then(|| clock::from_date(answer, now_ms, elapsed_ms))
                    .flatten()
                {
                    self.emit(CheckId::Clock, verdict, &mut results);
                }
            }
            (failed, step) => {
                let failure = Failure::of(failed).unwrap_or(Failure::Network {
                    detail: String::new(),
                });
                let evidence = evidence::failure(&request.url, failed, elapsed_ms);
                self.on_failure(&request, failure, step, evidence, &mut results);
            }
        }

        if self.step == Step::Done {
            self.skip_rest(&mut results);
        }
        results
            .into_iter()
            .map(|result| self.scrubber.result(result))
            .collect()
    }

    /// Returns every check not reported yet as skipped, with the reason. Call it once the run
    /// is over, or to abandon it.
    pub fn finish(&mut self) -> Vec<CheckResult> {
        self.step = Step::Done;
        let mut results = Vec::new();
        self.skip_rest(&mut results);
        results
            .into_iter()
            .map(|result| self.scrubber.result(result))
            .collect()
    }

    fn on_answer(
        &mut self,
        answer: &HttpAnswer,
        step: Step,
        now_ms: u64,
        elapsed_ms: u32,
        results: &mut Vec<CheckResult>,
    ) {
        match step {
            Step::Challenge => self.on_challenge(answer, elapsed_ms, results),
            Step::Exchange => {
                let Credential::AadToken { token, .. } = &self.credential else {
                    return;
                };
                let (verdict, refresh) = exchange::judge(answer, token, now_ms, elapsed_ms);
                self.emit(CheckId::AadExchange, verdict, results);
                if let Some(refresh) = refresh {
                    self.scrubber.add(&refresh);
                    self.refresh_token = Some(refresh);
                    self.step = Step::Token(Attempt::RefreshGrant);
                }
            }
            Step::Token(attempt) => self.on_token(answer, attempt, now_ms, elapsed_ms, results),
            Step::Manifest { depth, .. } => {
                match data_path::judge_manifest(answer, depth, elapsed_ms) {
                    ManifestNext::Manifest(digest) => {
                        self.carried.extend(evidence::answer(answer, elapsed_ms));
                        self.step = Step::Manifest {
                            reference: digest,
                            depth: depth + 1,
                        };
                    }
                    ManifestNext::Blob(digest) => {
                        self.carried.extend(evidence::answer(answer, elapsed_ms));
                        self.step = Step::Blob { digest };
                    }
                    ManifestNext::Failed(verdict) => self.emit(CheckId::DataPath, verdict, results),
                }
            }
            Step::Blob { .. } => {
                let blob_url = answer.url.clone();
                self.on_blob(answer, blob_url, 0, elapsed_ms, results);
            }
            Step::Redirect { blob_url, hops, .. } => {
                self.on_blob(answer, blob_url, hops, elapsed_ms, results);
            }
            Step::Done => {}
        }
    }

    fn on_challenge(
        &mut self,
        answer: &HttpAnswer,
        elapsed_ms: u32,
        results: &mut Vec<CheckResult>,
    ) {
        // In the browser, a readable response is the CORS check passing.
        if self.options.side == Side::Browser {
            let verdict = Verdict::pass(
                RegistryFinding::CorsReadable {
                    url: evidence::redact_url(&answer.url),
                },
                vec![Evidence::new("url", evidence::redact_url(&answer.url))],
            );
            self.emit(CheckId::Cors, verdict, results);
        }

        let aad_requested = matches!(self.credential, Credential::AadToken { .. });
        let (verdict, bearer) =
            challenge::judge(answer, elapsed_ms, aad_requested, self.options.side);
        self.emit(CheckId::Challenge, verdict, results);
        let Some(bearer) = bearer else {
            return;
        };
        self.bearer = Some(bearer);

        // The exchange is for an Azure AD token only.
        if aad_requested {
            self.step = Step::Exchange;
            return;
        }
        let skipped = Verdict::skipped(RegistryFinding::SkippedExchangeNotNeeded {
            credential: self.credential.kind(),
        });
        self.emit(CheckId::AadExchange, skipped, results);
        self.step = Step::Token(self.first_attempt());
    }

    fn on_token(
        &mut self,
        answer: &HttpAnswer,
        attempt: Attempt,
        now_ms: u64,
        elapsed_ms: u32,
        results: &mut Vec<CheckResult>,
    ) {
        let Some(grant) = self.grant(attempt) else {
            return;
        };
        let sent_refresh = match grant {
            Grant::RefreshToken(refresh) => Some(refresh.to_owned()),
            _ => None,
        };
        let judgement = token::judge(
            answer,
            grant.flow(),
            &self.options.repository,
            sent_refresh.as_deref(),
            now_ms,
            elapsed_ms,
        );

        match judgement {
            Judgement::FallBackToBasic => {
                self.carried.push(Evidence::new(
                    "password_grant_status",
                    answer.status.to_string(),
                ));
                self.step = Step::Token(Attempt::BasicGet);
            }
            Judgement::Failed(verdict) => self.emit(CheckId::AccessToken, verdict, results),
            Judgement::Granted {
                verdict,
                token,
                claims,
                can_pull,
            } => {
                self.scrubber.add(&token);
                self.emit(CheckId::AccessToken, verdict, results);
                if let Some(verdict) = claims
                    .as_ref()
                    .filter(|_| self.clock_pending())
                    .and_then(|claims| clock::from_claims(claims, now_ms))
                {
                    self.emit(CheckId::Clock, verdict, results);
                }
                self.access_token = Some(token);
                if can_pull {
                    self.step = Step::Manifest {
                        reference: self.options.tag.clone(),
                        depth: 0,
                    };
                }
            }
        }
    }

    fn on_blob(
        &mut self,
        answer: &HttpAnswer,
        blob_url: String,
        hops: u8,
        elapsed_ms: u32,
        results: &mut Vec<CheckResult>,
    ) {
        match data_path::judge_blob(answer, &self.server, &blob_url, hops, elapsed_ms) {
            BlobNext::Redirect(url) => {
                self.carried.extend(evidence::answer(answer, elapsed_ms));
                self.step = Step::Redirect {
                    url,
                    blob_url,
                    hops: hops + 1,
                };
            }
            BlobNext::Done(verdict) => self.emit(CheckId::DataPath, verdict, results),
        }
    }

    fn on_failure(
        &mut self,
        request: &HttpRequest,
        failure: Failure,
        step: Step,
        evidence: Vec<Evidence>,
        results: &mut Vec<CheckResult>,
    ) {
        let url = evidence::redact_url(&request.url);

        // The browser hid the response: the CORS check fails, and the helper can run the rest.
        if failure == Failure::CorsBlocked {
            self.skip_reason = RegistryFinding::SkippedCorsBlocked;
            if step == Step::Challenge {
                let verdict = Verdict::fail(
                    Code::ConnectivityCors,
                    RegistryFinding::CorsBlocked { url },
                    evidence,
                );
                self.emit(CheckId::Cors, verdict, results);
                return;
            }
        }

        // Once the challenge worked, the login server is reachable, so a failed exchange or
        // token request is that step's failure, as `az acr check-health` reports it.
        let step_code = match step {
            Step::Exchange => Some(Code::ConnectivityRefreshToken),
            Step::Token(_) => Some(Code::ConnectivityAccessToken),
            _ => None,
        };
        let verdict = match step {
            Step::Manifest { .. } | Step::Blob { .. } | Step::Redirect { .. } => {
                let fetching_blob = !matches!(step, Step::Manifest { .. });
                data_path::judge_failure(
                    &request.url,
                    failure,
                    fetching_blob,
                    &self.server,
                    evidence,
                )
            }
            _ if failure == Failure::CorsBlocked => Verdict::warn(
                Code::ConnectivityCors,
                RegistryFinding::RequestFailed { url, failure },
                evidence,
            ),
            _ => {
                let code = step_code.unwrap_or_else(|| failure.code());
                Verdict::fail(
                    code,
                    RegistryFinding::RequestFailed { url, failure },
                    evidence,
                )
            }
        };
        self.emit(request.check, verdict, results);
    }

    /// Returns the first way to ask for a token with the user's credential.
    fn first_attempt(&self) -> Attempt {
        match &self.credential {
            Credential::Anonymous => Attempt::AnonymousGet,
            Credential::Password { .. } if self.credential.refresh_token().is_some() => {
                Attempt::RefreshGrant
            }
            Credential::Password { .. } => Attempt::PasswordGrant,
            Credential::AadToken { .. } | Credential::RefreshToken { .. } => Attempt::RefreshGrant,
        }
    }

    fn grant(&self, attempt: Attempt) -> Option<Grant<'_>> {
        match (attempt, &self.credential) {
            (Attempt::RefreshGrant, Credential::AadToken { .. }) => {
                self.refresh_token.as_deref().map(Grant::RefreshToken)
            }
            (Attempt::RefreshGrant, credential) => {
                credential.refresh_token().map(Grant::RefreshToken)
            }
            (Attempt::PasswordGrant, Credential::Password { username, password }) => {
                Some(Grant::Password { username, password })
            }
            (Attempt::BasicGet, Credential::Password { username, password }) => {
                Some(Grant::Basic { username, password })
            }
            (Attempt::AnonymousGet, _) => Some(Grant::Anonymous),
            _ => None,
        }
    }

    fn clock_pending(&self) -> bool {
        !self.reported.contains(&CheckId::Clock)
    }

    fn add_time(&mut self, check: CheckId, elapsed_ms: u32) {
        match self.spent_ms.iter_mut().find(|(id, _)| *id == check) {
            Some((_, spent)) => *spent = spent.saturating_add(elapsed_ms),
            None => self.spent_ms.push((check, elapsed_ms)),
        }
    }

    /// Turns a verdict into a result once per check; a check already reported keeps its
    /// first result.
    fn emit(&mut self, check: CheckId, verdict: Verdict, results: &mut Vec<CheckResult>) {
        if self.reported.contains(&check) {
            return;
        }
        self.reported.push(check);

        let mut evidence = Vec::new();
        if verdict.status != Status::Skipped && check != CheckId::Clock {
            evidence.append(&mut self.carried);
        }
        evidence.extend(verdict.evidence);
        let elapsed_ms = self
            .spent_ms
            .iter()
            .find(|(id, _)| *id == check)
            .map_or(0, |(_, spent)| *spent);
        results.push(CheckResult {
            check,
            side: self.options.side,
            status: verdict.status,
            code: verdict.code,
            finding: verdict.finding.into(),
            evidence,
            elapsed_ms,
        });
    }

    fn skip_rest(&mut self, results: &mut Vec<CheckResult>) {
        for check in self.checks() {
            let finding = match (check, &self.skip_reason) {
                (_, RegistryFinding::SkippedCorsBlocked) => RegistryFinding::SkippedCorsBlocked,
                (CheckId::Clock, _) => RegistryFinding::SkippedNoServerTime,
                (_, reason) => reason.clone(),
            };
            self.emit(check, Verdict::skipped(finding), results);
        }
    }
}
