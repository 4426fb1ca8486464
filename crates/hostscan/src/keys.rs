//! Every fact key the host collector writes, with its value type. Rules address facts by
//! these keys; `docs/host-facts.md` describes each with its sources per platform and its
//! confidence (a test checks that the document lists every key).

/// A fact key and the type of its value (`FactValue` tag; `unknown` is always possible).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The dotted key.
    pub key: &'static str,
    /// The value type (`bool`, `int`, `text`, `date`, `timestamp`, `list`, or a record list).
    pub value_type: &'static str,
    /// Platforms that write it (`linux`, `windows`, `both`).
    pub platforms: &'static str,
}

const fn k(key: &'static str, value_type: &'static str, platforms: &'static str) -> Key {
    Key {
        key,
        value_type,
        platforms,
    }
}

/// All keys, grouped by area.
pub const KEYS: &[Key] = &[
    k("host.privileged", "bool", "both"),
    k("host.facts_needing_privilege", "list", "both"),
    k("os.family", "text", "both"),
    k("os.name", "text", "both"),
    k("os.id", "text", "both"),
    k("os.version", "text", "both"),
    k("os.point_release", "text", "linux"),
    k("os.kernel", "text", "linux"),
    k("os.build", "int", "windows"),
    k("os.edition", "text", "windows"),
    k("os.release", "text", "windows"),
    k("os.last_boot", "timestamp", "windows"),
    k("os.eol_cycle", "text", "both"),
    k("os.end_of_life", "date", "both"),
    k("os.end_of_extended_support", "date", "both"),
    k("os.days_until_end_of_life", "int", "both"),
    k("updates.last_installed", "timestamp", "both"),
    k("updates.days_since_last_installed", "int", "both"),
    k("updates.last_check", "timestamp", "both"),
    k("updates.hotfix_count", "int", "windows"),
    k("updates.pending_count", "int", "both"),
    k("updates.pending_security_count", "int", "both"),
    k("updates.pending_security", "list", "both"),
    k("updates.reboot_required", "bool", "both"),
    k("updates.automatic", "bool", "both"),
    k("firewall.enabled", "bool", "both"),
    k("firewall.default_inbound", "text", "both"),
    k("firewall.backend", "text", "both"),
    k("firewall.tools", "list", "linux"),
    k("firewall.frontends", "list", "linux"),
    k("firewall.profile.domain.enabled", "bool", "windows"),
    k("firewall.profile.private.enabled", "bool", "windows"),
    k("firewall.profile.public.enabled", "bool", "windows"),
    k("firewall.profile.domain.default_inbound", "text", "windows"),
    k(
        "firewall.profile.private.default_inbound",
        "text",
        "windows",
    ),
    k("firewall.profile.public.default_inbound", "text", "windows"),
    k(
        "firewall.inbound_remote_access_rules",
        "firewall_rules",
        "both",
    ),
    k("listening.services", "services", "both"),
    k("listening.owners_complete", "bool", "both"),
    k("remote.rdp.enabled", "bool", "both"),
    k("remote.rdp.nla", "bool", "windows"),
    k("remote.rdp.port", "int", "windows"),
    k("remote.ssh.installed", "bool", "both"),
    k("remote.ssh.running", "bool", "linux"),
    k("remote.ssh.password_authentication", "bool", "linux"),
    k("remote.ssh.kbd_interactive_authentication", "bool", "linux"),
    k("remote.ssh.permit_root_login", "text", "linux"),
    k("remote.ssh.ports", "list", "linux"),
    k("remote.tools", "remote_tools", "both"),
    k("remote.smb1.enabled", "bool", "both"),
    k("shares.list", "shares", "both"),
    k("shares.open_to_everyone", "list", "both"),
    k("antimalware.present", "bool", "both"),
    k("antimalware.products", "antimalware", "both"),
    k("antimalware.realtime", "bool", "both"),
    k("antimalware.signature_age_days", "int", "both"),
    k("screenlock.enabled", "bool", "both"),
    k("screenlock.timeout_seconds", "int", "both"),
    k("logon.autologon", "bool", "both"),
    k("logon.autologon_user", "text", "both"),
    k("logon.autologon_password_stored", "bool", "windows"),
    k("disk.system_encrypted", "bool", "both"),
    k("disk.volumes", "volumes", "both"),
    k("accounts.empty_password", "list", "linux"),
    k("accounts.password_not_required", "list", "windows"),
    k("accounts.admins", "accounts", "both"),
    k("accounts.current_user_is_admin", "bool", "windows"),
    k("backup.found", "bool", "both"),
    k("backup.newest", "timestamp", "both"),
    k("backup.newest_age_days", "int", "both"),
    k("backup.newest_target_attached_now", "bool", "both"),
    k("backup.detached_targets", "int", "both"),
    k("backup.tools", "backup_tools", "both"),
    k("backup.targets", "backup_targets", "both"),
    k("backup.config", "text", "both"),
    k("backup.windows_server_backup", "unknown", "windows"),
    k("software.package_count", "int", "both"),
    k("software.java_runtimes", "list", "both"),
    k("software.products", "list", "both"),
    k("network.default_gateways", "list", "both"),
    k("network.local_networks", "list", "both"),
    k("ti.connector_address", "text", "both"),
    k("ti.connector_is_default_gateway", "bool", "both"),
    k("ti.connector_in_local_network", "bool", "both"),
    k("ti.mode", "text", "both"),
];

/// The key's entry.
#[must_use]
pub fn find(key: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique() {
        let mut v: Vec<&str> = KEYS.iter().map(|k| k.key).collect();
        v.sort_unstable();
        let n = v.len();
        v.dedup();
        assert_eq!(v.len(), n);
    }
}
