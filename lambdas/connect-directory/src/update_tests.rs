//! The update plan as a table: a change, what was looked up, and the
//! Connect calls it costs.

use scim_core::{UserId, UserName};

use super::{Facts, plan};
use crate::assignment::Assignment;
use crate::identity::IdentityType;
use crate::mapping::{self, AgentHandle, ReadEmail};
use crate::proficiencies::{self, Wanted};
use crate::{PhoneKind, StoredUser, User};

fn proficiency(name: &str, value: &str, level: f64) -> crate::Proficiency {
    crate::Proficiency {
        attribute_name: name.into(),
        attribute_value: value.into(),
        level,
    }
}

fn ann() -> User {
    let mut user = User::new(UserName::new("ann@example.com").unwrap());
    user.given_name = Some("Ann".into());
    user.family_name = Some("Lee".into());
    user.email = Some("ann@example.com".into());
    user.active = Some(true);
    user.department = Some("Sales".into());
    user
}

/// `user` as Connect holds it, holding `profiles`, with `saved` kept for
/// re-enabling when disabled.
fn stored(user: User, profiles: &[&str], saved: Option<&[&str]>) -> StoredUser {
    let saved: Option<Vec<String>> = saved.map(|s| s.iter().map(|p| (*p).to_owned()).collect());
    // As the bridge made it: with its creation bookkeeping.
    let tags = mapping::desired_tags(&user, &mapping::new_bookkeeping("token"), saved.as_deref()).unwrap();
    StoredUser {
        handle: AgentHandle {
            arn: "arn:aws:connect:us-east-1:111122223333:instance/i/agent/u1".into(),
            security_profile_ids: profiles.iter().map(|p| (*p).to_owned()).collect(),
            routing_profile_id: "r1".into(),
            hierarchy_group_id: Some("h1".into()),
            tags,
            ..AgentHandle::default()
        },
        id: UserId::new("u1"),
        user,
        created: None,
        last_modified: None,
        groups: Vec::new(),
    }
}

fn assignment(security: &[&str], routing: &str) -> Assignment {
    Assignment {
        security: security.iter().map(|p| (*p).to_owned()).collect(),
        routing: routing.into(),
        chosen_security: None,
        chosen_routing: None,
        groups: Vec::new(),
    }
}

struct Case {
    name: &'static str,
    current: StoredUser,
    desired: User,
    facts: Facts,
    calls: &'static [&'static str],
    /// The profiles the agent holds afterwards.
    holds: &'static [&'static str],
}

// One entry per row of the table: long by design, each row short.
fn cases() -> Vec<Case> {
    let active = stored(ann(), &["p1"], None);
    let disabled = stored(
        User {
            active: Some(false),
            ..ann()
        },
        &["dis"],
        Some(&["p1"]),
    );
    let granted = {
        let mut user = stored(ann(), &["p1"], None);
        user.handle.tags = proficiencies::with_granted(
            &user.handle.tags,
            Some(&[proficiency("Language", "Spanish", 4.0)]),
            false,
        );
        user
    };
    let channels = {
        let mut user = stored(ann(), &["p1"], None);
        let list = crate::channels::new_agent_defaults();
        user.user.extension.channel_configs = Some(list);
        user.user.extension.phone_type = Some(PhoneKind::Soft);
        user.user.extension.auto_accept = Some(false);
        user.user.extension.after_contact_work_time_limit = Some(0);
        user
    };
    vec![
        Case {
            name: "an echo costs nothing",
            current: active.clone(),
            desired: ann(),
            facts: Facts::default(),
            calls: &[],
            holds: &["p1"],
        },
        Case {
            name: "displayName is a tag",
            current: active.clone(),
            desired: User {
                display_name: Some("Ann L".into()),
                ..ann()
            },
            facts: Facts::default(),
            calls: &["TagResource"],
            holds: &["p1"],
        },
        Case {
            name: "disabling swaps in the disabled profile and saves the old ones",
            current: active.clone(),
            desired: User {
                active: Some(false),
                ..ann()
            },
            facts: Facts {
                disabled_profile: Some("dis".into()),
                ..Facts::default()
            },
            calls: &["TagResource", "UpdateUserSecurityProfiles"],
            holds: &["dis"],
        },
        Case {
            name: "a disabled agent disabled again costs nothing",
            current: disabled.clone(),
            desired: disabled.user.clone(),
            facts: Facts::default(),
            calls: &[],
            holds: &["dis"],
        },
        Case {
            name: "re-enabling restores the saved profiles and drops the saved tag",
            current: disabled.clone(),
            desired: ann(),
            facts: Facts {
                saved_known: Some(vec!["p1".into()]),
                ..Facts::default()
            },
            calls: &["TagResource", "UpdateUserSecurityProfiles", "UntagResource"],
            holds: &["p1"],
        },
        Case {
            name: "re-enabling with every saved profile deleted takes the assignment",
            current: disabled,
            desired: ann(),
            facts: Facts {
                saved_known: Some(Vec::new()),
                restore: Some(vec!["p9".into()]),
                ..Facts::default()
            },
            calls: &["TagResource", "UpdateUserSecurityProfiles", "UntagResource"],
            holds: &["p9"],
        },
        Case {
            name: "a new department changes its tag, profiles and routing",
            current: active.clone(),
            desired: User {
                department: Some("Support".into()),
                ..ann()
            },
            facts: Facts {
                assignment: Some(assignment(&["p2"], "r2")),
                ..Facts::default()
            },
            calls: &[
                "TagResource",
                "UpdateUserSecurityProfiles",
                "UpdateUserRoutingProfile",
            ],
            holds: &["p2"],
        },
        Case {
            name: "a department with the same profiles and routing only retags",
            current: active.clone(),
            desired: User {
                department: Some("Support".into()),
                ..ann()
            },
            facts: Facts {
                assignment: Some(assignment(&["p1"], "r1")),
                ..Facts::default()
            },
            calls: &["TagResource"],
            holds: &["p1"],
        },
        Case {
            name: "a new name on SAML is one identity write",
            current: active.clone(),
            desired: User {
                given_name: Some("Anne".into()),
                ..ann()
            },
            facts: Facts {
                identity: Some(IdentityType::Saml),
                ..Facts::default()
            },
            calls: &["UpdateUserIdentityInfo"],
            holds: &["p1"],
        },
        Case {
            name: "an existing directory owns names: nothing is written",
            current: active.clone(),
            desired: User {
                given_name: Some("Anne".into()),
                ..ann()
            },
            facts: Facts {
                identity: Some(IdentityType::ExistingDirectory),
                ..Facts::default()
            },
            calls: &[],
            holds: &["p1"],
        },
        Case {
            name: "the hierarchy group it is already in costs nothing",
            current: active.clone(),
            desired: ann(),
            facts: Facts {
                hierarchy: Some("h1".into()),
                ..Facts::default()
            },
            calls: &[],
            holds: &["p1"],
        },
        Case {
            name: "another hierarchy group is one call",
            current: active.clone(),
            desired: ann(),
            facts: Facts {
                hierarchy: Some("h2".into()),
                ..Facts::default()
            },
            calls: &["UpdateUserHierarchy"],
            holds: &["p1"],
        },
        Case {
            name: "a new proficiency is one call and the record",
            current: active.clone(),
            desired: ann(),
            facts: Facts {
                proficiencies: Some(Wanted {
                    list: vec![proficiency("Language", "Spanish", 4.0)],
                    from_map: false,
                    recorded: true,
                }),
                ..Facts::default()
            },
            calls: &["AssociateUserProficiencies", "TagResource"],
            holds: &["p1"],
        },
        Case {
            name: "a level change is one call and the record",
            current: granted.clone(),
            desired: ann(),
            facts: Facts {
                proficiencies: Some(Wanted {
                    list: vec![proficiency("Language", "Spanish", 5.0)],
                    from_map: false,
                    recorded: true,
                }),
                ..Facts::default()
            },
            calls: &["UpdateUserProficiencies", "TagResource"],
            holds: &["p1"],
        },
        Case {
            name: "taking a grant back is one call and the record's removal",
            current: granted.clone(),
            desired: ann(),
            facts: Facts {
                proficiencies: Some(Wanted {
                    list: Vec::new(),
                    from_map: false,
                    recorded: false,
                }),
                ..Facts::default()
            },
            calls: &["DisassociateUserProficiencies", "UntagResource"],
            holds: &["p1"],
        },
        Case {
            name: "a channel setting is one call",
            current: channels.clone(),
            desired: {
                let mut user = channels.user.clone();
                if let Some(list) = &mut user.extension.channel_configs {
                    list[1].auto_accept = Some(true);
                }
                user
            },
            facts: Facts::default(),
            calls: &["UpdateUserConfig"],
            holds: &["p1"],
        },
        Case {
            name: "the single settings go per channel when limits differ",
            current: {
                let mut uneven = channels.clone();
                if let Some(list) = &mut uneven.user.extension.channel_configs {
                    list[1].after_contact_work_time_limit = Some(60);
                }
                uneven
            },
            desired: {
                let mut user = channels.user.clone();
                if let Some(list) = &mut user.extension.channel_configs {
                    list[1].after_contact_work_time_limit = Some(60);
                }
                user.extension.auto_accept = Some(true);
                user
            },
            facts: Facts::default(),
            calls: &["UpdateUserConfig"],
            holds: &["p1"],
        },
        Case {
            name: "a phone setting is one call",
            current: active,
            desired: {
                let mut user = ann();
                user.extension.auto_accept = Some(true);
                user
            },
            facts: Facts::default(),
            calls: &["UpdateUserPhoneConfig"],
            holds: &["p1"],
        },
    ]
}

#[test]
fn each_change_costs_exactly_its_calls() {
    for case in cases() {
        let plan = plan(&case.current, &case.desired, &case.facts).unwrap();
        assert_eq!(plan.calls(), case.calls, "{}", case.name);
        assert_eq!(plan.after.security_profile_ids, case.holds, "{}", case.name);
    }
}

#[test]
fn names_owned_by_the_directory_read_back_unchanged() {
    let current = stored(ann(), &["p1"], None);
    let desired = User {
        given_name: Some("Anne".into()),
        email: Some("anne@example.com".into()),
        ..ann()
    };
    let facts = Facts {
        identity: Some(IdentityType::ExistingDirectory),
        ..Facts::default()
    };
    let after = plan(&current, &desired, &facts).unwrap().after;
    assert_eq!(after.first_name.as_deref(), Some("Ann"));
    assert_eq!(after.email, ReadEmail::Read(Some("ann@example.com".to_owned())));
}

#[test]
fn a_desk_phone_without_a_number_is_refused_before_any_call() {
    let mut desired = ann();
    desired.extension.phone_type = Some(PhoneKind::Desk);
    let refused = plan(&stored(ann(), &["p1"], None), &desired, &Facts::default());
    assert!(refused.is_err());
}
