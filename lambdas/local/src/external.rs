//! `make local` against a Connect outside this process: a standalone
//! simulator, or a sandbox instance in AWS.
//!
//! The rule: the embedded simulator runs unless `AWS_ENDPOINT_URL_CONNECT`
//! is set (Connect at that URL) or `CONNECT=aws` (Connect wherever the
//! standard AWS configuration points: your region and credentials). Then
//! `CONNECT_INSTANCE_ID` names the instance, the adapter is built from the
//! standard SDK configuration exactly as the Lambda's is, and a Connect
//! that is not on this machine is written to only with
//! `I_UNDERSTAND_THIS_WRITES=1`.
//!
//! The start-up probe below calls Connect directly, not through the adapter:
//! it reads facts the SCIM port has no words for (the instance's status, and
//! the disabled agents' profile, which is never listed as a group).

use std::net::IpAddr;

/// Where the adapter's Connect is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The simulator in this process (the default).
    Embedded,
    /// Connect outside this process.
    External(Endpoint),
}

/// An external Connect endpoint, as the SDK will resolve it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// What to print: the URL, or Amazon Connect's own endpoint.
    pub description: String,
    /// Whether it is on this machine (127.0.0.0/8, ::1 or `localhost`).
    pub loopback: bool,
}

/// Decides the target from the environment (through `get`, for tests).
pub fn target(get: impl Fn(&str) -> Option<String>) -> Result<Target, String> {
    let endpoint_url = get("AWS_ENDPOINT_URL_CONNECT");
    match get("CONNECT").as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("sim") if endpoint_url.is_none() => Ok(Target::Embedded),
        Some("sim") => Err(
            "CONNECT=sim runs the embedded simulator, but AWS_ENDPOINT_URL_CONNECT is set: unset one of them"
                .to_owned(),
        ),
        None | Some("aws") => Ok(Target::External(endpoint(&get))),
        Some(other) => Err(format!(
            "CONNECT={other:?}: use sim (the embedded simulator, the default) or aws (the standard AWS configuration)"
        )),
    }
}

/// The endpoint the SDK will use: the service's URL variable, else the
/// global one, else Amazon Connect in the configured region.
fn endpoint(get: &impl Fn(&str) -> Option<String>) -> Endpoint {
    let ignored = get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let configured = ["AWS_ENDPOINT_URL_CONNECT", "AWS_ENDPOINT_URL"]
        .iter()
        .find_map(|name| get(name).map(|url| (*name, url)))
        .filter(|_| !ignored);
    match configured {
        Some((name, url)) => Endpoint {
            loopback: is_loopback(&url),
            description: format!("{url} ({name})"),
        },
        None => Endpoint {
            loopback: false,
            description: format!(
                "Amazon Connect in {} (the standard AWS configuration)",
                get("AWS_REGION")
                    .or_else(|| get("AWS_DEFAULT_REGION"))
                    .unwrap_or_else(|| "your configured region".to_owned())
            ),
        },
    }
}

/// Whether `url`'s host is this machine. Anything unparsable is not.
fn is_loopback(url: &str) -> bool {
    let Some(host) = url
        .parse::<http::Uri>()
        .ok()
        .and_then(|u| u.host().map(str::to_owned))
    else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost") || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Refuses a Connect off this machine unless `I_UNDERSTAND_THIS_WRITES=1`.
pub fn consent(endpoint: &Endpoint, given: Option<&str>) -> Result<(), String> {
    if endpoint.loopback || given == Some("1") {
        return Ok(());
    }
    Err(format!(
        "refusing to start: Connect is {}, not on this machine, and every SCIM request an IdP or \
         probe sends creates, changes or deletes real Connect users there. Use a sandbox instance, \
         and set I_UNDERSTAND_THIS_WRITES=1 to go ahead.",
        endpoint.description
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let owned: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| owned.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    fn external(pairs: &[(&str, &str)]) -> Endpoint {
        match target(env(pairs)) {
            Ok(Target::External(e)) => e,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_simulator_is_the_default() {
        assert_eq!(target(env(&[])), Ok(Target::Embedded));
        assert_eq!(target(env(&[("CONNECT", "sim")])), Ok(Target::Embedded));
        // The simulator's instance id alone changes nothing.
        assert_eq!(
            target(env(&[("CONNECT_INSTANCE_ID", "abc")])),
            Ok(Target::Embedded)
        );
        assert!(target(env(&[("CONNECT", "prod")])).is_err());
        assert!(
            target(env(&[
                ("CONNECT", "sim"),
                ("AWS_ENDPOINT_URL_CONNECT", "http://127.0.0.1:1")
            ]))
            .is_err()
        );
    }

    #[test]
    fn loopback_endpoints_need_no_consent() {
        for url in [
            "http://127.0.0.1:8788",
            "http://localhost:9",
            "http://[::1]:8788/",
            "http://127.3.2.1",
        ] {
            let e = external(&[("AWS_ENDPOINT_URL_CONNECT", url)]);
            assert!(e.loopback, "{url}");
            assert!(consent(&e, None).is_ok());
        }
    }

    #[test]
    fn anything_else_needs_consent() {
        for pairs in [
            &[("AWS_ENDPOINT_URL_CONNECT", "http://10.255.255.1:1")][..],
            &[(
                "AWS_ENDPOINT_URL_CONNECT",
                "https://connect.us-east-1.amazonaws.com",
            )],
            &[("AWS_ENDPOINT_URL_CONNECT", "http://127.0.0.1.example.com")],
            &[("CONNECT", "aws"), ("AWS_REGION", "eu-west-2")],
            &[
                ("CONNECT", "aws"),
                ("AWS_ENDPOINT_URL", "http://192.168.1.5:8788"),
            ],
            &[
                ("CONNECT", "aws"),
                ("AWS_ENDPOINT_URL", "http://127.0.0.1:8788"),
                ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
            ],
        ] {
            let e = external(pairs);
            let refusal = consent(&e, None).unwrap_err();
            assert!(refusal.contains("I_UNDERSTAND_THIS_WRITES=1"), "{refusal}");
            assert!(consent(&e, Some("1")).is_ok());
            assert!(consent(&e, Some("yes")).is_err());
        }
        assert!(
            external(&[("CONNECT", "aws"), ("AWS_REGION", "eu-west-2")])
                .description
                .contains("eu-west-2")
        );
    }
}
