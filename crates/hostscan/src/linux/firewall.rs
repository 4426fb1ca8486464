//! The packet filter as the kernel has it: nftables (`nft -j list ruleset`, JSON) or legacy
//! iptables (`iptables-save`), plus the front ends ufw and firewalld.
//!
//! "Enabled" means: some inbound packets are dropped or rejected — an input chain's policy
//! is `drop`, or a rule reachable from an input chain drops or rejects. A ruleset that only
//! accepts filters nothing.

use crate::keys;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

use praxcheck_model::{Confidence, FactValue, FirewallRule, UnknownReason, UnknownSaid};
use serde_json::Value;

use super::Ctx;
use crate::facts::{Facts, command, file};
use crate::ports;

/// What a ruleset says about inbound traffic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Input base chains: (location, policy).
    pub input_chains: Vec<(String, String)>,
    /// Whether some inbound packets are dropped or rejected.
    pub filtering: bool,
    /// The effective default for inbound packets (`drop` when any input chain drops).
    pub default_inbound: Option<String>,
    /// Accept rules, reachable from input, that open remote-access ports.
    pub remote_rules: Vec<FirewallRule>,
    /// Number of rules in the ruleset.
    pub rule_count: usize,
}

#[derive(Debug, Default, Clone)]
struct RuleFacts {
    verdict: Option<String>,
    target: Option<String>,
    ports: Vec<String>,
    has_port_match: bool,
    protocol: Option<String>,
    loopback_only: bool,
    conntrack_only: bool,
    remote: Option<String>,
}

fn port_specs(v: &Value) -> Vec<String> {
    match v {
        Value::Number(n) => vec![n.to_string()],
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().flat_map(port_specs).collect(),
        Value::Object(o) => {
            if let Some(r) = o.get("range").and_then(Value::as_array)
                && r.len() == 2
            {
                return vec![format!("{}-{}", r[0], r[1])];
            }
            if let Some(s) = o.get("set") {
                return port_specs(s);
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => a.iter().map(value_text).collect::<Vec<_>>().join(","),
        Value::Object(o) => {
            if let Some(p) = o.get("prefix") {
                format!(
                    "{}/{}",
                    p.get("addr").map(value_text).unwrap_or_default(),
                    p.get("len").map(value_text).unwrap_or_default()
                )
            } else if let Some(s) = o.get("set") {
                value_text(s)
            } else if let Some(r) = o.get("range") {
                value_text(r).replace(',', "-")
            } else {
                v.to_string()
            }
        }
        _ => String::new(),
    }
}

fn nft_rule_facts(expr: &[Value]) -> RuleFacts {
    let mut r = RuleFacts::default();
    for e in expr {
        let Some(obj) = e.as_object() else { continue };
        for verdict in ["accept", "drop", "reject", "return", "queue"] {
            if obj.contains_key(verdict) {
                r.verdict = Some(verdict.to_owned());
            }
        }
        for j in ["jump", "goto"] {
            if let Some(t) = obj
                .get(j)
                .and_then(|x| x.get("target"))
                .and_then(Value::as_str)
            {
                r.verdict = Some(j.to_owned());
                r.target = Some(t.to_owned());
            }
        }
        let Some(m) = obj.get("match") else { continue };
        let left = m.get("left").unwrap_or(&Value::Null);
        let right = m.get("right").unwrap_or(&Value::Null);
        if let Some(p) = left.get("payload") {
            let field = p.get("field").and_then(Value::as_str).unwrap_or("");
            let proto = p.get("protocol").and_then(Value::as_str).unwrap_or("");
            if field == "dport" {
                r.has_port_match = true;
                r.ports.extend(port_specs(right));
                if proto == "tcp" || proto == "udp" {
                    r.protocol = Some(proto.to_owned());
                }
            } else if field == "saddr" {
                r.remote = Some(value_text(right));
            }
        } else if let Some(meta) = left.get("meta") {
            let key = meta.get("key").and_then(Value::as_str).unwrap_or("");
            if (key == "iifname" || key == "iif") && value_text(right) == "lo" {
                r.loopback_only = true;
            }
            if key == "l4proto" {
                r.protocol = Some(value_text(right));
            }
        } else if let Some(ct) = left.get("ct")
            && ct.get("key").and_then(Value::as_str) == Some("state")
            && !value_text(right).contains("new")
        {
            r.conntrack_only = true;
        }
    }
    r
}

/// Follows jumps from the input base chains and summarises (shared by nft and iptables).
fn summarise(
    bases: Vec<(String, String)>,
    rules: &BTreeMap<String, Vec<RuleFacts>>,
    rule_count: usize,
    chain_key: impl Fn(&str, &str) -> String,
) -> Summary {
    let mut s = Summary {
        rule_count,
        ..Summary::default()
    };
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<String> = bases.iter().map(|(loc, _)| loc.clone()).collect();
    while let Some(chain) = queue.pop_front() {
        if !seen.insert(chain.clone()) {
            continue;
        }
        for r in rules.get(&chain).map(Vec::as_slice).unwrap_or(&[]) {
            match r.verdict.as_deref() {
                Some("drop" | "reject") => s.filtering = true,
                Some("jump" | "goto") => {
                    if let Some(t) = &r.target {
                        queue.push_back(chain_key(&chain, t));
                    }
                }
                Some("accept") if !r.loopback_only && !r.conntrack_only => {
                    let services = if r.has_port_match {
                        ports::services_of_specs(&r.ports)
                    } else {
                        ports::all_services()
                    };
                    if !services.is_empty() {
                        s.remote_rules.push(FirewallRule {
                            location: chain.clone(),
                            display_name: None,
                            direction: "inbound".into(),
                            action: "allow".into(),
                            protocol: r.protocol.clone().unwrap_or_else(|| "any".into()),
                            ports: if r.has_port_match {
                                r.ports.clone()
                            } else {
                                vec!["any".into()]
                            },
                            remote: r.remote.clone().unwrap_or_else(|| "any".into()),
                            profiles: Vec::new(),
                            services,
                        });
                    }
                }
                _ => {}
            }
        }
    }
    let any_drop_policy = bases
        .iter()
        .any(|(_, p)| p == "drop" || p == "DROP" || p == "reject");
    if any_drop_policy {
        s.filtering = true;
    }
    s.default_inbound = Some(if any_drop_policy {
        "drop".to_owned()
    } else {
        "accept".to_owned()
    });
    s.input_chains = bases;
    s
}

/// Parses `nft -j list ruleset`.
///
/// # Errors
/// When the text is not nftables JSON.
pub fn parse_nft(json: &str) -> Result<Summary, String> {
    let v: Value = serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
    let items = v
        .get("nftables")
        .and_then(Value::as_array)
        .ok_or("no \"nftables\" array")?;
    let key = |family: &str, table: &str, chain: &str| format!("{family} {table}/{chain}");
    let mut bases = Vec::new();
    let mut rules: BTreeMap<String, Vec<RuleFacts>> = BTreeMap::new();
    let mut count = 0;
    for it in items {
        if let Some(c) = it.get("chain") {
            let s = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("");
            if s("hook") == "input" && (s("type") == "filter" || s("type").is_empty()) {
                let policy = if s("policy").is_empty() {
                    "accept"
                } else {
                    s("policy")
                };
                bases.push((key(s("family"), s("table"), s("name")), policy.to_owned()));
            }
        } else if let Some(r) = it.get("rule") {
            count += 1;
            let s = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("");
            let expr = r
                .get("expr")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            rules
                .entry(key(s("family"), s("table"), s("chain")))
                .or_default()
                .push(nft_rule_facts(expr));
        }
    }
    Ok(summarise(bases, &rules, count, |from, target| {
        // Jumps stay within the table: "inet filter/input" → "inet filter/<target>".
        let table = from.rsplit_once('/').map_or(from, |(t, _)| t);
        format!("{table}/{target}")
    }))
}

/// Parses `iptables-save` (the `filter` table).
#[must_use]
pub fn parse_iptables_save(text: &str) -> Summary {
    let mut in_filter = false;
    let mut bases = Vec::new();
    let mut rules: BTreeMap<String, Vec<RuleFacts>> = BTreeMap::new();
    let mut count = 0;
    for line in text.lines() {
        let line = line.trim();
        if let Some(t) = line.strip_prefix('*') {
            in_filter = t == "filter";
            continue;
        }
        if !in_filter {
            continue;
        }
        if let Some(c) = line.strip_prefix(':') {
            let mut it = c.split_whitespace();
            if let (Some(name), Some(policy)) = (it.next(), it.next())
                && name == "INPUT"
            {
                bases.push((name.to_owned(), policy.to_ascii_lowercase()));
            }
            continue;
        }
        let Some(rest) = line.strip_prefix("-A ") else {
            continue;
        };
        count += 1;
        let toks: Vec<&str> = rest.split_whitespace().collect();
        let chain = toks.first().copied().unwrap_or("").to_owned();
        let mut r = RuleFacts::default();
        let mut i = 1;
        while i < toks.len() {
            let next = toks.get(i + 1).copied().unwrap_or("");
            match toks[i] {
                "-j" | "-g" => {
                    match next {
                        "ACCEPT" => r.verdict = Some("accept".into()),
                        "DROP" => r.verdict = Some("drop".into()),
                        "REJECT" => r.verdict = Some("reject".into()),
                        "RETURN" => r.verdict = Some("return".into()),
                        "LOG" | "" => {}
                        t => {
                            r.verdict = Some("jump".into());
                            r.target = Some(t.to_owned());
                        }
                    }
                    i += 1;
                }
                "-i" => {
                    r.loopback_only = next == "lo";
                    i += 1;
                }
                "-p" => {
                    r.protocol = Some(next.to_owned());
                    i += 1;
                }
                "-s" => {
                    r.remote = Some(next.to_owned());
                    i += 1;
                }
                "--dport" | "--dports" | "--destination-port" | "--destination-ports" => {
                    r.has_port_match = true;
                    r.ports.extend(next.split(',').map(|p| p.replace(':', "-")));
                    i += 1;
                }
                "--ctstate" | "--state" => {
                    if !next.contains("NEW") {
                        r.conntrack_only = true;
                    }
                    i += 1;
                }
                _ => {}
            }
            i += 1;
        }
        rules.entry(chain).or_default().push(r);
    }
    summarise(bases, &rules, count, |_, t| t.to_owned())
}

fn present(ctx: &Ctx<'_>, names: &[&str]) -> bool {
    names.iter().any(|n| {
        ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
            .iter()
            .any(|d| ctx.fs.exists(&format!("{d}/{n}")))
    })
}

fn summary_facts(f: &mut Facts, s: &Summary, backend: &str, src: &str) {
    let srcs = vec![command(src)];
    f.put(
        keys::FIREWALL_BACKEND,
        FactValue::Text(backend.to_owned()),
        Confidence::High,
        srcs.clone(),
    );
    f.put_noted(
        keys::FIREWALL_ENABLED,
        FactValue::Bool(s.filtering),
        Confidence::High,
        srcs.clone(),
        format!(
            "{} rules; input chains: {}",
            s.rule_count,
            if s.input_chains.is_empty() {
                "none".to_owned()
            } else {
                s.input_chains
                    .iter()
                    .map(|(c, p)| format!("{c} (policy {p})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ),
    );
    if let Some(d) = &s.default_inbound {
        f.put(
            keys::FIREWALL_DEFAULT_INBOUND,
            FactValue::Text(d.clone()),
            Confidence::High,
            srcs.clone(),
        );
    }
    f.put(
        keys::FIREWALL_INBOUND_REMOTE_ACCESS_RULES,
        FactValue::FirewallRules(s.remote_rules.clone()),
        Confidence::High,
        srcs,
    );
}

fn denied(out: &crate::exec::CmdOutput) -> bool {
    let e = out.stderr_text();
    e.contains("Operation not permitted") || e.contains("Permission denied")
}

/// `firewall.*` facts.
#[must_use]
pub fn collect(ctx: &Ctx<'_>) -> Facts {
    let mut f = Facts::new();
    let mut tools = Vec::new();
    let has_nft = present(ctx, &["nft"]);
    let has_ipt = present(ctx, &["iptables-save", "iptables-legacy-save"]);
    if has_nft {
        tools.push("nftables".to_owned());
    }
    if has_ipt {
        tools.push("iptables".to_owned());
    }
    // Front ends.
    let mut frontends = Vec::new();
    if let Ok(t) = ctx.fs.text("/etc/ufw/ufw.conf") {
        let enabled = super::parse_env_file(&t)
            .iter()
            .any(|(k, v)| k == "ENABLED" && v.eq_ignore_ascii_case("yes"));
        frontends.push(format!(
            "ufw ({})",
            if enabled {
                "enabled in /etc/ufw/ufw.conf"
            } else {
                "disabled in /etc/ufw/ufw.conf"
            }
        ));
    }
    if ctx.fs.exists("/usr/sbin/firewalld") || ctx.fs.is_dir("/etc/firewalld") {
        frontends.push(format!(
            "firewalld ({})",
            if ctx.base.running("firewalld") {
                "running"
            } else {
                "not running"
            }
        ));
    }
    f.put(
        keys::FIREWALL_TOOLS,
        FactValue::List(tools),
        Confidence::High,
        vec![file("/usr/sbin/nft"), file("/usr/sbin/iptables-save")],
    );
    f.put(
        keys::FIREWALL_FRONTENDS,
        FactValue::List(frontends),
        Confidence::High,
        vec![file("/etc/ufw/ufw.conf"), file("/etc/firewalld")],
    );
    let mut nft_summary: Option<Summary> = None;
    let nft_cmd = "nft -j list ruleset";
    if has_nft {
        match ctx
            .exec
            .run("nft", &["-j", "list", "ruleset"], ctx.timeout())
        {
            Ok(out) if out.success() => match parse_nft(&out.stdout_text()) {
                Ok(s) => nft_summary = Some(s),
                Err(e) => f.unknown(
                    keys::FIREWALL_ENABLED,
                    UnknownReason::ParseError,
                    UnknownSaid::NotUnderstood {
                        source: nft_cmd.into(),
                    },
                    format!("{nft_cmd}: {e}"),
                    vec![command(nft_cmd)],
                ),
            },
            Ok(out) if denied(&out) => f.unknown(
                keys::FIREWALL_ENABLED,
                UnknownReason::NeedsPrivilege,
                UnknownSaid::CommandFailed {
                    command: nft_cmd.into(),
                },
                format!("{nft_cmd}: {}", out.stderr_text()),
                vec![command(nft_cmd)],
            ),
            Ok(out) => f.unknown(
                keys::FIREWALL_ENABLED,
                UnknownReason::Unreadable,
                UnknownSaid::CommandFailed {
                    command: nft_cmd.into(),
                },
                format!("{nft_cmd}: exit {:?}: {}", out.status, out.stderr_text()),
                vec![command(nft_cmd)],
            ),
            Err(e) => f.unknown_exec(keys::FIREWALL_ENABLED, nft_cmd, &e, vec![command(nft_cmd)]),
        }
    }
    // Legacy iptables rules live outside nftables; read them when nft is missing or shows
    // nothing.
    let nft_empty = nft_summary.as_ref().is_some_and(|s| s.rule_count == 0);
    if has_ipt && (!has_nft || nft_empty) {
        let prog = if present(ctx, &["iptables-legacy-save"]) && has_nft {
            "iptables-legacy-save"
        } else {
            "iptables-save"
        };
        match ctx.exec.run(prog, &[], ctx.timeout()) {
            Ok(out) if out.success() => {
                let s = parse_iptables_save(&out.stdout_text());
                if s.rule_count > 0 || nft_summary.is_none() {
                    summary_facts(&mut f, &s, "iptables", prog);
                    return f;
                }
            }
            Ok(out) if denied(&out) && nft_summary.is_none() => f.unknown(
                keys::FIREWALL_ENABLED,
                UnknownReason::NeedsPrivilege,
                UnknownSaid::CommandFailed {
                    command: prog.into(),
                },
                format!("{prog}: {}", out.stderr_text()),
                vec![command(prog)],
            ),
            _ => {}
        }
    }
    if let Some(s) = nft_summary {
        summary_facts(&mut f, &s, "nftables", nft_cmd);
    } else if !has_nft && !has_ipt {
        f.put_noted(
            keys::FIREWALL_ENABLED,
            FactValue::Bool(false),
            Confidence::Low,
            vec![file("/usr/sbin/nft"), file("/usr/sbin/iptables-save")],
            "no packet filter tool is installed (nft, iptables), so no rules can have been loaded by the usual means; the ruleset itself could not be listed",
        );
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nft_drop_policy_with_ssh_and_jump() {
        let j = r#"{"nftables":[{"metainfo":{"version":"1.0.6","json_schema_version":1}},
        {"table":{"family":"inet","name":"filter","handle":1}},
        {"chain":{"family":"inet","table":"filter","name":"input","handle":1,"type":"filter","hook":"input","prio":0,"policy":"drop"}},
        {"chain":{"family":"inet","table":"filter","name":"remote","handle":2}},
        {"rule":{"family":"inet","table":"filter","chain":"input","handle":3,"expr":[{"match":{"op":"==","left":{"meta":{"key":"iifname"}},"right":"lo"}},{"accept":null}]}},
        {"rule":{"family":"inet","table":"filter","chain":"input","handle":4,"expr":[{"match":{"op":"in","left":{"ct":{"key":"state"}},"right":["established","related"]}},{"accept":null}]}},
        {"rule":{"family":"inet","table":"filter","chain":"input","handle":5,"expr":[{"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":22}},{"accept":null}]}},
        {"rule":{"family":"inet","table":"filter","chain":"input","handle":6,"expr":[{"jump":{"target":"remote"}}]}},
        {"rule":{"family":"inet","table":"filter","chain":"remote","handle":7,"expr":[{"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"saddr"}},"right":{"prefix":{"addr":"192.168.1.0","len":24}}}},{"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":{"set":[3389,{"range":[5900,5903]}]}}},{"accept":null}]}}]}"#;
        let s = parse_nft(j).unwrap();
        assert!(s.filtering);
        assert_eq!(s.default_inbound.as_deref(), Some("drop"));
        assert_eq!(s.remote_rules.len(), 2);
        assert_eq!(s.remote_rules[0].services, ["ssh"]);
        assert_eq!(s.remote_rules[1].services, ["rdp", "vnc"]);
        assert_eq!(s.remote_rules[1].remote, "192.168.1.0/24");
        assert_eq!(s.remote_rules[1].location, "inet filter/remote");
    }

    #[test]
    fn nft_empty_and_accept_only() {
        let s = parse_nft(r#"{"nftables":[{"metainfo":{"version":"1.0.6"}}]}"#).unwrap();
        assert!(!s.filtering);
        assert_eq!(s.default_inbound.as_deref(), Some("accept"));
        assert!(s.input_chains.is_empty());
        assert!(parse_nft("{}").is_err());
    }

    #[test]
    fn iptables_save_with_ufw_chains() {
        let t = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:ufw-user-input - [0:0]\n\
                 -A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n\
                 -A INPUT -j ufw-user-input\n-A ufw-user-input -p tcp -m multiport --dports 3389,5900:5903 -j ACCEPT\nCOMMIT\n\
                 *nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp --dport 22 -j ACCEPT\nCOMMIT\n";
        let s = parse_iptables_save(t);
        assert!(s.filtering);
        assert_eq!(s.remote_rules.len(), 1);
        assert_eq!(s.remote_rules[0].ports, ["3389", "5900-5903"]);
        assert_eq!(s.remote_rules[0].services, ["rdp", "vnc"]);
        assert_eq!(s.rule_count, 4);
    }
}
