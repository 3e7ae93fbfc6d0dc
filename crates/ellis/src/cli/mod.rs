//! The command line (API.md "Command line"): one file per subcommand.

mod backup;
mod history;
mod migrate;
mod seed;
mod serve;
mod staff;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::{Config, LogFormat, Overrides};

#[derive(Parser)]
#[command(name = "ellis", version, about = "The USCIS Online Account, done right and in the open")]
pub struct Cli {
    /// A configuration file (TOML). Without it, ./ellis.toml is read if present.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application and deliver queued email (applies migrations first).
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate(DatabaseArgs),
    /// Write a consistent copy of the embedded SQLite database to FILE, even while ellis serves.
    Backup(BackupArgs),
    /// Account history: `ellis history verify` checks every account's hash chain.
    History(HistoryArgs),
    /// Agency staff: `ellis staff create` makes a member and prints their setup link.
    Staff(StaffArgs),
    /// Bulk-load accounts (setup complete) and cases with status histories, for benchmarks and demos.
    Seed(SeedArgs),
}

#[derive(Args)]
struct SeedArgs {
    /// How many accounts
    #[arg(long, default_value_t = 1000)]
    accounts: u64,
    /// How many cases, spread over the accounts
    #[arg(long, default_value_t = 5000)]
    cases: u64,
    /// The serial of the first account (seed<N>@ellis.test), to add to an earlier run
    #[arg(long, default_value_t = 0)]
    first: u64,
    /// No progress bar
    #[arg(long)]
    quiet: bool,
    #[command(flatten)]
    database: DatabaseArgs,
}

#[derive(Args)]
struct StaffArgs {
    #[command(subcommand)]
    action: StaffAction,
}

#[derive(Subcommand)]
enum StaffAction {
    /// Create a staff member (officer, support or admin) and print the one-time setup link.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// officer, support or admin
        #[arg(long)]
        role: String,
        /// The URL staff reach ellis at, for the link [env: ELLIS_PUBLIC_URL]
        #[arg(long)]
        public_url: Option<String>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Args)]
struct HistoryArgs {
    #[command(subcommand)]
    action: HistoryAction,
}

#[derive(Subcommand)]
enum HistoryAction {
    /// Report, per account, the first event whose hash does not follow from the one before; exits 1 if any.
    Verify(DatabaseArgs),
}

#[derive(Args)]
struct DatabaseArgs {
    /// Where the embedded database and the email outbox live [env: ELLIS_DATA_DIR] [default: ./ellis-data]
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// postgres://… to use PostgreSQL instead of the embedded SQLite file [env: ELLIS_DATABASE_URL]
    #[arg(long)]
    database_url: Option<String>,
}

#[derive(Args)]
struct BackupArgs {
    /// Where to write the copy (must not exist yet).
    file: PathBuf,
    #[command(flatten)]
    database: DatabaseArgs,
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on [env: ELLIS_LISTEN] [default: 127.0.0.1:8080]
    #[arg(long)]
    listen: Option<String>,
    /// The URL users reach ellis at, used in email links [env: ELLIS_PUBLIC_URL]
    #[arg(long)]
    public_url: Option<String>,
    #[command(flatten)]
    database: DatabaseArgs,
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let overrides = match &cli.command {
        Command::Serve(args) => Overrides {
            listen: args.listen.clone(),
            public_url: args.public_url.clone(),
            data_dir: args.database.data_dir.clone(),
            database_url: args.database.database_url.clone(),
        },
        Command::Migrate(args)
        | Command::Backup(BackupArgs { database: args, .. })
        | Command::History(HistoryArgs { action: HistoryAction::Verify(args) })
        | Command::Seed(SeedArgs { database: args, .. }) => Overrides {
            data_dir: args.data_dir.clone(),
            database_url: args.database_url.clone(),
            ..Overrides::default()
        },
        Command::Staff(StaffArgs { action: StaffAction::Create { database, public_url, .. } }) => Overrides {
            data_dir: database.data_dir.clone(),
            database_url: database.database_url.clone(),
            public_url: public_url.clone(),
            ..Overrides::default()
        },
    };
    let config = Config::load(cli.config.as_deref(), &overrides)?;
    init_logging(config.log_format);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        match cli.command {
            Command::Serve(_) => serve::run(config).await,
            Command::Migrate(_) => migrate::run(config).await,
            Command::Backup(args) => backup::run(config, &args.file).await,
            Command::History(args) => match args.action {
                HistoryAction::Verify(_) => history::verify(config).await,
            },
            Command::Seed(args) => seed::run(config, args.accounts, args.cases, args.first, args.quiet).await,
            Command::Staff(StaffArgs { action: StaffAction::Create { email, name, role, .. } }) => {
                staff::create(config, &email, &name, &role).await
            }
        }
    })
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ELLIS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    // Colours only for a person at a terminal, never into files or pipes.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()));
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Pretty => builder.init(),
    }
}
