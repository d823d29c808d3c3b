//! The address a request really came from, for per-address limits (sign-in, the online form).
//!
//! Behind a reverse proxy every request arrives from the proxy, so limits keyed on the peer
//! address would lump a whole office (or the whole internet) together. `X-Forwarded-For` names
//! the client, but anyone can send that header: it is believed only when the peer is one of the
//! configured trusted proxies, and then only the entries those proxies appended (read from the
//! right, stopping at the first address that is not a trusted proxy).

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use std::net::{IpAddr, SocketAddr};

use crate::AppState;

/// The client's address, as the per-address limits see it.
pub struct ClientAddress(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = StatusCode;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ConnectInfo(peer) = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .copied()
            .ok_or(StatusCode::INTERNAL_SERVER_ERROR)?;
        Ok(ClientAddress(client_address(
            peer.ip(),
            &parts.headers,
            &state.settings.trusted_proxies,
        )))
    }
}

/// The client's address: the peer's, unless the peer is a trusted proxy, in which case the
/// right-most `X-Forwarded-For` entry that is not itself a trusted proxy.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted_proxies: &[IpAddr]) -> IpAddr {
    let peer = peer.to_canonical();
    let trusted = |ip: &IpAddr| trusted_proxies.iter().any(|t| t.to_canonical() == *ip);
    if !trusted(&peer) {
        return peer;
    }
    // Several headers are one list, in order.
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .collect();
    let mut client = peer;
    for entry in entries.iter().rev() {
        let Some(ip) = parse_entry(entry) else {
            // Not an address: nothing to its left can be trusted either.
            break;
        };
        client = ip;
        if !trusted(&ip) {
            break;
        }
    }
    client
}

/// `192.0.2.1`, `2001:db8::1`, `192.0.2.1:4711` or `[2001:db8::1]:4711`.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .map(|ip| ip.to_canonical())
}

/// Parses a `trusted_proxy` setting: addresses separated by commas (blank: none).
pub fn parse_trusted_proxies(text: &str) -> Result<Vec<IpAddr>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            part.parse::<IpAddr>().map_err(|_| {
                format!("'{part}' is not an IP address: list the proxies' addresses separated by commas, for example 10.0.0.5, 10.0.0.6")
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("address")
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(
                "x-forwarded-for",
                HeaderValue::from_str(value).expect("value"),
            );
        }
        headers
    }

    #[test]
    fn the_header_is_ignored_unless_the_peer_is_a_trusted_proxy() {
        let headers = forwarded(&["203.0.113.9"]);
        assert_eq!(
            client_address(ip("198.51.100.7"), &headers, &[]),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_address(ip("198.51.100.7"), &headers, &[ip("10.0.0.5")]),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_address(ip("10.0.0.5"), &headers, &[ip("10.0.0.5")]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn only_entries_added_by_trusted_proxies_are_believed() {
        let trusted = [ip("10.0.0.5"), ip("10.0.0.6")];
        // The client made up the first entry; the proxies appended the rest.
        let headers = forwarded(&["1.2.3.4, 203.0.113.9", "10.0.0.6"]);
        assert_eq!(
            client_address(ip("10.0.0.5"), &headers, &trusted),
            ip("203.0.113.9")
        );
        // Garbage stops the walk at the last good hop.
        let headers = forwarded(&["203.0.113.9, not-an-address"]);
        assert_eq!(
            client_address(ip("10.0.0.5"), &headers, &trusted),
            ip("10.0.0.5")
        );
        // Ports and IPv6 are understood; an IPv4-mapped peer is the IPv4 address.
        let headers = forwarded(&["[2001:db8::1]:4711"]);
        assert_eq!(
            client_address(ip("::ffff:10.0.0.5"), &headers, &trusted),
            ip("2001:db8::1")
        );
        assert_eq!(
            client_address(ip("10.0.0.5"), &forwarded(&[]), &trusted),
            ip("10.0.0.5")
        );
    }

    #[test]
    fn the_setting_lists_addresses_and_says_what_is_wrong() {
        assert_eq!(parse_trusted_proxies(""), Ok(vec![]));
        assert_eq!(
            parse_trusted_proxies("10.0.0.5, ::1"),
            Ok(vec![ip("10.0.0.5"), ip("::1")])
        );
        let error = parse_trusted_proxies("10.0.0.5, proxy.internal").expect_err("refused");
        assert!(
            error.contains("'proxy.internal' is not an IP address"),
            "{error}"
        );
    }
}
