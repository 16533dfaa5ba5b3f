//! Which security and routing profiles an agent holds.

use scim_core::{DirectoryError, DirectoryResult};

use crate::agent::rules::MAX_PROFILES;
use crate::names::{NameIndex, NamedKind};
use crate::{ConnectDirectory, User};

/// Security profile ids and routing profile id for an active agent, and the
/// ids the client chose through the Connect extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Assignment {
    pub(crate) security: Vec<String>,
    pub(crate) routing: String,
    pub(crate) chosen_security: Option<Vec<String>>,
    pub(crate) chosen_routing: Option<String>,
    /// The group grants it counted: those of profiles that still exist.
    pub(crate) groups: Vec<String>,
}

/// The same ids, in any order.
pub(crate) fn same_set(a: &[String], b: &[String]) -> bool {
    let mut a: Vec<&String> = a.iter().collect();
    let mut b: Vec<&String> = b.iter().collect();
    a.sort();
    b.sort();
    a.dedup();
    b.dedup();
    a == b
}

/// `a` and `b` name the same things, ignoring case and order.
pub(crate) fn same_names(a: Option<&[String]>, b: Option<&[String]>) -> bool {
    let norm = |v: Option<&[String]>| {
        let mut v: Vec<String> = v.unwrap_or_default().iter().map(|s| s.to_lowercase()).collect();
        v.sort();
        v
    };
    norm(a) == norm(b)
}

impl ConnectDirectory {
    /// The ids of the profiles the client chose through the Connect
    /// extension (`securityProfiles`, `routingProfile`), if it chose any.
    async fn chosen_profiles(&self, user: &User) -> DirectoryResult<(Option<Vec<String>>, Option<String>)> {
        let mut chosen_security = None;
        if let Some(names) = &user.extension.security_profiles {
            let mut ids = Vec::new();
            for name in names {
                ids.push(
                    self.chosen_id(NamedKind::Security, "securityProfiles", name)
                        .await?,
                );
            }
            chosen_security = Some(ids);
        }
        let chosen_routing = match &user.extension.routing_profile {
            Some(name) => Some(self.chosen_id(NamedKind::Routing, "routingProfile", name).await?),
            None => None,
        };
        Ok((chosen_security, chosen_routing))
    }

    /// Whatever asked for them (the extension, a department, a group), the
    /// profiles granted must be ones the bridge may grant.
    fn check_assignable(&self, security: &NameIndex, ids: &[String]) -> DirectoryResult<()> {
        for id in ids {
            let name = security.name(id).ok_or_else(|| {
                DirectoryError::Internal(format!("security profile {id} is not in the instance's list"))
            })?;
            self.settings.assignable.check(name)?;
        }
        Ok(())
    }

    /// What `user` holds while active: the security profiles the client
    /// chose (`amazonconnect:securityProfiles`), else its department's
    /// (`DEPARTMENT_MAP`, else the profile named like the department),
    /// together with `groups`, the ones its IdP groups grant, else the
    /// defaults; and the routing profile the client chose, else its
    /// department's, else the default. More than Connect's ten profiles is
    /// an invalid value; a profile outside `ASSIGNABLE_SECURITY_PROFILES`
    /// is refused (the defaults are checked at start-up).
    pub(crate) async fn assignment_for(&self, user: &User, groups: &[String]) -> DirectoryResult<Assignment> {
        let (chosen_security, chosen_routing) = self.chosen_profiles(user).await?;
        // Profiles deleted since a group granted them are dropped.
        let security = self.index_knowing(NamedKind::Security, groups).await?;
        let groups: Vec<String> = groups
            .iter()
            .filter(|id| security.name(id).is_some())
            .cloned()
            .collect();
        let routing = self.names(NamedKind::Routing, false).await?;
        let resolve = |index: &NameIndex, name: &str, setting: &str| {
            index.id(name).map(str::to_owned).ok_or_else(|| {
                DirectoryError::Internal(format!(
                    "{setting} names {name:?}, which does not exist in the instance"
                ))
            })
        };
        let rule = user
            .department
            .as_deref()
            .and_then(|d| self.settings.department_rule(d));
        let mut security_ids = match (&chosen_security, rule, user.department.as_deref()) {
            (Some(chosen), _, _) => chosen.clone(),
            (None, Some(rule), _) => rule
                .security_profiles
                .iter()
                .map(|name| resolve(&security, name, "DEPARTMENT_MAP"))
                .collect::<Result<Vec<_>, _>>()?,
            (None, None, Some(department)) if security.id(department).is_some() => {
                vec![resolve(&security, department, "the department")?]
            }
            (None, None, _) => Vec::new(),
        };
        for id in &groups {
            if !security_ids.contains(id) {
                security_ids.push(id.clone());
            }
        }
        let known_groups = groups;
        self.check_assignable(&security, &security_ids)?;
        if security_ids.is_empty() {
            if let Some(department) = &user.department
                && chosen_security.is_none()
            {
                tracing::warn!(
                    department = %department,
                    "no security profile is mapped to or named like the department; the default profiles are used"
                );
            }
            security_ids = self
                .settings
                .default_security_profiles
                .iter()
                .map(|name| resolve(&security, name, "DEFAULT_SECURITY_PROFILE"))
                .collect::<Result<Vec<_>, _>>()?;
        }
        if security_ids.len() > MAX_PROFILES {
            return Err(DirectoryError::InvalidValue(format!(
                "this would give the agent {} security profiles (its department's and its groups'); \
                 Amazon Connect allows at most {MAX_PROFILES}",
                security_ids.len()
            )));
        }
        let routing_id = match (&chosen_routing, rule.and_then(|r| r.routing_profile.as_deref())) {
            (Some(chosen), _) => chosen.clone(),
            (None, Some(name)) => resolve(&routing, name, "DEPARTMENT_MAP")?,
            (None, None) => resolve(
                &routing,
                &self.settings.routing_profile,
                "DEFAULT_ROUTING_PROFILE",
            )?,
        };
        Ok(Assignment {
            security: security_ids,
            routing: routing_id,
            chosen_security,
            chosen_routing,
            groups: known_groups,
        })
    }

    pub(crate) async fn disabled_profile_id(&self) -> DirectoryResult<String> {
        let name = &self.settings.disabled_security_profile;
        for refresh in [false, true] {
            if let Some(id) = self.names(NamedKind::Security, refresh).await?.id(name) {
                return Ok(id.to_owned());
            }
        }
        Err(DirectoryError::Internal(format!(
            "the security profile {name:?} (DISABLED_SECURITY_PROFILE) for disabled agents does not exist in the instance"
        )))
    }
}
