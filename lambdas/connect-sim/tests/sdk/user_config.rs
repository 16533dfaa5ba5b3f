//! Per-channel user settings: UpdateUserConfig and CreateUser's `*Configs`,
//! through the real SDK, alongside the single PhoneConfig.

use aws_sdk_connect::Client;
use aws_sdk_connect::types::{
    AfterContactWorkConfig, AfterContactWorkConfigPerChannel, AutoAcceptConfig, Channel,
    PersistentConnectionConfig, PhoneNumberConfig, PhoneType, User, UserPhoneConfig, VoiceEnhancementConfig,
    VoiceEnhancementMode,
};
use connect_sim::SimConfig;

use crate::support::{INVALID, NOT_FOUND, create_user, failure, is, names};
use crate::*;

fn auto(channel: Channel, on: bool) -> AutoAcceptConfig {
    AutoAcceptConfig::builder()
        .channel(channel)
        .auto_accept(on)
        .build()
        .unwrap()
}

fn acw(channel: Channel, seconds: i32) -> AfterContactWorkConfigPerChannel {
    AfterContactWorkConfigPerChannel::builder()
        .channel(channel)
        .after_contact_work_config(
            AfterContactWorkConfig::builder()
                .after_contact_work_time_limit(seconds)
                .build(),
        )
        .build()
        .unwrap()
}

fn desk(channel: Channel, number: Option<&str>) -> PhoneNumberConfig {
    PhoneNumberConfig::builder()
        .channel(channel)
        .phone_type(PhoneType::DeskPhone)
        .set_phone_number(number.map(str::to_owned))
        .build()
        .unwrap()
}

async fn describe(client: &Client, id: &str) -> User {
    client
        .describe_user()
        .instance_id(INSTANCE)
        .user_id(id)
        .send()
        .await
        .unwrap()
        .user
        .unwrap()
}

fn auto_accept_on(user: &User, channel: &Channel) -> Option<bool> {
    user.auto_accept_configs()
        .iter()
        .find(|c| c.channel() == channel)
        .map(|c| c.auto_accept())
}

fn acw_of(user: &User, channel: &Channel) -> Option<i32> {
    user.after_contact_work_configs()
        .iter()
        .find(|c| c.channel() == channel)
        .and_then(|c| c.after_contact_work_config())
        .map(|c| c.after_contact_work_time_limit())
}

#[tokio::test]
async fn create_with_channel_configs_reads_back_per_channel() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let ids = ids(&running);
    let id = create_user(&client, &ids, INSTANCE, "chan.create")
        .identity_info(names("Chan", "Create"))
        .auto_accept_configs(auto(Channel::Chat, true))
        .after_contact_work_configs(acw(Channel::Voice, 45))
        .phone_number_configs(desk(Channel::Voice, Some("+12065550100")))
        .send()
        .await
        .unwrap()
        .user_id
        .unwrap();
    let user = describe(&client, &id).await;
    // Every channel has an auto-accept and ACW setting; the request's win.
    assert_eq!(user.auto_accept_configs().len(), 4);
    assert_eq!(auto_accept_on(&user, &Channel::Chat), Some(true));
    assert_eq!(auto_accept_on(&user, &Channel::Voice), Some(false));
    assert_eq!(acw_of(&user, &Channel::Voice), Some(45));
    assert_eq!(acw_of(&user, &Channel::Email), Some(0));
    assert_eq!(
        user.phone_number_configs()[0].phone_number(),
        Some("+12065550100")
    );
    // PhoneConfig is the VOICE view.
    let phone = user.phone_config().unwrap();
    assert_eq!(phone.phone_type(), &PhoneType::DeskPhone);
    assert_eq!(phone.desk_phone_number(), Some("+12065550100"));
    assert_eq!(phone.after_contact_work_time_limit(), 45);
}

#[tokio::test]
async fn phone_config_and_channel_configs_conflict_on_create() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let ids = ids(&running);
    let base = |name: &str| create_user(&client, &ids, INSTANCE, name).identity_info(names("A", "B"));
    let phone = |b: aws_sdk_connect::types::builders::UserPhoneConfigBuilder| b.build();
    let cases = [
        base("c1")
            .phone_config(phone(UserPhoneConfig::builder().auto_accept(true)))
            .auto_accept_configs(auto(Channel::Chat, true)),
        base("c2")
            .phone_config(phone(
                UserPhoneConfig::builder().after_contact_work_time_limit(30),
            ))
            .after_contact_work_configs(acw(Channel::Chat, 30)),
        base("c3")
            .phone_config(phone(UserPhoneConfig::builder().phone_type(PhoneType::SoftPhone)))
            .phone_number_configs(desk(Channel::Voice, Some("+12065550100"))),
        base("c4")
            .phone_config(phone(UserPhoneConfig::builder().persistent_connection(true)))
            .persistent_connection_configs(
                PersistentConnectionConfig::builder()
                    .channel(Channel::Voice)
                    .persistent_connection(true)
                    .build()
                    .unwrap(),
            ),
    ];
    for (i, request) in cases.into_iter().enumerate() {
        let got = failure(request.send().await);
        assert!(is(&got, INVALID), "case {i}: {got:?}");
    }
    assert!(running.sim.users(INSTANCE).is_empty());
    // Different settings in the two forms coexist.
    base("ok")
        .phone_config(phone(UserPhoneConfig::builder().phone_type(PhoneType::SoftPhone)))
        .auto_accept_configs(auto(Channel::Chat, true))
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn update_user_config_changes_only_the_channels_named() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let ids = ids(&running);
    let id = create(&client, &ids, "chan.update").await;
    client
        .update_user_config()
        .instance_id(INSTANCE)
        .user_id(&id)
        .auto_accept_configs(auto(Channel::Voice, true))
        .auto_accept_configs(auto(Channel::Email, true))
        .after_contact_work_configs(acw(Channel::Chat, 120))
        .voice_enhancement_configs(
            VoiceEnhancementConfig::builder()
                .channel(Channel::Voice)
                .voice_enhancement_mode(VoiceEnhancementMode::NoiseSuppression)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let user = describe(&client, &id).await;
    assert_eq!(auto_accept_on(&user, &Channel::Voice), Some(true));
    assert_eq!(auto_accept_on(&user, &Channel::Email), Some(true));
    assert_eq!(auto_accept_on(&user, &Channel::Chat), Some(false));
    assert_eq!(acw_of(&user, &Channel::Chat), Some(120));
    assert_eq!(acw_of(&user, &Channel::Voice), Some(0));
    assert_eq!(
        user.voice_enhancement_configs()[0].voice_enhancement_mode(),
        &VoiceEnhancementMode::NoiseSuppression
    );
    let phone = user.phone_config().unwrap();
    assert!(phone.auto_accept(), "VOICE auto-accept shows in PhoneConfig");
    assert_eq!(phone.phone_type(), &PhoneType::SoftPhone);

    // UpdateUserPhoneConfig sets the same ACW limit on every channel.
    client
        .update_user_phone_config()
        .instance_id(INSTANCE)
        .user_id(&id)
        .phone_config(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::SoftPhone)
                .after_contact_work_time_limit(60)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let user = describe(&client, &id).await;
    for channel in [Channel::Voice, Channel::Chat, Channel::Task, Channel::Email] {
        assert_eq!(acw_of(&user, &channel), Some(60), "{channel:?}");
    }
    assert_eq!(running.sim.stats().calls("UpdateUserConfig"), 1);
}

#[tokio::test]
async fn update_user_config_is_refused_like_connect() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let ids = ids(&running);
    let id = create(&client, &ids, "chan.refused").await;
    let update = || client.update_user_config().instance_id(INSTANCE).user_id(&id);
    let cases = [
        // Only VOICE is supported for phone numbers, persistent connection, voice enhancement.
        update().phone_number_configs(
            PhoneNumberConfig::builder()
                .channel(Channel::Chat)
                .phone_type(PhoneType::SoftPhone)
                .build()
                .unwrap(),
        ),
        update().phone_number_configs(desk(Channel::Voice, None)),
        update().phone_number_configs(desk(Channel::Voice, Some("206-555-0100"))),
        update().after_contact_work_configs(acw(Channel::Task, 2_000_001)),
        update().after_contact_work_configs(acw(Channel::Task, -1)),
        update()
            .auto_accept_configs(auto(Channel::Chat, true))
            .auto_accept_configs(auto(Channel::Chat, false)),
        update().auto_accept_configs(
            AutoAcceptConfig::builder()
                .channel(Channel::Chat)
                .auto_accept(true)
                .agent_first_callback_auto_accept(true)
                .build()
                .unwrap(),
        ),
        update(),
    ];
    for (i, request) in cases.into_iter().enumerate() {
        let got = failure(request.send().await);
        assert!(is(&got, INVALID), "case {i}: {got:?}");
    }
    let missing = client
        .update_user_config()
        .instance_id(INSTANCE)
        .user_id("no-such-user")
        .auto_accept_configs(auto(Channel::Chat, true))
        .send()
        .await;
    assert!(is(&failure(missing), NOT_FOUND));
    let user = describe(&client, &id).await;
    assert_eq!(
        auto_accept_on(&user, &Channel::Chat),
        Some(false),
        "refused calls change nothing"
    );
}
