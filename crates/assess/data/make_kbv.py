import json
def T(de,en): return {"de":de,"en":en}
OCT={1:set(list(range(1,11))+[14,15,16,17,22,23,24,25,26,40,41,50]),3:{1,2,15,16,17},5:{5,6}}
reqs=[]
def R(anl,nr,topic,title,demand,basis,question=None,facts=None,rules=None,auto="none",cond=None,scored=None):
    r={"id":f"A{anl}-{nr}","anlage":anl,"number":nr,"topic":topic,"title":title,"demand":demand,
       "demand_basis":basis,"verified_against_pdf":False,
       "deadline":"2025-10-01" if nr in OCT.get(anl,set()) else "2025-04-01"}
    if cond: r["applies_if"]=cond
    r["automated"]=auto
    if facts: r["facts"]=facts
    if rules: r["rules"]=rules
    if question: r["question"]=question
    if scored: r["scored"]=scored
    reqs.append(r)
GS="grundschutz"; ZM="kzbv-text"; SEC="secondary"; TITLE="title-only"
P=T("Personal","Staff"); S=T("Sensibilisierung","Awareness"); N=T("Netzwerksicherheit","Network security")
PA=T("Patch- und Änderungsmanagement","Patch and change management"); E=T("Endgeräte","End devices")
W=T("Windows","Windows"); MOB=T("Smartphone und Tablet","Smartphone and tablet"); PHONE=T("Mobiltelefon","Mobile phone")
MED=T("Wechseldatenträger","Removable media"); MAIL=T("E-Mail","E-mail"); APPS=T("Apps","Apps")
WEBP=T("Internet-Anwendungen (Anbieter)","Web applications (provider)"); WEBU=T("Internet-Anwendungen (Anwender)","Web applications (user)")
CLOUD=T("Cloud-Anwendungen","Cloud applications")
MOBC={"profile":"mobile_devices"}; MEDIAC={"profile":"removable_media"}; SHIPC={"profile":"media_shipping"}
WEBC={"profile":"web_app"}; CLOUDC={"profile":"cloud"}; WINC={"profile":"windows"}; MAILC={"profile":"mail_server"}
# Anlage 1
R(1,1,P,T("Geregelte Einarbeitung neuer Mitarbeitender","Structured onboarding of new staff"),
  T("Neue Mitarbeitende werden in ihre Aufgaben eingearbeitet und über die geltenden Regeln informiert; eine Checkliste oder feste Ansprechperson hilft.","New staff are introduced to their tasks and told the rules that apply; a checklist or a named contact person helps."),GS,
  T("Werden neue Mitarbeitende nach einer festen Checkliste eingearbeitet und über die Sicherheitsregeln der Praxis informiert?","Are new staff onboarded with a fixed checklist and told the practice's security rules?"))
R(1,2,P,T("Geregelte Verfahrensweise beim Weggang von Mitarbeitenden","Structured procedure when staff leave"),
  T("Beim Weggang werden Unterlagen, Schlüssel, Geräte und Zugänge zurückgenommen, Konten gesperrt und an die Verschwiegenheit erinnert.","When staff leave, documents, keys, devices and access are taken back, accounts are disabled and confidentiality is recalled."),GS,
  T("Werden beim Ausscheiden von Mitarbeitenden Schlüssel, Geräte und Zugänge zurückgenommen und ihre Konten gesperrt?","When staff leave, are keys, devices and access taken back and their accounts disabled?"),
  facts=["accounts.stale"],auto="partial")
R(1,3,P,T("Festlegung von Regelungen für den Einsatz von Fremdpersonal","Rules for external staff"),
  T("Externe Personen werden an die Regeln der Praxis gebunden, kurzfristig Tätige beaufsichtigt; Zugänge werden bei Ende der Tätigkeit zurückgenommen.","External people are bound to the practice's rules, short-term workers are supervised; access is withdrawn when the work ends."),GS,
  T("Sind externe Personen (IT-Dienstleister, Reinigung, Techniker) an Ihre Regeln gebunden, und werden kurzfristig Tätige beaufsichtigt?","Are external people (IT provider, cleaning, technicians) bound to your rules, and are short-term workers supervised?"))
R(1,4,P,T("Vertraulichkeitsvereinbarungen für den Einsatz von Fremdpersonal","Confidentiality agreements for external staff"),
  T("Externe Personen unterschreiben eine Vertraulichkeitsvereinbarung, bevor sie Zugang zu Informationen erhalten.","External people sign a confidentiality agreement before they get access to information."),GS,
  T("Unterschreiben externe Personen eine Vertraulichkeitsvereinbarung, bevor sie Zugang zu Räumen oder IT bekommen?","Do external people sign a confidentiality agreement before they get access to rooms or IT?"))
R(1,5,P,T("Aufgaben und Zuständigkeiten von Mitarbeitenden","Duties and responsibilities of staff"),
  T("Aufgaben und Zuständigkeiten sind dokumentiert; Mitarbeitende sind auf Gesetze und interne Regeln verpflichtet.","Duties and responsibilities are documented; staff are bound to the law and internal rules."),GS,
  T("Sind Aufgaben und Zuständigkeiten der Mitarbeitenden schriftlich festgelegt und sind alle auf die Regeln verpflichtet?","Are staff duties and responsibilities written down, and is everyone bound to the rules?"))
R(1,6,P,T("Qualifikation des Personals","Qualification of staff"),
  T("Mitarbeitende werden regelmäßig geschult und nur in Rollen eingesetzt, für die sie qualifiziert sind.","Staff are trained regularly and only work in roles they are qualified for."),GS,
  T("Werden Mitarbeitende regelmäßig fortgebildet und nur für Aufgaben eingesetzt, für die sie qualifiziert sind?","Are staff trained regularly and only given tasks they are qualified for?"))
R(1,7,P,T("Überprüfung der Vertrauenswürdigkeit von Mitarbeitenden","Checking the trustworthiness of staff"),
  T("Angaben und Lebenslauf von Bewerbenden werden vor der Einstellung auf Plausibilität geprüft.","Applicants' details and CV are checked for plausibility before hiring."),GS,
  T("Werden Angaben und Lebenslauf von Bewerbenden vor der Einstellung auf Plausibilität geprüft?","Are applicants' details and CV checked for plausibility before hiring?"))
R(1,8,S,T("Sensibilisierung der Praxisleitung für Informationssicherheit","Awareness of the practice management for information security"),
  T("Die Praxisleitung ist für Informationssicherheit sensibilisiert, unterstützt sie und geht mit gutem Beispiel voran.","The practice management is aware of information security, supports it and leads by example."),GS,
  T("Kümmert sich die Praxisleitung sichtbar um Informationssicherheit und hält sich selbst an die Regeln?","Does the practice management visibly take care of information security and follow the rules itself?"),
  scored={"topic":"organisation","points":3})
R(1,9,S,T("Einweisung des Personals in den sicheren Umgang mit IT","Instructing staff in the safe use of IT"),
  T("Alle Mitarbeitenden und externen Nutzenden werden in den sicheren Umgang mit der IT eingewiesen; verbindliche Nutzungsregeln liegen vor.","All staff and external users are instructed in the safe use of IT; binding usage rules exist."),GS,
  T("Sind alle Mitarbeitenden in den sicheren Umgang mit der IT eingewiesen, und gibt es verbindliche Nutzungsregeln?","Are all staff instructed in the safe use of IT, and are there binding usage rules?"))
R(1,10,S,T("Durchführung von Sensibilisierungen und Schulungen","Awareness sessions and training"),
  T("Alle Mitarbeitenden werden ihrer Rolle entsprechend geschult; Sekundärquellen nennen eine dokumentierte Schulung mindestens jährlich.","All staff are trained according to their role; secondary sources name documented training at least yearly."),GS,
  T("Gab es in den letzten 12 Monaten eine dokumentierte Schulung zur Informationssicherheit für alle Mitarbeitenden?","Was there documented information security training for all staff in the last 12 months?"),
  scored={"topic":"organisation","points":5})
R(1,11,N,T("Absicherung der Netzübergangspunkte","Protecting network transition points"),
  T("Der Übergang in andere Netze, besonders ins Internet, wird durch eine Firewall geschützt; unerlaubte eingehende Verbindungen werden verhindert, ausgehende sollten auf erlaubte beschränkt sein.","The transition to other networks, especially the internet, is protected by a firewall; unauthorised inbound connections are prevented, outbound ones should be limited to allowed ones."),ZM,
  T("Regelt eine Firewall (im Router oder als eigenes Gerät) den Verkehr zwischen Praxisnetz und Internet, und sind Portfreigaben auf das Nötige beschränkt?","Does a firewall (in the router or a device of its own) control traffic between the practice network and the internet, with port forwardings limited to what is needed?"),
  facts=["firewall.enabled","remote.rdp.enabled","ti.mode"],rules=["PRAX-HOST-FIREWALL-OFF","PRAX-HOST-RDP-NO-NLA","PRAX-HOST-TI-PARALLEL","PRAX-LOG-LOOKUP-EXECUTED","PRAX-LOG-PAYLOAD-SEEN"],auto="partial")
R(1,12,N,T("Dokumentation des Netzes","Documentation of the network"),
  T("Das interne Netz einschließlich eines Netzplans ist dokumentiert.","The internal network, including a network plan, is documented."),ZM,
  T("Gibt es einen aktuellen Netzplan, der zeigt, welche Geräte wie verbunden sind?","Is there a current network plan showing which devices are connected how?"),
  facts=["net.hosts"],auto="partial")
R(1,13,N,T("Grundlegende Authentisierung für den Netzmanagement-Zugriff","Basic authentication for network management access"),
  T("Der Verwaltungszugang zu Netzkomponenten ist durch eine geeignete Anmeldung geschützt; Standardpasswörter sind geändert (nach dem IT-Grundschutz-Vorbild).","Management access to network components is protected by suitable authentication; default passwords are changed (following the IT-Grundschutz model)."),ZM,
  T("Sind die Standardpasswörter an Router, Switches, NAS, Druckern und Konnektor geändert, und ist deren Verwaltung nur mit Anmeldung erreichbar?","Are the default passwords of router, switches, NAS, printers and connector changed, and is their management reachable only with a logon?"),
  facts=["net.plaintext_management","remote.tools.unattended"],rules=["PRAX-HOST-REMOTE-TOOL-UNATTENDED"],auto="partial",scored={"topic":"network","points":5})
R(1,14,PA,T("Installation von Updates","Installing updates"),
  T("Updates werden zeitnah nach ihrer Veröffentlichung installiert.","Updates are installed promptly after their release."),ZM,
  facts=["updates.days_since_last_installed","updates.pending_security_count"],rules=["PRAX-HOST-UPDATES-OLD","PRAX-HOST-UPDATES-PENDING","PRAX-HOST-SMB1"],auto="full")
R(1,15,PA,T("Verantwortlichkeit für Updates","Responsibility for updates"),
  T("Es ist festgelegt, wer Updates installiert; diese Person ist dafür geschult und befugt.","It is decided who installs updates; that person is trained and authorised."),ZM,
  T("Ist festgelegt, wer Updates einspielt, und ist diese Person dafür geschult und befugt?","Is it decided who installs updates, and is that person trained and authorised?"),
  scored={"topic":"updates","points":3})
R(1,16,PA,T("Identifizierung ausbleibender Updates","Identifying missing updates"),
  T("Hardware, Betriebssysteme, Anwendungen und Dienste, die keine Sicherheitsupdates mehr erhalten, werden erkannt.","Hardware, operating systems, applications and services that no longer receive security updates are identified."),ZM,
  T("Wissen Sie für alle Geräte – auch Medizingeräte, Router und Drucker –, ob sie noch Sicherheitsupdates bekommen?","Do you know for every device – medical devices, router and printers too – whether it still receives security updates?"),
  facts=["os.past_end_of_life"],rules=["PRAX-HOST-OS-EOL","PRAX-HOST-SMB1"],auto="partial")
R(1,17,PA,T("Ausmusterung oder Separierung bei ausbleibenden Updates","Retiring or separating systems without updates"),
  T("Systeme ohne Sicherheitsupdates werden ausgemustert oder getrennt in einem eigenen Netzsegment betrieben.","Systems without security updates are retired or run separated in a network segment of their own."),ZM,
  T("Werden Geräte ohne Sicherheitsupdates ausgemustert oder in einem eigenen, abgetrennten Netz betrieben?","Are devices without security updates retired or run in a separate network of their own?"),
  facts=["os.past_end_of_life"],rules=["PRAX-HOST-OS-EOL"],auto="partial")
R(1,18,E,T("Verhinderung der unautorisierten Nutzung von Rechner-Mikrofonen und Kameras","Preventing unauthorised use of computer microphones and cameras"),
  T("Mikrofon und Kamera sind standardmäßig aus und werden nur bei Bedarf vorübergehend direkt am Gerät eingeschaltet.","Microphone and camera are off by default and switched on only temporarily, directly on the device, when needed."),ZM,
  T("Sind Mikrofone und Kameras der Computer ausgeschaltet, solange sie nicht gebraucht werden?","Are the computers' microphones and cameras off while they are not needed?"),
  facts=["privacy.camera_default_off","privacy.microphone_default_off"],auto="partial")
R(1,19,E,T("Abmelden nach Aufgabenerfüllung","Logging off after finishing a task"),
  T("Nach Erledigung der Aufgabe wird abgemeldet bzw. der Bildschirm gesperrt; eine automatische Sperre greift bei Inaktivität (Text gekürzt gefunden).","After finishing a task users log off or lock the screen; an automatic lock starts after inactivity (text found truncated)."),ZM,
  T("Melden sich alle beim Verlassen des Arbeitsplatzes ab oder sperren den Bildschirm – auch am Empfang?","Does everyone log off or lock the screen when leaving the desk – at the reception too?"),
  facts=["screenlock.enabled","screenlock.timeout_seconds","logon.autologon"],rules=["PRAX-HOST-SCREENLOCK","PRAX-HOST-AUTOLOGON"],auto="partial")
R(1,20,E,T("Einsatz von Viren-Schutzprogrammen","Use of anti-malware programs"),
  T("Auf den Geräten läuft ein Virenschutz, den Nutzende nicht abschalten können; übertragene Dateien werden geprüft.","The devices run anti-malware protection that users cannot switch off; transferred files are scanned."),GS,
  facts=["antimalware.realtime","antimalware.signature_age_days"],rules=["PRAX-HOST-ANTIMALWARE-OFF","PRAX-HOST-ANTIMALWARE-SIGNATURES-OLD"],auto="full")
R(1,21,E,T("Regelmäßige Datensicherung","Regular backups"),
  T("Daten werden regelmäßig nach einem Sicherungsplan gesichert; empfohlen ist täglich, getrennt von der laufenden IT (Band, abgezogene Festplatte).","Data is backed up regularly according to a backup plan; daily is recommended, kept apart from the running IT (tape, unplugged disk)."),GS,
  T("Wird nach einem festen Plan gesichert – täglich, einschließlich der Datenbank der Praxissoftware?","Is there a fixed backup plan – daily, including the practice software's database?"),
  facts=["backup.found","backup.newest_age_days"],rules=["PRAX-HOST-BACKUP-NONE","PRAX-HOST-BACKUP-STALE","PRAX-HOST-BACKUP-NOT-DAILY"],auto="partial",scored={"topic":"backup","points":5})
R(1,22,E,T("Schutz der Datensicherung","Protecting the backup"),
  T("Sicherungen sind vor unbefugtem Zugriff und vor Zerstörung geschützt (Umschreibung).","Backups are protected against unauthorised access and destruction (paraphrase)."),SEC,
  T("Wird mindestens eine Sicherungskopie getrennt vom Netz (offline) und vor fremdem Zugriff geschützt aufbewahrt?","Is at least one backup copy kept offline, apart from the network, and protected from others?"),
  facts=["backup.newest_target_attached_now"],rules=["PRAX-HOST-BACKUP-ATTACHED"],auto="partial",scored={"topic":"backup","points":6})
R(1,23,E,T("Art der Datensicherung","Kind of backup"),
  T("Art und Verfahren der Datensicherung sind festgelegt (Umschreibung).","The kind and method of backup are defined (paraphrase)."),SEC,
  T("Ist schriftlich festgelegt, was womit und wie oft gesichert wird?","Is it written down what is backed up, with what and how often?"),rules=["PRAX-HOST-BACKUP-NONE"],auto="partial",facts=["backup.found"])
R(1,24,E,T("Verantwortliche der Datensicherung","Persons responsible for backups"),
  T("Eine Person ist für die Datensicherung verantwortlich (Umschreibung).","A person is responsible for backups (paraphrase)."),SEC,
  T("Ist eine Person für die Datensicherung benannt?","Is a person named as responsible for backups?"))
R(1,25,E,T("Test der Datensicherung","Testing the backup"),
  T("Die Wiederherstellung aus der Sicherung wird regelmäßig getestet (Umschreibung).","Restoring from the backup is tested regularly (paraphrase)."),SEC,
  T("Wurde in den letzten 12 Monaten eine Wiederherstellung aus der Sicherung erfolgreich getestet?","Was restoring from the backup successfully tested in the last 12 months?"),scored={"topic":"backup","points":6})
R(1,26,E,T("Der Zugriff auf Geräte und Software muss abgesichert werden","Access to devices and software must be secured"),
  T("Geräte und Software sind durch eine persönliche Anmeldung geschützt (Umschreibung).","Devices and software are protected by a personal logon (paraphrase)."),SEC,
  T("Meldet sich jede Person mit eigenem Konto und Passwort an Computern und Praxissoftware an?","Does every person log on to computers and practice software with their own account and password?"),
  facts=["accounts.empty_password","logon.autologon","disk.system_encrypted","remote.rdp.nla","remote.ssh.password_authentication"],
  rules=["PRAX-HOST-ACCOUNT-NO-PASSWORD","PRAX-HOST-AUTOLOGON","PRAX-HOST-DISK-UNENCRYPTED","PRAX-HOST-RDP-NO-NLA","PRAX-HOST-SSH-ROOT-PASSWORD"],auto="partial",scored={"topic":"protection","points":4})
R(1,27,W,T("Konfiguration von Synchronisationsmechanismen","Configuring synchronisation mechanisms"),
  T("Die Synchronisation von Nutzerdaten mit Microsoft-Clouddiensten und das Teilen von WLAN-Passwörtern sind abgeschaltet.","Synchronisation of user data with Microsoft cloud services and sharing of Wi-Fi passwords are switched off."),GS,
  T("Ist die Synchronisation mit Microsoft-Clouddiensten (OneDrive, Einstellungen) auf den Praxis-Computern ausgeschaltet?","Is synchronisation with Microsoft cloud services (OneDrive, settings) switched off on the practice computers?"),
  facts=["windows.cloud_sync"],auto="partial",cond=WINC)
R(1,28,W,T("Datei- und Freigabeberechtigungen","File and share permissions"),
  T("Datei- und Freigabeberechtigungen folgen einem Berechtigungskonzept; Nutzende haben keine Schreibrechte auf System- und Programmordner.","File and share permissions follow a permission concept; users have no write rights to system and program folders."),GS,
  T("Sind Ordnerfreigaben nach einem Berechtigungskonzept vergeben, ohne Freigaben für „Jeder“?","Are folder shares granted according to a permission concept, without shares for \"Everyone\"?"),
  facts=["shares.open_to_everyone"],auto="partial",cond=WINC)
R(1,29,W,T("Datensparsamkeit","Data minimisation"),
  T("Die Datenübermittlung von Windows (Telemetrie u. a.) ist auf das Nötigste beschränkt.","Data sent by Windows (telemetry etc.) is limited to the minimum."),GS,
  T("Ist die Übermittlung von Diagnosedaten an Microsoft auf das Minimum gestellt?","Is the transmission of diagnostic data to Microsoft set to the minimum?"),
  facts=["windows.telemetry_level"],auto="partial",cond=WINC)
for nr,title,demand,q in [
 (30,T("Verwendung der SIM-Karten-PIN","Use of the SIM card PIN"),T("Die SIM-Karten-PIN ist aktiviert.","The SIM card PIN is active."),T("Ist auf allen dienstlichen Smartphones und Tablets die SIM-PIN aktiviert?","Is the SIM PIN active on all practice smartphones and tablets?")),
 (31,T("Sichere Grundkonfiguration für mobile Geräte","Secure basic configuration for mobile devices"),T("Für mobile Geräte gibt es eine dokumentierte sichere Grundkonfiguration; nicht benötigte Funktionen und Schnittstellen sind aus.","Mobile devices have a documented secure basic configuration; unneeded functions and interfaces are off."),T("Sind dienstliche Smartphones und Tablets nach einer festgelegten sicheren Grundeinstellung eingerichtet?","Are practice smartphones and tablets set up with a defined secure basic configuration?")),
 (32,T("Verwendung eines Zugriffschutzes","Use of access protection"),T("Mobile Geräte haben einen Sperrcode und sperren sich automatisch; auf dem Sperrbildschirm stehen keine vertraulichen Inhalte.","Mobile devices have a lock code and lock automatically; no confidential content shows on the lock screen."),T("Haben alle dienstlichen Smartphones und Tablets einen Sperrcode und eine automatische Sperre?","Do all practice smartphones and tablets have a lock code and automatic locking?")),
 (33,T("Datenschutz-Einstellungen","Privacy settings"),T("Die Datenschutz-Einstellungen mobiler Geräte sind restriktiv gewählt (nach dem Text der Richtlinie von 2021).","The privacy settings of mobile devices are restrictive (following the 2021 text)."),T("Sind die Datenschutz-Einstellungen der dienstlichen Mobilgeräte restriktiv gewählt (Standort, Werbung, Zugriffsrechte)?","Are the privacy settings of practice mobile devices restrictive (location, advertising, permissions)?")),
]:
    R(1,nr,MOB,title,demand,GS if nr in (31,32) else SEC,q,cond=MOBC)
R(1,34,PHONE,T("Sperrmaßnahmen bei Verlust eines Mobiltelefons","Blocking a lost mobile phone"),
  T("Nach Verlust wird die SIM-Karte umgehend gesperrt, das Gerät nach Möglichkeit aus der Ferne gelöscht oder gesperrt; die Sperrinformationen liegen bereit.","After a loss the SIM card is blocked at once and the device wiped or locked remotely where possible; the blocking information is at hand."),GS,
  T("Wissen alle, wie ein verlorenes dienstliches Telefon sofort gesperrt wird (Sperrnummer, Fernlöschung)?","Does everyone know how to block a lost practice phone at once (blocking number, remote wipe)?"),cond=MOBC)
R(1,35,PHONE,T("Nutzung der Sicherheitsmechanismen von Mobiltelefonen","Using the security mechanisms of mobile phones"),
  T("SIM-PIN, Gerätecode und SIM-Sperre werden genutzt.","SIM PIN, device code and SIM lock are used."),GS,
  T("Sind auf dienstlichen Mobiltelefonen SIM-PIN und Gerätecode aktiviert?","Are SIM PIN and device code active on practice mobile phones?"),cond=MOBC)
R(1,36,MED,T("Schutz vor Schadsoftware","Protection against malware"),
  T("Wechseldatenträger werden bei jeder Verwendung mit einem aktuellen Virenschutz geprüft (nach dem Text der Richtlinie von 2021).","Removable media are scanned with up-to-date anti-malware at every use (following the 2021 text)."),SEC,
  T("Werden USB-Sticks und andere Wechseldatenträger vor der Nutzung automatisch auf Schadsoftware geprüft?","Are USB sticks and other removable media scanned for malware automatically before use?"),
  facts=["antimalware.removable_scan","autorun.disabled"],auto="partial",cond=MEDIAC)
R(1,37,MED,T("Angemessene Kennzeichnung der Datenträger beim Versand","Appropriate labelling of media when shipping"),
  T("Beim Versand lässt die Beschriftung keine Rückschlüsse auf den Inhalt zu.","When shipping, labels do not reveal the content."),GS,
  T("Verrät die Beschriftung versandter Datenträger nichts über ihren Inhalt?","Do the labels of shipped media reveal nothing about their content?"),cond=SHIPC)
R(1,38,MED,T("Sichere Versandart und Verpackung","Secure shipping method and packaging"),
  T("Datenträger werden auf sicherem Weg und manipulationssicher verpackt versandt.","Media are shipped by a secure method in tamper-evident packaging."),GS,
  T("Werden Datenträger auf sicherem Weg (z. B. Einschreiben) und manipulationssicher verpackt versandt?","Are media shipped by a secure method (e.g. registered mail) in tamper-evident packaging?"),cond=SHIPC)
R(1,39,MED,T("Sicheres Löschen der Datenträger vor und nach der Verwendung","Securely erasing media before and after use"),
  T("Datenträger werden vor Weitergabe oder Entsorgung sicher gelöscht.","Media are erased securely before passing them on or disposing of them."),GS,
  T("Werden Datenträger und alte Festplatten vor Weitergabe oder Entsorgung sicher gelöscht oder vernichtet?","Are media and old disks securely erased or destroyed before passing them on or disposal?"))
R(1,40,MAIL,T("Sichere Konfiguration der E-Mail-Clients","Secure configuration of e-mail clients"),
  T("E-Mail-Programme sind vorkonfiguriert; HTML und aktive Inhalte werden nicht automatisch ausgeführt, Anhänge werden geprüft.","E-mail programs are preconfigured; HTML and active content are not run automatically, attachments are scanned."),GS,
  T("Sind die E-Mail-Programme so eingestellt, dass externe Inhalte und Makros nicht automatisch geladen bzw. ausgeführt werden?","Are the e-mail programs set so that external content and macros are not loaded or run automatically?"),
  facts=["office.macros_blocked","mail.external_content_blocked"],auto="partial")
R(1,41,MAIL,T("Umgang mit Spam durch Benutzende","How users deal with spam"),
  T("Spam wird ignoriert und gelöscht; nicht antworten, keine Links öffnen.","Spam is ignored and deleted; do not reply, do not follow links."),GS,
  T("Wissen alle Mitarbeitenden, dass Spam ungeöffnet gelöscht wird (nicht antworten, keine Links anklicken)?","Do all staff know that spam is deleted unopened (no replies, no clicking links)?"))
for nr,title,demand,q,b in [
 (42,T("Sichere Apps nutzen","Using secure apps"),T("Apps nur aus den offiziellen Stores installieren; nicht mehr benötigte Apps löschen (Text von 2021).","Install apps only from the official stores; delete apps no longer needed (2021 text)."),T("Werden auf dienstlichen Mobilgeräten nur Apps aus den offiziellen Stores installiert und nicht benötigte gelöscht?","Are only apps from the official stores installed on practice mobile devices, and unneeded ones deleted?"),SEC),
 (43,T("Sichere Speicherung lokaler App-Daten","Secure storage of local app data"),T("Apps speichern Dokumente verschlüsselt und lokal.","Apps store documents encrypted and locally."),T("Speichern die genutzten Apps Praxisdaten nur verschlüsselt auf dem Gerät?","Do the apps in use store practice data only encrypted on the device?"),GS),
 (44,T("Verhinderung von Datenabfluss","Preventing data leakage"),T("Vertrauliche Daten werden nicht über Apps versendet; die Kommunikation von Apps ist eingeschränkt.","Confidential data is not sent through apps; app communication is restricted."),T("Ist geregelt, dass Patientendaten nicht über Messenger oder andere Apps verschickt werden?","Is it ruled that patient data is not sent through messengers or other apps?"),GS),
]:
    R(1,nr,APPS,title,demand,b,q,cond=MOBC)
for nr,title,demand,q in [
 (45,T("Authentisierung bei Webanwendungen","Authentication for web applications"),T("Betreibt die Praxis eine Webanwendung (Online-Termine, Portal), ist die Anmeldung sicher gestaltet.","If the practice operates a web application (online booking, portal), logon is designed securely."),T("Ist die Anmeldung an Ihrer Webanwendung (z. B. Online-Terminbuchung, Portal) sicher gestaltet (starke Passwörter, nur über HTTPS)?","Is logon to your web application (e.g. online booking, portal) designed securely (strong passwords, HTTPS only)?")),
 (46,T("Schutz vertraulicher Daten","Protecting confidential data"),T("Vertrauliche Daten der Webanwendung sind geschützt (IT-Grundschutz CON.10.A7).","Confidential data of the web application is protected (IT-Grundschutz CON.10.A7)."),T("Sind vertrauliche Daten Ihrer Webanwendung geschützt (Verschlüsselung, Zugriffsrechte)?","Is confidential data of your web application protected (encryption, access rights)?")),
 (47,T("Einsatz von Web Application Firewalls","Use of web application firewalls"),T("Eine Web Application Firewall schützt die Webanwendung (IT-Grundschutz APP.3.1.A20).","A web application firewall protects the web application (IT-Grundschutz APP.3.1.A20)."),T("Schützt eine Web Application Firewall Ihre Webanwendung (beim Hoster nachfragen)?","Does a web application firewall protect your web application (ask your hoster)?")),
 (48,T("Schutz vor unerlaubter automatisierter Nutzung von Webanwendungen","Protection against unauthorised automated use of web applications"),T("Die Webanwendung ist gegen automatisierte Nutzung geschützt (Anfragebegrenzung, CAPTCHA).","The web application is protected against automated use (rate limiting, CAPTCHA)."),T("Ist Ihre Webanwendung gegen automatisierte Massenanfragen geschützt (Begrenzung, CAPTCHA)?","Is your web application protected against automated mass requests (rate limiting, CAPTCHA)?")),
]:
    R(1,nr,WEBP,title,demand,GS,q,cond=WEBC)
R(1,49,WEBU,T("Kryptografische Sicherung vertraulicher Daten","Cryptographic protection of confidential data"),
  T("Für vertrauliche Daten werden nur verschlüsselte Verbindungen und Dienste genutzt (Umschreibung).","Only encrypted connections and services are used for confidential data (paraphrase)."),SEC,
  T("Werden vertrauliche Daten nur über verschlüsselte Verbindungen und Dienste übertragen (z. B. KIM statt normaler E-Mail)?","Is confidential data transferred only over encrypted connections and services (e.g. KIM instead of ordinary e-mail)?"))
R(1,50,CLOUD,T("Sicherheit von Cloud-Dienstleistern","Security of cloud providers"),
  T("Cloud-Dienstleister werden nach ihrer Sicherheit ausgewählt; die Vorlage einer Community nennt ein C5-Testat.","Cloud providers are chosen for their security; a community template names a C5 attestation."),SEC,
  T("Haben Sie für jeden genutzten Cloud-Dienst geprüft, dass er ausreichend sicher ist (z. B. C5-Testat)?","Have you checked for every cloud service you use that it is secure enough (e.g. a C5 attestation)?"),cond=CLOUDC)
# Anlage 2
A2=T("Mittlere Praxen","Medium-sized practices")
R(2,1,A2,T("Alarmierung und Logging","Alerting and logging"),T("Wichtige Ereignisse an Netzkomponenten werden automatisch an eine zentrale Stelle gemeldet.","Important events on network components are reported automatically to a central place."),SEC,
  T("Melden Router, Firewall und Server wichtige Ereignisse automatisch an eine zentrale Stelle oder Ihren IT-Dienstleister?","Do router, firewall and servers report important events automatically to a central place or your IT provider?"))
R(2,2,A2,T("Nutzung von verschlüsselten Kommunikationsverbindungen","Use of encrypted connections"),T("Verbindungen werden nach dem Stand der Technik verschlüsselt.","Connections are encrypted with state-of-the-art algorithms."),GS,
  T("Sind veraltete Verschlüsselungsverfahren (TLS 1.0/1.1) abgeschaltet und sprechen Geräte im Netz keine unverschlüsselten Verwaltungsprotokolle (Telnet, FTP, HTTP)?","Are outdated encryption protocols (TLS 1.0/1.1) switched off, and do network devices speak no unencrypted management protocols (Telnet, FTP, HTTP)?"),
  facts=["remote.smb1.enabled","tls.legacy_enabled","net.plaintext_management"],rules=["PRAX-HOST-SMB1"],auto="partial")
R(2,3,A2,T("Restriktive Rechtevergabe","Restrictive rights assignment"),T("Rechte werden nur nach Bedarf vergeben und regelmäßig überprüft.","Rights are granted only as needed and reviewed regularly."),SEC,
  T("Arbeiten alle im Alltag ohne Administratorrechte, und werden Rechte regelmäßig überprüft?","Does everyone work day to day without administrator rights, and are rights reviewed regularly?"),
  facts=["accounts.admins","uac.enabled"],auto="partial")
R(2,4,A2,T("Sichere zentrale Authentisierung in Windows-Netzen","Secure central authentication in Windows networks"),T("In Windows-Netzen wird nur Kerberos genutzt; LM und NTLMv1 sind abgeschaltet.","Windows networks use only Kerberos; LM and NTLMv1 are switched off."),GS,
  T("Sind im Windows-Netz die alten Anmeldeverfahren LM und NTLMv1 abgeschaltet (fragen Sie Ihren IT-Dienstleister)?","Are the old logon methods LM and NTLMv1 switched off in the Windows network (ask your IT provider)?"),
  facts=["windows.lm_compatibility_level"],auto="partial",cond=WINC)
R(2,5,A2,T("Richtlinie für Mitarbeitende zur Benutzung von mobilen Geräten","Staff policy on using mobile devices"),T("Eine verbindliche, unterschriebene Richtlinie regelt die Nutzung mobiler Geräte.","A binding, signed policy governs the use of mobile devices."),SEC,
  T("Gibt es eine von allen unterschriebene Richtlinie zur Nutzung mobiler Geräte?","Is there a policy on using mobile devices that everyone has signed?"),cond=MOBC)
R(2,6,A2,T("Verwendung von Sprachassistenten","Use of voice assistants"),T("Sprachassistenten werden nur genutzt, wenn unbedingt nötig, sonst abgeschaltet.","Voice assistants are used only when strictly needed, otherwise switched off."),GS,
  T("Sind Sprachassistenten (Siri, Google Assistant, Cortana, Alexa) in der Praxis abgeschaltet?","Are voice assistants (Siri, Google Assistant, Cortana, Alexa) switched off in the practice?"))
R(2,7,A2,T("Sicherheitsrichtlinien und Regelungen für die Mobiltelefon-Nutzung","Security policies and rules for mobile phone use"),T("Es gibt Regeln für die Nutzung dienstlicher Mobiltelefone.","There are rules for using practice mobile phones."),SEC,
  T("Gibt es schriftliche Regeln für die Nutzung dienstlicher Mobiltelefone?","Are there written rules for using practice mobile phones?"),cond=MOBC)
R(2,8,A2,T("Sichere Datenübertragung über Mobiltelefone","Secure data transfer over mobile phones"),T("Es ist geregelt, welche Daten über Mobiltelefone übertragen werden dürfen, und wie sie verschlüsselt werden.","It is ruled which data may be transferred over mobile phones and how it is encrypted."),SEC,
  T("Ist geregelt, welche Daten über Mobiltelefone übertragen werden dürfen und dass dies verschlüsselt geschieht?","Is it ruled which data may be transferred over mobile phones and that this happens encrypted?"),cond=MOBC)
R(2,9,A2,T("Regelung zur Mitnahme von Wechseldatenträgern","Rules for taking removable media off-site"),T("Schriftliche Regeln legen fest, ob und wie Wechseldatenträger mitgenommen werden dürfen.","Written rules say whether and how removable media may be taken off-site."),GS,
  T("Gibt es schriftliche Regeln, ob und wie USB-Sticks und andere Datenträger aus der Praxis mitgenommen werden dürfen?","Are there written rules on whether and how USB sticks and other media may be taken out of the practice?"),cond=MEDIAC)
R(2,10,A2,T("Minimierung und Kontrolle von App-Berechtigungen","Minimising and controlling app permissions"),T("App-Berechtigungen sind auf das Nötige beschränkt.","App permissions are limited to what is needed."),GS,
  T("Sind die Berechtigungen der Apps auf dienstlichen Mobilgeräten auf das Nötige beschränkt?","Are app permissions on practice mobile devices limited to what is needed?"),cond=MOBC)
# Anlage 3
A3=T("Großpraxen","Large practices")
a3=[
 (1,T("Messung und Auswertung des Lernerfolgs","Measuring and evaluating learning success"),T("Der Erfolg von Schulungen wird gemessen und ausgewertet.","The success of training is measured and evaluated."),T("Wird der Erfolg der Sicherheitsschulungen gemessen (z. B. Test, Phishing-Übung)?","Is the success of security training measured (e.g. a test, a phishing exercise)?"),GS,None),
 (2,T("Planung des internen Netzwerkes","Planning the internal network"),T("Das interne Netz ist geplant und in Bereiche gegliedert.","The internal network is planned and divided into zones."),T("Ist das Praxisnetz geplant und in Bereiche gegliedert (z. B. Verwaltung, Medizingeräte, Gäste)?","Is the practice network planned and divided into zones (e.g. office, medical devices, guests)?"),TITLE,None),
 (3,T("Absicherung von schützenswerten Informationen","Protecting sensitive information"),T("Schützenswerte Informationen sind besonders abgesichert.","Sensitive information is specially protected."),T("Sind besonders schützenswerte Informationen zusätzlich abgesichert (Verschlüsselung, eingeschränkter Zugriff)?","Is especially sensitive information additionally protected (encryption, restricted access)?"),TITLE,None),
 (4,T("Festlegung einer Richtlinie für den Einsatz von Smartphones und Tablets","Policy for the use of smartphones and tablets"),T("Eine Richtlinie regelt den Einsatz von Smartphones und Tablets.","A policy governs the use of smartphones and tablets."),T("Gibt es eine Richtlinie für den Einsatz von Smartphones und Tablets?","Is there a policy for the use of smartphones and tablets?"),TITLE,MOBC),
 (5,T("Auswahl und Freigabe von Apps","Selecting and approving apps"),T("Apps werden vor der Nutzung ausgewählt und freigegeben.","Apps are selected and approved before use."),T("Werden Apps vor der dienstlichen Nutzung geprüft und freigegeben?","Are apps checked and approved before practice use?"),TITLE,MOBC),
 (6,T("Definition der erlaubten Informationen und Applikationen auf mobilen Geräten","Defining allowed information and applications on mobile devices"),T("Es ist festgelegt, welche Informationen und Anwendungen auf mobilen Geräten erlaubt sind.","It is defined which information and applications are allowed on mobile devices."),T("Ist festgelegt, welche Daten und Anwendungen auf Mobilgeräten erlaubt sind?","Is it defined which data and applications are allowed on mobile devices?"),TITLE,MOBC),
 (7,T("Sichere Anbindung der mobilen Endgeräte an die Institution","Secure connection of mobile devices to the organisation"),T("Mobile Geräte werden über eine Geräteverwaltung (MDM) sicher angebunden.","Mobile devices are connected securely through device management (MDM)."),T("Werden die Mobilgeräte über eine Geräteverwaltung (MDM) sicher angebunden?","Are the mobile devices connected securely through device management (MDM)?"),TITLE,MOBC),
 (8,T("Berechtigungsmanagement im MDM","Permission management in the MDM"),T("Die Rechte in der Geräteverwaltung sind geregelt.","Permissions in the device management are regulated."),T("Sind die Rechte in der Geräteverwaltung (MDM) geregelt und auf das Nötige beschränkt?","Are permissions in the device management (MDM) regulated and limited to what is needed?"),TITLE,MOBC),
 (9,T("Verwaltung von Zertifikaten","Managing certificates"),T("Zertifikate mobiler Geräte werden über die Geräteverwaltung verwaltet.","Certificates of mobile devices are managed through the device management."),T("Werden Zertifikate der Mobilgeräte zentral über die Geräteverwaltung verwaltet?","Are the mobile devices' certificates managed centrally through the device management?"),GS,MOBC),
 (10,T("Fernlöschung und Außerbetriebnahme von Endgeräten","Remote wipe and decommissioning of devices"),T("Mobile Geräte können aus der Ferne gelöscht und geregelt außer Betrieb genommen werden.","Mobile devices can be wiped remotely and decommissioned in an orderly way."),T("Können Mobilgeräte aus der Ferne gelöscht und geregelt außer Betrieb genommen werden?","Can mobile devices be wiped remotely and decommissioned in an orderly way?"),GS,MOBC),
 (11,T("Auswahl und Freigabe von Apps (MDM)","Selecting and approving apps (MDM)"),T("Apps werden über die Geräteverwaltung ausgewählt und freigegeben.","Apps are selected and approved through the device management."),T("Werden Apps über die Geräteverwaltung verteilt und freigegeben?","Are apps distributed and approved through the device management?"),TITLE,MOBC),
 (12,T("Festlegung erlaubter Informationen auf mobilen Endgeräten","Defining allowed information on mobile devices"),T("Über die Geräteverwaltung ist festgelegt, welche Informationen auf mobilen Geräten erlaubt sind.","The device management defines which information is allowed on mobile devices."),T("Ist in der Geräteverwaltung festgelegt, welche Informationen auf Mobilgeräten erlaubt sind?","Does the device management define which information is allowed on mobile devices?"),TITLE,MOBC),
 (13,T("Datenträgerverschlüsselung","Encryption of media"),T("Wechseldatenträger, die sichere Bereiche verlassen, sind verschlüsselt.","Removable media that leave secure areas are encrypted."),T("Sind Wechseldatenträger, die die Praxis verlassen, verschlüsselt?","Are removable media that leave the practice encrypted?"),GS,MEDIAC),
 (14,T("Integritätsschutz durch Checksummen oder digitale Signaturen","Integrity protection by checksums or digital signatures"),T("Die Unversehrtheit übertragener Daten wird durch Prüfsummen oder Signaturen geschützt.","The integrity of transferred data is protected by checksums or signatures."),T("Wird die Unversehrtheit weitergegebener Daten durch Prüfsummen oder Signaturen gesichert?","Is the integrity of data passed on protected by checksums or signatures?"),GS,MEDIAC),
 (15,T("Sicherer Betrieb von E-Mail-Servern","Secure operation of e-mail servers"),T("Ein selbst betriebener E-Mail-Server wird sicher betrieben.","A self-operated e-mail server is run securely."),T("Wird Ihr eigener E-Mail-Server sicher betrieben (Updates, Verschlüsselung, kein offenes Relay)?","Is your own e-mail server run securely (updates, encryption, no open relay)?"),GS,MAILC),
 (16,T("Datensicherung und Archivierung von E-Mails","Backup and archiving of e-mails"),T("E-Mails werden gesichert und archiviert.","E-mails are backed up and archived."),T("Werden die E-Mails des eigenen Servers gesichert und archiviert?","Are the e-mails of your own server backed up and archived?"),GS,MAILC),
 (17,T("Spam- und Virenschutz auf dem E-Mail-Server","Spam and virus protection on the e-mail server"),T("Der E-Mail-Server filtert Spam und Schadsoftware.","The e-mail server filters spam and malware."),T("Filtert Ihr E-Mail-Server Spam und Schadsoftware?","Does your e-mail server filter spam and malware?"),GS,MAILC),
]
for nr,title,demand,q,b,c in a3:
    f=None; au="none"
    if nr==13: f=["removable.encryption_enforced"]; au="partial"
    R(3,nr,T("MDM" if 7<=nr<=12 else "Großpraxen","MDM" if 7<=nr<=12 else "Large practices") if False else A3,title,demand,b,q,cond=c,facts=f,auto=au)
# Anlage 4
A4=T("Medizinische Großgeräte","Large medical devices")
for nr,title,demand,q,f in [
 (1,T("Einschränkung des Zugriffs für Konfigurations- und Wartungsschnittstellen","Restricting access to configuration and maintenance interfaces"),T("Standard- und Herstellerpasswörter sind geändert und dokumentiert; nur Berechtigte erreichen Konfigurations- und Wartungsschnittstellen.","Default and vendor passwords are changed and documented; only authorised staff reach configuration and maintenance interfaces."),T("Sind an den Großgeräten Standardpasswörter geändert und die Wartungszugänge nur für Berechtigte erreichbar?","Are default passwords of the large devices changed and their maintenance access reachable only for authorised staff?"),["net.device_management_reachable"]),
 (2,T("Nutzung sicherer Protokolle für die Konfiguration und Wartung","Using secure protocols for configuration and maintenance"),T("Für Konfiguration und Wartung werden sichere Protokolle und geschützte Übertragung genutzt.","Secure protocols and protected transfer are used for configuration and maintenance."),T("Nutzen Konfiguration und Fernwartung der Großgeräte nur verschlüsselte Verbindungen?","Do configuration and remote maintenance of the large devices use only encrypted connections?"),["net.plaintext_management"]),
 (3,T("Protokollierung","Logging"),T("Ereignisse an den Geräten werden protokolliert (im IT-Grundschutz 2022 entfallen, von der KBV beibehalten).","Events on the devices are logged (withdrawn in IT-Grundschutz 2022, kept by the KBV)."),T("Werden sicherheitsrelevante Ereignisse der Großgeräte protokolliert?","Are security-relevant events of the large devices logged?"),None),
 (4,T("Deaktivierung nicht genutzter Dienste, Funktionen und Schnittstellen","Disabling unused services, functions and interfaces"),T("Nicht genutzte Dienste, Funktionen und Schnittstellen sind abgeschaltet.","Unused services, functions and interfaces are switched off."),T("Sind an den Großgeräten nicht benötigte Dienste und Schnittstellen abgeschaltet (Abgleich mit den Herstellerunterlagen)?","Are unneeded services and interfaces of the large devices switched off (compared with the vendor's documentation)?"),["net.open_services"]),
 (5,T("Deaktivierung nicht genutzter Benutzerkonten","Disabling unused user accounts"),T("Nicht genutzte Benutzerkonten sind deaktiviert.","Unused user accounts are disabled."),T("Sind nicht genutzte Benutzerkonten an den Großgeräten deaktiviert?","Are unused user accounts on the large devices disabled?"),None),
 (6,T("Netzsegmentierung","Network segmentation"),T("Medizintechnik ist vom Büronetz getrennt.","Medical equipment is separated from the office network."),T("Stehen die Großgeräte in einem eigenen, vom Büronetz getrennten Netzbereich?","Are the large devices in a network zone of their own, separated from the office network?"),["net.segmented"]),
]:
    R(4,nr,A4,title,demand,GS if nr!=3 else SEC,q,facts=f,auto="partial" if f else "none")
# Anlage 5
TI=T("Dezentrale Komponenten der TI","Decentralised TI components")
for nr,title,demand,q,c,f,rl in [
 (1,T("Planung und Durchführung der Installation","Planning and carrying out the installation"),T("Die TI-Komponenten werden nach den Vorgaben der gematik bzw. dem Installationshandbuch installiert.","TI components are installed according to gematik's rules or the installation manual."),T("Wurden Konnektor und Kartenterminals nach Installationshandbuch von einem Fachbetrieb installiert?","Were connector and card terminals installed by a specialist according to the installation manual?"),None,None,None),
 (2,T("Betrieb","Operation"),T("Die TI-Komponenten werden nach den Vorgaben betrieben (Demand nicht gefunden; aus dem Titel).","The TI components are operated according to the rules (demand not found; from the title)."),T("Werden Konnektor und Kartenterminals nach den Vorgaben des Herstellers betrieben und gewartet?","Are connector and card terminals operated and maintained according to the vendor's rules?"),None,None,None),
 (3,T("Schutz vor unberechtigtem physischem Zugriff","Protection against unauthorised physical access"),T("TI-Komponenten stehen nicht an öffentlich zugänglichen Orten.","TI components are not in publicly accessible places."),T("Steht der Konnektor an einem Ort, den Patienten und Besucher nicht erreichen?","Is the connector in a place patients and visitors cannot reach?"),None,None,None),
 (4,T("Internet-Verbindung parallel zur TI-Anbindung","Internet connection parallel to the TI connection"),T("Läuft der Internetzugang parallel zur TI-Anbindung (Parallelbetrieb), ist das Praxisnetz durch eine eigene Firewall geschützt (Sekundärquellen).","If internet access runs parallel to the TI connection (parallel mode), the practice network is protected by a firewall of its own (secondary sources)."),T("Ist der Konnektor in Reihe geschaltet – oder schützt im Parallelbetrieb eine eigene Firewall das Praxisnetz?","Is the connector in serial mode – or does a firewall of its own protect the practice network in parallel mode?"),None,["ti.mode","firewall.enabled"],["PRAX-HOST-TI-PARALLEL"]),
 (5,T("Verbindung absichern (gehosteter Konnektor)","Securing the connection (hosted connector)"),T("Die Verbindung zum gehosteten Konnektor ist abgesichert.","The connection to the hosted connector is secured."),T("Ist die Verbindung zum gehosteten Konnektor (TIaaS) abgesichert, z. B. per VPN nach Anbietervorgabe?","Is the connection to the hosted connector (TIaaS) secured, e.g. by VPN as the provider prescribes?"),{"profile":"ti_hosted"},None,None),
 (6,T("Beachtung der Vorgaben des TI-Gateway-Anbieters","Following the TI gateway provider's rules"),T("Die Vorgaben des TI-Gateway-Anbieters werden beachtet.","The TI gateway provider's rules are followed."),T("Werden die Vorgaben Ihres TI-Gateway-Anbieters eingehalten?","Are your TI gateway provider's rules followed?"),{"profile":"ti_gateway"},None,None),
 (7,T("Geschützte Kommunikation mit dem Konnektor/TI-Gateway","Protected communication with the connector/TI gateway"),T("Primärsysteme kommunizieren mit dem Konnektor bzw. TI-Gateway über TLS.","Primary systems communicate with the connector or TI gateway over TLS."),T("Spricht Ihre Praxissoftware mit dem Konnektor verschlüsselt (TLS, Client-Authentisierung eingeschaltet)?","Does your practice software talk to the connector encrypted (TLS, client authentication switched on)?"),None,["ti.pvs_connector_tls"],None),
 (8,T("Zeitnahes Installieren verfügbarer Aktualisierungen","Promptly installing available updates"),T("Verfügbare Aktualisierungen der TI-Komponenten werden zeitnah installiert.","Available updates of the TI components are installed promptly."),T("Hat Ihr TI-Dienstleister bestätigt, dass Konnektor und Kartenterminals aktuelle, zugelassene Firmware haben?","Has your TI service provider confirmed that connector and card terminals run current, approved firmware?"),None,["ti.connector_firmware"],["PRAX-PROD-RISE-KONNEKTOR-LOG4J","PRAX-PROD-SECUNET-KONNEKTOR-REVOKED"]),
 (9,T("Sicheres Aufbewahren von Administrationsdaten","Keeping administration data safe"),T("Administrationsdaten (z. B. Konnektor-Passwörter) werden sicher aufbewahrt.","Administration data (e.g. connector passwords) is kept safe."),T("Werden die Zugangsdaten für Konnektor und TI-Komponenten sicher aufbewahrt (nicht am Gerät, nicht unverschlüsselt)?","Are the access credentials for connector and TI components kept safe (not at the device, not unencrypted)?"),None,None,None),
]:
    R(5,nr,TI,title,demand,TITLE if nr in (2,) else (SEC if nr in (3,4) else TITLE),q,cond=c,facts=f,rules=rl,auto="partial" if f or rl else "none")

anlagen=[
 {"anlage":1,"title":T("Anlage 1 – Anforderungen für alle Praxen","Annex 1 – requirements for all practices"),"applies_if":None},
 {"anlage":2,"title":T("Anlage 2 – zusätzlich für mittlere Praxen (6–20 Personen)","Annex 2 – additionally for medium practices (6–20 persons)"),"applies_if":{"profile":"size_medium_or_large"}},
 {"anlage":3,"title":T("Anlage 3 – zusätzlich für Großpraxen (über 20 Personen)","Annex 3 – additionally for large practices (over 20 persons)"),"applies_if":{"profile":"size_large"}},
 {"anlage":4,"title":T("Anlage 4 – medizinische Großgeräte","Annex 4 – large medical devices"),"applies_if":{"profile":"large_devices"}},
 {"anlage":5,"title":T("Anlage 5 – dezentrale Komponenten der TI","Annex 5 – decentralised TI components"),"applies_if":{"profile":"ti"}},
]
for a in anlagen:
    if a["applies_if"] is None: del a["applies_if"]
doc={"source":T("KBV IT-Sicherheitsrichtlinie nach § 390 SGB V (Fassung 2025); Nummern und Titel nach einer öffentlichen Kontrollliste, Anforderungstexte umschrieben","KBV IT security directive under § 390 SGB V (2025 version); numbers and titles from a public control list, demand texts paraphrased"),
     "note":"Demand texts are paraphrases (see demand_basis); none was checked against the official KBV PDF (verified_against_pdf: false). Research: ../shared/research/standards.md §1.",
     "anlagen":anlagen,"requirements":reqs}
json.dump(doc,open("kbv.json","w"),ensure_ascii=False,indent=1)
from collections import Counter
print(Counter(r["anlage"] for r in reqs))
