//! `ellis staff create --email E --name N --role R`: a staff member, and the one-time setup link (24 h)
//! where they set a password and enrol their authenticator app. This is how the first admin is made.

use crate::services::ServiceError;
use crate::services::staff::identity;
use crate::{Config, SystemClock, server};

pub async fn create(config: Config, email: &str, name: &str, role: &str) -> anyhow::Result<()> {
    let state = server::build_state(config, std::sync::Arc::new(SystemClock)).await?;
    let result = identity::create(&state, email, name, role).await;
    state.store.close().await;
    match result {
        Ok((_, link)) => {
            println!("setup link (works once, for 24 hours): {link}");
            Ok(())
        }
        Err(ServiceError::Invalid(errors)) => {
            let lines: Vec<String> = errors.iter().map(|e| format!("  {}: {}", e.field, e.message)).collect();
            anyhow::bail!("the staff member is not valid:\n{}", lines.join("\n"))
        }
        Err(other) => anyhow::bail!("{other}"),
    }
}
