//! `make local`: the Connect simulator and the SCIM Router on loopback, the
//! same Router and adapter the Lambda runs, reaching the simulator through
//! the standard AWS SDK configuration.
//!
//! SCIM at `http://127.0.0.1:${PORT:-8787}/scim/v2` with bearer
//! `${SCIM_TOKEN}` (generated when unset); the simulator at
//! `http://127.0.0.1:${CONNECT_SIM_PORT:-8788}`. With
//! `AWS_ENDPOINT_URL_CONNECT` or `CONNECT=aws`, no simulator: see `external`.

mod external;
mod front;

use std::process::ExitCode;
use std::sync::Arc;

use connect_directory::{ConnectDirectory, ConnectSettings};
use connect_sim::{NamedKind, SimConfig, Simulator};
use scim_core::{Auth, BearerToken, ServerConfig};

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn port(name: &str, default: u16) -> Result<u16, String> {
    env(name).map_or(Ok(default), |v| {
        v.parse().map_err(|_| format!("{name}={v:?} is not a port"))
    })
}

/// `SCIM_TOKEN`, else a new random one (and whether it was generated).
fn token() -> (String, bool) {
    match env("SCIM_TOKEN") {
        Some(t) => (t, false),
        None => (
            format!(
                "{}{}",
                uuid::Uuid::new_v4().simple(),
                uuid::Uuid::new_v4().simple()
            ),
            true,
        ),
    }
}

/// The first two lines of every banner.
fn print_endpoint_and_token(scim_url: &str, token: &str, generated: bool) {
    println!("SCIM endpoint      {scim_url}");
    if generated {
        // Printed once, to the terminal only, because the user asked for a
        // generated one; it is never logged.
        println!("Bearer token       {token}   (generated; set SCIM_TOKEN to choose one)");
    } else {
        println!("Bearer token       from SCIM_TOKEN");
    }
}

/// Where the embedded simulator runs and how it behaves, printed once at
/// start after the SCIM endpoint and token.
fn print_simulator(sim: &Simulator, sim_url: &str, instance_id: &str, sim_config: &SimConfig) {
    let (quota, _) = sim.settings();
    println!("Connect simulator  {sim_url}   instance {instance_id}");
    println!(
        "                   quota {} rps, burst {}; stats at {sim_url}/_sim/stats",
        quota.rate, quota.burst
    );
    println!(
        "Identity type      {} (CONNECT_SIM_IDENTITY_TYPE); search index lag {} ms (CONNECT_SIM_SEARCH_LAG_MS)",
        sim_config.identity_type.as_str(),
        sim_config.search_lag.as_millis()
    );
}

/// The last lines of the start-up banner: the mode, and a first request.
fn print_mode_and_example(scim_url: &str, deprovision: scim_core::DeprovisionMode) {
    println!("Deprovision mode   {deprovision:?}");
    println!();
    println!(
        "Try: curl -s -H \"Authorization: Bearer $SCIM_TOKEN\" '{scim_url}/Users?filter=userName%20eq%20%22ann%40example.com%22'"
    );
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let started = match external::target(env) {
        Ok(external::Target::Embedded) => embedded().await,
        Ok(external::Target::External(endpoint)) => outside(endpoint).await,
        Err(e) => Err(e.into()),
    };
    match started {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("scim-local: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The SCIM server, until Ctrl-C.
async fn serve(listener: tokio::net::TcpListener, app: axum::Router) -> std::io::Result<()> {
    front::serve(listener, app, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// The default: the simulator in this process.
async fn embedded() -> Result<(), Box<dyn std::error::Error>> {
    let sim_config = SimConfig::from_env()?;
    let instance_id = sim_config.instance_ids.first().cloned().unwrap_or_default();
    let sim = Simulator::new(&sim_config);
    let sim_listener = tokio::net::TcpListener::bind(("127.0.0.1", port("CONNECT_SIM_PORT", 8788)?)).await?;
    let sim_url = format!("http://{}", sim_listener.local_addr()?);

    // What the CDK stack creates in a real instance.
    let mut settings = ConnectSettings::from_lookup(|name| match name {
        "CONNECT_INSTANCE_ID" => Some(instance_id.clone()),
        other => env(other),
    })?;
    settings.instance_id = instance_id.clone();
    sim.add_named(
        &instance_id,
        NamedKind::SecurityProfile,
        &settings.disabled_security_profile,
        None,
    )?;

    let sdk_config = connect_directory::sdk_config_for_endpoint(&sim_url).await;
    let directory = Arc::new(ConnectDirectory::new(&sdk_config, settings));

    let (token, generated) = token();
    let config = ServerConfig::from_env(Auth::Bearer(BearerToken::new(token.clone())?))?;
    let deprovision = config.deprovision;
    let app = scim_core::app(directory, config);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port("PORT", 8787)?)).await?;
    let scim_url = format!("http://{}/scim/v2", listener.local_addr()?);

    print_endpoint_and_token(&scim_url, &token, generated);
    print_simulator(&sim, &sim_url, &instance_id, &sim_config);
    print_mode_and_example(&scim_url, deprovision);

    let sim_router = sim.router();
    let sim_task = tokio::spawn(async move { axum::serve(sim_listener, sim_router).await });
    serve(listener, app).await?;
    sim_task.abort();
    Ok(())
}

/// A Connect outside this process, through the standard SDK configuration,
/// as the Lambda reaches it.
async fn outside(endpoint: external::Endpoint) -> Result<(), Box<dyn std::error::Error>> {
    // Before anything is read or sent.
    external::consent(&endpoint, env("I_UNDERSTAND_THIS_WRITES").as_deref())?;
    if env("CONNECT_INSTANCE_ID").is_none() {
        return Err(
            "CONNECT_INSTANCE_ID is required against an external Connect: the instance to provision into"
                .into(),
        );
    }
    let settings = ConnectSettings::from_lookup(env)?;
    let (token, generated) = token();
    let config = ServerConfig::from_env(Auth::Bearer(BearerToken::new(token.clone())?))?;
    let deprovision = config.deprovision;

    let sdk_config = sdk_config::from_env().await;
    let Some(region) = sdk_config.region().map(ToString::to_string) else {
        return Err("no AWS region: set AWS_REGION to the instance's region".into());
    };
    let instance_id = settings.instance_id.clone();
    let disabled = settings.disabled_security_profile.clone();
    let configured_identity = settings.identity_type;
    let directory = Arc::new(ConnectDirectory::new(&sdk_config, settings));
    let instance = directory
        .instance_report()
        .await
        .map_err(|e| format!("reading instance {instance_id}: {e}"))?;
    if instance.status != "ACTIVE" {
        return Err(format!("instance {instance_id} is {}, not ACTIVE", instance.status).into());
    }
    let app = scim_core::app(directory, config);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port("PORT", 8787)?)).await?;
    let scim_url = format!("http://{}/scim/v2", listener.local_addr()?);

    print_endpoint_and_token(&scim_url, &token, generated);
    println!("Connect            {}", endpoint.description);
    println!(
        "                   region {region}, instance {instance_id} (alias {}, {})",
        instance.alias, instance.status
    );
    println!("Identity type      {} (DescribeInstance)", instance.identity_type);
    if let Some(configured) = configured_identity.filter(|t| t.to_string() != instance.identity_type) {
        println!(
            "                   warning: CONNECT_IDENTITY_TYPE={configured} is what the bridge will assume"
        );
    }
    println!("Deprovision mode   {deprovision:?}");
    if !instance.has_disabled_profile {
        let needed = if deprovision == scim_core::DeprovisionMode::Disable {
            "warning: DEPROVISION_MODE=disable needs it, so deprovisioning will fail"
        } else {
            "only DEPROVISION_MODE=disable needs it"
        };
        println!(
            "Disabled profile   {disabled:?} (DISABLED_SECURITY_PROFILE) is not in the instance ({needed}; \
             the stack creates it, or make one with no permissions)"
        );
    }
    if !endpoint.loopback {
        println!("Writes go to this Connect instance (I_UNDERSTAND_THIS_WRITES=1).");
    }
    serve(listener, app).await?;
    Ok(())
}
