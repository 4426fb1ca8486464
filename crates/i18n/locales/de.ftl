## praxcheck message catalogue: German (default). Keys must match en.ftl.

scan-files-unreadable = { $count ->
    [one] Eine Datei konnte nicht vollständig gelesen werden.
   *[other] { $count } Dateien konnten nicht vollständig gelesen werden.
}

## findings (advisories crate)

evidence-kind-pom-properties = Version laut pom.properties
evidence-kind-manifest = Version laut MANIFEST.MF
evidence-kind-file-name = Version laut Dateiname
evidence-kind-class-fingerprint = Version am Inhalt der Klassendateien erkannt
evidence-kind-class-marker = Versionsbereich an Merkmalen der Klassendateien erkannt
evidence-kind-class-presence = an vorhandenen Klassen erkannt
evidence-kind-package-database = Version laut Paketverwaltung
evidence-kind-registry = Version laut Windows-Registry
evidence-kind-other = Version aus sonstiger Quelle
evidence-kind-unknown = Version unbekannt
finding-explain-vulnerable = { $name } { $version } ({ $source }) liegt im betroffenen Versionsbereich von { $rule }.
finding-explain-mitigated = { $name } { $version } ({ $source }) liegt im betroffenen Versionsbereich von { $rule }, aber die dafür nötige Klasse { $class } fehlt: Die Lücke ist entschärft. Ein Update bleibt trotzdem nötig.
finding-explain-undetermined = Die genaue Version von { $name } ist nicht bestimmbar ({ $source }: { $version }); ein Teil dieser Versionen ist von { $rule } betroffen. Bitte von Hand prüfen oder aktualisieren.
finding-explain-fixed-in = Behoben in: { $fixed }.
finding-remediation-update = Auf eine Version aktualisieren, die die Lücke behebt ({ $fixed }), oder beim Hersteller der Software nach einem Update fragen.

## terminal summary (report crate)

summary-title = praxcheck – Java-Komponenten auf { $host }
summary-scanned = Durchsucht: { $roots } { $roots ->
    [one] Ort
   *[other] Orte
} · { $files } { $files_n ->
    [one] Datei
   *[other] Dateien
} · { $archives } { $archives_n ->
    [one] Archiv
   *[other] Archive
} · { $seconds } s
summary-components = Komponenten: { $total } (Log4j 2: { $log4j2 } · Log4j 1.x: { $log4j1 } · logback: { $logback })
summary-advisories = Sicherheitshinweise: { $id } Version { $version } vom { $date }
summary-nothing-open = Keine offenen Schwachstellen in den gefundenen Java-Komponenten.
summary-more = … und { $count } weitere (alle zeigen: --all, Details: --format json)
summary-open = offen:
summary-mitigated = entschärft:
summary-mitigated-only = { $count ->
    [one] Eine weitere Komponente ist betroffen, aber entschärft (JndiLookup entfernt); ein Update bleibt nötig.
   *[other] { $count } weitere Komponenten sind betroffen, aber entschärft (JndiLookup entfernt); ein Update bleibt nötig.
}
summary-incomplete = Achtung: Die Prüfung ist unvollständig – nicht alle Ordner oder Dateien konnten gelesen werden (z. B. fehlende Rechte). Mit Administratorrechten wiederholen.
summary-result = Ergebnis:
severity-critical = kritisch
severity-high = hoch
severity-medium = mittel
severity-low = niedrig
severity-info = Hinweis
status-undetermined = Version unklar
reason-permission-denied = keine Leserechte
reason-vanished = während der Prüfung verschwunden
reason-changed-during-scan = während der Prüfung verändert
reason-not-found = nicht vorhanden
reason-io = Lesefehler
reason-not-an-archive = kein gültiges Archiv
reason-corrupt = beschädigtes Archiv
reason-truncated = Datei unvollständig (abgeschnitten)
reason-encrypted = verschlüsselt
reason-unsupported-compression = nicht unterstütztes Kompressionsverfahren
reason-depth-limit = zu tief verschachtelt
reason-size-limit = Größengrenze überschritten
reason-recursive = Archiv enthält sich selbst (Zip-Quine)
reason-symlink-loop = Schleife aus symbolischen Links

## command line (cli crate)

error-prefix = Fehler
error-write-output = Ausgabedatei kann nicht geschrieben werden
error-read-document = Dokument kann nicht gelesen werden
note-written = Geschrieben: { $path }
progress-java = Java-Archive
advisories-header = Sicherheitshinweise { $id }, Version { $version } vom { $date }: { $count } Einträge
help-about = praxcheck – der IT-Sicherheitscheck für Arztpraxen
help-global-lang = Sprache der Ausgabe: de oder en (Standard: Deutsch, Englisch wenn LANG es verlangt)
help-global-quiet = Nur Ergebnisse ausgeben, keinen Fortschritt
help-scan = Diesen Computer prüfen (oder die angegebenen Pfade)
help-scan-paths = Datei oder Ordner prüfen (mehrfach möglich); ohne Angabe: die Software-Orte dieses Computers
help-scan-exclude = Datei oder Ordner auslassen (mehrfach möglich)
help-scan-network_fs = Auch Netzlaufwerke (NFS, SMB, sshfs) unterhalb der Pfade durchsuchen
help-scan-max_depth = Größte Verschachtelungstiefe von Archiven in Archiven
help-scan-no_processes = Nicht nachsehen, welche laufenden Programme die Archive benutzen
help-output-format = Ausgabeformat: overview (Übersicht), text (Einzelheiten), json (Dokument), csv (Befunde), html, pdf, sbom (CycloneDX), sarif
help-output-output = In diese Datei schreiben statt auf die Standardausgabe
help-output-fail_on = Mit Code 1 enden, wenn ein Befund ab diesem Schweregrad offen ist
help-output-all = Alle Befunde in der Übersicht zeigen
help-report = Gespeicherte Dokumente erneut ausgeben, bewertet mit den aktuellen Sicherheitshinweisen
help-report-from = Ein gespeichertes praxcheck-JSON-Dokument (mehrfach möglich)
help-advisories = Sicherheitshinweise anzeigen oder aktualisieren
help-advisories-show = Die geladenen Sicherheitshinweise auflisten

## logs

logs-summary-title = praxcheck – Spuren von Log4Shell-Angriffen in Protokolldateien auf { $host }
logs-summary-scanned = Gelesen: { $sources } { $sources ->
    [one] Protokollort
   *[other] Protokollorte
} · { $files } { $files ->
    [one] Datei
   *[other] Dateien
} · { $mb } MB Text · { $seconds } s
logs-summary-source = { $origin }: { $path } ({ $files } { $files ->
    [one] Datei
   *[other] Dateien
}, { $skipped } übersprungen)
logs-summary-none = Keine Spuren von Log4Shell-Angriffen gefunden.
logs-summary-found = { $count ->
    [one] Eine Spur eines Log4Shell-Angriffs gefunden:
   *[other] { $count } Spuren von Log4Shell-Angriffen gefunden:
}
logs-summary-more = … und { $count } weitere (alle: --all, Einzelheiten: --format json)
logs-evidence-where = { $file }, Zeile { $line }
logs-evidence-when = Zeitpunkt: { $timestamp }
logs-evidence-from = Absender: { $address }
logs-evidence-payload = Decodierter Angriffstext: { $payload }
logs-evidence-callback = Rückruf an: { $protocol }://{ $host }
obfuscation-case-mixing = Groß-/Kleinschreibung gemischt
obfuscation-case-lookup = ${"{"}lower:{"}"}/${"{"}upper:{"}"}-Lookups
obfuscation-dotless-i = türkisches ı statt i
obfuscation-default-value = Vorgabewerte (${"{"}…:-x{"}"})
obfuscation-env-lookup = Umgebungsvariablen-Lookup (${"{"}env:…{"}"})
obfuscation-sys-lookup = Systemeigenschaften-Lookup (${"{"}sys:…{"}"})
obfuscation-date-lookup = Datums-Lookup (${"{"}date:…{"}"})
obfuscation-base64 = Base64-Kodierung
obfuscation-url-encoding = URL-Kodierung
obfuscation-multiple-url-encoding = mehrfache URL-Kodierung
obfuscation-unicode-escape = Unicode-Escapes (\u0024)
obfuscation-octal-escape = Oktal-Escapes (\044)
obfuscation-hex-escape = Hex-Escapes (\x24)
obfuscation-html-entity = HTML-Zeichenreferenzen (&#36;)
obfuscation-nested-jndi = verschachteltes JNDI
obfuscation-unterminated = nicht geschlossen
obfuscation-broken-nesting = fehlerhaft verschachtelt
obfuscation-hash-in-host = „#“ im Rechnernamen
logs-evidence-disguise = Verschleierung: { $techniques }
logs-level-payload-seen = Angriffsversuch
logs-level-payload-seen-explain = Jemand hat versucht, die Log4Shell-Lücke auszunutzen: Ein präparierter Text („{"${"}jndi:…{"}"}“) ist in diesem Protokoll angekommen. Ob die Software ihn ausgewertet hat, zeigt das Protokoll nicht. War zu diesem Zeitpunkt eine verwundbare Log4j-Version im Einsatz, muss mit einem erfolgreichen Angriff gerechnet werden.
logs-level-lookup-executed = Angriffscode wurde ausgeführt
logs-level-lookup-executed-explain = Das Protokoll zeigt, dass die verwundbare Log4j-Funktion (JNDI-Abfrage) tatsächlich ausgeführt wurde und den Server des Angreifers kontaktiert hat oder kontaktieren wollte. Das ist ein ernstes Zeichen für eine mögliche Kompromittierung.
logs-cannot-prove = Protokolle können einen erfolgreichen Angriff weder beweisen noch ausschließen; fehlende Spuren bedeuten keine Entwarnung, wenn Protokolle gelöscht oder rotiert wurden.
logs-next-steps = Was jetzt zu tun ist: 1. Den betroffenen Computer vom Netzwerk trennen (Netzwerkkabel ziehen, WLAN aus), aber nicht ausschalten. 2. Sofort den IT-Dienstleister der Praxis anrufen und ihm diesen Bericht geben. 3. Prüfen (lassen), ob Patientendaten betroffen sein können: Eine Verletzung des Schutzes personenbezogener Daten muss nach Art. 33 DSGVO binnen 72 Stunden der Datenschutz-Aufsichtsbehörde gemeldet werden.
logs-next-steps-payload-only = Was jetzt zu tun ist: Den IT-Dienstleister bitten, zu prüfen, ob zum Zeitpunkt des Versuchs eine verwundbare Log4j-Version lief (praxcheck scan), und die betroffene Software aktualisieren. Finden sich Zeichen der Ausführung, gelten die Schritte für „Angriffscode wurde ausgeführt“.
logs-origin-given = Angegeben
logs-origin-system = Systemprotokolle
logs-origin-tomcat = Tomcat
logs-origin-web-server = Webserver
logs-origin-java-application = Java-Anwendung
logs-error-no-readable-path = Keiner der angegebenen Pfade konnte gelesen werden
progress-logs = Protokolldateien
reason-binary = keine Textdatei (Binärdaten), übersprungen
help-logs = Protokolldateien nach Spuren von Log4Shell-Angriffen durchsuchen (auch komprimierte und gezippte)
help-logs-paths = Protokolldatei oder -ordner (mehrfach möglich); ohne Angabe: die Protokollordner der Server-Software dieses Computers
help-logs-exclude = Datei oder Ordner auslassen (mehrfach möglich)
## fix

fix-scanning = Suche betroffene Archive …
fix-no-root = Keiner der angegebenen Pfade ist lesbar.
fix-cannot-start = praxcheck fix kann nicht beginnen
fix-header-dry = praxcheck fix – Probelauf: Es wird nichts verändert.
fix-header-apply = praxcheck fix – Änderungen werden angewendet (mit Sicherung).
fix-header-undo = praxcheck fix --undo – gesicherte Originale werden wiederhergestellt.
fix-unreadable-hint = { $count ->
    [one] Eine Datei konnte nicht geprüft werden
   *[other] { $count } Dateien konnten nicht geprüft werden
} und kann eine JndiLookup-Klasse enthalten: die Ursache beheben (Rechte, Beschädigung) oder die Datei beim Hersteller erfragen.
fix-nothing-to-do = Nichts zu ändern: Keine gefundene Komponente braucht das Entfernen einer Klasse.
fix-would-change = Würde ändern: { $path }
fix-changed = Geändert: { $path }
fix-remove-line = − { $entry }  ({ $component }: { $rules })
fix-signed = ! Signiertes Archiv { $archive } ({ $files }): Die Signatur bleibt für alle übrigen Einträge gültig, die entfernte Klasse steht aber weiter im Manifest. jarsigner -verify meldet danach „jar verified.“ mit der Warnung, dass signierte Einträge fehlen; ein Programm, das ein vollständiges signiertes Archiv verlangt, könnte es ablehnen.
fix-jarsigner-ok = ✓ jarsigner -verify { $archive }: jar verified. { $warnings }
fix-jarsigner-failed = ✖ jarsigner -verify { $archive }: Signatur nicht bestätigt. { $warnings }
fix-jarsigner-missing = Hinweis: jarsigner (aus einem JDK) ist nicht installiert; geänderte signierte Archive werden dann nicht mit jarsigner geprüft.
fix-warn-in-use = ! Wird gerade benutzt von { $procs }: wird ohne --force nicht geändert. Erst das Programm beenden.
fix-warn-hard-links = ! Die Datei hat { $count } harte Links; die anderen Namen behielten den alten Inhalt. Ohne --force wird sie nicht geändert.
fix-real-path = (symbolischer Link; geändert wird { $path })
fix-skip-in-use = Nicht geändert: { $path } – wird von { $procs } benutzt. Erst das Programm beenden, oder mit --force trotzdem ändern.
fix-skip-hard-links = Nicht geändert: { $path } – die Datei hat { $count } harte Links; die anderen Namen behielten den alten Inhalt. Mit --force trotzdem ändern.
fix-skip-signature = Nicht geändert: { $path } – die Signatur des geänderten Archivs lässt sich mit jarsigner nicht bestätigen. Mit --force trotzdem ändern.
fix-cannot = Kann nicht geändert werden: { $path } – { $reason }
fix-failed = Fehlgeschlagen, das Original ist unverändert: { $path } – { $reason }
fix-loose = Einzelne Klassendatei (kein Archiv, wird nicht geändert): { $path } ({ $rules }) – von Hand entfernen oder die Software aktualisieren.
fix-unreadable = Nicht lesbar, nicht geprüft: { $path } – { $reason }
fix-backup-line = Sicherung: { $object } (SHA-256 vorher { $before }…, nachher { $after }…)
fix-error-io = Lesen oder Schreiben von { $path } fehlgeschlagen ({ $detail })
fix-error-archive = Das Archiv lässt sich nicht sicher umschreiben ({ $detail })
fix-error-verify = Die Prüfung des geänderten Archivs schlug fehl, das Original bleibt ({ $detail })
fix-error-changed = Die Datei hat sich während der Änderung verändert und bleibt, wie sie ist
fix-error-backup-damaged = Das gesicherte Original { $object } fehlt oder ist beschädigt
fix-error-busy = Ein anderes „praxcheck fix“ arbeitet gerade mit dem Sicherungsordner { $path }
fix-error-manifest = Das Verzeichnis der Sicherungen { $path } ist nicht lesbar ({ $detail })
fix-error-refused = Das Verzeichnis der Sicherungen { $path } wird abgelehnt, nichts wurde geändert: { $problem }
fix-error-no-backups = In { $path } sind keine Sicherungen von „praxcheck fix“ verzeichnet
fix-problem-object = Eintrag { $id } nennt eine gesicherte Datei außerhalb von objects/
fix-problem-relative = Eintrag { $id } nennt keinen vollständigen Pfad
fix-problem-temp = Eintrag { $id } nennt eine temporäre Datei, die nicht neben der geänderten Datei liegt
fix-problem-owner = { $path } gehört einem anderen Benutzer (uid { $owner })
fix-problem-writable = { $path } können auch andere Benutzer ändern
fix-note = Hinweis: { $note }
fix-apply-hint = Anwenden mit: praxcheck fix --yes { $paths }
fix-backup-dir = Sicherungen liegen in: { $dir }
fix-summary-dry = { $files ->
    [one] Ein Archiv würde geändert
   *[other] { $files } Archive würden geändert
}, { $classes ->
    [one] eine Klasse entfernt.
   *[other] { $classes } Klassen entfernt.
}
fix-summary-apply = Fertig: { $fixed } geändert, { $left } unverändert gelassen, { $failed } fehlgeschlagen.
fix-undo-hint = Rückgängig machen mit: praxcheck fix --undo { $paths }
fix-recovered-applied = Unterbrochene Änderung abgeschlossen: { $path }
fix-recovered-rolled-back = Unterbrochene Änderung verworfen, das Original ist unverändert: { $path }
fix-recovered-restored = Unterbrochene Wiederherstellung abgeschlossen: { $path }
fix-recovered-undo-rolled-back = Unterbrochene Wiederherstellung verworfen, die Datei bleibt geändert: { $path }
fix-recovered-unresolved = Achtung: { $path } entspricht weder dem Original noch der geänderten Fassung und wird nicht angefasst.
fix-recovered-temp = Liegengebliebene Zwischendatei entfernt: { $path }
fix-undo-restored = Wiederhergestellt: { $path } (SHA-256 { $sha }…)
fix-undo-replaced = Der seit der Änderung veränderte Inhalt wurde vorher gesichert: { $object }
fix-undo-already = Bereits im Originalzustand: { $path }
fix-undo-changed = Nicht wiederhergestellt: { $path } – die Datei wurde seit der Änderung verändert (z. B. durch ein Update des Herstellers). Mit --force trotzdem wiederherstellen; der jetzige Inhalt wird vorher gesichert.
fix-undo-missing = Nicht wiederhergestellt: { $path } – die Datei gibt es nicht mehr. Mit --force neu anlegen.
fix-undo-in-use = Nicht wiederhergestellt: { $path } – wird von { $procs } benutzt. Erst das Programm beenden, oder mit --force.
fix-undo-failed = Fehlgeschlagen: { $path } – { $reason }
fix-undo-nothing = Keine Änderungen zum Rückgängigmachen gefunden.
fix-undo-summary = Fertig: { $restored } wiederhergestellt, { $left } nicht.
fix-readme = Dieser Ordner enthält Sicherungen von praxcheck fix: die unveränderten Originale der geänderten Archive (objects/, benannt nach ihrer SHA-256-Prüfsumme) und das Verzeichnis manifest.json (Pfad, SHA-256 vorher und nachher). Bitte nicht löschen, solange die Änderungen rückgängig gemacht werden könnten sollen: praxcheck fix --undo. praxcheck scan lässt diesen Ordner aus.
help-fix = JndiLookup (und mit --log4j1 riskante Log4j-1.x-Klassen) aus betroffenen Archiven entfernen – mit Sicherung; ohne --yes nur ein Probelauf
help-fix-paths = Datei oder Ordner (mehrfach möglich); ohne Angabe die Software-Orte dieses Computers. Mit --undo: nur Änderungen an oder unter diesen Pfaden zurücknehmen
help-fix-yes = Änderungen wirklich anwenden (ohne: nur anzeigen, was geändert würde)
help-fix-undo = Gesicherte Originale Byte für Byte wiederherstellen (verweigert Dateien, die sich seit der Änderung verändert haben)
help-fix-log4j1 = Auch die riskanten Log4j-1.x-Klassen entfernen: JMSAppender, JMSSink, SocketServer, SimpleSocketServer, JDBCAppender, Chainsaw LoggingReceiver
help-fix-force = Auch Dateien ändern, die gerade benutzt werden, harte Links haben oder deren Signatur sich danach nicht bestätigen lässt; mit --undo auch seit der Änderung veränderte oder gelöschte Dateien wiederherstellen
help-fix-backup_dir = Ordner für die Sicherungen (Standard: /var/lib/praxcheck/backup als root, sonst ~/.local/state/praxcheck/backup; Windows: %ProgramData%\praxcheck\backup)
help-fix-exclude = Datei oder Ordner auslassen (mehrfach möglich)
help-fix-max_depth = Größte Verschachtelungstiefe von Archiven in Archiven

## host

# host collector: sections, fact labels, unknown reasons, summary (cli crate)
host-title = Rechner { $host } ({ $platform })
host-yes = ja
host-no = nein
host-source = Quelle
host-more = … und { $count } weitere
host-backup-none = Keine Datensicherung gefunden.
host-backup-unknown = Ob es eine Datensicherung gibt, konnte nicht festgestellt werden.
host-unprivileged = Ohne Administrator- bzw. Root-Rechte geprüft: { $count ->
    [one] eine Angabe fehlt
   *[other] { $count } Angaben fehlen
} ({ $keys }). Mit diesen Rechten wiederholen, um sie zu erhalten.
host-attached = angeschlossen
host-detached = getrennt
host-running = läuft
host-unattended = startet unbeaufsichtigt
host-days = { $days } Tage
host-encrypted = verschlüsselt
host-not-encrypted = unverschlüsselt
host-none = keine
error-host = Die Rechner-Einstellungen konnten nicht gelesen werden
help-scan-host = Auch die Einstellungen dieses Computers prüfen, wenn Pfade angegeben sind
help-scan-no_host = Die Einstellungen dieses Computers nicht prüfen (nur Java-Archive)
help-scan-host_only = Nur die Einstellungen dieses Computers prüfen, keine Java-Archive suchen
help-scan-connector_address = IPv4-Adresse des TI-Konnektors, um Reihen- oder Parallelbetrieb zu erkennen
help-scan-backup_config = Einstellungsdatei mit weiteren Sicherungsordnern (Standard: /etc/praxcheck/backup.toml bzw. %ProgramData%\praxcheck\backup.toml)
host-section-host = Rechte
host-section-os = Betriebssystem
host-section-updates = Updates
host-section-firewall = Firewall
host-section-listening = Dienste im Netz
host-section-remote = Fernzugriff
host-section-shares = Freigaben
host-section-antimalware = Virenschutz
host-section-screenlock = Bildschirmsperre
host-section-logon = Anmeldung
host-section-disk = Verschlüsselung
host-section-accounts = Benutzerkonten
host-section-backup = Datensicherung
host-section-software = Software
host-section-network = Netzwerk
host-section-ti = TI-Konnektor
host-unknown-needs-privilege = unbekannt – braucht Administrator- bzw. Root-Rechte
host-unknown-tool-missing = unbekannt – das nötige Programm fehlt
host-unknown-not-applicable = trifft nicht zu
host-unknown-not-configured = nicht angegeben
host-unknown-unreadable = unbekannt – nicht lesbar
host-unknown-timeout = unbekannt – keine Antwort in der Zeitgrenze
host-unknown-parse-error = unbekannt – Inhalt nicht verstanden
host-unknown-not-collected = nicht erhoben
host-unknown-no-reference-data = unbekannt – keine Vergleichsdaten
host-fact-host-privileged = Mit Administrator- bzw. Root-Rechten ausgeführt
host-fact-host-facts-needing-privilege = Angaben, die Administrator- bzw. Root-Rechte brauchen
host-fact-os-family = Betriebssystem-Familie
host-fact-os-name = Betriebssystem
host-fact-os-id = Kennung des Betriebssystems
host-fact-os-version = Version
host-fact-os-point-release = Unterversion
host-fact-os-kernel = Linux-Kernel
host-fact-os-build = Build-Nummer
host-fact-os-edition = Edition
host-fact-os-release = Funktionsupdate
host-fact-os-last-boot = Zuletzt gestartet
host-fact-os-eol-cycle = Versionszweig
host-fact-os-end-of-life = Ende der Sicherheitsupdates
host-fact-os-end-of-extended-support = Ende der erweiterten Sicherheitsupdates (Debian LTS kostenlos; Ubuntu ESM, Windows ESU nur mit Abonnement oder Lizenz)
host-fact-os-days-until-end-of-life = Tage bis zum Ende der Sicherheitsupdates (negativ: schon vorbei)
host-fact-updates-last-installed = Letztes Update installiert
host-fact-updates-days-since-last-installed = Tage seit dem letzten Update
host-fact-updates-last-check = Zuletzt nach Updates gesucht
host-fact-updates-hotfix-count = Installierte Windows-Updates
host-fact-updates-pending-count = Ausstehende Updates
host-fact-updates-pending-security-count = Davon Sicherheitsupdates
host-fact-updates-pending-security = Ausstehende Sicherheitsupdates
host-fact-updates-reboot-required = Neustart für Updates nötig
host-fact-updates-automatic = Automatische Updates eingeschaltet
host-fact-firewall-enabled = Firewall eingeschaltet
host-fact-firewall-default-inbound = Eingehende Verbindungen ohne Regel
host-fact-firewall-backend = Firewall
host-fact-firewall-tools = Firewall-Programme
host-fact-firewall-frontends = Firewall-Oberflächen
host-fact-firewall-profile-domain-enabled = Firewall im Domänen-Profil
host-fact-firewall-profile-private-enabled = Firewall im privaten Profil
host-fact-firewall-profile-public-enabled = Firewall im öffentlichen Profil
host-fact-firewall-profile-domain-default-inbound = Eingehend ohne Regel (Domäne)
host-fact-firewall-profile-private-default-inbound = Eingehend ohne Regel (privat)
host-fact-firewall-profile-public-default-inbound = Eingehend ohne Regel (öffentlich)
host-fact-firewall-inbound-remote-access-rules = Firewall-Regeln, die Fernzugriff erlauben
host-fact-listening-services = Dienste, die auf Verbindungen warten
host-fact-listening-owners-complete = Zu allen Diensten das Programm bekannt
host-fact-remote-rdp-enabled = Remotedesktop (RDP) eingeschaltet
host-fact-remote-rdp-nla = RDP verlangt Anmeldung vor der Sitzung (NLA)
host-fact-remote-rdp-port = RDP-Port
host-fact-remote-ssh-installed = SSH-Server installiert
host-fact-remote-ssh-running = SSH-Server läuft
host-fact-remote-ssh-password-authentication = SSH-Anmeldung mit Passwort erlaubt
host-fact-remote-ssh-kbd-interactive-authentication = SSH-Anmeldung über Tastatur-Dialog erlaubt
host-fact-remote-ssh-permit-root-login = SSH-Anmeldung als root
host-fact-remote-ssh-ports = SSH-Ports
host-fact-remote-tools = Fernwartungsprogramme
host-fact-remote-smb1-enabled = Veraltetes SMBv1 eingeschaltet
host-fact-shares-list = Freigegebene Ordner
host-fact-shares-open-to-everyone = Für alle offene Freigaben
host-fact-antimalware-present = Virenschutz vorhanden
host-fact-antimalware-products = Virenschutz-Programme
host-fact-antimalware-realtime = Echtzeitschutz eingeschaltet
host-fact-antimalware-signature-age-days = Alter der Virensignaturen (Tage)
host-fact-screenlock-enabled = Automatische Bildschirmsperre
host-fact-screenlock-timeout-seconds = Sperre nach (Sekunden)
host-fact-logon-autologon = Automatische Anmeldung ohne Passworteingabe
host-fact-logon-autologon-user = Automatisch angemeldetes Konto
host-fact-logon-autologon-password-stored = Passwort für die automatische Anmeldung gespeichert
host-fact-disk-system-encrypted = Systemlaufwerk verschlüsselt
host-fact-disk-volumes = Laufwerke
host-fact-accounts-empty-password = Konten ohne Passwort
host-fact-accounts-password-not-required = Konten, die kein Passwort brauchen
host-fact-accounts-admins = Administratoren
host-fact-accounts-current-user-is-admin = Angemeldetes Konto ist Administrator
host-fact-backup-found = Datensicherung gefunden
host-fact-backup-newest = Neueste Datensicherung
host-fact-backup-newest-age-days = Alter der neuesten Datensicherung (Tage)
host-fact-backup-newest-target-attached-now = Ziel der neuesten Sicherung ist gerade angeschlossen
host-fact-backup-detached-targets = Sicherungsziele, die gerade getrennt sind
host-fact-backup-tools = Sicherungsprogramme
host-fact-backup-targets = Sicherungsziele
host-fact-backup-config = Sicherungsorte laut Einstellungsdatei
host-fact-backup-windows-server-backup = Windows-Server-Sicherung
host-fact-software-package-count = Installierte Programme und Pakete
host-fact-software-java-runtimes = Java-Laufzeitumgebungen
host-fact-software-products = Erkannte Praxis- und Fernwartungssoftware
host-fact-network-default-gateways = Standard-Gateway
host-fact-network-local-networks = Eigene Netze
host-fact-ti-connector-address = Adresse des TI-Konnektors
host-fact-ti-connector-is-default-gateway = TI-Konnektor ist das Standard-Gateway
host-fact-ti-connector-in-local-network = TI-Konnektor im selben Netz
host-fact-ti-mode = Betriebsart des TI-Konnektors
## assess (assess crate)

assess-check-java = Keine Java-Komponente mit bekannter Lücke
assess-check-software = Keine installierte Praxis- oder Gerätesoftware mit bekannter Lücke
assess-acceptance-expired = (Die Risikoakzeptanz ist am { $date } abgelaufen; der Befund zählt wieder.)
assess-reason-critical = Kritisch – { $where }: { $title }
assess-reason-open = { $count ->
    [one] Ein Befund mit mindestens mittlerem Schweregrad ist offen.
   *[other] { $count } Befunde mit mindestens mittlerem Schweregrad sind offen.
}
assess-reason-coverage = Nur { $percent } % der automatischen Prüfungen liefen ({ $ran } von { $applicable }); Grün braucht 80 %.
assess-reason-green = Nichts Wesentliches offen; { $percent } % der automatischen Prüfungen liefen.
action-update-component = { $name } { $version } aktualisieren
action-check-or-update-component = { $name } { $version } prüfen oder aktualisieren
action-kbv-why = KBV-Anforderung { $id } ist laut Fragebogen nicht erfüllt.
action-questionnaire = Fragebogen beantworten
action-questionnaire-why = { $count ->
    [one] Eine Frage zur Praxis ist noch offen; unbeantwortete Punkte zählen nicht als erfüllt.
   *[other] { $count } Fragen zur Praxis sind noch offen; unbeantwortete Punkte zählen nicht als erfüllt.
}
action-questionnaire-detail = „praxcheck questionnaire“ starten: Fragen, die kein Programm beantworten kann (etwa Schulungen, Test der Datensicherung). Jederzeit unterbrechbar; die Antworten werden gespeichert.

## report (report crate)

light-red = ROT
light-yellow = GELB
light-green = GRÜN
light-red-hint = sofort handeln
light-yellow-hint = Handlungsbedarf
light-green-hint = in Ordnung
overview-title = praxcheck · Übersicht für { $host } · { $date }
overview-title-practice = praxcheck · Praxisübersicht · { $count } Rechner · { $date }
overview-score = Punkte: { $score } von 100
overview-coverage = Geprüft: { $ran } von { $applicable } automatischen Prüfungen ({ $percent } %)
overview-incomplete = Unvollständig (fehlende Rechte) – als Administrator bzw. root wiederholen
overview-incomplete-hosts = Unvollständig (fehlende Rechte) auf { $hosts } – als Administrator wiederholen
overview-actions = Zuerst tun:
overview-no-actions = Nichts zu tun.
overview-effort = Aufwand: { $effort }
overview-topics = Themen:
overview-kbv = KBV-Richtlinie (✔ erfüllt, ✖ nicht erfüllt, ○ nicht geprüft, – entfällt):
overview-kbv-anlage = Anl. { $n }: ✔{ $f } ✖{ $nf } ○{ $nc } –{ $na }
overview-kbv-anlage-na = Anl. { $n }: gilt nicht
overview-kbv-profile = { $count ->
    [one] (Anwendbarkeit: 1 Angabe zur Praxis fehlt)
   *[other] (Anwendbarkeit: { $count } Angaben zur Praxis fehlen)
}
overview-advisories = Sicherheitshinweise: { $id } Version { $version } vom { $date } ({ $age ->
    [one] 1 Tag alt
   *[other] { $age } Tage alt
})
overview-advisories-stale = Achtung: Die Sicherheitshinweise sind älter als { $days } Tage. Bitte „praxcheck advisories update“ ausführen.
overview-open = Offen: { $critical } kritisch · { $high } hoch · { $medium } mittel · { $low } niedrig (Einzelheiten: --format text)
overview-accepted = { $count ->
    [one] 1 Risiko akzeptiert
   *[other] { $count } Risiken akzeptiert
}
overview-compare = Seit { $date }: { $fixed } behoben · { $new } neu · { $unchanged } unverändert (Punkte { $old } → { $score })
overview-machines = Rechner:
incident-title = ⚠ ANGRIFFSSPUREN GEFUNDEN – jetzt:
incident-1 = 1. Betroffene Rechner vom Netz trennen (Kabel/WLAN), nicht ausschalten, nichts löschen.
incident-2 = 2. IT-Dienstleister anrufen; Protokolle und Rechner für die Untersuchung sichern.
incident-3 = 3. Datenschutzvorfall binnen 72 Stunden der Landesdatenschutzbehörde melden (Art. 33 DSGVO).
incident-note = Protokolle beweisen keinen Einbruch; sie zeigen Versuche und ob der Angriffscode lief.
effort-low = gering
effort-medium = mittel
effort-high = hoch
topic-java = Java
topic-software = Programme
topic-logs = Protokolle
topic-firewall = Firewall
topic-updates = Updates
topic-backup = Sicherung
topic-remote = Fernzugriff
topic-protection = Schutz
topic-network = Netz
topic-ti = TI
topic-organisation = Organisation
check-passed = erfüllt
check-failed = nicht erfüllt
check-accepted = akzeptiert
check-not-checked = nicht geprüft
check-not-applicable = entfällt
kbv-fulfilled = erfüllt
kbv-not-fulfilled = nicht erfüllt
kbv-not-checked = nicht geprüft
kbv-not-applicable = nicht anwendbar
status-vulnerable = verwundbar
status-mitigated = entschärft
status-detected = festgestellt
status-accepted = akzeptiert
html-title = praxcheck – Sicherheitsbericht
html-subtitle-host = Rechner { $host }, geprüft am { $date }
html-subtitle-practice = { $count } Rechner, bewertet am { $date }
html-summary = Auf einen Blick
html-light-label = Ampel
html-score-label = Punkte
html-coverage-label = Prüfabdeckung
html-actions = Die wichtigsten Schritte
html-action-why = Warum
html-action-how = So geht es
html-action-where = Wo
html-topics = Prüfungen nach Thema
html-topic-chart = { $topic }: { $earned } von { $possible } Punkten
html-checks = Alle Prüfungen
html-col-check = Prüfung
html-col-state = Ergebnis
html-col-points = Punkte
html-col-host = Rechner
html-col-missing = fehlt
html-findings = Befunde
html-findings-none = Keine offenen Befunde.
html-col-status = Status
html-col-rule = Regel
html-col-subject = Betrifft
html-col-evidence = Nachweis
html-col-remediation = Maßnahme
html-accepted-by = Akzeptiert bis { $date }: { $reason }
html-machines = Rechner
html-col-os = System
html-col-scanned = Geprüft am
html-col-open = offen
html-kbv = KBV IT-Sicherheitsrichtlinie
html-kbv-note = Nummern und Titel nach der Richtlinie nach § 390 SGB V (Fassung 2025). Die Anforderungstexte sind Umschreibungen und nicht mit dem amtlichen Text abgeglichen. „Nicht geprüft“ heißt nicht „erfüllt“.
html-kbv-anlage-applies-unknown = Anwendbarkeit noch offen (Fragebogen)
html-kbv-anlage-not-applicable = gilt für diese Praxis nicht
html-col-req = Nr.
html-col-title = Anforderung
html-col-deadline = gilt ab
html-col-basis = Grundlage
html-products = Erkannte Praxis- und Gerätesoftware
html-inventory = Inventar
html-inventory-count = { $count } Komponenten; vollständige Liste im JSON-Dokument und in der SBOM.
html-unreadable = Nicht vollständig gelesen
html-compare = Vergleich mit der früheren Prüfung
html-compare-fixed = Behoben
html-compare-new = Neu
html-compare-unchanged = Unverändert
html-footer = Erstellt von praxcheck { $version } mit den Sicherheitshinweisen { $set } (Version { $setversion }, { $date }). Der Bericht enthält keine Patientendaten.
html-demand-unverified = Umschreibung, nicht mit dem amtlichen Text abgeglichen
pdf-engine-missing = Für PDF wird ein Chromium-, Chrome- oder Edge-Browser gebraucht; keiner wurde gefunden (gesucht: { $searched }). Unter Debian/Ubuntu: „apt install chromium“. Alternativ den HTML-Bericht im Browser öffnen und „Drucken → Als PDF speichern“ wählen.
pdf-engine-failed = Der Browser konnte das PDF nicht erzeugen: { $reason }

## command line: assessment, questionnaire, advisory updates (cli crate)

note-duration = Dauer: { $seconds } s
note-report-html = Bericht: { $path }
note-report-json = Dokument: { $path }
note-answers-skipped = Hinweis: Die gespeicherten Antworten werden nicht verwendet ({ $reason }).
error-read-answers = Antwortdatei kann nicht gelesen werden
error-write-answers = Antwortdatei kann nicht geschrieben werden
error-read-facts = Faktendatei kann nicht gelesen werden
error-no-output-dir = Kein Ausgabeordner bestimmbar (HOME nicht gesetzt); bitte PRAXCHECK_OUTPUT_DIR setzen oder --output angeben.
error-no-state-dir = Kein Zustandsordner bestimmbar (HOME nicht gesetzt); bitte PRAXCHECK_STATE_DIR setzen.
error-pdf-needs-output = Für PDF bitte mit --output DATEI angeben, wohin es geschrieben wird.
advisories-details = Quelle: { $source } · { $age } Tage alt · gültig bis { $expires } · { $host } Regeln für Rechner, { $logs } für Protokolle, { $products } Praxisprodukte
advisories-source-embedded = eingebaut
advisories-source-installed = installiert (signiert)
advisories-keys-test = Entwicklungsversion: Aktualisierungen werden mit dem öffentlichen TESTSCHLÜSSEL geprüft, nicht mit dem Schlüssel des Verbands.
advisories-note-unusable = Hinweis: Die installierten Sicherheitshinweise werden nicht verwendet ({ $reason }); es gelten die eingebauten.
advisories-note-expired = Hinweis: Die installierten Sicherheitshinweise sind am { $date } abgelaufen; bitte „praxcheck advisories update“ ausführen.
update-installed = Sicherheitshinweise installiert: { $id } Version { $version } vom { $date } (bisher Version { $previous }), signiert mit Schlüssel { $key }.
update-already = Diese Sicherheitshinweise sind bereits installiert: { $id } Version { $version }.
update-refused = Aktualisierung abgelehnt, die bisherigen Sicherheitshinweise bleiben in Gebrauch.
update-reason-unsigned = Die Datei ist nicht signiert (keine Signatur in { $signature }).
update-reason-bad-signature = { $signature } ist keine minisign-Signatur.
update-reason-wrong-key = Sie ist mit einem Schlüssel signiert, dem praxcheck nicht vertraut ({ $key }; vertraut wird: { $trusted }).
update-reason-tampered = Die Datei wurde nach dem Signieren verändert.
update-reason-legacy = Die Signatur hat ein veraltetes Format; mit aktuellem minisign signieren.
update-reason-not-a-set = Die Datei enthält keine gültigen Sicherheitshinweise: { $detail }
update-reason-wrong-id = Die Sicherheitshinweise haben die Kennung { $found } statt { $expected }.
update-reason-no-expiry = Die Sicherheitshinweise haben kein Ablaufdatum.
update-reason-expired = Die Sicherheitshinweise sind am { $date } abgelaufen.
update-reason-not-newer = Version { $found } ist nicht neuer als die verwendete Version { $current } (Schutz vor dem Einspielen alter Daten).
update-reason-too-large = Die Datei ist mit { $size } Bytes zu groß für Sicherheitshinweise.
update-reason-io = { $detail }
q-intro = Fragebogen zur KBV-IT-Sicherheitsrichtlinie: Fragen, die kein Programm beantworten kann. Zuerst einige Angaben zur Praxis; sie entscheiden, welche Anforderungen gelten.
q-saved-to = Jede Antwort wird sofort gespeichert in { $path }; Sie können jederzeit aufhören und später weitermachen.
q-keys = Antworten: j = ja, n = nein, e = entfällt, Enter = überspringen, ? = Erläuterung, q = beenden.
q-profile = Angaben zur Praxis
q-prompt-yesno = [j/n/e, Enter = überspringen, ?, q]
q-prompt-number = [Zahl, Enter = überspringen, ?, q]
q-invalid = Bitte j, n, e, eine Zahl, ? oder q eingeben – oder Enter zum Überspringen.
q-no-help = (keine weitere Erläuterung)
q-done = Alle Fragen sind beantwortet. Der nächste Bericht zeigt die KBV-Abdeckung mit Ihren Antworten.
q-remaining = { $count ->
    [one] Eine Frage ist noch offen; weitermachen mit „praxcheck questionnaire“.
   *[other] { $count } Fragen sind noch offen; weitermachen mit „praxcheck questionnaire“.
}
q-accept-needs = Zum Akzeptieren eines Risikos bitte --reason TEXT und --until JJJJ-MM-TT angeben.
q-accept-bad-date = Ungültiges oder vergangenes Datum „{ $date }“ (Format JJJJ-MM-TT), oder leere Begründung.
q-accepted-ok = Risiko { $id } akzeptiert bis { $date }; es bleibt im Bericht sichtbar und zählt danach wieder. Gespeichert in { $path }.
q-list-header = Gespeicherte Antworten ({ $path }):
q-list-accepted = akzeptiert: { $id } bis { $date } – { $reason }
q-word-yes = ja
q-word-no = nein
q-word-na = entfällt
help-questionnaire = Fragen beantworten, die kein Programm beantworten kann (KBV-Richtlinie); Risiken akzeptieren
help-questionnaire-answers = Antwortdatei (Standard: answers.json im Zustandsordner)
help-questionnaire-from = Gespeicherte Dokumente; ein geprüfter Windows-Rechner beantwortet die Windows-Frage
help-questionnaire-list = Gespeicherte Antworten und akzeptierte Risiken zeigen statt zu fragen
help-questionnaire-accept = Risiko eines Befunds (Kennung aus dem Bericht) oder einer Regel (CVE oder Regelkennung) akzeptieren
help-questionnaire-reason = Begründung der Akzeptanz (mit --accept)
help-questionnaire-until = Gültig bis JJJJ-MM-TT (mit --accept)
help-questionnaire-by = Wer akzeptiert (mit --accept)
help-questionnaire-host = Nur auf diesem Rechner (mit --accept)
help-advisories-update = Signierte Sicherheitshinweise aus einer Datei installieren
help-advisories-update-from = Die Datei mit den Sicherheitshinweisen; die Signatur liegt in DATEI.minisig
help-advisories-update-signature = Die minisign-Signaturdatei, falls sie anders heißt
help-output-answers = Antwortdatei (Standard: answers.json im Zustandsordner)
help-report-compare = Dokument einer früheren Prüfung (mehrfach möglich): zeigt Behobenes, Neues und Unverändertes
help-scan-no_save = HTML-Bericht und JSON-Dokument nicht im Ausgabeordner ablegen

## --- network scan (issue 12) ---
help-net = Das Praxisnetz auf riskante Dienste prüfen, auf Geräten, auf denen praxcheck nicht laufen kann (Medizingeräte, Drucker, TI-Konnektor)
help-net-targets = Adressen, Bereiche (10.0.0.1-20) oder CIDR (10.0.0.0/24); ohne Angabe: die privaten Netze der Schnittstellen dieses Computers
help-net-allow_public = Öffentliche (nicht private) Adressen erlauben
help-net-large = Mehr als ein /22 erlauben (1024 Adressen; nie mehr als ein /16)
help-net-no_anonymous_ftp = Die anonyme FTP-Anmeldung nicht versuchen (die einzige Anmeldung, die praxcheck je sendet)
net-progress = Das Praxisnetz wird geprüft
net-error-public = das Ziel ist kein privater Adressbereich; dafür ist --allow-public nötig
net-error-large = die Ziele umfassen mehr als 1024 Adressen (ein /22); dafür --large angeben (höchstens ein /16)
net-error-no-targets = keine Ziele angegeben und kein privates Netz an diesem Computer gefunden
net-error-failed = die Netzwerkprüfung konnte nicht laufen
## --- agent: scheduled daily check, packaging, repeat-scan cache (issue 15) ---
help-agent = Täglicher Check: einrichten, Zustand zeigen, entfernen, ausführen
help-agent-install = Systemd-Dienst und -Timer des täglichen Checks schreiben und aktivieren
help-agent-install-root = Unterhalb dieses Ordners arbeiten statt unter / (Testwurzel; systemctl wird nicht aufgerufen)
help-agent-install-exe = Das Programm, das der Dienst startet (Standard: dieses Programm, unter einer Testwurzel /usr/bin/praxcheck)
help-agent-status = Letzte Prüfung, ihr Ergebnis und die nächste Prüfung zeigen
help-agent-status-root = Unterhalb dieses Ordners nachsehen statt unter /
help-agent-uninstall = Dienst und Timer deaktivieren und entfernen (Berichte und Sicherungen bleiben)
help-agent-uninstall-root = Unterhalb dieses Ordners arbeiten statt unter /
help-agent-run = Eine geplante Prüfung: ganzer Rechner, Berichte in den Berichtsordner (das startet der Timer)
help-agent-run-keep = Wie viele Prüfungen je Rechner im Berichtsordner bleiben
help-generate = Handbuchseiten, Shell-Vervollständigung oder Systemd-Einheiten erzeugen (für Pakete)
help-generate-what = Was erzeugt wird
help-generate-dir = Zielordner
help-scan-no_cache = Den Zwischenspeicher nicht nutzen: jede Datei neu lesen
agent-install-done = Täglicher Check eingerichtet: { $units }
agent-install-enabled-link = Timer aktiviert (Verknüpfung { $link }).
agent-install-enabled-now = Timer aktiviert und gestartet (systemctl).
agent-install-enabled-boot = Timer aktiviert (systemctl); er läuft ab dem nächsten Systemstart.
agent-uninstall-done = Täglicher Check entfernt ({ $count } Dateien). Berichte und Sicherungen bleiben erhalten.
agent-status-installed = Dienst und Timer: eingerichtet
agent-status-not-installed = Dienst und Timer: nicht eingerichtet (praxcheck agent install)
agent-status-enabled = Timer: aktiviert
agent-status-disabled = Timer: nicht aktiviert
agent-status-next = Nächste Prüfung: { $when }
agent-status-last-trigger = Zuletzt gestartet: { $when }
agent-status-no-run = Letzte Prüfung: noch keine
agent-status-last = Letzte Prüfung: { $started } bis { $finished }, Ergebnis: { $result }
agent-status-running = Prüfung läuft seit { $started }
agent-status-document = Bericht: { $path }
agent-status-detail = Grund: { $detail }
agent-status-state-error = Zustandsdatei nicht lesbar: { $reason }
agent-result-ok = in Ordnung
agent-result-findings = Befunde offen
agent-result-failed = fehlgeschlagen
agent-result-running = läuft
agent-upload-not-enrolled = Hochladen: nicht angemeldet, die Berichte bleiben auf diesem Rechner
agent-upload-not-connected = Hochladen: angemeldet, aber dieses Programm lädt noch nicht hoch
agent-upload-uploaded = Hochladen: erledigt ({ $detail })
agent-upload-failed = Hochladen fehlgeschlagen: { $reason }
agent-run-locked = Eine Prüfung läuft bereits; diese startet kein zweites Mal.
agent-run-done = Prüfung beendet, Ergebnis: { $result }; { $rotated } alte Berichtsdateien entfernt.
## --- hostile and unlucky inputs (issue 11) ---
harden-bad-today = PRAXCHECK_TODAY „{ $value }“ ist kein Datum der Form JJJJ-MM-TT zwischen 2000 und 2999
harden-bad-lang = Sprache „{ $value }“ wird nicht unterstützt (de oder en)
## --- Windows (issue 16) ---
hostwin-pwsh-missing = Windows PowerShell fehlt oder startet nicht (Teil { $part }); diese Angabe kennt nur PowerShell.
hostwin-pwsh-constrained = PowerShell läuft im eingeschränkten Sprachmodus (Constrained Language Mode, etwa durch AppLocker oder WDAC); Teil { $part } konnte nicht laufen.
hostwin-pwsh-no-output = PowerShell lieferte keine Ausgabe (Teil { $part }, Rückgabewert { $code }).
hostwin-pwsh-killed = PowerShell wurde ohne Rückgabewert beendet und lieferte keine Ausgabe (Teil { $part }).
hostwin-pwsh-timeout = PowerShell hat Teil { $part } nicht in der vorgesehenen Zeit beendet.
hostwin-pwsh-disabled = In dieser Betriebsart werden keine Befehle ausgeführt (PowerShell-Teil { $part }).
hostwin-pwsh-failed = PowerShell konnte nicht gestartet werden (Teil { $part }): { $reason }
## --- the association's service: enroll and upload (issue 13) ---
service-pin-mismatch = { $url }: Der Server zeigt den TLS-Schlüssel { $presented }, angemeldet wurde aber mit { $pinned }. Verbindung abgelehnt: ein anderer Server oder jemand dazwischen. Hat der Verband den Schlüssel wirklich gewechselt, bitte dort ein neues Anmelde-Token anfordern.
service-unreachable = { $url } ist nicht erreichbar ({ $reason }). Die Berichte bleiben auf diesem Rechner im Zwischenspeicher und gehen beim nächsten Hochladen mit.
service-refused = { $url } hat abgelehnt ({ $status }): { $reason }
service-not-enrolled = Dieser Rechner ist beim Dienst des Verbands nicht angemeldet ({ $path }). Zuerst „praxcheck enroll URL TOKEN“ ausführen.
## --- web pages (issue 14) ---
web-skip = Zum Inhalt springen
web-nav-label = Hauptnavigation
web-nav-fleet = Übersicht Verband
web-nav-practices = Praxen
web-nav-stale = Stille Agenten
web-nav-practice = Meine Praxis
web-logout = Abmelden
web-back-home = Zur Startseite
web-error-title = Fehler
web-error-not-found = Diese Seite gibt es nicht.
web-error-internal = Auf dem Server ist ein Fehler aufgetreten; es wurde nichts geändert.
web-login-title = Anmelden
web-login-email = E-Mail-Adresse
web-login-password = Passwort
web-login-submit = Anmelden
web-login-wrong = E-Mail-Adresse oder Passwort ist falsch.
web-login-blocked = Zu viele Fehlversuche. Bitte warten Sie 15 Minuten.
web-practice-title = Praxis
web-practice = Praxis
web-status-heading = Sicherheitsstatus
web-score = Punktzahl
web-light = Ampel
web-light-red = Rot
web-light-yellow = Gelb
web-light-green = Grün
web-light-none = Noch nicht bewertet
web-report-download = Bericht herunterladen (HTML)
web-no-uploads = Von dieser Praxis ist noch kein Prüfergebnis eingegangen.
web-first-steps = Die ersten drei Schritte
web-machines = Rechner
web-machine = Rechner
web-last-upload = Letzte Übertragung
web-never = nie
web-stale-warning = Agent meldet sich nicht mehr
web-trend-title = Verlauf von Punktzahl und offenen Befunden
web-trend-score = Punktzahl
web-trend-open = Offene Befunde
web-trend-table = Verlauf als Tabelle
web-date = Datum
web-findings = Befunde
web-no-findings = Keine Befunde.
web-severity = Schwere
web-severity-info = Hinweis
web-severity-low = Niedrig
web-severity-medium = Mittel
web-severity-high = Hoch
web-severity-critical = Kritisch
web-state = Zustand
web-status-vulnerable = verwundbar
web-status-mitigated = entschärft
web-status-undetermined = unklar
web-status-detected = festgestellt
web-status-accepted = Risiko akzeptiert
web-remediation = Was zu tun ist
web-evidence = Nachweis
web-kbv = Abdeckung der KBV-IT-Sicherheitsrichtlinie
web-kbv-anlage = Anlage
web-kbv-fulfilled = Erfüllt
web-kbv-not-fulfilled = Nicht erfüllt
web-kbv-not-checked = Nicht geprüft
web-kbv-not-applicable = Nicht zutreffend
web-risks = Akzeptierte Risiken
web-no-risks = Keine akzeptierten Risiken.
web-risk-rule = Befund
web-risk-reason = Begründung
web-risk-expires = Gültig bis
web-risk-by = Akzeptiert von
web-risk-accept = Risiko akzeptieren
web-risk-submit = Risiko akzeptieren
web-tokens = Anmelde-Token für Rechner
web-token-created = Neues Anmelde-Token (wird nur jetzt angezeigt):
web-token-uses = Rechner
web-token-days = Tage gültig
web-token-create = Token erstellen
web-token-id = Kennung
web-token-expires = Läuft ab
web-token-used = Genutzt
web-token-revoke = Widerrufen
web-token-inactive = nicht mehr gültig
web-grant = Einsicht für den Verband
web-grant-on = Der Verband darf diese Seite einsehen.
web-grant-off = Der Verband sieht von dieser Praxis nur Zahlen in Gruppen.
web-grant-give = Einsicht erlauben
web-grant-withdraw = Einsicht zurücknehmen
web-fleet-title = Übersicht des Verbands
web-fleet-practices = Praxen
web-fleet-min-group = Gruppen unter 5 Praxen werden nicht genau angezeigt.
web-fewer-than = weniger als { $n }
web-fleet-lights = Praxen nach Ampel (schlechtester Rechner)
web-fleet-scores = Praxen nach Punktzahl (schwächster Rechner)
web-fleet-advisories = Sicherheitsmeldungen mit den meisten betroffenen Praxen
web-fleet-no-impacts = Noch keine Sicherheitsmeldung hat Praxen betroffen.
web-advisory = Sicherheitsmeldung
web-fleet-stale-hosts = Rechner ohne Meldung
web-fleet-set = Verwendete Sicherheitsmeldungen
web-fleet-set-version = Version
web-fleet-set-age = Tage alt
web-fleet-set-old = veraltet
web-practices-title = Praxen mit Einsicht
web-practices-granted-only = Hier stehen nur Praxen, die dem Verband Einsicht erlaubt haben.
web-filter = Filtern
web-filter-all = Alle
web-pages = Seiten
web-prev = Vorherige Seite
web-next = Nächste Seite
web-stale-title = Praxen mit stillen Agenten
web-stale-intro = Rechner, die seit mehr Tagen keine Prüfergebnisse übertragen haben als
web-stale-since = Still seit
web-impact-title = Betroffenheit
web-impact-practices = Betroffene Praxen
web-impact-hosts = Betroffene Rechner
web-impact-first = Zuerst gefunden
web-impact-named = Betroffene Praxen mit Einsicht

# --- network: the active Log4Shell probe (issue 12) ---
help-net-active = Zusätzlich die aktive Log4Shell-Prüfung an jedem gefundenen Webdienst: Anfragen mit einer JNDI-Abfrage an den eigenen LDAP-Empfänger von praxcheck auf diesem Computer (kein Dienst außerhalb)
help-net-callback_port = Port des LDAP-Empfängers der aktiven Prüfung (Standard: ein freier Port; in der Firewall dieses Computers freigeben, damit Rückrufe ankommen)

# --- hostile input in the collectors (issue 11) ---
reason-path-too-long = Pfad zu lang zum Öffnen; darunter nicht gelesen
web-report-download-pdf = Bericht herunterladen (PDF)
service-scan-uploaded = An den Dienst des Verbands übertragen (Upload { $ids }).
service-scan-not-uploaded = Nicht an den Dienst des Verbands übertragen: { $reason }
## --- the association's service: command help (issue 13) ---
help-serve = Den Dienst des Verbands betreiben (Anmeldung, Hochladen, Neubewertung bei neuen Warnungen)
help-serve-data = Datenordner der eingebauten Datenbank (Standard: PRAXCHECK_DATA_DIR oder <Zustandsordner>/server)
help-serve-database = Stattdessen PostgreSQL: postgres://benutzer@rechner/datenbank
help-serve-listen = Adresse, auf der der Dienst lauscht
help-serve-public_url = Die Adresse, unter der Rechner den Dienst erreichen (steht in den Anmelde-Tokens)
help-serve-tls_cert = TLS-Zertifikat (PEM)
help-serve-tls_key = Privater TLS-Schlüssel (PEM)
help-serve-plain_http = Unverschlüsseltes HTTP (hinter einem TLS-Reverse-Proxy oder nur auf 127.0.0.1); ohne dies und ohne Zertifikat erzeugt der Dienst ein eigenes im Datenordner
help-serve-smtp = SMTP-Server, über den die Ansprechpartner der Praxen benachrichtigt werden, wenn neue Warnungen ihre Rechner betreffen: smtp://rechner:port (unverschlüsselt, ein Relay des Verbands)
help-serve-smtp_from = Absenderadresse dieser E-Mails
help-serve-webhook = Webhook, der benachrichtigt wird (JSON: Warnungen und Anzahlen), wenn neue Warnungen Rechner betreffen
help-serve-webhook_secret_file = Datei mit dem HMAC-SHA256-Geheimnis des Webhooks (Kopfzeile X-Praxcheck-Signature)
help-admin = Den Dienst verwalten: Praxen, Anmelde-Tokens, Schlüssel, Warnungen, Aufbewahrung
help-admin-data = Datenordner der eingebauten Datenbank (wie bei serve)
help-admin-database = Stattdessen PostgreSQL: postgres://benutzer@rechner/datenbank
help-admin-token-create-practice = Nummer oder Name der Praxis
help-admin-token-create-uses = Wie viele Rechner sich damit anmelden dürfen
help-admin-token-create-days = Tage bis zum Ablauf
help-admin-token-create-url = Adresse des Dienstes, die ins Token geschrieben wird
help-admin-token-create-tls_cert = Zertifikat des Dienstes (PEM), dessen Schlüssel das Token festschreibt (Standard: das von serve erzeugte im Datenordner, bei https)
help-enroll = Diesen Rechner beim Dienst des Verbands anmelden
help-enroll-url = Adresse des Dienstes
help-enroll-token = Anmelde-Token vom Verband
help-upload = Berichte an den Dienst des Verbands übertragen
help-upload-files = praxcheck-JSON-Dokumente
help-scan-upload = Danach den Bericht an den Dienst des Verbands übertragen (nach praxcheck enroll); ist er nicht erreichbar, wartet der Bericht im Zwischenspeicher

# --- report: network findings in the text output (issue 12) ---
net-summary-title = Netzwerk (geprüft von { $host }): { $devices } Geräte gefunden
net-summary-none = Keine offenen Befunde im Netzwerk.

# --- report: log findings per file (issue 11 item 7) ---
logs-file-traces = { $count ->
    [one] eine Spur, Zeile { $first }
   *[other] { $count } Spuren, Zeilen { $first }–{ $last }
}
logs-files-unlisted = { $count } weitere Spuren in Dateien, die nicht einzeln aufgeführt sind
# --- server: notification of the association (issue 13, round two) ---
notify-mail-subject = praxcheck: neue Sicherheitswarnung betrifft { $hosts } Rechner Ihrer Praxis
notify-mail-intro = Die Warnliste Version { $version } betrifft { $hosts } Rechner der Praxis „{ $practice }“:
notify-mail-advisory = { $advisory }: { $hosts } Rechner
notify-mail-hosts = Betroffene Rechner: { $names }
notify-mail-link = Einzelheiten und Abhilfe: { $link }

# --- network: device firmware and practice databases (issue 12, round three) ---
help-net-servers = Adresse des Praxisservers (mehrfach möglich): eine Datenbank dort ist am richtigen Ort, eine Datenbank auf jedem anderen Gerät wird gemeldet
# --- cli: the frame of every help page, German first (issue 10 / issue 11 item 6) ---
help-heading-usage = Aufruf
help-heading-commands = Befehle
help-heading-arguments = Argumente
help-heading-options = Optionen
help-flag-help = Hilfe anzeigen
help-flag-version = Version anzeigen
help-subcommand-help = Diese Hilfe oder die Hilfe der genannten Befehle anzeigen
# --- server: error answers of the HTTP API (issue 13, round three) ---
server-error-bad-request = Ungültige Anfrage
server-error-credential-missing = Zugangsdaten fehlen oder sind fehlerhaft (Authorization: Bearer …)
server-error-credential-rejected = Zugangsdaten abgelehnt; der Rechner meldet sich mit seinem Geheimnis neu an
server-error-not-found = Nicht gefunden
server-error-no-such-endpoint = Diese Adresse gibt es im Dienst nicht
server-error-too-many-requests = Zu viele Anfragen; bitte später erneut versuchen
server-error-unavailable = Der Dienst ist vorübergehend nicht verfügbar, nichts wurde gespeichert
server-error-internal = Interner Fehler, nichts wurde gespeichert
server-error-storage-full = Der Speicher des Dienstes ist voll, nichts wurde gespeichert; bitte später erneut senden
server-error-storage-unavailable = Der Speicher des Dienstes ist nicht erreichbar, nichts wurde gespeichert
server-error-shutting-down = Der Dienst wird gerade beendet, nichts wurde gespeichert
server-error-upload-id-missing = Die Kopfzeile Upload-Id fehlt
server-error-upload-id-invalid = Eine Upload-Id (Kopfzeile Upload-Id) hat 1–100 Zeichen aus A–Z a–z 0–9 . _ -
server-error-not-a-document = Kein praxcheck-Dokument, das dieser Dienst lesen kann
server-error-csaf-invalid = Keine verwendbare CSAF-2.0-Sicherheitsmeldung
# web pages, round three (issue 14): the account page and the second factor (TOTP)
web-nav-account = Mein Konto
web-account-title = Mein Konto
web-login-code-title = Bestätigungscode
web-totp-heading = Zweiter Faktor (Einmalcode)
web-totp-explain = Mit einem zweiten Faktor verlangt die Anmeldung nach dem Passwort zusätzlich einen sechsstelligen Code aus einer Authenticator-App.
web-totp-is-on = Der zweite Faktor ist eingeschaltet.
web-totp-is-off = Der zweite Faktor ist ausgeschaltet.
web-totp-start = Zweiten Faktor einrichten
web-totp-renew = Neuen Schlüssel einrichten
web-totp-once = Dieser Schlüssel wird nur jetzt angezeigt. Richten Sie ihn in Ihrer App ein und bestätigen Sie mit einem Code.
web-totp-scan = QR-Code für die Authenticator-App
web-totp-secret = Schlüssel zum Abtippen
web-totp-uri = Einrichtungs-Link (otpauth)
web-totp-code = Sechsstelliger Code aus der App
web-totp-confirm = Bestätigen und einschalten
web-totp-off = Zweiten Faktor ausschalten
web-totp-wrong = Der Code ist falsch, abgelaufen oder wurde schon benutzt.
web-totp-now-on = Der zweite Faktor ist jetzt eingeschaltet.
web-totp-now-off = Der zweite Faktor ist jetzt ausgeschaltet.
help-admin-user-reset-totp = Den zweiten Faktor (TOTP) eines Benutzers ausschalten, z. B. nach Verlust des Telefons, und seine Sitzungen beenden; danach meldet er sich mit dem Passwort an und kann ihn neu einrichten
help-admin-user-reset-totp-email = E-Mail-Adresse des Benutzers
# web pages, round three (issue 14): an advisory's impact over time
web-impact-practices-now = Davon noch betroffen
web-impact-hosts-now = Noch betroffene Rechner
web-impact-fixed = Praxen, die nicht mehr betroffen sind
web-impact-fixed-since = Behoben seit
web-impact-chart = Betroffene Rechner im Zeitverlauf
# --- harden3: javascan, fix, logscan, csv (issue 11, round three) ---
overview-incomplete-limit = Unvollständig ({ $causes }) – siehe „nicht gelesen“ im Bericht
overview-incomplete-limit-hosts = Unvollständig ({ $causes }) auf { $hosts }
summary-incomplete-limit = Achtung: Die Prüfung ist unvollständig ({ $causes }); was nicht gelesen wurde, steht oben.
incomplete-cause-rights = fehlende Rechte
incomplete-cause-depth = Verschachtelungsgrenze erreicht
incomplete-cause-size = Größengrenze erreicht
incomplete-cause-path = Pfad zu lang
incomplete-cause-unknown = nicht alles gelesen
fix-problem-link = Eintrag { $id }: { $path } führt inzwischen über einen symbolischen Link; wiederhergestellt wird nur unter dem echten Pfad, den die Änderung aufgezeichnet hat
# --- server4: the service's error reasons and practice webhooks (issue 13, round four) ---
server-error-body-invalid = Der Inhalt der Anfrage ist kein gültiges JSON dieser Schnittstelle
server-error-encoding-unsupported = Diese Content-Encoding wird nicht angenommen (gzip, zstd oder keine)
server-error-body-corrupt = Der komprimierte Inhalt ist beschädigt
server-error-token-invalid = Kein praxcheck-Anmeldeschlüssel
server-error-token-limits-invalid = Ein Anmeldeschlüssel gilt für 1–10000 Anmeldungen und 1–365 Tage
server-error-email-invalid = Keine E-Mail-Adresse
server-error-practice-name-invalid = Ein Praxisname hat 1–200 druckbare Zeichen
server-error-webhook-invalid = Ein Webhook ist eine http(s)-Adresse mit höchstens 2000 Zeichen
server-error-host-facts-invalid = Rechnerangaben: ein Rechnername und höchstens 200 druckbare Zeichen je Angabe
server-error-advisory-id-invalid = Eine Warnungskennung hat 1–100 Zeichen
server-error-key-name-invalid = Ein Schlüsselname hat 1–100 Zeichen
server-error-set-refused = Die Warnliste wurde abgelehnt
server-error-set-invalid = Die Warnliste ist nicht lesbar
server-error-smtp-invalid = --smtp braucht smtp://RECHNER[:PORT] (einen Mail-Relay)
server-error-smtp-from-invalid = --smtp-from ist keine gültige Absenderadresse
server-error-secret-file-unreadable = Die Datei mit dem Webhook-Geheimnis ist nicht lesbar
server-error-secret-file-empty = Die Datei mit dem Webhook-Geheimnis ist leer
server-error-token-refused = Der Anmeldeschlüssel ist unbekannt, abgelaufen, widerrufen oder aufgebraucht
server-error-reenroll-refused = Das Geheimnis zur Neuanmeldung passt nicht; bitte mit einem neuen Anmeldeschlüssel anmelden
server-error-practice-not-found = Diese Praxis gibt es nicht
server-error-host-not-found = Diesen Rechner gibt es nicht
server-error-upload-not-found = Diese Einsendung gibt es nicht
server-error-token-not-found = Diesen gültigen Anmeldeschlüssel gibt es nicht
server-error-practice-exists = Eine Praxis mit diesem Namen gibt es schon
server-error-upload-id-reused = Diese Upload-Id wurde schon für ein anderes Dokument verwendet
server-error-set-not-newer = Die Warnliste ist nicht neuer als die gespeicherte
server-error-csaf-not-newer = Diese CSAF-Meldung ist älter als die gespeicherte Fassung
server-error-body-too-large = Der Inhalt der Anfrage ist zu groß oder nicht lesbar
server-error-document-too-large = Das Dokument ist zu groß
server-error-too-many-components = Das Dokument nennt zu viele Komponenten
server-error-csaf-too-large = Die CSAF-Meldung ist zu groß oder zu tief verschachtelt
server-error-set-too-large = Die Warnliste oder ihre Signatur ist zu groß
server-error-write-interrupted = Das Speichern wurde unterbrochen, nichts wurde bestätigt; bitte erneut senden
server-error-method-not-allowed = Diese Adresse nimmt diese Methode nicht an
server-error-timeout = Die Anfrage hat zu lange gedauert
# --- harden4: support phases of the operating system (issue 11, round four) ---
host-fact-os-extended-support-kind = Wer die erweiterten Sicherheitsupdates bekommt
# --- seams4: evidence as data (issue 10 step 6): what a piece of evidence says ---
evidence-relocated = Klassen verschoben: { $actual } steht für { $canonical }
evidence-archive-root = (Wurzel des Archivs)
evidence-manifest-version = das Manifest nennt Version { $version }
evidence-file-name-version = der Dateiname { $file } nennt Version { $version }
evidence-metadata-overruled = die Metadaten nennen { $version }, die Klassen sind aber eine andere Version; es gelten die Klassen
evidence-class-present = { $class } vorhanden
evidence-class-absent = { $class } fehlt
evidence-class-contains = { $class } enthält „{ $needle }“
evidence-class-lacks = { $class } enthält „{ $needle }“ nicht
evidence-class-allows = { $observation } → { $versions }
evidence-class-contradicts = { $observation } widerspricht den anderen Merkmalen; nicht berücksichtigt
evidence-fingerprint = Inhalt gleich dem Build von { $versions }
host-why-no-backup-in-readable-targets = keine Sicherung in den lesbaren Zielen; nicht geprüft: { $targets }
host-why-no-backup-found = keine Sicherung gefunden
host-why-attachment-unknown = { $target }: ob das Ziel jetzt angeschlossen ist, ist nicht bekannt
host-why-no-signature-date = kein Datum der Virensignaturen gefunden
host-why-no-desktop = keine grafische Oberfläche installiert
host-why-screen-lock-per-user = { $desktop }: die Bildschirmsperre stellt jeder Benutzer selbst ein; nicht gelesen
host-why-no-autologin-password = die automatische Anmeldung unter Linux speichert kein Passwort
host-why-root-not-on-block-device = / liegt auf { $device } (kein Blockgerät, z. B. ein Container oder ein Netzlaufwerk)
host-why-root-not-mounted = das Wurzeldateisystem fehlt in /proc/self/mountinfo
host-why-no-ssh-server = kein OpenSSH-Server installiert
host-why-windows-only = eine Einstellung nur unter Windows
host-why-internal-error = interner Fehler beim Lesen
host-why-hidden-sockets = { $sockets } offene Ports ohne sichtbares Programm: die Prozesse anderer Benutzer ({ $processes }) kann nur root einsehen
host-why-no-os-release = /etc/os-release und /usr/lib/os-release fehlen
host-why-unknown-distribution = die Distribution ist nicht bekannt
host-why-no-version-id = { $file }: keine VERSION_ID (eine fortlaufende oder Test-Version)
host-why-no-version-number = { $distribution } ohne Versionsnummer
host-why-no-end-of-life-data = keine Daten zum Support-Ende für { $distribution } { $version } in der mitgelieferten Tabelle
host-why-no-end-of-life-announced = { $cycle }: noch kein Support-Ende angekündigt
host-why-not-debian-or-red-hat = weder eine Debian- noch eine Red-Hat-Distribution
host-why-no-apt-lists = keine Paketlisten in /var/lib/apt/lists (apt update lief nie, oder die Listen wurden gelöscht)
host-why-no-package-database = weder eine dpkg-Datenbank noch rpm
host-why-no-upgrade-recorded = keine Paketaktualisierung in den Protokollen von apt und dpkg (sie werden nach einigen Monaten gelöscht)
host-why-no-connector-address = keine Konnektor-Adresse angegeben (--connector-address)
# --- Windows (issue 16, round four): a file another program holds open ---
fix-error-held-open = { $path } ist von einem anderen Programm geöffnet und kann nicht ersetzt werden; das Original bleibt. Erst das Programm beenden (z. B. den Dienst der Praxissoftware), dann erneut versuchen ({ $detail })

# --- repeat-scan cache (issue 15, review) ---
cache-not-saved = Der Zwischenspeicher für die nächste Prüfung wurde nicht gesichert (die Prüfung selbst ist vollständig): { $reason }

# issue 10 (seams, round five): why a host fact is unknown, for every kind the collectors give
host-why-file-unreadable = die Datei { $file } ließ sich nicht lesen
host-why-command-failed = der Befehl „{ $command }“ gab keine verwertbare Antwort
host-why-not-understood = der Inhalt von { $source } wurde nicht verstanden
host-why-powershell-failed = PowerShell, die allein das weiß, lieferte nichts (Teil { $part })
host-why-section-failed = der Abschnitt { $section } der Windows-Abfrage schlug fehl
host-why-section-missing = der Abschnitt { $section } fehlt in der Ausgabe der Windows-Abfrage
host-why-section-garbled = der Abschnitt { $section } der Windows-Abfrage ist unlesbar
host-why-value-missing = der Wert { $value } fehlt
host-why-no-automatic-lock = keine automatische Sperre eingerichtet
host-why-system-volume-not-listed = das Systemlaufwerk fehlt in der Liste der Laufwerke
host-why-no-installation-date = keines der { $updates } installierten Updates hat ein lesbares Installationsdatum
host-why-ssh-config-not-read = die Einstellungen des Windows-OpenSSH-Servers werden nicht gelesen
# --- hostile input (issue 11, round five): who gets the extended security updates ---
host-extended-support-free = alle, kostenlos (wie Debian LTS)
host-extended-support-subscription = nur mit Abonnement (wie Ubuntu Pro)
host-extended-support-paid = nur mit bezahlter Lizenz (wie Windows ESU)
# --- repeat-scan cache: why the stored cache was not used (issue 15, round five) ---
cache-discarded-damaged = Der Zwischenspeicher der letzten Prüfung ({ $path }) ist beschädigt oder unvollständig und wurde verworfen; alle Dateien wurden neu gelesen.
cache-discarded-foreign = Der Zwischenspeicher der letzten Prüfung ({ $path }) stammt von einer anderen praxcheck-Version oder anderen Grenzwerten und wurde verworfen; alle Dateien wurden neu gelesen.
cache-discarded-too-large = Der Zwischenspeicher der letzten Prüfung ({ $path }) ist zu groß und wurde verworfen; alle Dateien wurden neu gelesen.
cache-discarded-unreadable = Der Zwischenspeicher der letzten Prüfung ({ $path }) konnte nicht gelesen werden und wurde verworfen; alle Dateien wurden neu gelesen.

# --- thin6: why an operating-system call failed, worded for error messages (issue 10) ---
io-permission-denied = Zugriff verweigert
io-not-found = nicht vorhanden
io-already-exists = existiert bereits
io-is-a-directory = ist ein Ordner
io-not-a-directory = ein Teil des Pfades ist kein Ordner
io-read-only = Dateisystem ist nur lesbar
io-storage-full = kein Platz mehr auf dem Datenträger
io-too-long = Pfad oder Name zu lang
io-broken-pipe = der Empfänger hat die Ausgabe geschlossen
io-unexpected-eof = Datei endet vorzeitig
io-invalid-data = ungültige Daten
io-timed-out = Zeitüberschreitung
io-busy = von einem anderen Programm belegt
io-other = Ein-/Ausgabefehler
io-not-regular = keine normale Datei ({ $kind }); bitte eine Datei angeben
io-kind-pipe = eine benannte Pipe
io-kind-device = ein Gerät
io-kind-socket = ein Socket
io-kind-folder = ein Ordner
io-kind-other = keine Datei
io-too-large = größer als { $cap } Bytes; nicht gelesen
error-write-stdout = Standardausgabe kann nicht geschrieben werden
net-error-bad-target = { $target } ist weder eine IP-Adresse noch ein Adressbereich (z. B. 192.168.1.0/24)
io-refused-foreign-link = { $link } ist ein symbolischer Link eines anderen Benutzers (uid { $owner }) in einem gemeinsamen Ordner; nicht gefolgt
io-refused-system-link = { $link } ist ein symbolischer Link in den Systemordner { $target }; nicht gefolgt
io-refused-foreign-target = { $link } ist ein symbolischer Link eines anderen Benutzers auf { $target }, das diesem nicht gehört; nicht gefolgt
io-refused-block-device = { $path } ist ein Blockgerät (Datenträger); nicht beschrieben
io-refused-folder = { $path } ist ein Ordner
