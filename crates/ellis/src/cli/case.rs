//! `ellis case intake`: receive a paper filing (until the agency side has its intake page). Prints the
//! receipt number and, for a filing without an online account number, the Online Access Code; writes the
//! notices to mail as PDF files.

use std::path::Path;

use clap::{Args, ValueEnum};
use ellis_core::receipt_number::PaperLayout;
use serde_json::{Map, Value, json};

use crate::services::cases::intake::{self, PaperFiling};
use crate::services::{Client, ServiceError};
use crate::{Config, SystemClock, server};

#[derive(Clone, Copy, ValueEnum)]
pub enum Layout {
    /// `CCC YY DDD 5 NNNN`
    ServiceCenter,
    /// `CCC YY 9 DDD NNNN`
    Lockbox,
}

#[derive(Args)]
pub struct IntakeArgs {
    /// The form filed on paper: I-90, I-130, I-765 or N-400.
    #[arg(long)]
    form: String,
    /// The receiving office's three letters, e.g. LIN, EAC, MSC.
    #[arg(long)]
    prefix: String,
    #[arg(long, value_enum, default_value = "service-center")]
    layout: Layout,
    #[arg(long)]
    given_name: String,
    #[arg(long)]
    family_name: String,
    /// YYYY-MM-DD
    #[arg(long)]
    date_of_birth: Option<String>,
    #[arg(long)]
    a_number: Option<String>,
    #[arg(long)]
    line1: String,
    #[arg(long)]
    line2: Option<String>,
    #[arg(long)]
    city: String,
    #[arg(long)]
    state: String,
    #[arg(long)]
    zip: String,
    /// The USCIS Online Account Number written on the form, if any (the case then joins that account).
    #[arg(long)]
    account_number: Option<String>,
    /// Where to write the notices to mail.
    #[arg(long, default_value = ".")]
    notices_dir: std::path::PathBuf,
}

pub async fn intake(config: Config, args: IntakeArgs) -> anyhow::Result<()> {
    let state = server::build_state(config, std::sync::Arc::new(SystemClock)).await?;
    let mut fields = Map::new();
    fields.insert("given_name".into(), json!(args.given_name));
    fields.insert("family_name".into(), json!(args.family_name));
    let optional = [("date_of_birth", &args.date_of_birth), ("a_number", &args.a_number)];
    for (name, value) in optional {
        if let Some(value) = value {
            fields.insert(name.into(), Value::from(value.as_str()));
        }
    }
    fields.insert(
        "mailing_address".into(),
        json!({"line1": args.line1, "line2": args.line2, "city": args.city, "state": args.state, "zip": args.zip}),
    );
    let paper = PaperFiling {
        form_type: args.form,
        prefix: args.prefix,
        layout: match args.layout {
            Layout::ServiceCenter => PaperLayout::ServiceCenter,
            Layout::Lockbox => PaperLayout::Lockbox,
        },
        fields,
        account_number: args.account_number,
        received_by: None,
    };
    let done = match intake::intake(&state, paper, &Client::default()).await {
        Ok(done) => done,
        Err(ServiceError::Invalid(errors)) => {
            let lines: Vec<String> = errors.iter().map(|e| format!("  {}: {}", e.field, e.message)).collect();
            anyhow::bail!("the filing is not valid:\n{}", lines.join("\n"));
        }
        Err(other) => anyhow::bail!("{other}"),
    };
    state.store.close().await;
    println!("receipt number: {}", done.receipt_number);
    if let Some(code) = &done.access_code {
        println!("online access code: {code}");
    }
    std::fs::create_dir_all(&args.notices_dir)?;
    for (id, bytes) in &done.mailed {
        let path = Path::new(&args.notices_dir).join(format!("{}-{id}.pdf", done.receipt_number));
        std::fs::write(&path, bytes)?;
        println!("notice to mail: {}", path.display());
    }
    Ok(())
}

#[derive(Args)]
pub struct UpdateArgs {
    /// The case's receipt number.
    #[arg(long)]
    receipt: String,
    /// The new status title, one the catalogue allows from the current one.
    #[arg(long)]
    status: String,
    /// A line for the notice.
    #[arg(long)]
    note: Option<String>,
    /// For evidence requests: the due date (YYYY-MM-DD).
    #[arg(long)]
    due_date: Option<String>,
    /// For appointments: date, time and place, as printed.
    #[arg(long)]
    appointment: Option<String>,
}

/// `ellis case update`: move a case to a new status (until officers have their pages).
pub async fn update(config: Config, args: UpdateArgs) -> anyhow::Result<()> {
    use crate::services::cases::status_change::{self, Move};
    let due_date = match args.due_date.as_deref() {
        Some(text) => Some(ellis_core::profile::parse_date(text).map_err(|e| anyhow::anyhow!("--due-date: {e}"))?),
        None => None,
    };
    let state = server::build_state(config, std::sync::Arc::new(SystemClock)).await?;
    let details = Move { note: args.note, due_date, appointment: args.appointment };
    let result = status_change::update(&state, &args.receipt, &args.status, &details).await;
    state.store.close().await;
    match result {
        Ok(case) => {
            println!("{}: {}", case.receipt_number, case.status_title);
            Ok(())
        }
        Err(ServiceError::Invalid(errors)) => {
            let lines: Vec<String> = errors.iter().map(|e| format!("  {}: {}", e.field, e.message)).collect();
            anyhow::bail!("the update is not valid:\n{}", lines.join("\n"))
        }
        Err(other) => anyhow::bail!("{other}"),
    }
}
