## praxcheck message catalogue: English. Keys must match de.ftl.

scan-files-unreadable = { $count ->
    [one] One file could not be read completely.
   *[other] { $count } files could not be read completely.
}

## findings (advisories crate)

evidence-kind-pom-properties = version from pom.properties
evidence-kind-manifest = version from MANIFEST.MF
evidence-kind-file-name = version from the file name
evidence-kind-class-fingerprint = version recognised from class file content
evidence-kind-class-marker = version range recognised from class file markers
evidence-kind-class-presence = recognised from the classes present
evidence-kind-package-database = version from the package database
evidence-kind-registry = version from the Windows registry
evidence-kind-other = version from another source
evidence-kind-unknown = version unknown
finding-explain-vulnerable = { $name } { $version } ({ $source }) is in the affected version range of { $rule }.
finding-explain-mitigated = { $name } { $version } ({ $source }) is in the affected version range of { $rule }, but the class it needs, { $class }, is absent: the flaw is mitigated. An update is still needed.
finding-explain-undetermined = The exact version of { $name } cannot be determined ({ $source }: { $version }); some of these versions are affected by { $rule }. Please check by hand or update.
finding-explain-fixed-in = Fixed in: { $fixed }.
finding-remediation-update = Update to a version that fixes the flaw ({ $fixed }), or ask the software's vendor for an update.

## terminal summary (report crate)

summary-title = praxcheck – Java components on { $host }
summary-scanned = Scanned: { $roots } { $roots ->
    [one] location
   *[other] locations
} · { $files } { $files_n ->
    [one] file
   *[other] files
} · { $archives } { $archives_n ->
    [one] archive
   *[other] archives
} · { $seconds } s
summary-components = Components: { $total } (Log4j 2: { $log4j2 } · Log4j 1.x: { $log4j1 } · logback: { $logback })
summary-advisories = Advisories: { $id } version { $version } of { $date }
summary-nothing-open = No open vulnerabilities in the Java components found.
summary-more = … and { $count } more (show all: --all, details: --format json)
summary-open = open:
summary-mitigated = mitigated:
summary-mitigated-only = { $count ->
    [one] One more component is affected but mitigated (JndiLookup removed); an update is still needed.
   *[other] { $count } more components are affected but mitigated (JndiLookup removed); an update is still needed.
}
summary-incomplete = Warning: the check is incomplete – not every folder or file could be read (e.g. missing permissions). Repeat with administrator rights.
summary-result = Result:
severity-critical = critical
severity-high = high
severity-medium = medium
severity-low = low
severity-info = note
status-undetermined = version unclear
reason-permission-denied = permission denied
reason-vanished = disappeared during the scan
reason-changed-during-scan = changed during the scan
reason-not-found = does not exist
reason-io = read error
reason-not-an-archive = not a valid archive
reason-corrupt = corrupt archive
reason-truncated = file is incomplete (truncated)
reason-encrypted = encrypted
reason-unsupported-compression = unsupported compression method
reason-depth-limit = nested too deeply
reason-size-limit = size limit exceeded
reason-recursive = archive contains itself (zip quine)
reason-symlink-loop = symbolic link loop

## command line (cli crate)

error-prefix = error
error-write-output = cannot write the output file
error-read-document = cannot read the document
note-written = Written: { $path }
progress-java = Java archives
advisories-header = Advisory set { $id }, version { $version } of { $date }: { $count } records
help-about = praxcheck – the IT security check for medical practices
help-global-lang = Output language: de or en (default: German, English when LANG asks for it)
help-global-quiet = Print only results, no progress
help-scan = Check this computer (or the given paths)
help-scan-paths = File or folder to check (repeatable); without it: this computer's software locations
help-scan-exclude = File or folder to leave out (repeatable)
help-scan-network_fs = Also enter network filesystems (NFS, SMB, sshfs) below the paths
help-scan-max_depth = Maximum nesting depth of archives inside archives
help-scan-no_processes = Do not look up which running programs use the archives
help-output-format = Output format: overview, text (details), json (document), csv (findings), html, pdf, sbom (CycloneDX), sarif
help-output-output = Write to this file instead of standard output
help-output-fail_on = Exit with code 1 when a finding at or above this severity is open
help-output-all = Show every finding in the overview
help-report = Render stored documents again, assessed with the current advisories
help-report-from = A stored praxcheck JSON document (repeatable)
help-advisories = Show or update the advisories
help-advisories-show = List the loaded advisories

## logs

logs-summary-title = praxcheck – traces of Log4Shell attacks in the logs of { $host }
logs-summary-scanned = Read: { $sources } log { $sources ->
    [one] location
   *[other] locations
} · { $files } { $files ->
    [one] file
   *[other] files
} · { $mb } MB of text · { $seconds } s
logs-summary-source = { $origin }: { $path } ({ $files } { $files ->
    [one] file
   *[other] files
}, { $skipped } skipped)
logs-summary-none = No traces of Log4Shell attacks found.
logs-summary-found = { $count ->
    [one] One trace of a Log4Shell attack found:
   *[other] { $count } traces of Log4Shell attacks found:
}
logs-summary-more = … and { $count } more (all: --all, details: --format json)
logs-evidence-where = { $file }, line { $line }
logs-evidence-when = Time: { $timestamp }
logs-evidence-from = Sender: { $address }
logs-evidence-payload = Decoded attack text: { $payload }
logs-evidence-callback = Calls back to: { $protocol }://{ $host }
obfuscation-case-mixing = mixed upper and lower case
obfuscation-case-lookup = ${"{"}lower:{"}"}/${"{"}upper:{"}"} lookups
obfuscation-dotless-i = Turkish dotless ı for i
obfuscation-default-value = default values (${"{"}…:-x{"}"})
obfuscation-env-lookup = environment lookup (${"{"}env:…{"}"})
obfuscation-sys-lookup = system property lookup (${"{"}sys:…{"}"})
obfuscation-date-lookup = date lookup (${"{"}date:…{"}"})
obfuscation-base64 = Base64 encoding
obfuscation-url-encoding = URL encoding
obfuscation-multiple-url-encoding = multiple URL encoding
obfuscation-unicode-escape = Unicode escapes (\u0024)
obfuscation-octal-escape = octal escapes (\044)
obfuscation-hex-escape = hex escapes (\x24)
obfuscation-html-entity = HTML character references (&#36;)
obfuscation-nested-jndi = nested JNDI
obfuscation-unterminated = not closed
obfuscation-broken-nesting = broken nesting
obfuscation-hash-in-host = "#" in the host name
logs-evidence-disguise = Disguise: { $techniques }
logs-level-payload-seen = Attack attempt
logs-level-payload-seen-explain = Someone tried to exploit the Log4Shell flaw: a crafted text ("{"${"}jndi:…{"}"}") reached this log. The log does not show whether the software evaluated it. If a vulnerable Log4j version was in use at that time, a successful attack must be assumed.
logs-level-lookup-executed = Attack code was executed
logs-level-lookup-executed-explain = The log shows that the vulnerable Log4j function (the JNDI lookup) actually ran and contacted, or tried to contact, the attacker's server. This is a serious sign of a possible compromise.
logs-cannot-prove = Logs can neither prove nor rule out a successful attack; no traces is no all-clear when logs were deleted or rotated away.
logs-next-steps = What to do now: 1. Disconnect the affected computer from the network (unplug the cable, switch off Wi-Fi), but do not switch it off. 2. Call the practice's IT service provider at once and give them this report. 3. Have it checked whether patient data may be affected: a personal data breach must be reported to the data protection supervisory authority within 72 hours under GDPR Art. 33.
logs-next-steps-payload-only = What to do now: ask the IT service provider to check whether a vulnerable Log4j version was running at the time of the attempt (praxcheck scan) and to update the affected software. If signs of execution are found, the steps for "Attack code was executed" apply.
logs-origin-given = Given
logs-origin-system = System logs
logs-origin-tomcat = Tomcat
logs-origin-web-server = Web server
logs-origin-java-application = Java application
logs-error-no-readable-path = None of the given paths could be read
progress-logs = Log files
reason-binary = not a text file (binary data), skipped
help-logs = Search log files for traces of Log4Shell attacks (compressed and zipped ones too)
help-logs-paths = Log file or folder (repeatable); without it: the log folders of this computer's server software
help-logs-exclude = File or folder to leave out (repeatable)
## fix

fix-scanning = Looking for affected archives …
fix-no-root = None of the given paths can be read.
fix-cannot-start = praxcheck fix cannot start
fix-header-dry = praxcheck fix – dry run: nothing is changed.
fix-header-apply = praxcheck fix – applying changes (with backup).
fix-header-undo = praxcheck fix --undo – restoring saved originals.
fix-unreadable-hint = { $count ->
    [one] One file could not be checked
   *[other] { $count } files could not be checked
} and may hold a JndiLookup class: remove the cause (rights, damage) or ask the vendor about it.
fix-nothing-to-do = Nothing to change: no component found needs a class removed.
fix-would-change = Would change: { $path }
fix-changed = Changed: { $path }
fix-remove-line = − { $entry }  ({ $component }: { $rules })
fix-signed = ! Signed archive { $archive } ({ $files }): the signature stays valid for every remaining entry, but the removed class stays listed in the manifest. jarsigner -verify then says "jar verified." with the warning that signed entries are missing; a program that insists on a complete signed archive could reject it.
fix-jarsigner-ok = ✓ jarsigner -verify { $archive }: jar verified. { $warnings }
fix-jarsigner-failed = ✖ jarsigner -verify { $archive }: signature not verified. { $warnings }
fix-jarsigner-missing = Note: jarsigner (from a JDK) is not installed; changed signed archives are then not checked with jarsigner.
fix-warn-in-use = ! In use by { $procs }: will not be changed without --force. Stop the program first.
fix-warn-hard-links = ! The file has { $count } hard links; the other names would keep the old content. It will not be changed without --force.
fix-real-path = (symbolic link; { $path } is changed)
fix-skip-in-use = Not changed: { $path } – in use by { $procs }. Stop the program first, or change it anyway with --force.
fix-skip-hard-links = Not changed: { $path } – the file has { $count } hard links; the other names would keep the old content. Use --force to change it anyway.
fix-skip-signature = Not changed: { $path } – the signature of the changed archive cannot be verified with jarsigner. Use --force to change it anyway.
fix-cannot = Cannot be changed: { $path } – { $reason }
fix-failed = Failed, the original is unchanged: { $path } – { $reason }
fix-loose = Loose class file (not an archive, not changed): { $path } ({ $rules }) – remove it by hand or update the software.
fix-unreadable = Unreadable, not checked: { $path } – { $reason }
fix-backup-line = Backup: { $object } (SHA-256 before { $before }…, after { $after }…)
fix-error-io = Reading or writing { $path } failed ({ $detail })
fix-error-archive = The archive cannot be rewritten safely ({ $detail })
fix-error-verify = The check of the changed archive failed, the original stays ({ $detail })
fix-error-changed = The file changed while it was being fixed; it was left as it is
fix-error-backup-damaged = The saved original { $object } is missing or damaged
fix-error-busy = Another "praxcheck fix" is using the backup folder { $path }
fix-error-manifest = The list of backups { $path } cannot be read ({ $detail })
fix-error-refused = The list of backups { $path } is refused, nothing was changed: { $problem }
fix-error-no-backups = No backups made by "praxcheck fix" are recorded in { $path }
fix-problem-object = record { $id } names a saved file outside objects/
fix-problem-relative = record { $id } does not name a full path
fix-problem-temp = record { $id } names a temporary file that does not lie next to the changed file
fix-problem-owner = { $path } belongs to another user (uid { $owner })
fix-problem-writable = other users can change { $path }
fix-note = Note: { $note }
fix-apply-hint = Apply with: praxcheck fix --yes { $paths }
fix-backup-dir = Backups are kept in: { $dir }
fix-summary-dry = { $files ->
    [one] One archive would be changed
   *[other] { $files } archives would be changed
}, { $classes ->
    [one] one class removed.
   *[other] { $classes } classes removed.
}
fix-summary-apply = Done: { $fixed } changed, { $left } left unchanged, { $failed } failed.
fix-undo-hint = Undo with: praxcheck fix --undo { $paths }
fix-recovered-applied = Interrupted change completed: { $path }
fix-recovered-rolled-back = Interrupted change discarded, the original is unchanged: { $path }
fix-recovered-restored = Interrupted restore completed: { $path }
fix-recovered-undo-rolled-back = Interrupted restore discarded, the file stays changed: { $path }
fix-recovered-unresolved = Attention: { $path } matches neither the original nor the changed version and is left alone.
fix-recovered-temp = Leftover temporary file removed: { $path }
fix-undo-restored = Restored: { $path } (SHA-256 { $sha }…)
fix-undo-replaced = The content that changed since the fix was saved first: { $object }
fix-undo-already = Already the original: { $path }
fix-undo-changed = Not restored: { $path } – the file changed since the fix (for example a vendor update). Use --force to restore it anyway; its current content is saved first.
fix-undo-missing = Not restored: { $path } – the file no longer exists. Use --force to create it again.
fix-undo-in-use = Not restored: { $path } – in use by { $procs }. Stop the program first, or use --force.
fix-undo-failed = Failed: { $path } – { $reason }
fix-undo-nothing = No changes to undo were found.
fix-undo-summary = Done: { $restored } restored, { $left } not.
fix-readme = This folder holds backups made by praxcheck fix: the unchanged originals of changed archives (objects/, named by their SHA-256) and the index manifest.json (path, SHA-256 before and after). Do not delete it while the changes may need undoing: praxcheck fix --undo. praxcheck scan leaves this folder out.
help-fix = Remove JndiLookup (and with --log4j1 risky Log4j 1.x classes) from affected archives – with a backup; without --yes only a dry run
help-fix-paths = File or folder (repeatable); without: this computer's software locations. With --undo: only undo changes at or below these paths
help-fix-yes = Really apply the changes (without: only show what would change)
help-fix-undo = Restore the saved originals byte for byte (refuses files that changed since the fix)
help-fix-log4j1 = Also remove the risky Log4j 1.x classes: JMSAppender, JMSSink, SocketServer, SimpleSocketServer, JDBCAppender, Chainsaw LoggingReceiver
help-fix-force = Also change files that are in use, have hard links or whose signature cannot be verified afterwards; with --undo also restore files that changed or were deleted since the fix
help-fix-backup_dir = Folder for the backups (default: /var/lib/praxcheck/backup as root, else ~/.local/state/praxcheck/backup; Windows: %ProgramData%\praxcheck\backup)
help-fix-exclude = File or folder to leave out (repeatable)
help-fix-max_depth = Maximum nesting depth of archives inside archives

## host

# host collector: sections, fact labels, unknown reasons, summary (cli crate)
host-title = Computer { $host } ({ $platform })
host-yes = yes
host-no = no
host-source = source
host-more = … and { $count } more
host-backup-none = No backup found.
host-backup-unknown = Whether a backup exists could not be determined.
host-unprivileged = Checked without administrator or root rights: { $count ->
    [one] one fact is missing
   *[other] { $count } facts are missing
} ({ $keys }). Run again with these rights to get them.
host-attached = attached
host-detached = detached
host-running = running
host-unattended = starts unattended
host-days = { $days } days
host-encrypted = encrypted
host-not-encrypted = not encrypted
host-none = none
error-host = The computer's settings could not be read
help-scan-host = Also check this computer's settings when paths are given
help-scan-no_host = Do not check this computer's settings (Java archives only)
help-scan-host_only = Check only this computer's settings, look for no Java archives
help-scan-connector_address = IPv4 address of the TI connector, to tell serial from parallel mode
help-scan-backup_config = Configuration file naming more backup folders (default: /etc/praxcheck/backup.toml or %ProgramData%\praxcheck\backup.toml)
host-section-host = Rights
host-section-os = Operating system
host-section-updates = Updates
host-section-firewall = Firewall
host-section-listening = Network services
host-section-remote = Remote access
host-section-shares = Shares
host-section-antimalware = Anti-malware
host-section-screenlock = Screen lock
host-section-logon = Sign-in
host-section-disk = Encryption
host-section-accounts = Accounts
host-section-backup = Backup
host-section-software = Software
host-section-network = Network
host-section-ti = TI connector
host-unknown-needs-privilege = unknown – needs administrator or root rights
host-unknown-tool-missing = unknown – the tool that tells is missing
host-unknown-not-applicable = does not apply
host-unknown-not-configured = not given
host-unknown-unreadable = unknown – could not be read
host-unknown-timeout = unknown – no answer within the time limit
host-unknown-parse-error = unknown – content not understood
host-unknown-not-collected = not collected
host-unknown-no-reference-data = unknown – no reference data
host-fact-host-privileged = Run with administrator or root rights
host-fact-host-facts-needing-privilege = Facts that need administrator or root rights
host-fact-os-family = Operating system family
host-fact-os-name = Operating system
host-fact-os-id = Operating system id
host-fact-os-version = Version
host-fact-os-point-release = Point release
host-fact-os-kernel = Linux kernel
host-fact-os-build = Build number
host-fact-os-edition = Edition
host-fact-os-release = Feature release
host-fact-os-last-boot = Last started
host-fact-os-eol-cycle = Release cycle
host-fact-os-end-of-life = End of security updates
host-fact-os-end-of-extended-support = End of extended security updates (Debian LTS free; Ubuntu ESM, Windows ESU only by subscription or licence)
host-fact-os-days-until-end-of-life = Days until the end of security updates (negative: already over)
host-fact-updates-last-installed = Last update installed
host-fact-updates-days-since-last-installed = Days since the last update
host-fact-updates-last-check = Last update check
host-fact-updates-hotfix-count = Installed Windows updates
host-fact-updates-pending-count = Pending updates
host-fact-updates-pending-security-count = Of which security updates
host-fact-updates-pending-security = Pending security updates
host-fact-updates-reboot-required = Restart needed for updates
host-fact-updates-automatic = Automatic updates on
host-fact-firewall-enabled = Firewall on
host-fact-firewall-default-inbound = Inbound connections without a rule
host-fact-firewall-backend = Firewall
host-fact-firewall-tools = Firewall tools
host-fact-firewall-frontends = Firewall front ends
host-fact-firewall-profile-domain-enabled = Firewall in the domain profile
host-fact-firewall-profile-private-enabled = Firewall in the private profile
host-fact-firewall-profile-public-enabled = Firewall in the public profile
host-fact-firewall-profile-domain-default-inbound = Inbound without a rule (domain)
host-fact-firewall-profile-private-default-inbound = Inbound without a rule (private)
host-fact-firewall-profile-public-default-inbound = Inbound without a rule (public)
host-fact-firewall-inbound-remote-access-rules = Firewall rules that allow remote access
host-fact-listening-services = Services waiting for connections
host-fact-listening-owners-complete = Program known for every service
host-fact-remote-rdp-enabled = Remote Desktop (RDP) on
host-fact-remote-rdp-nla = RDP requires sign-in before the session (NLA)
host-fact-remote-rdp-port = RDP port
host-fact-remote-ssh-installed = SSH server installed
host-fact-remote-ssh-running = SSH server running
host-fact-remote-ssh-password-authentication = SSH password login allowed
host-fact-remote-ssh-kbd-interactive-authentication = SSH keyboard-interactive login allowed
host-fact-remote-ssh-permit-root-login = SSH login as root
host-fact-remote-ssh-ports = SSH ports
host-fact-remote-tools = Remote-maintenance tools
host-fact-remote-smb1-enabled = Outdated SMBv1 on
host-fact-shares-list = Shared folders
host-fact-shares-open-to-everyone = Shares open to everyone
host-fact-antimalware-present = Anti-malware present
host-fact-antimalware-products = Anti-malware products
host-fact-antimalware-realtime = Real-time protection on
host-fact-antimalware-signature-age-days = Age of the virus signatures (days)
host-fact-screenlock-enabled = Automatic screen lock
host-fact-screenlock-timeout-seconds = Locks after (seconds)
host-fact-logon-autologon = Automatic sign-in without a password
host-fact-logon-autologon-user = Account signed in automatically
host-fact-logon-autologon-password-stored = Password stored for automatic sign-in
host-fact-disk-system-encrypted = System drive encrypted
host-fact-disk-volumes = Volumes
host-fact-accounts-empty-password = Accounts without a password
host-fact-accounts-password-not-required = Accounts that need no password
host-fact-accounts-admins = Administrators
host-fact-accounts-current-user-is-admin = Signed-in account is an administrator
host-fact-backup-found = Backup found
host-fact-backup-newest = Newest backup
host-fact-backup-newest-age-days = Age of the newest backup (days)
host-fact-backup-newest-target-attached-now = Target of the newest backup is attached now
host-fact-backup-detached-targets = Backup targets detached now
host-fact-backup-tools = Backup tools
host-fact-backup-targets = Backup targets
host-fact-backup-config = Backup folders from the configuration file
host-fact-backup-windows-server-backup = Windows Server Backup
host-fact-software-package-count = Installed programs and packages
host-fact-software-java-runtimes = Java runtimes
host-fact-software-products = Recognised practice and remote-maintenance software
host-fact-network-default-gateways = Default gateway
host-fact-network-local-networks = Local networks
host-fact-ti-connector-address = TI connector address
host-fact-ti-connector-is-default-gateway = TI connector is the default gateway
host-fact-ti-connector-in-local-network = TI connector in the same network
host-fact-ti-mode = TI connector mode
## assess (assess crate)

assess-check-java = No Java component with a known flaw
assess-check-software = No installed practice or device software with a known flaw
assess-acceptance-expired = (The risk acceptance expired on { $date }; the finding counts again.)
assess-reason-critical = Critical – { $where }: { $title }
assess-reason-open = { $count ->
    [one] One finding of at least medium severity is open.
   *[other] { $count } findings of at least medium severity are open.
}
assess-reason-coverage = Only { $percent } % of the automated checks ran ({ $ran } of { $applicable }); green needs 80 %.
assess-reason-green = Nothing significant open; { $percent } % of the automated checks ran.
action-update-component = Update { $name } { $version }
action-check-or-update-component = Check or update { $name } { $version }
action-kbv-why = KBV requirement { $id } is not met according to the questionnaire.
action-questionnaire = Answer the questionnaire
action-questionnaire-why = { $count ->
    [one] One question about the practice is still open; unanswered points do not count as met.
   *[other] { $count } questions about the practice are still open; unanswered points do not count as met.
}
action-questionnaire-detail = Run "praxcheck questionnaire": questions no program can answer (training, backup restore tests, ...). It can be stopped any time; answers are saved.

## report (report crate)

light-red = RED
light-yellow = YELLOW
light-green = GREEN
light-red-hint = act now
light-yellow-hint = action needed
light-green-hint = all right
overview-title = praxcheck · overview for { $host } · { $date }
overview-title-practice = praxcheck · practice overview · { $count } computers · { $date }
overview-score = Score: { $score } of 100
overview-coverage = Checked: { $ran } of { $applicable } automated checks ({ $percent } %)
overview-incomplete = Incomplete (missing rights) – repeat as administrator or root
overview-incomplete-hosts = Incomplete (missing rights) on { $hosts } – repeat as administrator
overview-actions = Do first:
overview-no-actions = Nothing to do.
overview-effort = effort: { $effort }
overview-topics = Topics:
overview-kbv = KBV directive (✔ met, ✖ not met, ○ not checked, – does not apply):
overview-kbv-anlage = Ann. { $n }: ✔{ $f } ✖{ $nf } ○{ $nc } –{ $na }
overview-kbv-anlage-na = Ann. { $n }: n/a
overview-kbv-profile = { $count ->
    [one] (applicability: 1 practice detail missing)
   *[other] (applicability: { $count } practice details missing)
}
overview-advisories = Advisories: { $id } version { $version } of { $date } ({ $age ->
    [one] 1 day old
   *[other] { $age } days old
})
overview-advisories-stale = Warning: the advisories are older than { $days } days. Please run "praxcheck advisories update".
overview-open = Open: { $critical } critical · { $high } high · { $medium } medium · { $low } low (details: --format text)
overview-accepted = { $count ->
    [one] 1 risk accepted
   *[other] { $count } risks accepted
}
overview-compare = Since { $date }: { $fixed } fixed · { $new } new · { $unchanged } unchanged (score { $old } → { $score })
overview-machines = Computers:
incident-title = ⚠ TRACES OF AN ATTACK FOUND – now:
incident-1 = 1. Disconnect the affected computers (cable/Wi-Fi), do not switch them off, delete nothing.
incident-2 = 2. Call your IT provider; keep logs and computers for the investigation.
incident-3 = 3. Report a data breach to the state data protection authority within 72 hours (GDPR Art. 33).
incident-note = Logs do not prove a break-in; they show attempts and whether the attack code ran.
effort-low = low
effort-medium = medium
effort-high = high
topic-java = Java
topic-software = Programs
topic-logs = Logs
topic-firewall = Firewall
topic-updates = Updates
topic-backup = Backup
topic-remote = Remote access
topic-protection = Protection
topic-network = Network
topic-ti = TI
topic-organisation = Organisation
check-passed = passed
check-failed = failed
check-accepted = accepted
check-not-checked = not checked
check-not-applicable = n/a
kbv-fulfilled = met
kbv-not-fulfilled = not met
kbv-not-checked = not checked
kbv-not-applicable = not applicable
status-vulnerable = vulnerable
status-mitigated = mitigated
status-detected = detected
status-accepted = accepted
html-title = praxcheck – security report
html-subtitle-host = Computer { $host }, checked on { $date }
html-subtitle-practice = { $count } computers, assessed on { $date }
html-summary = At a glance
html-light-label = Traffic light
html-score-label = Score
html-coverage-label = Check coverage
html-actions = The most important steps
html-action-why = Why
html-action-how = How
html-action-where = Where
html-topics = Checks by topic
html-topic-chart = { $topic }: { $earned } of { $possible } points
html-checks = All checks
html-col-check = Check
html-col-state = Result
html-col-points = Points
html-col-host = Computer
html-col-missing = missing
html-findings = Findings
html-findings-none = No open findings.
html-col-status = Status
html-col-rule = Rule
html-col-subject = Concerns
html-col-evidence = Evidence
html-col-remediation = Remediation
html-accepted-by = Accepted until { $date }: { $reason }
html-machines = Computers
html-col-os = System
html-col-scanned = Checked on
html-col-open = open
html-kbv = KBV IT security directive
html-kbv-note = Numbers and titles follow the directive under § 390 SGB V (2025 version). The demand texts are paraphrases and were not checked against the official text. "Not checked" does not mean "met".
html-kbv-anlage-applies-unknown = applicability still open (questionnaire)
html-kbv-anlage-not-applicable = does not apply to this practice
html-col-req = No.
html-col-title = Requirement
html-col-deadline = applies from
html-col-basis = Basis
html-products = Recognised practice and device software
html-inventory = Inventory
html-inventory-count = { $count } components; the full list is in the JSON document and the SBOM.
html-unreadable = Not fully read
html-compare = Comparison with the earlier check
html-compare-fixed = Fixed
html-compare-new = New
html-compare-unchanged = Unchanged
html-footer = Made by praxcheck { $version } with the advisory set { $set } (version { $setversion }, { $date }). The report contains no patient data.
html-demand-unverified = paraphrase, not checked against the official text
pdf-engine-missing = PDF needs a Chromium, Chrome or Edge browser; none was found (looked for: { $searched }). On Debian/Ubuntu: "apt install chromium". Alternatively open the HTML report in a browser and choose "Print → Save as PDF".
pdf-engine-failed = The browser could not make the PDF: { $reason }

## command line: assessment, questionnaire, advisory updates (cli crate)

note-duration = Took { $seconds } s
note-report-html = Report: { $path }
note-report-json = Document: { $path }
note-answers-skipped = Note: the stored answers are not used ({ $reason }).
error-read-answers = cannot read the answers file
error-write-answers = cannot write the answers file
error-read-facts = cannot read the facts file
error-no-output-dir = no output folder can be determined (HOME is not set); set PRAXCHECK_OUTPUT_DIR or give --output.
error-no-state-dir = no state folder can be determined (HOME is not set); set PRAXCHECK_STATE_DIR.
error-pdf-needs-output = For PDF, say where to write it with --output FILE.
advisories-details = Source: { $source } · { $age } days old · valid until { $expires } · { $host } computer rules, { $logs } log rules, { $products } practice products
advisories-source-embedded = built in
advisories-source-installed = installed (signed)
advisories-keys-test = Development build: updates are checked against the public TEST key, not the association's key.
advisories-note-unusable = Note: the installed advisories are not used ({ $reason }); the built-in ones apply.
advisories-note-expired = Note: the installed advisories expired on { $date }; please run "praxcheck advisories update".
update-installed = Advisories installed: { $id } version { $version } of { $date } (was version { $previous }), signed with key { $key }.
update-already = These advisories are already installed: { $id } version { $version }.
update-refused = Update refused, the advisories in use stay.
update-reason-unsigned = The file is not signed (no signature in { $signature }).
update-reason-bad-signature = { $signature } is not a minisign signature.
update-reason-wrong-key = It is signed with a key praxcheck does not trust ({ $key }; trusted: { $trusted }).
update-reason-tampered = The file was changed after signing.
update-reason-legacy = The signature has an outdated format; sign with a current minisign.
update-reason-not-a-set = The file holds no valid advisories: { $detail }
update-reason-wrong-id = The advisories have the id { $found } instead of { $expected }.
update-reason-no-expiry = The advisories have no expiry date.
update-reason-expired = The advisories expired on { $date }.
update-reason-not-newer = Version { $found } is not newer than version { $current } in use (protection against installing old data).
update-reason-too-large = At { $size } bytes the file is too large for advisories.
update-reason-io = { $detail }
q-intro = Questionnaire on the KBV IT security directive: questions no program can answer. First some details about the practice; they decide which requirements apply.
q-saved-to = Every answer is saved at once in { $path }; you can stop any time and continue later.
q-keys = Answers: y = yes, n = no, e = does not apply, Enter = skip, ? = explanation, q = quit.
q-profile = About the practice
q-prompt-yesno = [y/n/e, Enter = skip, ?, q]
q-prompt-number = [number, Enter = skip, ?, q]
q-invalid = Please type y, n, e, a number, ? or q – or Enter to skip.
q-no-help = (no further explanation)
q-done = All questions are answered. The next report shows the KBV coverage with your answers.
q-remaining = { $count ->
    [one] One question is still open; continue with "praxcheck questionnaire".
   *[other] { $count } questions are still open; continue with "praxcheck questionnaire".
}
q-accept-needs = To accept a risk, give --reason TEXT and --until YYYY-MM-DD.
q-accept-bad-date = Invalid or past date "{ $date }" (format YYYY-MM-DD), or an empty reason.
q-accepted-ok = Risk { $id } accepted until { $date }; it stays visible in the report and counts again afterwards. Saved in { $path }.
q-list-header = Stored answers ({ $path }):
q-list-accepted = accepted: { $id } until { $date } – { $reason }
q-word-yes = yes
q-word-no = no
q-word-na = does not apply
help-questionnaire = Answer the questions no program can answer (KBV directive); accept risks
help-questionnaire-answers = Answers file (default: answers.json in the state folder)
help-questionnaire-from = Stored documents; a checked Windows computer answers the Windows question
help-questionnaire-list = Show the stored answers and accepted risks instead of asking
help-questionnaire-accept = Accept the risk of a finding (its id from the report) or of a rule (a CVE or rule id)
help-questionnaire-reason = Why the risk is accepted (with --accept)
help-questionnaire-until = Valid until YYYY-MM-DD (with --accept)
help-questionnaire-by = Who accepts it (with --accept)
help-questionnaire-host = Only on this computer (with --accept)
help-advisories-update = Install signed advisories from a file
help-advisories-update-from = The advisories file; its signature is FILE.minisig
help-advisories-update-signature = The minisign signature file, if it is named differently
help-output-answers = Answers file (default: answers.json in the state folder)
help-report-compare = An earlier check's document (repeatable): shows what was fixed, what is new, what stayed
help-scan-no_save = Do not store the HTML report and JSON document in the output folder

## --- network scan (issue 12) ---
help-net = Scan the practice network for risky services on devices that cannot run praxcheck (medical devices, printers, the TI connector)
help-net-targets = Addresses, ranges (10.0.0.1-20) or CIDR (10.0.0.0/24); without: the private subnets of this computer's interfaces
help-net-allow_public = Allow public (non-private) addresses
help-net-large = Allow more than a /22 (1024 addresses; never more than a /16)
help-net-no_anonymous_ftp = Do not try the anonymous FTP login (the only login praxcheck ever sends)
net-progress = Scanning the practice network
net-error-public = the target is not a private address range; scanning it needs --allow-public
net-error-large = the targets have more than 1024 addresses (a /22); use --large (at most a /16)
net-error-no-targets = no targets given and no private subnet found on this computer
net-error-failed = the network scan could not run
## --- agent: scheduled daily check, packaging, repeat-scan cache (issue 15) ---
help-agent = The scheduled daily check: install, status, uninstall, run
help-agent-install = Write and enable the systemd service and timer of the daily check
help-agent-install-root = Work below this folder instead of / (a test root; systemctl is not called)
help-agent-install-exe = The program the service starts (default: this program; below a test root /usr/bin/praxcheck)
help-agent-status = Show the last run, its result and the next run
help-agent-status-root = Look below this folder instead of /
help-agent-uninstall = Disable and remove the service and timer (reports and backups stay)
help-agent-uninstall-root = Work below this folder instead of /
help-agent-run = One scheduled run: the whole computer, reports into the report folder (what the timer starts)
help-agent-run-keep = How many scans per computer the report folder keeps
help-generate = Generate man pages, shell completions or systemd units (for packaging)
help-generate-what = What to generate
help-generate-dir = The folder to write into
help-scan-no_cache = Do not use the cache: read every file again
agent-install-done = Daily check installed: { $units }
agent-install-enabled-link = Timer enabled (link { $link }).
agent-install-enabled-now = Timer enabled and started (systemctl).
agent-install-enabled-boot = Timer enabled (systemctl); it runs from the next boot.
agent-uninstall-done = Daily check removed ({ $count } files). Reports and backups are kept.
agent-status-installed = Service and timer: installed
agent-status-not-installed = Service and timer: not installed (praxcheck agent install)
agent-status-enabled = Timer: enabled
agent-status-disabled = Timer: not enabled
agent-status-next = Next run: { $when }
agent-status-last-trigger = Last started: { $when }
agent-status-no-run = Last run: none yet
agent-status-last = Last run: { $started } to { $finished }, result: { $result }
agent-status-running = A run is in progress since { $started }
agent-status-document = Report: { $path }
agent-status-detail = Reason: { $detail }
agent-status-state-error = State file unreadable: { $reason }
agent-result-ok = all right
agent-result-findings = findings open
agent-result-failed = failed
agent-result-running = running
agent-upload-not-enrolled = Upload: not enrolled, reports stay on this computer
agent-upload-not-connected = Upload: enrolled, but this program does not upload yet
agent-upload-uploaded = Upload: done ({ $detail })
agent-upload-failed = Upload failed: { $reason }
agent-run-locked = A run is already in progress; this one does not start a second time.
agent-run-done = Run finished, result: { $result }; { $rotated } old report files removed.
## --- hostile and unlucky inputs (issue 11) ---
harden-bad-today = PRAXCHECK_TODAY "{ $value }" is not a date of the form YYYY-MM-DD between 2000 and 2999
harden-bad-lang = language "{ $value }" is not supported (de or en)
## --- Windows (issue 16) ---
hostwin-pwsh-missing = Windows PowerShell is missing or does not start (part { $part }); only PowerShell knows this.
hostwin-pwsh-constrained = PowerShell runs in Constrained Language Mode (e.g. by AppLocker or WDAC); part { $part } could not run.
hostwin-pwsh-no-output = PowerShell gave no output (part { $part }, exit code { $code }).
hostwin-pwsh-killed = PowerShell ended without an exit code and gave no output (part { $part }).
hostwin-pwsh-timeout = PowerShell did not finish part { $part } in time.
hostwin-pwsh-disabled = No commands are run in this mode (PowerShell part { $part }).
hostwin-pwsh-failed = PowerShell could not be started (part { $part }): { $reason }
## --- the association's service: enroll and upload (issue 13) ---
service-pin-mismatch = { $url }: the server presented the TLS key { $presented }, but this machine enrolled with { $pinned }. Connection refused: another server, or someone in between. If the association really changed its key, ask it for a new enrollment token.
service-unreachable = { $url } cannot be reached ({ $reason }). The reports stay in this machine's spool and go with the next upload.
service-refused = { $url } refused ({ $status }): { $reason }
service-not-enrolled = This machine is not enrolled with the association's service ({ $path }). Run "praxcheck enroll URL TOKEN" first.
## --- web pages (issue 14) ---
web-skip = Skip to content
web-nav-label = Main navigation
web-nav-fleet = Association overview
web-nav-practices = Practices
web-nav-stale = Quiet agents
web-nav-practice = My practice
web-logout = Sign out
web-back-home = Back to the start page
web-error-title = Error
web-error-not-found = This page does not exist.
web-error-internal = The server failed; nothing was changed.
web-login-title = Sign in
web-login-email = E-mail address
web-login-password = Password
web-login-submit = Sign in
web-login-wrong = E-mail address or password is wrong.
web-login-blocked = Too many failed attempts. Please wait 15 minutes.
web-practice-title = Practice
web-practice = Practice
web-status-heading = Security status
web-score = Score
web-light = Light
web-light-red = Red
web-light-yellow = Yellow
web-light-green = Green
web-light-none = Not assessed yet
web-report-download = Download the report (HTML)
web-no-uploads = No check result has arrived from this practice yet.
web-first-steps = The first three steps
web-machines = Computers
web-machine = Computer
web-last-upload = Last upload
web-never = never
web-stale-warning = agent has gone quiet
web-trend-title = Trend of score and open findings
web-trend-score = Score
web-trend-open = Open findings
web-trend-table = The trend as a table
web-date = Date
web-findings = Findings
web-no-findings = No findings.
web-severity = Severity
web-severity-info = Info
web-severity-low = Low
web-severity-medium = Medium
web-severity-high = High
web-severity-critical = Critical
web-state = State
web-status-vulnerable = vulnerable
web-status-mitigated = mitigated
web-status-undetermined = undetermined
web-status-detected = detected
web-status-accepted = risk accepted
web-remediation = What to do
web-evidence = Evidence
web-kbv = Coverage of the KBV IT security guideline
web-kbv-anlage = Annex
web-kbv-fulfilled = Fulfilled
web-kbv-not-fulfilled = Not fulfilled
web-kbv-not-checked = Not checked
web-kbv-not-applicable = Not applicable
web-risks = Accepted risks
web-no-risks = No accepted risks.
web-risk-rule = Finding
web-risk-reason = Reason
web-risk-expires = Valid until
web-risk-by = Accepted by
web-risk-accept = Accept a risk
web-risk-submit = Accept the risk
web-tokens = Enrollment tokens for computers
web-token-created = New enrollment token (shown only now):
web-token-uses = Computers
web-token-days = Days valid
web-token-create = Create a token
web-token-id = Id
web-token-expires = Expires
web-token-used = Used
web-token-revoke = Revoke
web-token-inactive = no longer valid
web-grant = Access for the association
web-grant-on = The association may see this page.
web-grant-off = The association sees this practice only in grouped figures.
web-grant-give = Allow access
web-grant-withdraw = Withdraw access
web-fleet-title = The association's overview
web-fleet-practices = Practices
web-fleet-min-group = Groups of fewer than 5 practices are not shown exactly.
web-fewer-than = fewer than { $n }
web-fleet-lights = Practices by light (worst computer)
web-fleet-scores = Practices by score (weakest computer)
web-fleet-advisories = Advisories affecting the most practices
web-fleet-no-impacts = No advisory has affected any practice yet.
web-advisory = Advisory
web-fleet-stale-hosts = Computers not reporting
web-fleet-set = Advisory set in use
web-fleet-set-version = version
web-fleet-set-age = days old
web-fleet-set-old = outdated
web-practices-title = Practices with access
web-practices-granted-only = Only practices that allowed the association access are listed here.
web-filter = Filter
web-filter-all = All
web-pages = Pages
web-prev = Previous page
web-next = Next page
web-stale-title = Practices with quiet agents
web-stale-intro = Computers that have not uploaded a check result for more days than
web-stale-since = Quiet since
web-impact-title = Impact
web-impact-practices = Affected practices
web-impact-hosts = Affected computers
web-impact-first = First found
web-impact-named = Affected practices with access

# --- network: the active Log4Shell probe (issue 12) ---
help-net-active = Also run the active Log4Shell probe on every web service found: requests carrying a JNDI lookup to praxcheck's own LDAP listener on this computer (no outside host)
help-net-callback_port = Port of the active probe's LDAP listener (default: any free port; open it in this computer's firewall for callbacks to arrive)

# --- hostile input in the collectors (issue 11) ---
reason-path-too-long = path too long to open; not read below it
web-report-download-pdf = Download the report (PDF)
service-scan-uploaded = Sent to the association's service (upload { $ids }).
service-scan-not-uploaded = Not sent to the association's service: { $reason }
## --- the association's service: command help (issue 13) ---
help-serve = Run the association's service (enrollment, uploads, re-evaluation when new advisories arrive)
help-serve-data = Data folder of the embedded database (default: PRAXCHECK_DATA_DIR or <state folder>/server)
help-serve-database = PostgreSQL instead: postgres://user@host/database
help-serve-listen = Address to listen on
help-serve-public_url = The address machines reach the service at (goes into enrollment tokens)
help-serve-tls_cert = TLS certificate (PEM)
help-serve-tls_key = TLS private key (PEM)
help-serve-plain_http = Plain HTTP (behind a TLS reverse proxy or on 127.0.0.1 only); without this and without a certificate the service generates its own in the data folder
help-serve-smtp = SMTP server the practice contacts are e-mailed through when a new advisory set marks their hosts: smtp://host:port (plain, a relay the association runs)
help-serve-smtp_from = Sender address of those e-mails
help-serve-webhook = Webhook told (JSON: advisory ids and counts) when a new advisory set marks hosts
help-serve-webhook_secret_file = File holding the webhook's HMAC-SHA256 secret (header X-Praxcheck-Signature)
help-admin = Manage the service: practices, enrollment tokens, keys, advisories, retention
help-admin-data = Data folder of the embedded database (as for serve)
help-admin-database = PostgreSQL instead: postgres://user@host/database
help-admin-token-create-practice = Practice id or name
help-admin-token-create-uses = How many machines may enroll with it
help-admin-token-create-days = Days until it expires
help-admin-token-create-url = The service's address written into the token
help-admin-token-create-tls_cert = The service's certificate (PEM) whose key the token pins (default: the one serve generated in the data folder, for https)
help-enroll = Enroll this machine with the association's service
help-enroll-url = The service's address
help-enroll-token = Enrollment token from the association
help-upload = Send reports to the association's service
help-upload-files = praxcheck JSON documents
help-scan-upload = Afterwards send the report to the association's service (after praxcheck enroll); when it cannot be reached, the report waits in the spool

# --- report: network findings in the text output (issue 12) ---
net-summary-title = Network (checked from { $host }): { $devices } devices found
net-summary-none = No open findings in the network.

# --- report: log findings per file (issue 11 item 7) ---
logs-file-traces = { $count ->
    [one] one trace, line { $first }
   *[other] { $count } traces, lines { $first }–{ $last }
}
logs-files-unlisted = { $count } more traces in files not listed one by one
# --- server: notification of the association (issue 13, round two) ---
notify-mail-subject = praxcheck: new security advisory affects { $hosts } hosts of your practice
notify-mail-intro = Advisory set version { $version } affects { $hosts } hosts of the practice "{ $practice }":
notify-mail-advisory = { $advisory }: { $hosts } hosts
notify-mail-hosts = Affected hosts: { $names }
notify-mail-link = Details and remedies: { $link }

# --- network: device firmware and practice databases (issue 12, round three) ---
help-net-servers = The practice server's address (repeatable): a database there is where it belongs; a database on any other device is reported
# --- cli: the frame of every help page, German first (issue 10 / issue 11 item 6) ---
help-heading-usage = Usage
help-heading-commands = Commands
help-heading-arguments = Arguments
help-heading-options = Options
help-flag-help = Print help
help-flag-version = Print version
help-subcommand-help = Print this message or the help of the given subcommand(s)
# --- server: error answers of the HTTP API (issue 13, round three) ---
server-error-bad-request = The request is invalid
server-error-credential-missing = Missing or malformed credential (Authorization: Bearer …)
server-error-credential-rejected = Credential rejected; the machine re-enrolls with its secret
server-error-not-found = Not found
server-error-no-such-endpoint = The service has no such endpoint
server-error-too-many-requests = Too many requests; retry later
server-error-unavailable = The service is temporarily unavailable, nothing was stored
server-error-internal = Internal error, nothing was stored
server-error-storage-full = The service's storage is full, nothing was stored; send again later
server-error-storage-unavailable = The service's storage is unreachable, nothing was stored
server-error-shutting-down = The service is shutting down, nothing was stored
server-error-upload-id-missing = The Upload-Id header is missing
server-error-upload-id-invalid = An upload id (header Upload-Id) has 1–100 characters of A–Z a–z 0–9 . _ -
server-error-not-a-document = Not a praxcheck document this service can read
server-error-csaf-invalid = Not a usable CSAF 2.0 advisory
# web pages, round three (issue 14): the account page and the second factor (TOTP)
web-nav-account = My account
web-account-title = My account
web-login-code-title = Verification code
web-totp-heading = Second factor (one-time code)
web-totp-explain = With a second factor, signing in asks for a six-digit code from an authenticator app after the password.
web-totp-is-on = The second factor is on.
web-totp-is-off = The second factor is off.
web-totp-start = Set up a second factor
web-totp-renew = Set up a new key
web-totp-once = This key is shown only now. Add it to your app and confirm with a code.
web-totp-scan = QR code for the authenticator app
web-totp-secret = Key to type in
web-totp-uri = Setup link (otpauth)
web-totp-code = Six-digit code from the app
web-totp-confirm = Confirm and turn on
web-totp-off = Turn the second factor off
web-totp-wrong = The code is wrong, expired or already used.
web-totp-now-on = The second factor is now on.
web-totp-now-off = The second factor is now off.
help-admin-user-reset-totp = Turn a user's second factor (TOTP) off, e.g. after a lost phone, and end the user's sessions; the user then signs in with the password and may set it up again
help-admin-user-reset-totp-email = E-mail address of the user
# web pages, round three (issue 14): an advisory's impact over time
web-impact-practices-now = Of those, still affected
web-impact-hosts-now = Computers still affected
web-impact-fixed = Practices no longer affected
web-impact-fixed-since = Fixed since
web-impact-chart = Affected computers over time
# --- harden3: javascan, fix, logscan, csv (issue 11, round three) ---
overview-incomplete-limit = Incomplete ({ $causes }) – see "not read" in the report
overview-incomplete-limit-hosts = Incomplete ({ $causes }) on { $hosts }
summary-incomplete-limit = Warning: the check is incomplete ({ $causes }); what was not read is listed above.
incomplete-cause-rights = missing rights
incomplete-cause-depth = nesting limit reached
incomplete-cause-size = size limit reached
incomplete-cause-path = path too long
incomplete-cause-unknown = not everything read
fix-problem-link = record { $id }: { $path } now passes through a symbolic link; only the real path the fix recorded is restored
# --- server4: the service's error reasons and practice webhooks (issue 13, round four) ---
server-error-body-invalid = The request body is not valid JSON for this endpoint
server-error-encoding-unsupported = This Content-Encoding is not accepted (gzip, zstd or none)
server-error-body-corrupt = The compressed body is corrupt
server-error-token-invalid = Not a praxcheck enrollment token
server-error-token-limits-invalid = An enrollment token has 1–10000 uses and lives 1–365 days
server-error-email-invalid = Not an e-mail address
server-error-practice-name-invalid = A practice name has 1–200 printable characters
server-error-webhook-invalid = A webhook is an http(s) URL of at most 2000 characters
server-error-host-facts-invalid = Host facts: a host name and at most 200 printable characters per fact
server-error-advisory-id-invalid = An advisory id has 1–100 characters
server-error-key-name-invalid = A key name has 1–100 characters
server-error-set-refused = The advisory set was refused
server-error-set-invalid = The advisory set cannot be read
server-error-smtp-invalid = --smtp needs smtp://HOST[:PORT] (a mail relay)
server-error-smtp-from-invalid = --smtp-from is not a valid sender address
server-error-secret-file-unreadable = The webhook secret file cannot be read
server-error-secret-file-empty = The webhook secret file is empty
server-error-token-refused = The enrollment token is unknown, expired, revoked or used up
server-error-reenroll-refused = The re-enrollment secret does not match; enroll with a new token
server-error-practice-not-found = No such practice
server-error-host-not-found = No such host
server-error-upload-not-found = No such upload
server-error-token-not-found = No such active enrollment token
server-error-practice-exists = A practice with this name exists
server-error-upload-id-reused = This upload id was already used for a different document
server-error-set-not-newer = The advisory set is not newer than the stored one
server-error-csaf-not-newer = This CSAF document is older than the stored revision
server-error-body-too-large = The request body is too large or cannot be read
server-error-document-too-large = The document is too large
server-error-too-many-components = The document lists too many components
server-error-csaf-too-large = The CSAF document is too large or nested too deeply
server-error-set-too-large = The advisory set or its signature is too large
server-error-write-interrupted = Storing was interrupted, nothing was acknowledged; send again
server-error-method-not-allowed = This endpoint does not take this method
server-error-timeout = The request took too long
# --- harden4: support phases of the operating system (issue 11, round four) ---
host-fact-os-extended-support-kind = Who gets the extended security updates
# --- seams4: evidence as data (issue 10 step 6): what a piece of evidence says ---
evidence-relocated = classes relocated: { $actual } stands for { $canonical }
evidence-archive-root = (archive root)
evidence-manifest-version = the manifest names version { $version }
evidence-file-name-version = the file name { $file } names version { $version }
evidence-metadata-overruled = the metadata names { $version }, but the classes are another version; the classes decide
evidence-class-present = { $class } present
evidence-class-absent = { $class } absent
evidence-class-contains = { $class } contains "{ $needle }"
evidence-class-lacks = { $class } does not contain "{ $needle }"
evidence-class-allows = { $observation } → { $versions }
evidence-class-contradicts = { $observation } contradicts the other markers; ignored
evidence-fingerprint = content equals the build of { $versions }
host-why-no-backup-in-readable-targets = no backup in the readable targets; not examined: { $targets }
host-why-no-backup-found = no backup found
host-why-attachment-unknown = { $target }: whether the target is attached now is not known
host-why-no-signature-date = no date of the virus signatures found
host-why-no-desktop = no graphical desktop installed
host-why-screen-lock-per-user = { $desktop }: the screen lock is a per-user setting; not read
host-why-no-autologin-password = automatic login on Linux stores no password
host-why-root-not-on-block-device = / is on { $device } (no block device, e.g. a container or network root)
host-why-root-not-mounted = the root filesystem is missing from /proc/self/mountinfo
host-why-no-ssh-server = no OpenSSH server installed
host-why-windows-only = a setting of Windows only
host-why-internal-error = internal error while reading
host-why-hidden-sockets = { $sockets } open ports without a visible program: the processes of other users ({ $processes }) are readable only by root
host-why-no-os-release = /etc/os-release and /usr/lib/os-release are missing
host-why-unknown-distribution = the distribution is not known
host-why-no-version-id = { $file }: no VERSION_ID (a rolling or testing release)
host-why-no-version-number = { $distribution } without a version number
host-why-no-end-of-life-data = no end-of-life data for { $distribution } { $version } in the shipped table
host-why-no-end-of-life-announced = { $cycle }: no end of life announced yet
host-why-not-debian-or-red-hat = neither a Debian nor a Red Hat family distribution
host-why-no-apt-lists = no package lists in /var/lib/apt/lists (apt update never ran, or the lists were removed)
host-why-no-package-database = neither a dpkg database nor rpm
host-why-no-upgrade-recorded = no package upgrade in the apt and dpkg logs (they are removed after some months)
host-why-no-connector-address = no connector address given (--connector-address)
# --- Windows (issue 16, round four): a file another program holds open ---
fix-error-held-open = { $path } is held open by another program and cannot be replaced; the original stays. Close the program first (for example the practice software's service), then try again ({ $detail })

# --- repeat-scan cache (issue 15, review) ---
cache-not-saved = The cache for the next scan was not saved (this scan itself is complete): { $reason }

# issue 10 (seams, round five): why a host fact is unknown, for every kind the collectors give
host-why-file-unreadable = the file { $file } could not be read
host-why-command-failed = the command "{ $command }" gave no usable answer
host-why-not-understood = the content of { $source } was not understood
host-why-powershell-failed = PowerShell, which alone knows this, gave nothing (part { $part })
host-why-section-failed = the section { $section } of the Windows collection failed
host-why-section-missing = the section { $section } is missing from the Windows collection's output
host-why-section-garbled = the section { $section } of the Windows collection is unreadable
host-why-value-missing = the value { $value } is missing
host-why-no-automatic-lock = no automatic lock configured
host-why-system-volume-not-listed = the system volume is not in the list of volumes
host-why-no-installation-date = none of the { $updates } installed updates has a readable installation date
host-why-ssh-config-not-read = the Windows OpenSSH server's settings are not read
# --- hostile input (issue 11, round five): who gets the extended security updates ---
host-extended-support-free = everyone, free (as Debian LTS)
host-extended-support-subscription = only with a subscription (as Ubuntu Pro)
host-extended-support-paid = only with a paid licence (as Windows ESU)
# --- repeat-scan cache: why the stored cache was not used (issue 15, round five) ---
cache-discarded-damaged = The cache of the last scan ({ $path }) is damaged or incomplete and was discarded; every file was read again.
cache-discarded-foreign = The cache of the last scan ({ $path }) was written by another praxcheck version or with other limits and was discarded; every file was read again.
cache-discarded-too-large = The cache of the last scan ({ $path }) is too large and was discarded; every file was read again.
cache-discarded-unreadable = The cache of the last scan ({ $path }) could not be read and was discarded; every file was read again.

# --- thin6: why an operating-system call failed, worded for error messages (issue 10) ---
io-permission-denied = permission denied
io-not-found = not found
io-already-exists = already exists
io-is-a-directory = is a folder
io-not-a-directory = a part of the path is not a folder
io-read-only = read-only file system
io-storage-full = no space left on the device
io-too-long = path or name too long
io-broken-pipe = the receiving end closed the output
io-unexpected-eof = the file ends early
io-invalid-data = invalid data
io-timed-out = timed out
io-busy = busy (held by another program)
io-other = input/output error
io-not-regular = not a regular file ({ $kind }); give a file
io-kind-pipe = a named pipe
io-kind-device = a device
io-kind-socket = a socket
io-kind-folder = a folder
io-kind-other = not a file
io-too-large = larger than { $cap } bytes; not read
error-write-stdout = Standard output cannot be written
net-error-bad-target = { $target } is neither an IP address nor an address range (for example 192.168.1.0/24)
io-refused-foreign-link = { $link } is a symbolic link of another user (uid { $owner }) in a shared folder; not followed
io-refused-system-link = { $link } is a symbolic link into the system folder { $target }; not followed
io-refused-foreign-target = { $link } is another user's symbolic link to { $target }, which that user does not own; not followed
io-refused-block-device = { $path } is a block device; not written
io-refused-folder = { $path } is a folder
