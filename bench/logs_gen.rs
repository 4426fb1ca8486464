//! Seeded generator of a large benign practice log for `bench/logs.sh`.
//!
//! `cargo run --release -p praxcheck-logscan --example logs_gen -- SEED MIB > file.log`
//!
//! The same seed and size give the same bytes on every machine (own xorshift generator, no
//! external randomness). The text imitates what a practice server writes: Log4j and Tomcat
//! application lines in German with umlauts, access-log lines (some with `%24` in OData
//! query strings), many harmless `${…}` templates (configuration echoes, unresolved
//! placeholders), lines that mention JNDI and LDAP in normal operation, and stack traces.
//! It contains no Log4Shell payload: the benchmark's scanners must report nothing.
#![allow(clippy::print_stdout)]

use std::io::{BufWriter, Write as _};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n as u64)).unwrap_or(0)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const LEVELS: &[&str] = &["INFO ", "INFO ", "INFO ", "DEBUG", "WARN ", "ERROR"];
const LOGGERS: &[&str] = &[
    "de.praxis.pvs.Termine",
    "de.praxis.pvs.Abrechnung",
    "de.praxis.ti.Konnektor",
    "org.apache.catalina.core.StandardContext",
    "de.praxis.kbv.Pruefmodul",
    "com.zaxxer.hikari.HikariPool",
];
const GERMAN: &[&str] = &[
    "Termin für Patientin Jürgens bestätigt",
    "Überweisung an Facharzt für Hals-Nasen-Ohren erstellt",
    "Abrechnungsdatei für Quartal 4/2021 wird geprüft",
    "Konnektor-Verbindung hergestellt, Kartenterminal bereit",
    "Rezept für Herrn Müller gedruckt (Größe: A5)",
    "Datensicherung gestartet: Zielordner auf Bandlaufwerk",
    "Prüfmodul meldet 0 Fehler, 3 Hinweise",
    "Wartezimmer-Anzeige aktualisiert: Frau Weiß, Zimmer 2",
];
const TEMPLATES: &[&str] = &[
    "Konfiguration geladen: log.dir=${catalina.base}/logs, user=${user.name}",
    "Platzhalter nicht ersetzt: ${PATIENT_ID} in Vorlage Brief_${VORLAGE}.odt",
    "Pfad ${env:HOME}/praxis/export, Version ${sys:os.version}",
    "Mail-Vorlage: Sehr geehrte(r) ${anrede} ${nachname}, Ihr Termin am ${datum}",
    "Property url=https://${host}:${port}/pvs/api resolved",
    "Umgebung: JAVA_HOME=${java.home} JNDI-Name=${jdbc.jndi.name}",
    "Kontext ${ctx:requestId} Benutzer ${ctx:user} Sitzung ${ctx:session}",
    "Pattern %d{ISO8601} [%t] %-5level %logger{36} - %msg%n mit ${sys:LOG_LEVEL:-INFO}",
];
const NORMAL_JNDI: &[&str] = &[
    "JNDI-Ressource java:comp/env/jdbc/pvs gefunden, Pool gestartet",
    "LDAP-Anmeldung gegen ldap://dc01.praxis.local:389 erfolgreich",
    "jndi lookup of jdbc/termine ok; ldap sync mit ldaps://ad.praxis.local finished",
];
const PATHS: &[&str] = &[
    "/pvs/api/termine?%24filter=datum%20ge%202021-12-01&%24top=50",
    "/pvs/api/patienten/4711/befunde",
    "/static/css/praxis.css",
    "/ti/konnektor/status",
    "/pvs/api/abrechnung?quartal=20214&%24select=summe",
];
const AGENTS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/96.0",
    "Praxis-Client/3.2 (Windows 7)",
    "curl/7.74.0",
];

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let seed: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1);
    let mib: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(256);
    let target = mib << 20;
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let stdout = std::io::stdout();
    let mut w = BufWriter::with_capacity(1 << 20, stdout.lock());
    let mut written = 0u64;
    let mut sec = 0u64;
    while written < target {
        sec += 1;
        let (h, m, s) = ((sec / 3600) % 24, (sec / 60) % 60, sec % 60);
        let line = match rng.below(20) {
            0..=7 => format!(
                "2021-12-11 {h:02}:{m:02}:{s:02},{:03} {} [http-nio-8080-exec-{}] {} - {}\n",
                rng.below(1000),
                rng.pick(LEVELS),
                rng.below(20),
                rng.pick(LOGGERS),
                rng.pick(GERMAN)
            ),
            8..=9 => format!(
                "2021-12-11 {h:02}:{m:02}:{s:02},{:03} INFO  [main] {} - {}\n",
                rng.below(1000),
                rng.pick(LOGGERS),
                rng.pick(TEMPLATES)
            ),
            10 => format!(
                "2021-12-11 {h:02}:{m:02}:{s:02},{:03} INFO  [main] de.praxis.pvs.Directory - {}\n",
                rng.below(1000),
                rng.pick(NORMAL_JNDI)
            ),
            11..=17 => format!(
                "10.0.{}.{} - - [11/Dec/2021:{h:02}:{m:02}:{s:02} +0100] \"GET {} HTTP/1.1\" 200 {} \"-\" \"{}\"\n",
                rng.below(4),
                rng.below(250) + 2,
                rng.pick(PATHS),
                rng.below(90000) + 200,
                rng.pick(AGENTS)
            ),
            _ => format!(
                "2021-12-11 {h:02}:{m:02}:{s:02},{:03} ERROR [http-nio-8080-exec-3] de.praxis.pvs.Abrechnung - Fehler beim Übertragen\n\
                 java.net.SocketTimeoutException: Read timed out\n\
                 \tat java.base/java.net.SocketInputStream.socketRead0(Native Method)\n\
                 \tat de.praxis.pvs.Abrechnung.senden(Abrechnung.java:{})\n",
                rng.below(1000),
                rng.below(900) + 10
            ),
        };
        w.write_all(line.as_bytes())?;
        written += line.len() as u64;
    }
    w.flush()
}
