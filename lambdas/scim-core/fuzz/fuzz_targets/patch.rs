//! The PATCH engine: any JSON body either parses and applies or is refused
//! with a 400; whatever it produces, if it is a valid User, survives a
//! round trip through the SCIM representation unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scim_core::patch::PatchRequest;
use scim_core::schema::USER_RESOURCE;
use scim_core::{User, UserName};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let request = match PatchRequest::parse(&body) {
        Ok(request) => request,
        Err(err) => {
            assert_eq!(err.status().as_u16(), 400, "{}", err.detail());
            return;
        }
    };
    let mut start: User = User::new(UserName::new("ada@example.com").unwrap());
    start.given_name = Some("Ada".into());
    start.family_name = Some("Lovelace".into());
    start.email = Some("ada@example.com".into());
    start.department = Some("Sales".into());
    start.active = Some(true);
    let mut document = start.to_scim_attributes();
    if let Err(err) = request.apply(&mut document, &USER_RESOURCE) {
        assert_eq!(err.status().as_u16(), 400, "{}", err.detail());
        return;
    }
    if let Ok(user) = User::<scim_core::NoExtension>::from_scim(&Value::Object(document)) {
        let again = User::from_scim(&Value::Object(user.to_scim_attributes())).unwrap();
        assert_eq!(again, user);
    }
});
