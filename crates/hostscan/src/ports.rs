//! Ports of remote-access and file-sharing services, used to pick the firewall rules and
//! listening sockets that matter. The ports are data: `advisories/data/catalogue.json`.

use praxcheck_advisories::known::Known;

/// The services whose ports intersect `[lo, hi]` (the host catalogue's
/// `remote_access_ports`, `advisories/data/catalogue.json`).
#[must_use]
pub fn services_in(lo: u16, hi: u16) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = Known::embedded()
        .remote_access_ports
        .iter()
        .filter(|r| r.first <= hi && lo <= r.last)
        .map(|r| r.service.as_str())
        .collect();
    v.dedup();
    v
}

/// Every service name (for rules that open all ports).
#[must_use]
pub fn all_services() -> Vec<String> {
    let mut v: Vec<String> = Known::embedded()
        .remote_access_ports
        .iter()
        .map(|r| r.service.clone())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The services of port specifications as firewalls write them: `22`, `5900-5903`,
/// `5900:5903`, `any`, `Any`, `*`. Unknown words (`RPC`, `IPHTTPSIn`) match nothing.
#[must_use]
pub fn services_of_specs(specs: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in specs {
        let s = s.trim();
        if s.eq_ignore_ascii_case("any") || s == "*" {
            return all_services();
        }
        let (a, b) = match s.split_once(['-', ':']) {
            Some((a, b)) => (a.trim().parse::<u16>(), b.trim().parse::<u16>()),
            None => (s.parse::<u16>(), s.parse::<u16>()),
        };
        if let (Ok(a), Ok(b)) = (a, b) {
            for svc in services_in(a.min(b), a.max(b)) {
                if !out.iter().any(|x| x == svc) {
                    out.push(svc.to_owned());
                }
            }
        }
    }
    out.sort();
    out
}

/// The service of one port, if it is a remote-access port.
#[must_use]
pub fn service_of(port: u16) -> Option<&'static str> {
    services_in(port, port).first().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs() {
        assert_eq!(services_of_specs(&["3389".into()]), ["rdp"]);
        assert_eq!(
            services_of_specs(&["5900:5903".into(), "22".into()]),
            ["ssh", "vnc"]
        );
        assert_eq!(
            services_of_specs(&["RPC".into(), "80".into()]),
            Vec::<String>::new()
        );
        assert!(services_of_specs(&["Any".into()]).contains(&"rdp".to_owned()));
        assert_eq!(service_of(445), Some("smb"));
    }
}
