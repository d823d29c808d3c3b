//! What the app's benchmarks share: a fresh database for the run (SQLite in a temporary
//! folder, or a database created on the PostgreSQL server `FRONTDOOR_BENCH_POSTGRES` names and
//! dropped after), timing a call, and reporting p50 / p90 / max with the ratio to a baseline
//! measured in the same run.

// Each benchmark is its own crate and uses a part of this module.
#![allow(dead_code)]

use frontdoor_store::testing::execute_directly;
use frontdoor_store::{DatabaseUrl, Store};
use std::future::Future;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

/// A temporary folder for the SQLite file, removed when dropped.
pub struct TempDir(pub PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Times `runs` calls of `f` (after one warm-up) and returns them sorted.
pub async fn time<T, F, Fut>(runs: usize, mut f: F) -> BenchResult<Vec<Duration>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, frontdoor_app::AppError>>,
{
    black_box(f().await?);
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        black_box(f().await?);
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times)
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn report(what: &str, times: &[Duration], baseline: Option<Duration>) {
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    let p50 = at(0.5);
    let ratio = baseline
        .map(|b| format!(", {:.0}x the baseline", p50.as_secs_f64() / b.as_secs_f64()))
        .unwrap_or_default();
    println!(
        "{what:<52} p50 {:>8.2} ms  p90 {:>8.2} ms  max {:>8.2} ms{ratio}",
        ms(p50),
        ms(at(0.9)),
        ms(at(1.0)),
    );
}

/// A fresh database: on the PostgreSQL server `FRONTDOOR_BENCH_POSTGRES` names (created for
/// the run as `fdbench_<name>_<pid>`, dropped after), or a SQLite file in a temporary folder.
pub async fn connect(name: &str) -> BenchResult<(Store, String, Cleanup)> {
    if let Ok(server) = std::env::var("FRONTDOOR_BENCH_POSTGRES") {
        let name = format!("fdbench_{name}_{}", std::process::id());
        let admin = Store::connect(&DatabaseUrl::parse(&server)?).await?;
        execute_directly(&admin, &format!("CREATE DATABASE {name}")).await?;
        admin.close().await;
        let base = server.rsplit_once('/').map(|(b, _)| b).unwrap_or(&server);
        let store = Store::connect(&DatabaseUrl::parse(&format!("{base}/{name}"))?).await?;
        return Ok((
            store,
            "PostgreSQL".into(),
            Cleanup::Postgres { server, name },
        ));
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = TempDir(std::env::temp_dir().join(format!("frontdoor-{name}-{nanos}")));
    std::fs::create_dir_all(&dir.0)?;
    let url = format!("sqlite://{}", dir.0.join("frontdoor.db").display());
    let store = Store::connect(&DatabaseUrl::parse(&url)?).await?;
    Ok((store, "SQLite".into(), Cleanup::Sqlite(dir)))
}

pub enum Cleanup {
    Sqlite(#[allow(dead_code)] TempDir),
    Postgres { server: String, name: String },
}

impl Cleanup {
    pub async fn run(self) -> BenchResult<()> {
        if let Cleanup::Postgres { server, name } = self {
            let admin = Store::connect(&DatabaseUrl::parse(&server)?).await?;
            execute_directly(&admin, &format!("DROP DATABASE {name}")).await?;
            admin.close().await;
        }
        Ok(())
    }
}

/// A whole number from the environment, or the default.
pub fn env_number<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
