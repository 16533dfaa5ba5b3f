//! The filter parser: any text either parses or is refused with a SCIM
//! `invalidFilter` error; a parsed filter can be evaluated on any user.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scim_core::{ScimType, User, UserFilter, UserId, UserName};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match UserFilter::parse(text) {
        Ok(filter) => {
            let mut user: User = User::new(UserName::new("ada@example.com").unwrap());
            user.external_id = Some("0b5c".into());
            user.email = Some("ada@example.com".into());
            let _ = filter.matches(&UserId::new("id-0"), &user);
        }
        Err(err) => {
            assert_eq!(err.status().as_u16(), 400, "{text:?}: {}", err.detail());
            assert_eq!(err.scim_type(), Some(ScimType::InvalidFilter), "{text:?}");
        }
    }
});
