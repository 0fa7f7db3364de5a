//! Particeep roles: which roles a user holds, on what target. Particeep does not enforce them;
//! neither does the twin.

use super::{user, ConsumerData};
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::{Role, RoleAssignment, RoleTarget, Roles};

impl ConsumerData {
    /// The roles of a user (none is an empty list).
    fn roles_of(&self, user_id: &str) -> Roles {
        Roles { user_id: user_id.to_owned(), roles: self.roles.get(user_id).cloned().unwrap_or_default() }
    }

    /// Gives `role` on `target` to the user unless it already holds it (then nothing changes).
    fn grant(&mut self, user_id: &str, role: &str, target: RoleTarget, tag: Option<String>, now: &str) -> bool {
        let held = self.roles.entry(user_id.to_owned()).or_default();
        if held
            .iter()
            .any(|r| r.role_name == role && r.target_id == target.target_id && r.target_type == target.target_type)
        {
            return false;
        }
        held.push(Role {
            id: uuid::Uuid::new_v4().to_string(),
            created_at: now.to_owned(),
            role_name: role.to_owned(),
            target_id: target.target_id,
            target_type: target.target_type,
            tag,
        });
        true
    }

    /// The roles of a user of the consumer (404 `error.user.none`).
    pub fn user_roles(&mut self, user_id: &str) -> Result<Roles, ParticeepError> {
        user(self, user_id)?;
        Ok(self.roles_of(user_id))
    }

    /// Gives a (known) role to a user; answers the user's roles and whether anything changed.
    pub fn add_role(
        &mut self,
        user_id: &str,
        role: &str,
        target: RoleTarget,
        now: &str,
    ) -> Result<(Roles, bool), ParticeepError> {
        user(self, user_id)?;
        let added = self.grant(user_id, role, target, None, now);
        Ok((self.roles_of(user_id), added))
    }

    /// Gives each assignment its (known) role, all or nothing: every user is checked first.
    /// Answers the roles of every user named, and the users whose roles changed.
    pub fn add_roles(
        &mut self,
        assignments: Vec<(RoleAssignment, String)>,
        now: &str,
    ) -> Result<(Vec<Roles>, Vec<String>), ParticeepError> {
        for (assignment, _) in &assignments {
            user(self, &assignment.user_id)?;
        }
        let mut changed_users: Vec<String> = Vec::new();
        let mut users: Vec<String> = Vec::new();
        for (assignment, name) in assignments {
            let target = RoleTarget { target_id: assignment.target_id, target_type: assignment.target_type };
            if self.grant(&assignment.user_id, &name, target, assignment.tag, now)
                && !changed_users.contains(&assignment.user_id)
            {
                changed_users.push(assignment.user_id.clone());
            }
            if !users.contains(&assignment.user_id) {
                users.push(assignment.user_id);
            }
        }
        Ok((users.iter().map(|u| self.roles_of(u)).collect(), changed_users))
    }

    /// Takes a role off a user on a target; one the user does not hold there is 404
    /// `error.role.none`.
    pub fn remove_role(
        &mut self,
        user_id: &str,
        role: &str,
        target_id: Option<&String>,
        target_type: Option<&String>,
    ) -> Result<Roles, ParticeepError> {
        user(self, user_id)?;
        let held = self.roles.entry(user_id.to_owned()).or_default();
        let before = held.len();
        held.retain(|r| {
            !(r.role_name == role && r.target_id.as_ref() == target_id && r.target_type.as_ref() == target_type)
        });
        if held.len() == before {
            return Err(ParticeepError::not_found(
                code::ROLE_NONE,
                format!("user {user_id} has no role `{role}` there"),
            ));
        }
        Ok(self.roles_of(user_id))
    }

    /// Takes every role off a user.
    pub fn remove_all_roles(&mut self, user_id: &str) -> Result<Roles, ParticeepError> {
        user(self, user_id)?;
        self.roles.remove(user_id);
        Ok(self.roles_of(user_id))
    }

    /// `POST /v1/role/update/{ids}` (`GlobalRoleOption`): each user (all must exist) holds the
    /// global role (no target) `role`, tagged `tag`: given when missing, its tag set otherwise.
    pub fn update_global_roles(
        &mut self,
        ids: &[&str],
        role: &str,
        tag: Option<String>,
        now: &str,
    ) -> Result<Vec<Roles>, ParticeepError> {
        for id in ids {
            user(self, id)?;
        }
        let mut answered = Vec::new();
        for id in ids {
            let held = self.roles.entry((*id).to_owned()).or_default();
            match held.iter_mut().find(|r| r.role_name == role && r.target_id.is_none() && r.target_type.is_none()) {
                Some(existing) => existing.tag = tag.clone(),
                None => {
                    self.grant(id, role, RoleTarget::default(), tag.clone(), now);
                }
            }
            answered.push(self.roles_of(id));
        }
        Ok(answered)
    }

    /// Removes the roles named (any case, any target), as the 2025 SDK's `remove_multiple` asks.
    pub fn remove_named_roles(&mut self, user_id: &str, names: &[String]) -> Result<Roles, ParticeepError> {
        user(self, user_id)?;
        if let Some(held) = self.roles.get_mut(user_id) {
            held.retain(|role| !names.iter().any(|name| name.eq_ignore_ascii_case(&role.role_name)));
        }
        Ok(self.roles_of(user_id))
    }
}
