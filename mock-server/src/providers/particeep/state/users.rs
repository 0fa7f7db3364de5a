//! Particeep users: created with a unique e-mail, read, edited, deleted, and their passwords,
//! kept as salted hashes.

use super::{check_custom, ConsumerData, StoredUser};
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::{Credentials, PasswordChange, User, UserCreation, UserProfile};
use sha2::{Digest, Sha256};

/// Salted hash of a password.
pub fn password_hash(user_id: &str, password: &str) -> String {
    let digest = Sha256::digest(format!("fintwin-particeep:{user_id}:{password}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A user of the consumer, or 404 `error.user.none`.
pub fn user<'a>(consumer: &'a mut ConsumerData, id: &str) -> Result<&'a mut StoredUser, ParticeepError> {
    consumer
        .users
        .get_mut(id)
        .ok_or_else(|| ParticeepError::not_found(code::USER_NONE, format!("no user with id {id}")))
}

impl ConsumerData {
    /// Checks an owner reference: a `USER` must be a user of the consumer; other types are taken
    /// on trust (the twin has no Enterprise module).
    pub fn check_owner(&mut self, owner_id: &str, owner_type: &str) -> Result<(), ParticeepError> {
        if owner_type.trim().is_empty() {
            return Err(ParticeepError::bad_request(code::OWNER_TYPE_INVALID, "`owner_type` must not be empty"));
        }
        if owner_type.eq_ignore_ascii_case("USER") {
            user(self, owner_id)?;
        }
        Ok(())
    }
}

/// An e-mail as Particeep would take it (trimmed, one `@`, no spaces), or 400
/// `error.user.email.invalid`.
pub fn checked_email(email: &str) -> Result<String, ParticeepError> {
    let email = email.trim().to_owned();
    if email.matches('@').count() != 1
        || email.starts_with('@')
        || email.ends_with('@')
        || email.contains(char::is_whitespace)
    {
        return Err(ParticeepError::bad_request(code::USER_EMAIL_INVALID, format!("`{email}` is not an e-mail")));
    }
    Ok(email)
}

fn email_taken(email: &str) -> ParticeepError {
    ParticeepError::bad_request(code::USER_EMAIL_EXISTS, format!("a user with the e-mail {email} exists"))
}

impl ConsumerData {
    /// Checks a UserCreation and stores the user; a taken e-mail is 400 `error.user.email.exists`.
    pub fn insert_user(&mut self, creation: UserCreation, now: &str) -> Result<User, ParticeepError> {
        check_custom(creation.profile.custom.as_ref())?;
        let email = checked_email(&creation.email)?;
        if creation.password.is_empty() {
            return Err(ParticeepError::bad_request(code::USER_PASSWORD_MISSING, "a password is required"));
        }
        if self.users.values().any(|u| u.user.email.eq_ignore_ascii_case(&email)) {
            return Err(email_taken(&email));
        }
        let id = uuid::Uuid::new_v4().to_string();
        let user = User {
            id: id.clone(),
            created_at: now.to_owned(),
            email,
            has_been_claimed: creation.has_been_claimed.unwrap_or(false),
            profile: creation.profile,
        };
        let password_hash = password_hash(&id, &creation.password);
        self.users.insert(id, StoredUser { user: user.clone(), password_hash });
        Ok(user)
    }

    /// The user with that e-mail, else a new one; answers whether it was created.
    pub fn get_or_create_user(&mut self, creation: UserCreation, now: &str) -> Result<(User, bool), ParticeepError> {
        let existing = self.users.values().find(|u| u.user.email.eq_ignore_ascii_case(creation.email.trim()));
        match existing {
            Some(stored) => Ok((stored.user.clone(), false)),
            None => self.insert_user(creation, now).map(|user| (user, true)),
        }
    }

    /// A user, or 404 `error.user.none`.
    pub fn get_user(&mut self, id: &str) -> Result<User, ParticeepError> {
        user(self, id).map(|u| u.user.clone())
    }

    /// The users found, in the order asked (unknown ids are left out).
    pub fn users_by_ids(&self, ids: &[&str]) -> Vec<User> {
        ids.iter().filter_map(|id| self.users.get(*id).map(|u| u.user.clone())).collect()
    }

    /// The user with that e-mail (any case), if any.
    pub fn user_by_email(&self, email: &str) -> Option<User> {
        self.users.values().find(|u| u.user.email.eq_ignore_ascii_case(email)).map(|u| u.user.clone())
    }

    /// Every user, for a search to filter.
    pub fn all_users(&self) -> impl Iterator<Item = &User> {
        self.users.values().map(|u| &u.user)
    }

    /// Gives a user a checked e-mail, unique among the consumer's users.
    pub fn change_email(&mut self, id: &str, email: String) -> Result<User, ParticeepError> {
        if self.users.values().any(|u| u.user.id != id && u.user.email.eq_ignore_ascii_case(&email)) {
            return Err(email_taken(&email));
        }
        let stored = user(self, id)?;
        stored.user.email = email;
        Ok(stored.user.clone())
    }

    /// Replaces a user's profile with `edit` of the current one (its `custom` must be an object).
    pub fn update_user(
        &mut self,
        id: &str,
        edit: impl FnOnce(&UserProfile) -> Result<UserProfile, ParticeepError>,
    ) -> Result<User, ParticeepError> {
        let stored = user(self, id)?;
        let profile = edit(&stored.user.profile)?;
        check_custom(profile.custom.as_ref())?;
        stored.user.profile = profile;
        Ok(stored.user.clone())
    }

    /// Marks a user's account verified (`POST /v1/user/verify/{id}`).
    pub fn verify_user(&mut self, id: &str) -> Result<User, ParticeepError> {
        let stored = user(self, id)?;
        stored.user.has_been_claimed = true;
        Ok(stored.user.clone())
    }

    /// Deletes a user; answers it.
    pub fn delete_user(&mut self, id: &str) -> Result<User, ParticeepError> {
        self.users
            .remove(id)
            .map(|u| u.user)
            .ok_or_else(|| ParticeepError::not_found(code::USER_NONE, format!("no user with id {id}")))
    }

    /// Sets a new password; an `old_password` given must be right (400 `error.user.password.wrong`).
    pub fn change_password(&mut self, id: &str, change: &PasswordChange) -> Result<User, ParticeepError> {
        let stored = user(self, id)?;
        if let Some(old) = &change.old_password {
            if !crate::secret::constant_time_eq(&password_hash(id, old), &stored.password_hash) {
                return Err(ParticeepError::bad_request(code::USER_PASSWORD_WRONG, "`old_password` is not right"));
            }
        }
        stored.password_hash = password_hash(id, &change.new_password);
        Ok(stored.user.clone())
    }

    /// The user whose e-mail and password match, if any.
    pub fn authenticate(&self, credentials: &Credentials) -> Option<User> {
        self.users
            .values()
            .find(|u| {
                u.user.email.eq_ignore_ascii_case(&credentials.email)
                    && crate::secret::constant_time_eq(
                        &password_hash(&u.user.id, &credentials.password),
                        &u.password_hash,
                    )
            })
            .map(|u| u.user.clone())
    }
}
