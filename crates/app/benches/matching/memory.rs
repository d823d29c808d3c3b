//! Peak memory: `VmHWM` and the most anonymous memory, sampled every 20 ms.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The most anonymous memory (`RssAnon`: the process's own data, not the program or the
/// database pages SQLite maps) seen by the sampler, in KiB.
static PEAK_ANONYMOUS_KIB: AtomicU64 = AtomicU64::new(0);

fn status_kib(status: &str, name: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(name))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Samples `RssAnon` every 20 ms for the rest of the run.
pub(super) fn start_memory_sampler() {
    std::thread::spawn(|| loop {
        if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
            if let Some(kib) = status_kib(&status, "RssAnon:") {
                PEAK_ANONYMOUS_KIB.fetch_max(kib, Ordering::Relaxed);
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    });
}

/// Peak memory of this process so far: resident (`VmHWM`, which also counts the database
/// pages SQLite maps into memory, once for each connection that touched them: the operating
/// system's page cache, shared) and anonymous (the process's own data, sampled).
pub(super) fn peak_memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(kib) = status_kib(&status, "RssAnon:") {
        PEAK_ANONYMOUS_KIB.fetch_max(kib, Ordering::Relaxed);
    }
    let mib = |kib: u64| kib as f64 / 1024.0;
    match status_kib(&status, "VmHWM:") {
        Some(peak) => format!(
            "{:.0} MiB resident (VmHWM); {:.0} MiB anonymous",
            mib(peak),
            mib(PEAK_ANONYMOUS_KIB.load(Ordering::Relaxed))
        ),
        None => "unknown".into(),
    }
}
