//! `connect-sim`: the Amazon Connect simulator on its own.
//!
//! Listens on `127.0.0.1:${CONNECT_SIM_PORT:-8788}`; see `SimConfig::from_env`
//! for the other settings.

use connect_sim::{NamedKind, SimConfig, Simulator};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let config = SimConfig::from_env()?;
    let port: u16 = std::env::var("CONNECT_SIM_PORT")
        .ok()
        .map_or(Ok(8788), |p| p.parse())?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let sim = Simulator::new(&config);
    for instance in &config.instance_ids {
        println!(
            "Connect simulator: http://{} instance {instance}",
            listener.local_addr()?
        );
        for name in connect_sim::SEEDED_SECURITY_PROFILES {
            let id = sim
                .named_id(instance, NamedKind::SecurityProfile, name)
                .unwrap_or_default();
            println!("  security profile {name:<18} {id}");
        }
    }
    println!(
        "  identity management {} (CONNECT_SIM_IDENTITY_TYPE)",
        config.identity_type
    );
    println!(
        "  quota {} rps, burst {} (CONNECT_SIM_RATE / CONNECT_SIM_BURST)",
        config.quota.rate, config.quota.burst
    );
    println!(
        "  search lag {} ms (CONNECT_SIM_SEARCH_LAG_MS), paging tokens live {} s (CONNECT_SIM_TOKEN_TTL_SECS)",
        config.search_lag.as_millis(),
        config.token_ttl.as_secs()
    );
    axum::serve(listener, sim.router())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
