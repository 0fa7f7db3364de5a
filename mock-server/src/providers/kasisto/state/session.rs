//! Kasisto sessions: `/token` logins, tokens and their expiry and rotation, the OTP step-up
//! (450 issues a code, 451-453 for a wrong, expired or exhausted one) and what the admin API shows
//! of it.

use super::*;
use crate::providers::kasisto::config::{StepUpEndpoint, TokenRotation};
use crate::providers::kasisto::error::KasistoError;
use crate::providers::kasisto::model::*;
use crate::secret::constant_time_eq;
use chrono::{DateTime, Duration, Utc};
use rand::RngExt;

impl KasistoStore {
    /// `/token`: checks the credentials and opens a session.
    pub fn login(&self, credentials: &TokenCredentials, now: DateTime<Utc>) -> Result<TokenResponse, KasistoError> {
        let (Some(username), Some(password)) = (credentials.username.as_deref(), credentials.password.as_deref())
        else {
            return Err(KasistoError::InvalidCredentials);
        };
        let mut data = self.lock();
        let user_id = data
            .customers
            .values()
            .find(|c| {
                c.username == username
                    && constant_time_eq(&c.password_hash, &super::password_hash(&c.profile.user_id, password))
            })
            .map(|c| c.profile.user_id.clone())
            .ok_or(KasistoError::InvalidCredentials)?;
        let session_id = uuid::Uuid::new_v4().to_string();
        data.sessions.insert(session_id.clone(), Session { user_id: user_id.clone(), created_at: now, otp: None });
        let token = self.issue_token(&mut data, &session_id, &user_id, false, now);
        Ok(TokenResponse { user_id, token })
    }

    pub(super) fn issue_token(
        &self,
        data: &mut KasistoData,
        session_id: &str,
        user_id: &str,
        elevated: bool,
        now: DateTime<Utc>,
    ) -> String {
        data.tokens_issued += 1;
        if data.tokens_issued.is_multiple_of(SWEEP_EVERY) {
            data.tokens.retain(|_, t| t.expires_at > now && !t.revoked);
            let live: std::collections::BTreeSet<String> = data.tokens.values().map(|t| t.session_id.clone()).collect();
            data.sessions.retain(|id, _| live.contains(id) || id == session_id);
        }
        let token = uuid::Uuid::new_v4().to_string();
        let lifetime = Duration::seconds(i64::try_from(self.config().token_lifetime_secs).unwrap_or(i64::MAX / 1000));
        data.tokens.insert(
            token.clone(),
            TokenRecord {
                session_id: session_id.to_owned(),
                user_id: user_id.to_owned(),
                elevated,
                expires_at: now + lifetime,
                revoked: false,
            },
        );
        token
    }

    /// Resolves the `token` header to its caller (403 when missing, unknown, revoked or expired).
    pub fn authorize(&self, token: Option<&str>, now: DateTime<Utc>) -> Result<Caller, KasistoError> {
        let token = token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| KasistoError::AccessDenied("the token header is required".into()))?;
        let data = self.lock();
        let record = data.tokens.get(token).ok_or_else(|| KasistoError::AccessDenied("unknown token".into()))?;
        if record.revoked {
            return Err(KasistoError::AccessDenied("this token was replaced by a rotated one".into()));
        }
        if record.expires_at <= now {
            return Err(KasistoError::TokenExpired);
        }
        Ok(Caller {
            token: token.to_owned(),
            session_id: record.session_id.clone(),
            user_id: record.user_id.clone(),
            elevated: record.elevated,
        })
    }

    /// 403 unless `user_id` (when given) is the caller's.
    pub fn check_user(caller: &Caller, user_id: Option<&str>) -> Result<(), KasistoError> {
        match user_id {
            Some(id) if id != caller.user_id => {
                Err(KasistoError::AccessDenied(format!("the token does not belong to user_id {id}")))
            }
            _ => Ok(()),
        }
    }

    /// 450 (issuing a fresh OTP) when `endpoint` demands a step-up the caller's token lacks.
    pub fn require_step_up(
        &self,
        caller: &Caller,
        endpoint: StepUpEndpoint,
        now: DateTime<Utc>,
    ) -> Result<(), KasistoError> {
        if caller.elevated {
            return Ok(());
        }
        let mut data = self.lock();
        let customer =
            data.customers.get(&caller.user_id).ok_or_else(|| KasistoError::AccessDenied("unknown customer".into()))?;
        if !customer.otp_required_for.contains(&endpoint) {
            return Ok(());
        }
        let details = match customer.mobile_number.as_deref() {
            Some(mobile) => format!("sent by SMS to the mobile number ending in {}", last_digits(mobile, 4)),
            None => "sent to the customer's registered device".into(),
        };
        let code = random_code(self.config().otp.digits);
        let lifetime = Duration::seconds(i64::try_from(self.config().otp.lifetime_secs).unwrap_or(i64::MAX / 1000));
        let session = data
            .sessions
            .get_mut(&caller.session_id)
            .ok_or_else(|| KasistoError::AccessDenied("unknown session".into()))?;
        session.otp =
            Some(OtpRecord { code, issued_at: now, expires_at: now + lifetime, failures: 0, state: OtpState::Pending });
        Err(KasistoError::OtpRequired { details })
    }

    /// `/validate_otp`: the right code gives a new, stepped-up token of the same session.
    pub fn validate_otp(
        &self,
        caller: &Caller,
        code: &str,
        now: DateTime<Utc>,
    ) -> Result<ValidateOtpResponse, KasistoError> {
        let max_failures = self.config().otp.max_failures;
        let mut data = self.lock();
        let session = data
            .sessions
            .get_mut(&caller.session_id)
            .ok_or_else(|| KasistoError::AccessDenied("unknown session".into()))?;
        let Some(otp) = session.otp.as_mut() else {
            return Err(KasistoError::OtpInvalid {
                message: "no one-time password is pending for this session (a call answering 450 issues one)".into(),
                remaining_attempts: None,
            });
        };
        match otp.state {
            OtpState::Exhausted => return Err(KasistoError::OtpTooManyFailures),
            OtpState::Expired => return Err(KasistoError::OtpExpired),
            OtpState::Used => {
                return Err(KasistoError::OtpInvalid {
                    message: "this one-time password was already used".into(),
                    remaining_attempts: None,
                })
            }
            OtpState::Pending => {}
        }
        if otp.expires_at <= now {
            otp.state = OtpState::Expired;
            return Err(KasistoError::OtpExpired);
        }
        if !constant_time_eq(&otp.code, code) {
            otp.failures += 1;
            if otp.failures >= max_failures {
                otp.state = OtpState::Exhausted;
                return Err(KasistoError::OtpTooManyFailures);
            }
            return Err(KasistoError::OtpInvalid {
                message: "the one-time password is wrong".into(),
                remaining_attempts: Some(max_failures - otp.failures),
            });
        }
        otp.state = OtpState::Used;
        let token = self.issue_token(&mut data, &caller.session_id, &caller.user_id, true, now);
        Ok(ValidateOtpResponse { user_id: caller.user_id.clone(), token })
    }

    /// A fresh token for the `token` response header, when rotation is on.
    pub fn rotate(&self, caller: &Caller, now: DateTime<Utc>) -> Option<String> {
        if self.config().token_rotation == TokenRotation::Off {
            return None;
        }
        let mut data = self.lock();
        if self.config().token_rotation == TokenRotation::RotateAndRevoke {
            if let Some(old) = data.tokens.get_mut(&caller.token) {
                old.revoked = true;
            }
        }
        Some(self.issue_token(&mut data, &caller.session_id, &caller.user_id, caller.elevated, now))
    }

    /// The customer's most recent OTP (the newest session that has one), or that of the session
    /// `token` belongs to, so parallel flows of one customer each read their own.
    pub fn current_otp(&self, user_id: &str, token: Option<&str>, now: DateTime<Utc>) -> Option<OtpView> {
        let data = self.lock();
        let session = token.map(|t| data.tokens.get(t).map(|record| record.session_id.clone()));
        let otp = data
            .sessions
            .iter()
            .filter(|(id, s)| {
                s.user_id == user_id && session.as_ref().is_none_or(|wanted| wanted.as_ref() == Some(*id))
            })
            .map(|(_, s)| s)
            .filter_map(|s| s.otp.as_ref())
            .max_by_key(|otp| otp.issued_at)?;
        let state = if otp.state == OtpState::Pending && otp.expires_at <= now { OtpState::Expired } else { otp.state };
        Some(OtpView {
            user_id: user_id.to_owned(),
            otp: otp.code.clone(),
            state,
            issued_at: otp.issued_at,
            expires_at: otp.expires_at,
            failures: otp.failures,
            remaining_attempts: self.config().otp.max_failures.saturating_sub(otp.failures),
        })
    }
}

fn random_code(digits: u32) -> String {
    let mut rng = rand::rng();
    (0..digits).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect()
}
