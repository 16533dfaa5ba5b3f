//! What every call passes: tags, quotas and injected faults.

use aws_sdk_connect::error::ProvideErrorMetadata;
use connect_sim::{Faults, Quota, SimConfig};

use crate::*;

#[tokio::test]
async fn tags_add_remove_and_list() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let ids = ids(&running);
    let id = create(&client, &ids, "tagged").await;
    let arn = running.sim.users(INSTANCE)[0].arn.clone();
    client
        .tag_resource()
        .resource_arn(&arn)
        .tags("scim:department", "Sales")
        .tags("scim:displayName", "Tag Ged")
        .send()
        .await
        .unwrap();
    client
        .untag_resource()
        .resource_arn(&arn)
        .tag_keys("scim:externalId")
        .tag_keys("scim:displayName")
        .send()
        .await
        .unwrap();
    let tags = client
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    let tags = tags.tags().unwrap();
    assert_eq!(tags.len(), 1);
    assert_eq!(tags["scim:department"], "Sales");

    let too_many: Vec<(String, String)> = (0..50).map(|i| (format!("k{i}"), "v".to_owned())).collect();
    let err = client
        .tag_resource()
        .resource_arn(&arn)
        .set_tags(Some(too_many.into_iter().collect()))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameterException"), "51 tags in all");

    let missing = arn.replace(&id, "00000000-0000-0000-0000-000000000000");
    let err = client
        .list_tags_for_resource()
        .resource_arn(&missing)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
}

#[tokio::test]
async fn quotas_throttle_per_api_and_are_counted() {
    let (running, client) = start(SimConfig {
        quota: Quota { rate: 0.5, burst: 5 },
        ..SimConfig::default()
    })
    .await;
    let mut throttled = 0;
    for _ in 0..8 {
        match client.list_security_profiles().instance_id(INSTANCE).send().await {
            Ok(_) => {}
            Err(err) => {
                assert!(err.as_service_error().unwrap().is_throttling_exception());
                assert_eq!(err.raw_response().unwrap().status().as_u16(), 429);
                throttled += 1;
            }
        }
    }
    assert_eq!(throttled, 3, "burst of 5, then the bucket is empty");
    // Other APIs have their own bucket.
    client
        .list_routing_profiles()
        .instance_id(INSTANCE)
        .send()
        .await
        .unwrap();
    let stats = running.sim.stats();
    let sp = stats.operations["ListSecurityProfiles"];
    assert_eq!((sp.calls, sp.throttled), (8, 3));
    assert_eq!(stats.calls("ListRoutingProfiles"), 1);
}

#[tokio::test]
async fn injected_faults_are_internal_service_exceptions() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    running.sim.set_faults(Faults {
        error_rate: 1.0,
        ..Faults::default()
    });
    let err = client
        .list_users()
        .instance_id(INSTANCE)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InternalServiceException"));
    assert_eq!(err.raw_response().unwrap().status().as_u16(), 500);
    assert_eq!(running.sim.stats().operations["ListUsers"].faulted, 1);
}
