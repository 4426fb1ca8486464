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
} · { $files } files · { $archives } archives · { $seconds } s
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
help-output-format = Output format: text (overview), json (praxcheck document), csv (findings)
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
} · { $files } files · { $mb } MB of text · { $seconds } s
logs-summary-source = { $origin }: { $path } ({ $files } files, { $skipped } skipped)
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
