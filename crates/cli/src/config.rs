//! Configuration: defaults, then a TOML file, then environment variables. The database URL may
//! hold a password: it is never logged (see `DatabaseUrl::redacted`).

use anyhow::{bail, Context};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// `sqlite://PATH` (the default, a single file) or `postgres://USER@HOST:PORT/DATABASE`.
    pub database_url: String,
    /// Address the server listens on.
    pub listen: String,
    /// Set when users reach the server over TLS (directly or through a proxy): Secure cookies and HSTS.
    pub behind_tls: bool,
    /// Code of the authority whose online referral form `/refer` serves. Blank: the only one.
    pub public_authority: String,
    /// Office hours (London time) on working days; outside them contacts are out of hours.
    pub office_opens: String,
    pub office_closes: String,
    /// Minutes of inactivity before a session ends.
    pub session_idle_minutes: i64,
    /// Online referral form submissions allowed per client address per 10 minutes.
    pub referrals_per_client: u32,
    /// Addresses of reverse proxies (separated by commas) whose `X-Forwarded-For` header is
    /// believed for the client's address. Blank: the header is ignored.
    pub trusted_proxy: String,
    /// Notification emails, off unless `smtp_relay` is set.
    pub email: EmailConfig,
}

/// `[email]`: the SMTP relay notification emails go through. Emails hold no personal data.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EmailConfig {
    /// `host:port` of a relay that accepts mail from this server (plain SMTP, no sign-in).
    /// Empty: no emails are sent.
    pub smtp_relay: String,
    /// The sender address, e.g. frontdoor@council.example.
    pub from: String,
    /// The address users reach frontdoor at, for the link in each email.
    pub base_url: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: "sqlite://frontdoor.db".into(),
            listen: "127.0.0.1:8080".into(),
            behind_tls: false,
            public_authority: String::new(),
            office_opens: "09:00".into(),
            office_closes: "17:00".into(),
            session_idle_minutes: 30,
            referrals_per_client: 20,
            trusted_proxy: String::new(),
            email: EmailConfig::default(),
        }
    }
}

impl Config {
    /// Reads the file (if given, or `frontdoor.toml` if present) and then the environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        let default_file = PathBuf::from("frontdoor.toml");
        let path = match file {
            Some(path) => Some(path.to_path_buf()),
            None if default_file.exists() => Some(default_file),
            None => None,
        };
        let mut config = match &path {
            Some(path) => {
                let text = std::fs::read_to_string(path).with_context(|| {
                    format!("cannot read the configuration file {}", path.display())
                })?;
                toml::from_str(&text).map_err(|e| {
                    anyhow::anyhow!(
                        "the configuration file {} is not valid: {}",
                        path.display(),
                        e.message()
                    )
                })?
            }
            None => Config::default(),
        };
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if let Some(v) = env("FRONTDOOR_DATABASE_URL") {
            config.database_url = v;
        }
        if let Some(v) = env("FRONTDOOR_LISTEN") {
            config.listen = v;
        }
        if let Some(v) = env("FRONTDOOR_BEHIND_TLS") {
            config.behind_tls = match v.as_str() {
                "1" | "true" | "yes" => true,
                "0" | "false" | "no" => false,
                other => bail!("FRONTDOOR_BEHIND_TLS must be true or false, not '{other}'"),
            };
        }
        if let Some(v) = env("FRONTDOOR_PUBLIC_AUTHORITY") {
            config.public_authority = v;
        }
        if let Some(v) = env("FRONTDOOR_SMTP_RELAY") {
            config.email.smtp_relay = v;
        }
        if let Some(v) = env("FRONTDOOR_TRUSTED_PROXY") {
            config.trusted_proxy = v;
        }
        if let Some(v) = env("FRONTDOOR_SESSION_IDLE_MINUTES") {
            config.session_idle_minutes = v.trim().parse().map_err(|_| {
                anyhow::anyhow!(
                    "FRONTDOOR_SESSION_IDLE_MINUTES must be a whole number of minutes, not '{v}'"
                )
            })?;
        }
        config.validate()?;
        Ok(config)
    }

    /// Checks the settings that have allowed ranges, naming the setting and its range.
    pub fn validate(&self) -> anyhow::Result<()> {
        let idle = frontdoor_app::SESSION_IDLE_MINUTES;
        if !idle.contains(&self.session_idle_minutes) {
            bail!(
                "session_idle_minutes must be between {} and {} (minutes a session may be idle before it ends), not {}",
                idle.start(),
                idle.end(),
                self.session_idle_minutes
            );
        }
        if self.referrals_per_client == 0 {
            bail!("referrals_per_client must be at least 1 (online form submissions allowed per address per 10 minutes)");
        }
        self.trusted_proxies()?;
        if !self.email.smtp_relay.is_empty() {
            if !self.email.smtp_relay.contains(':') {
                bail!(
                    "email.smtp_relay must be host:port, e.g. localhost:25, not '{}'",
                    self.email.smtp_relay
                );
            }
            if !self.email.from.contains('@') {
                bail!("email.from must be the sender's address (e.g. frontdoor@council.example) when email.smtp_relay is set");
            }
            if !self.email.base_url.starts_with("http") {
                bail!("email.base_url must be the address users reach frontdoor at (e.g. https://frontdoor.council.example) when email.smtp_relay is set");
            }
        }
        Ok(())
    }

    /// The email settings, when a relay is configured.
    pub fn email_settings(&self) -> Option<frontdoor_app::EmailSettings> {
        (!self.email.smtp_relay.is_empty()).then(|| frontdoor_app::EmailSettings {
            smtp_relay: self.email.smtp_relay.clone(),
            from: self.email.from.clone(),
            base_url: self.email.base_url.clone(),
        })
    }

    /// The `trusted_proxy` setting as addresses.
    pub fn trusted_proxies(&self) -> anyhow::Result<Vec<std::net::IpAddr>> {
        frontdoor_web::parse_trusted_proxies(&self.trusted_proxy)
            .map_err(|e| anyhow::anyhow!("trusted_proxy: {e}"))
    }

    pub fn settings(&self) -> anyhow::Result<frontdoor_app::Settings> {
        let time = |label: &str, text: &str| {
            chrono::NaiveTime::parse_from_str(text, "%H:%M")
                .with_context(|| format!("{label} must be a time like 09:00, not '{text}'"))
        };
        let office_hours = frontdoor_domain::timescale::OfficeHours::new(
            time("office_opens", &self.office_opens)?,
            time("office_closes", &self.office_closes)?,
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        self.validate()?;
        Ok(frontdoor_app::Settings {
            office_hours,
            session_idle_minutes: self.session_idle_minutes,
            ..Default::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_out_of_range_are_refused_naming_the_setting_and_range() {
        for minutes in [0, -5, 1441, i64::MAX] {
            let config = Config {
                session_idle_minutes: minutes,
                ..Config::default()
            };
            let error = config.settings().expect_err("refused").to_string();
            assert!(
                error.contains("session_idle_minutes must be between 1 and 1440"),
                "{error}"
            );
        }
        let config = Config {
            session_idle_minutes: 1440,
            ..Config::default()
        };
        assert_eq!(config.settings().expect("valid").session_idle_minutes, 1440);
        let config = Config {
            trusted_proxy: "10.0.0.5, nginx".into(),
            ..Config::default()
        };
        let error = config.validate().expect_err("refused").to_string();
        assert!(
            error.contains("trusted_proxy: 'nginx' is not an IP address"),
            "{error}"
        );
    }

    #[test]
    fn a_file_with_a_huge_idle_limit_is_refused_when_loaded() {
        let dir = std::env::temp_dir().join(format!("frontdoor-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("frontdoor.toml");
        std::fs::write(&path, format!("session_idle_minutes = {}\n", i64::MAX)).expect("write");
        let error = Config::load(Some(&path)).expect_err("refused").to_string();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(
            error.contains("session_idle_minutes must be between 1 and 1440"),
            "{error}"
        );
    }
}
