//! Every host fact key the host collector writes, with its value type: one constant per
//! key, so a misspelt key at a call site is a compile error (issue 10 step 5). Rules
//! address facts by these keys; `docs/host-facts.md` describes each with its sources per
//! platform and its confidence (the hostscan test `the_documentation_lists_every_key`
//! checks the document against [`KEYS`]; the app test
//! `invariants::kbv_fact_keys_are_collected_or_asked` checks `kbv.json` against them).

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

/// `host.privileged`
pub const HOST_PRIVILEGED: &str = "host.privileged";
/// `host.facts_needing_privilege`
pub const HOST_FACTS_NEEDING_PRIVILEGE: &str = "host.facts_needing_privilege";
/// `os.family`
pub const OS_FAMILY: &str = "os.family";
/// `os.name`
pub const OS_NAME: &str = "os.name";
/// `os.id`
pub const OS_ID: &str = "os.id";
/// `os.version`
pub const OS_VERSION: &str = "os.version";
/// `os.point_release`
pub const OS_POINT_RELEASE: &str = "os.point_release";
/// `os.kernel`
pub const OS_KERNEL: &str = "os.kernel";
/// `os.build`
pub const OS_BUILD: &str = "os.build";
/// `os.edition`
pub const OS_EDITION: &str = "os.edition";
/// `os.release`
pub const OS_RELEASE: &str = "os.release";
/// `os.last_boot`
pub const OS_LAST_BOOT: &str = "os.last_boot";
/// `os.eol_cycle`
pub const OS_EOL_CYCLE: &str = "os.eol_cycle";
/// `os.end_of_life`
pub const OS_END_OF_LIFE: &str = "os.end_of_life";
/// `os.end_of_extended_support`
pub const OS_END_OF_EXTENDED_SUPPORT: &str = "os.end_of_extended_support";
/// `os.extended_support_kind`
pub const OS_EXTENDED_SUPPORT_KIND: &str = "os.extended_support_kind";
/// `os.days_until_end_of_life`
pub const OS_DAYS_UNTIL_END_OF_LIFE: &str = "os.days_until_end_of_life";
/// `updates.last_installed`
pub const UPDATES_LAST_INSTALLED: &str = "updates.last_installed";
/// `updates.days_since_last_installed`
pub const UPDATES_DAYS_SINCE_LAST_INSTALLED: &str = "updates.days_since_last_installed";
/// `updates.last_check`
pub const UPDATES_LAST_CHECK: &str = "updates.last_check";
/// `updates.hotfix_count`
pub const UPDATES_HOTFIX_COUNT: &str = "updates.hotfix_count";
/// `updates.pending_count`
pub const UPDATES_PENDING_COUNT: &str = "updates.pending_count";
/// `updates.pending_security_count`
pub const UPDATES_PENDING_SECURITY_COUNT: &str = "updates.pending_security_count";
/// `updates.pending_security`
pub const UPDATES_PENDING_SECURITY: &str = "updates.pending_security";
/// `updates.reboot_required`
pub const UPDATES_REBOOT_REQUIRED: &str = "updates.reboot_required";
/// `updates.automatic`
pub const UPDATES_AUTOMATIC: &str = "updates.automatic";
/// `firewall.enabled`
pub const FIREWALL_ENABLED: &str = "firewall.enabled";
/// `firewall.default_inbound`
pub const FIREWALL_DEFAULT_INBOUND: &str = "firewall.default_inbound";
/// `firewall.backend`
pub const FIREWALL_BACKEND: &str = "firewall.backend";
/// `firewall.tools`
pub const FIREWALL_TOOLS: &str = "firewall.tools";
/// `firewall.frontends`
pub const FIREWALL_FRONTENDS: &str = "firewall.frontends";
/// `firewall.profile.domain.enabled`
pub const FIREWALL_PROFILE_DOMAIN_ENABLED: &str = "firewall.profile.domain.enabled";
/// `firewall.profile.private.enabled`
pub const FIREWALL_PROFILE_PRIVATE_ENABLED: &str = "firewall.profile.private.enabled";
/// `firewall.profile.public.enabled`
pub const FIREWALL_PROFILE_PUBLIC_ENABLED: &str = "firewall.profile.public.enabled";
/// `firewall.profile.domain.default_inbound`
pub const FIREWALL_PROFILE_DOMAIN_DEFAULT_INBOUND: &str = "firewall.profile.domain.default_inbound";
/// `firewall.profile.private.default_inbound`
pub const FIREWALL_PROFILE_PRIVATE_DEFAULT_INBOUND: &str =
    "firewall.profile.private.default_inbound";
/// `firewall.profile.public.default_inbound`
pub const FIREWALL_PROFILE_PUBLIC_DEFAULT_INBOUND: &str = "firewall.profile.public.default_inbound";
/// `firewall.inbound_remote_access_rules`
pub const FIREWALL_INBOUND_REMOTE_ACCESS_RULES: &str = "firewall.inbound_remote_access_rules";
/// `listening.services`
pub const LISTENING_SERVICES: &str = "listening.services";
/// `listening.owners_complete`
pub const LISTENING_OWNERS_COMPLETE: &str = "listening.owners_complete";
/// `remote.rdp.enabled`
pub const REMOTE_RDP_ENABLED: &str = "remote.rdp.enabled";
/// `remote.rdp.nla`
pub const REMOTE_RDP_NLA: &str = "remote.rdp.nla";
/// `remote.rdp.port`
pub const REMOTE_RDP_PORT: &str = "remote.rdp.port";
/// `remote.ssh.installed`
pub const REMOTE_SSH_INSTALLED: &str = "remote.ssh.installed";
/// `remote.ssh.running`
pub const REMOTE_SSH_RUNNING: &str = "remote.ssh.running";
/// `remote.ssh.password_authentication`
pub const REMOTE_SSH_PASSWORD_AUTHENTICATION: &str = "remote.ssh.password_authentication";
/// `remote.ssh.kbd_interactive_authentication`
pub const REMOTE_SSH_KBD_INTERACTIVE_AUTHENTICATION: &str =
    "remote.ssh.kbd_interactive_authentication";
/// `remote.ssh.permit_root_login`
pub const REMOTE_SSH_PERMIT_ROOT_LOGIN: &str = "remote.ssh.permit_root_login";
/// `remote.ssh.ports`
pub const REMOTE_SSH_PORTS: &str = "remote.ssh.ports";
/// `remote.tools`
pub const REMOTE_TOOLS: &str = "remote.tools";
/// `remote.smb1.enabled`
pub const REMOTE_SMB1_ENABLED: &str = "remote.smb1.enabled";
/// `shares.list`
pub const SHARES_LIST: &str = "shares.list";
/// `shares.open_to_everyone`
pub const SHARES_OPEN_TO_EVERYONE: &str = "shares.open_to_everyone";
/// `antimalware.present`
pub const ANTIMALWARE_PRESENT: &str = "antimalware.present";
/// `antimalware.products`
pub const ANTIMALWARE_PRODUCTS: &str = "antimalware.products";
/// `antimalware.realtime`
pub const ANTIMALWARE_REALTIME: &str = "antimalware.realtime";
/// `antimalware.signature_age_days`
pub const ANTIMALWARE_SIGNATURE_AGE_DAYS: &str = "antimalware.signature_age_days";
/// `screenlock.enabled`
pub const SCREENLOCK_ENABLED: &str = "screenlock.enabled";
/// `screenlock.timeout_seconds`
pub const SCREENLOCK_TIMEOUT_SECONDS: &str = "screenlock.timeout_seconds";
/// `logon.autologon`
pub const LOGON_AUTOLOGON: &str = "logon.autologon";
/// `logon.autologon_user`
pub const LOGON_AUTOLOGON_USER: &str = "logon.autologon_user";
/// `logon.autologon_password_stored`
pub const LOGON_AUTOLOGON_PASSWORD_STORED: &str = "logon.autologon_password_stored";
/// `disk.system_encrypted`
pub const DISK_SYSTEM_ENCRYPTED: &str = "disk.system_encrypted";
/// `disk.volumes`
pub const DISK_VOLUMES: &str = "disk.volumes";
/// `accounts.empty_password`
pub const ACCOUNTS_EMPTY_PASSWORD: &str = "accounts.empty_password";
/// `accounts.password_not_required`
pub const ACCOUNTS_PASSWORD_NOT_REQUIRED: &str = "accounts.password_not_required";
/// `accounts.admins`
pub const ACCOUNTS_ADMINS: &str = "accounts.admins";
/// `accounts.current_user_is_admin`
pub const ACCOUNTS_CURRENT_USER_IS_ADMIN: &str = "accounts.current_user_is_admin";
/// `backup.found`
pub const BACKUP_FOUND: &str = "backup.found";
/// `backup.newest`
pub const BACKUP_NEWEST: &str = "backup.newest";
/// `backup.newest_age_days`
pub const BACKUP_NEWEST_AGE_DAYS: &str = "backup.newest_age_days";
/// `backup.newest_target_attached_now`
pub const BACKUP_NEWEST_TARGET_ATTACHED_NOW: &str = "backup.newest_target_attached_now";
/// `backup.detached_targets`
pub const BACKUP_DETACHED_TARGETS: &str = "backup.detached_targets";
/// `backup.tools`
pub const BACKUP_TOOLS: &str = "backup.tools";
/// `backup.targets`
pub const BACKUP_TARGETS: &str = "backup.targets";
/// `backup.config`
pub const BACKUP_CONFIG: &str = "backup.config";
/// `backup.windows_server_backup`
pub const BACKUP_WINDOWS_SERVER_BACKUP: &str = "backup.windows_server_backup";
/// `software.package_count`
pub const SOFTWARE_PACKAGE_COUNT: &str = "software.package_count";
/// `software.java_runtimes`
pub const SOFTWARE_JAVA_RUNTIMES: &str = "software.java_runtimes";
/// `software.products`
pub const SOFTWARE_PRODUCTS: &str = "software.products";
/// `network.default_gateways`
pub const NETWORK_DEFAULT_GATEWAYS: &str = "network.default_gateways";
/// `network.local_networks`
pub const NETWORK_LOCAL_NETWORKS: &str = "network.local_networks";
/// `ti.connector_address`
pub const TI_CONNECTOR_ADDRESS: &str = "ti.connector_address";
/// `ti.connector_is_default_gateway`
pub const TI_CONNECTOR_IS_DEFAULT_GATEWAY: &str = "ti.connector_is_default_gateway";
/// `ti.connector_in_local_network`
pub const TI_CONNECTOR_IN_LOCAL_NETWORK: &str = "ti.connector_in_local_network";
/// `ti.mode`
pub const TI_MODE: &str = "ti.mode";

/// All keys, grouped by area.
pub const KEYS: &[Key] = &[
    k(HOST_PRIVILEGED, "bool", "both"),
    k(HOST_FACTS_NEEDING_PRIVILEGE, "list", "both"),
    k(OS_FAMILY, "text", "both"),
    k(OS_NAME, "text", "both"),
    k(OS_ID, "text", "both"),
    k(OS_VERSION, "text", "both"),
    k(OS_POINT_RELEASE, "text", "linux"),
    k(OS_KERNEL, "text", "linux"),
    k(OS_BUILD, "int", "windows"),
    k(OS_EDITION, "text", "windows"),
    k(OS_RELEASE, "text", "windows"),
    k(OS_LAST_BOOT, "timestamp", "windows"),
    k(OS_EOL_CYCLE, "text", "both"),
    k(OS_END_OF_LIFE, "date", "both"),
    k(OS_END_OF_EXTENDED_SUPPORT, "date", "both"),
    k(OS_EXTENDED_SUPPORT_KIND, "text", "both"),
    k(OS_DAYS_UNTIL_END_OF_LIFE, "int", "both"),
    k(UPDATES_LAST_INSTALLED, "timestamp", "both"),
    k(UPDATES_DAYS_SINCE_LAST_INSTALLED, "int", "both"),
    k(UPDATES_LAST_CHECK, "timestamp", "both"),
    k(UPDATES_HOTFIX_COUNT, "int", "windows"),
    k(UPDATES_PENDING_COUNT, "int", "both"),
    k(UPDATES_PENDING_SECURITY_COUNT, "int", "both"),
    k(UPDATES_PENDING_SECURITY, "list", "both"),
    k(UPDATES_REBOOT_REQUIRED, "bool", "both"),
    k(UPDATES_AUTOMATIC, "bool", "both"),
    k(FIREWALL_ENABLED, "bool", "both"),
    k(FIREWALL_DEFAULT_INBOUND, "text", "both"),
    k(FIREWALL_BACKEND, "text", "both"),
    k(FIREWALL_TOOLS, "list", "linux"),
    k(FIREWALL_FRONTENDS, "list", "linux"),
    k(FIREWALL_PROFILE_DOMAIN_ENABLED, "bool", "windows"),
    k(FIREWALL_PROFILE_PRIVATE_ENABLED, "bool", "windows"),
    k(FIREWALL_PROFILE_PUBLIC_ENABLED, "bool", "windows"),
    k(FIREWALL_PROFILE_DOMAIN_DEFAULT_INBOUND, "text", "windows"),
    k(FIREWALL_PROFILE_PRIVATE_DEFAULT_INBOUND, "text", "windows"),
    k(FIREWALL_PROFILE_PUBLIC_DEFAULT_INBOUND, "text", "windows"),
    k(
        FIREWALL_INBOUND_REMOTE_ACCESS_RULES,
        "firewall_rules",
        "both",
    ),
    k(LISTENING_SERVICES, "services", "both"),
    k(LISTENING_OWNERS_COMPLETE, "bool", "both"),
    k(REMOTE_RDP_ENABLED, "bool", "both"),
    k(REMOTE_RDP_NLA, "bool", "windows"),
    k(REMOTE_RDP_PORT, "int", "windows"),
    k(REMOTE_SSH_INSTALLED, "bool", "both"),
    k(REMOTE_SSH_RUNNING, "bool", "linux"),
    k(REMOTE_SSH_PASSWORD_AUTHENTICATION, "bool", "linux"),
    k(REMOTE_SSH_KBD_INTERACTIVE_AUTHENTICATION, "bool", "linux"),
    k(REMOTE_SSH_PERMIT_ROOT_LOGIN, "text", "linux"),
    k(REMOTE_SSH_PORTS, "list", "linux"),
    k(REMOTE_TOOLS, "remote_tools", "both"),
    k(REMOTE_SMB1_ENABLED, "bool", "both"),
    k(SHARES_LIST, "shares", "both"),
    k(SHARES_OPEN_TO_EVERYONE, "list", "both"),
    k(ANTIMALWARE_PRESENT, "bool", "both"),
    k(ANTIMALWARE_PRODUCTS, "antimalware", "both"),
    k(ANTIMALWARE_REALTIME, "bool", "both"),
    k(ANTIMALWARE_SIGNATURE_AGE_DAYS, "int", "both"),
    k(SCREENLOCK_ENABLED, "bool", "both"),
    k(SCREENLOCK_TIMEOUT_SECONDS, "int", "both"),
    k(LOGON_AUTOLOGON, "bool", "both"),
    k(LOGON_AUTOLOGON_USER, "text", "both"),
    k(LOGON_AUTOLOGON_PASSWORD_STORED, "bool", "windows"),
    k(DISK_SYSTEM_ENCRYPTED, "bool", "both"),
    k(DISK_VOLUMES, "volumes", "both"),
    k(ACCOUNTS_EMPTY_PASSWORD, "list", "linux"),
    k(ACCOUNTS_PASSWORD_NOT_REQUIRED, "list", "windows"),
    k(ACCOUNTS_ADMINS, "accounts", "both"),
    k(ACCOUNTS_CURRENT_USER_IS_ADMIN, "bool", "windows"),
    k(BACKUP_FOUND, "bool", "both"),
    k(BACKUP_NEWEST, "timestamp", "both"),
    k(BACKUP_NEWEST_AGE_DAYS, "int", "both"),
    k(BACKUP_NEWEST_TARGET_ATTACHED_NOW, "bool", "both"),
    k(BACKUP_DETACHED_TARGETS, "int", "both"),
    k(BACKUP_TOOLS, "backup_tools", "both"),
    k(BACKUP_TARGETS, "backup_targets", "both"),
    k(BACKUP_CONFIG, "text", "both"),
    k(BACKUP_WINDOWS_SERVER_BACKUP, "unknown", "windows"),
    k(SOFTWARE_PACKAGE_COUNT, "int", "both"),
    k(SOFTWARE_JAVA_RUNTIMES, "list", "both"),
    k(SOFTWARE_PRODUCTS, "list", "both"),
    k(NETWORK_DEFAULT_GATEWAYS, "list", "both"),
    k(NETWORK_LOCAL_NETWORKS, "list", "both"),
    k(TI_CONNECTOR_ADDRESS, "text", "both"),
    k(TI_CONNECTOR_IS_DEFAULT_GATEWAY, "bool", "both"),
    k(TI_CONNECTOR_IN_LOCAL_NETWORK, "bool", "both"),
    k(TI_MODE, "text", "both"),
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
