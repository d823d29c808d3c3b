//! `frontdoor backup` and `frontdoor restore`, and the lock a server holds on its database.
//!
//! Backup (SQLite) takes a consistent snapshot while the server runs (`VACUUM INTO`), checks
//! the copy (integrity, schema, both audit chains) and only then puts it in place. Restore
//! refuses while a server holds the database's lock file, checks the backup the same way on a
//! temporary copy beside the database, keeps the previous database (with its `-wal`), removes
//! the stale `-wal`/`-shm` and renames the checked copy into place. Why this way:
//! docs/decisions/0006-backup-and-restore.md.

use crate::config::Config;
use anyhow::{bail, Context};
use clap::Args;
use frontdoor_app::records::{DatabaseUrl, Store};
use frontdoor_store::snapshot::open_sqlite_copy;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Args)]
pub struct BackupArgs {
    /// The file to write the backup to (it must not exist, unless --force).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Replace FILE if it exists (only once the new backup has been checked).
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
pub struct RestoreArgs {
    /// The backup to restore (a file written by `frontdoor backup`).
    #[arg(long, value_name = "FILE")]
    from: PathBuf,
}

/// How to back up and restore a PostgreSQL database, which frontdoor leaves to PostgreSQL's tools.
const POSTGRES_GUIDANCE: &str = "\
On PostgreSQL, back up and restore with PostgreSQL's own tools (see docs/operating.md):
  back up:  pg_dump --format=custom --file=frontdoor-$(date +%F).dump \"$FRONTDOOR_DATABASE_URL\"
  check:    pg_restore --list frontdoor-YYYY-MM-DD.dump > /dev/null
  restore:  stop every frontdoor server, then
            pg_restore --clean --if-exists --single-transaction --dbname=\"$FRONTDOOR_DATABASE_URL\" frontdoor-YYYY-MM-DD.dump
  then:     frontdoor audit verify";

/// The exclusive lock a server holds on its SQLite database while it runs: `restore` (and a
/// second server) refuse while it is held. The operating system releases it when the process
/// ends, however it ends (even `kill -9`).
pub struct ServerLock {
    _file: File,
}

/// The lock file beside a SQLite database: `frontdoor.db` → `frontdoor.db.lock`.
fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Why the lock could not be taken.
enum LockRefused {
    Held(PathBuf),
    Failed(anyhow::Error),
}

fn try_lock(database: &Path) -> Result<ServerLock, LockRefused> {
    let path = lock_path(database);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot create the lock file {}", path.display()))
        .map_err(LockRefused::Failed)?;
    match file.try_lock() {
        Ok(()) => Ok(ServerLock { _file: file }),
        Err(TryLockError::WouldBlock) => Err(LockRefused::Held(path)),
        Err(TryLockError::Error(e)) => Err(LockRefused::Failed(
            anyhow::Error::new(e).context(format!("cannot lock {}", path.display())),
        )),
    }
}

/// Takes the server's lock on the configured SQLite database (nothing on PostgreSQL), for as
/// long as the returned value lives. `serve` and `demo` hold it while they run.
pub fn hold_server_lock(config: &Config) -> anyhow::Result<Option<ServerLock>> {
    let url = DatabaseUrl::parse(&config.database_url)?;
    let Some(database) = url.sqlite_path() else {
        return Ok(None);
    };
    match try_lock(&database) {
        Ok(lock) => Ok(Some(lock)),
        Err(LockRefused::Held(path)) => bail!(
            "another frontdoor server is already running on {} (it holds {}): stop it first, or give this one another database",
            database.display(),
            path.display()
        ),
        Err(LockRefused::Failed(e)) => Err(e),
    }
}

/// `name` with a suffix, in the same directory: `frontdoor.db` + `-wal`.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A hidden temporary name beside `path`, for a file that is renamed into place.
fn temporary_beside(path: &Path, purpose: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "frontdoor.db".into());
    path.with_file_name(format!(
        ".{name}.{purpose}-{}",
        uuid::Uuid::now_v7().simple()
    ))
}

/// Removes a temporary copy and anything SQLite left beside it.
fn remove_temporary(path: &Path) {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(path, suffix));
    }
}

/// Flushes a file's contents and the directory entry naming it to disk.
fn sync_file_and_directory(path: &Path) -> anyhow::Result<()> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("cannot flush {} to disk", path.display()))?;
    if let Some(directory) = path.parent() {
        let directory = if directory.as_os_str().is_empty() {
            Path::new(".")
        } else {
            directory
        };
        // Flushing a directory is how a rename is made durable on Linux; elsewhere opening a
        // directory may not be possible, and the rename is still atomic.
        if let Ok(dir) = File::open(directory) {
            let _ = dir.sync_all();
        }
    }
    Ok(())
}

/// What a checked copy holds.
struct Checked {
    schema_version: i64,
    events: i64,
    access_log: i64,
    counts: Vec<(&'static str, i64)>,
}

impl Checked {
    fn describe(&self) -> String {
        let counts: Vec<String> = self
            .counts
            .iter()
            .filter(|(table, _)| !matches!(*table, "events" | "access_log"))
            .map(|(table, n)| format!("{n} {table}"))
            .collect();
        format!(
            "integrity ok, schema version {}, event log ({} entries) and access log ({} entries) intact; {}",
            self.schema_version,
            self.events,
            self.access_log,
            counts.join(", ")
        )
    }
}

/// Checks a copy of a database no one else has open: SQLite's integrity check, a schema this
/// frontdoor knows (not newer), and both audit chains end to end.
async fn check_copy(config: &Config, path: &Path) -> anyhow::Result<Checked> {
    let store = open_sqlite_copy(path).await?;
    let result = check_store(config, &store).await;
    store.close().await;
    result
}

async fn check_store(config: &Config, store: &Store) -> anyhow::Result<Checked> {
    let problems = store.integrity_problems().await?;
    if !problems.is_empty() {
        bail!(
            "it is damaged (SQLite's integrity check found {} problem(s), first: {})",
            problems.len(),
            problems[0]
        );
    }
    let schema_version = store.applied_schema_version().await?;
    let known = store.known_schema_version();
    if schema_version == 0 {
        bail!("it is not a frontdoor database (it has no frontdoor schema)");
    }
    if schema_version > known {
        bail!("it has schema version {schema_version}, newer than this frontdoor understands (up to {known}): use the frontdoor that made it");
    }
    let counts = store.record_counts().await?;
    let app = crate::app(config, store.clone())?;
    let report = app.verify_audit_trail().await?;
    for (name, chain) in [
        ("event log", &report.events),
        ("access log", &report.access_log),
    ] {
        if let Some(broken) = &chain.first_break {
            bail!(
                "its {name} is broken after {} good entries: {broken}",
                chain.verified
            );
        }
    }
    Ok(Checked {
        schema_version,
        events: report.events.verified,
        access_log: report.access_log.verified,
        counts,
    })
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// The SQLite file the configuration names, or the PostgreSQL guidance as an error.
fn sqlite_database(config: &Config, command: &str) -> anyhow::Result<PathBuf> {
    let url = DatabaseUrl::parse(&config.database_url)?;
    match url.sqlite_path() {
        Some(path) => Ok(path),
        None => {
            println!("{POSTGRES_GUIDANCE}");
            bail!("`frontdoor {command}` copies SQLite databases only: on PostgreSQL use pg_dump and pg_restore as shown above")
        }
    }
}

pub async fn backup(config: &Config, args: BackupArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let database = sqlite_database(config, "backup")?;
    if args.out.exists() && !args.force {
        bail!(
            "{} already exists: choose another file, or give --force to replace it",
            args.out.display()
        );
    }
    let out_directory = match args.out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !out_directory.is_dir() {
        bail!(
            "the folder {} does not exist: create it, or back up to another folder",
            out_directory.display()
        );
    }
    let url = DatabaseUrl::parse(&config.database_url)?;
    let store = Store::connect_existing(&url).await?;
    if let Err(e) = store.check_schema().await {
        if matches!(e, frontdoor_store::StoreError::SchemaTooNew { .. }) {
            store.close().await;
            return Err(e.into());
        }
    }
    let partial = temporary_beside(&args.out, "partial");
    let snapshot = store.snapshot_into(&partial).await;
    store.close().await;
    if let Err(e) = snapshot {
        remove_temporary(&partial);
        return Err(anyhow::Error::new(e).context(format!(
            "cannot write the backup beside {}",
            args.out.display()
        )));
    }
    let checked = match check_copy(config, &partial).await {
        Ok(checked) => checked,
        Err(e) => {
            remove_temporary(&partial);
            bail!("the backup was not kept: {e:#}. Run `frontdoor audit verify` on the database");
        }
    };
    sync_file_and_directory(&partial)?;
    if args.force {
        std::fs::rename(&partial, &args.out)
            .with_context(|| format!("cannot put the backup at {}", args.out.display()))?;
    } else {
        // A hard link never replaces an existing file: a backup that appeared meanwhile is kept.
        match std::fs::hard_link(&partial, &args.out) {
            Ok(()) => {
                let _ = std::fs::remove_file(&partial);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                remove_temporary(&partial);
                bail!(
                    "{} already exists: choose another file, or give --force to replace it",
                    args.out.display()
                );
            }
            Err(_) => std::fs::rename(&partial, &args.out)
                .with_context(|| format!("cannot put the backup at {}", args.out.display()))?,
        }
    }
    sync_file_and_directory(&args.out)?;
    println!(
        "Backed up {} ({} bytes, with its -wal {} bytes) to {} ({} bytes) in {:.1} s: {}.",
        database.display(),
        file_size(&database),
        file_size(&with_suffix(&database, "-wal")),
        args.out.display(),
        file_size(&args.out),
        started.elapsed().as_secs_f64(),
        checked.describe()
    );
    Ok(())
}

pub async fn restore(config: &Config, args: RestoreArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let database = sqlite_database(config, "restore")?;
    if !args.from.is_file() {
        bail!(
            "there is no backup file at {}: check the path",
            args.from.display()
        );
    }
    if database.exists() {
        let same = std::fs::canonicalize(&database)
            .ok()
            .zip(std::fs::canonicalize(&args.from).ok())
            .is_some_and(|(a, b)| a == b);
        if same {
            bail!(
                "{} is the database itself: give a backup file",
                args.from.display()
            );
        }
    }
    // Held until the end: no server can start on the database while it is replaced.
    let _lock = match try_lock(&database) {
        Ok(lock) => lock,
        Err(LockRefused::Held(path)) => bail!(
            "a frontdoor server is running on {} (it holds {}): stop it, then restore; nothing was changed",
            database.display(),
            path.display()
        ),
        Err(LockRefused::Failed(e)) => return Err(e),
    };
    let incoming = temporary_beside(&database, "restore");
    if let Err(e) = std::fs::copy(&args.from, &incoming) {
        remove_temporary(&incoming);
        return Err(anyhow::Error::new(e).context(format!(
            "cannot copy {} beside {}",
            args.from.display(),
            database.display()
        )));
    }
    let checked = match check_copy(config, &incoming).await {
        Ok(checked) => checked,
        Err(e) => {
            remove_temporary(&incoming);
            bail!(
                "{} cannot be restored: {e:#}. The database at {} was not changed",
                args.from.display(),
                database.display()
            );
        }
    };
    sync_file_and_directory(&incoming)?;

    // Keep the previous database, with its -wal (which may hold its latest changes), under a
    // name of its own: SQLite pairs a database with the -wal of the same name.
    let kept = if database.exists() {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let kept = with_suffix(&database, &format!(".before-restore-{stamp}"));
        if std::fs::hard_link(&database, &kept).is_err() {
            std::fs::copy(&database, &kept).with_context(|| {
                format!("cannot keep the previous database as {}", kept.display())
            })?;
        }
        for suffix in ["-wal", "-journal"] {
            let stale = with_suffix(&database, suffix);
            if stale.exists() {
                std::fs::rename(&stale, with_suffix(&kept, suffix)).with_context(|| {
                    format!(
                        "cannot move {} aside: remove it by hand before starting the server",
                        stale.display()
                    )
                })?;
            }
        }
        Some(kept)
    } else {
        None
    };
    let shm = with_suffix(&database, "-shm");
    if shm.exists() {
        std::fs::remove_file(&shm)
            .with_context(|| format!("cannot remove the stale {}", shm.display()))?;
    }
    std::fs::rename(&incoming, &database)
        .with_context(|| format!("cannot put the restored database at {}", database.display()))?;
    sync_file_and_directory(&database)?;
    println!(
        "Restored {} from {} in {:.1} s: {}.",
        database.display(),
        args.from.display(),
        started.elapsed().as_secs_f64(),
        checked.describe()
    );
    if let Some(kept) = kept {
        println!(
            "The previous database is kept as {} (delete it once the restored one is in use).",
            kept.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_beside_the_database() {
        let db = Path::new("/srv/frontdoor/frontdoor.db");
        assert_eq!(
            lock_path(db),
            PathBuf::from("/srv/frontdoor/frontdoor.db.lock")
        );
        assert_eq!(
            with_suffix(db, "-wal"),
            PathBuf::from("/srv/frontdoor/frontdoor.db-wal")
        );
        let temporary = temporary_beside(db, "restore");
        assert_eq!(temporary.parent(), db.parent());
        assert!(temporary
            .to_string_lossy()
            .starts_with("/srv/frontdoor/.frontdoor.db.restore-"));
    }

    #[test]
    fn a_second_lock_is_refused_until_the_first_is_dropped() {
        let dir = std::env::temp_dir().join(format!("fdlock_{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&dir).expect("dir");
        let db = dir.join("x.db");
        let Ok(first) = try_lock(&db) else {
            panic!("the first lock is taken");
        };
        assert!(matches!(try_lock(&db), Err(LockRefused::Held(_))));
        drop(first);
        assert!(try_lock(&db).is_ok());
        let _ = std::fs::remove_dir_all(dir);
    }
}
