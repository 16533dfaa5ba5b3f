#![allow(clippy::unwrap_used, clippy::expect_used)]

//! Wire fidelity: the real `aws-sdk-connect` client against the simulator
//! over HTTP. If the simulator's paths, bodies or error shapes drift from
//! Connect's model, the SDK fails to build requests or parse answers here.

#[path = "../support/mod.rs"]
mod support;

mod calls;
mod proficiencies;
mod profiles;
mod search;
mod user_config;
mod users;

use aws_sdk_connect::Client;
use aws_sdk_connect::types::{PhoneType, UserIdentityInfo, UserPhoneConfig};
use connect_sim::RunningSimulator;

pub use support::{INSTANCE, Ids, start, user_criteria as string};

/// The default instance uses SAML, where `Email` is refused: the address
/// travels as `SecondaryEmail`.
fn identity(first: &str, last: &str, secondary_email: Option<&str>) -> UserIdentityInfo {
    UserIdentityInfo::builder()
        .first_name(first)
        .last_name(last)
        .set_secondary_email(secondary_email.map(str::to_owned))
        .build()
}

fn ids(running: &RunningSimulator) -> Ids {
    support::ids(&running.sim, INSTANCE)
}

async fn create(client: &Client, ids: &Ids, username: &str) -> String {
    client
        .create_user()
        .instance_id(INSTANCE)
        .username(username)
        .identity_info(identity("Ann", username, Some("ann@example.com")))
        .phone_config(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::SoftPhone)
                .build(),
        )
        .security_profile_ids(&ids.agent)
        .routing_profile_id(&ids.routing)
        .tags("scim:externalId", format!("ext-{username}"))
        .send()
        .await
        .expect("create user")
        .user_id
        .expect("user id")
}
