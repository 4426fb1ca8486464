//! TLS with rustls: the server's certificate (given, or a self-signed one generated once
//! into the data folder), the SPKI pin that goes into enrollment tokens, the listener that
//! does handshakes off the accept loop, and the agent's pinned client.
//!
//! The pin is `sha256/` + base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo
//! (as in HPKP): it names the key, so a renewed certificate for the same key keeps it.
//! An agent enrolled with a pinned token accepts only that key, whoever signed the
//! certificate; a token without a pin uses the ordinary web PKI.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use sha2::Digest as _;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::server::TlsStream;

/// Where the server's certificate comes from.
#[derive(Debug, Clone)]
pub enum TlsSource {
    /// `--tls-cert F --tls-key F` (PEM).
    Files {
        /// Certificate chain, end-entity first.
        cert: PathBuf,
        /// Private key.
        key: PathBuf,
    },
    /// A self-signed certificate in `<dir>/tls/`, generated on first start.
    Generated {
        /// The data folder.
        dir: PathBuf,
    },
}

/// TLS errors, naming the file.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file holds no usable certificate or key.
    #[error("{path}: {reason}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// rustls refused the configuration.
    #[error("TLS: {0}")]
    Rustls(#[from] rustls::Error),
}

/// A loaded server identity.
#[derive(Debug, Clone)]
pub struct ServerTls {
    /// The rustls configuration.
    pub config: Arc<rustls::ServerConfig>,
    /// The SPKI pin of the certificate's key.
    pub pin: String,
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The generated certificate's files in a data folder.
#[must_use]
pub fn generated_paths(dir: &Path) -> (PathBuf, PathBuf) {
    let tls = dir.join("tls");
    (tls.join("cert.pem"), tls.join("key.pem"))
}

/// The pin of a certificate's public key.
///
/// # Errors
/// When the certificate does not parse.
pub fn spki_pin(cert: &CertificateDer<'_>) -> Result<String, String> {
    let (_, parsed) =
        x509_parser::parse_x509_certificate(cert.as_ref()).map_err(|e| e.to_string())?;
    let digest = sha2::Sha256::digest(parsed.tbs_certificate.subject_pki.raw);
    Ok(format!(
        "sha256/{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    ))
}

/// The pin of the first certificate in a PEM file.
///
/// # Errors
/// When the file cannot be read or holds no certificate.
pub fn pin_of_file(path: &Path) -> Result<String, TlsError> {
    let chain = read_certs(path)?;
    spki_pin(&chain[0]).map_err(|reason| TlsError::Invalid {
        path: path.to_owned(),
        reason,
    })
}

fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let bytes = std::fs::read(path).map_err(|source| TlsError::Io {
        path: path.to_owned(),
        source,
    })?;
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<_, _>>()
        .map_err(|e| TlsError::Invalid {
            path: path.to_owned(),
            reason: format!("not a PEM certificate: {e}"),
        })?;
    if chain.is_empty() {
        return Err(TlsError::Invalid {
            path: path.to_owned(),
            reason: "no certificate in the file".into(),
        });
    }
    Ok(chain)
}

/// Writes a new self-signed certificate and key (0600) unless both exist.
fn ensure_generated(dir: &Path) -> Result<(PathBuf, PathBuf), TlsError> {
    let (cert, key) = generated_paths(dir);
    if cert.exists() && key.exists() {
        return Ok((cert, key));
    }
    let folder = dir.join("tls");
    std::fs::create_dir_all(&folder).map_err(|source| TlsError::Io {
        path: folder.clone(),
        source,
    })?;
    let mut names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    if let Ok(h) = std::fs::read_to_string("/etc/hostname") {
        let h = h.trim();
        if !h.is_empty() {
            names.push(h.to_owned());
        }
    }
    let generated = rcgen::generate_simple_self_signed(names).map_err(|e| TlsError::Invalid {
        path: cert.clone(),
        reason: format!("generating a certificate: {e}"),
    })?;
    write_private(&key, generated.signing_key.serialize_pem().as_bytes())?;
    std::fs::write(&cert, generated.cert.pem()).map_err(|source| TlsError::Io {
        path: cert.clone(),
        source,
    })?;
    Ok((cert, key))
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), TlsError> {
    use std::io::Write as _;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        o.mode(0o600);
    }
    let io = |source| TlsError::Io {
        path: path.to_owned(),
        source,
    };
    let mut f = o.open(path).map_err(io)?;
    f.write_all(bytes).map_err(io)?;
    f.sync_all().map_err(io)
}

impl ServerTls {
    /// Loads (or first generates) the server's certificate.
    ///
    /// # Errors
    /// When a file is missing or unusable.
    pub fn load(source: &TlsSource) -> Result<Self, TlsError> {
        let (cert, key) = match source {
            TlsSource::Files { cert, key } => (cert.clone(), key.clone()),
            TlsSource::Generated { dir } => ensure_generated(dir)?,
        };
        let chain = read_certs(&cert)?;
        let pin = spki_pin(&chain[0]).map_err(|reason| TlsError::Invalid {
            path: cert.clone(),
            reason,
        })?;
        let key_der = PrivateKeyDer::from_pem_file(&key).map_err(|e| TlsError::Invalid {
            path: key.clone(),
            reason: format!("no usable PEM private key: {e}"),
        })?;
        let mut config = rustls::ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(chain, key_der)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Self {
            config: Arc::new(config),
            pin,
        })
    }
}

/// A listener for `axum::serve` that hands out finished TLS connections. Handshakes run
/// in their own tasks with a 10 s limit, so a slow or silent client never holds the accept
/// loop; failed handshakes are dropped.
pub struct TlsListener {
    rx: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl TlsListener {
    /// Starts accepting on `tcp`.
    ///
    /// # Errors
    /// When the local address cannot be read.
    pub fn new(tcp: TcpListener, tls: &ServerTls) -> std::io::Result<Self> {
        let local = tcp.local_addr()?;
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::clone(&tls.config));
        let (tx, rx) = mpsc::channel(256);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, addr)) = tcp.accept().await else {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let (acceptor, tx) = (acceptor.clone(), tx.clone());
                tokio::spawn(async move {
                    let hs = tokio::time::timeout(Duration::from_secs(10), acceptor.accept(stream));
                    if let Ok(Ok(s)) = hs.await {
                        let _ = tx.send((s, addr)).await;
                    }
                });
            }
        });
        Ok(Self { rx, local, task })
    }
}

impl Drop for TlsListener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.rx.recv().await {
            Some(c) => c,
            // The accept task ended (it does not, except at shutdown): wait forever.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}

/// Accepts exactly the server key named by a pin; remembers what it saw, so a refusal
/// can say which key the server presented.
#[derive(Debug)]
pub struct PinVerifier {
    pin: String,
    seen: Mutex<Option<String>>,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl PinVerifier {
    /// The key the server presented when it did not match.
    #[must_use]
    pub fn mismatch(&self) -> Option<String> {
        self.seen
            .lock()
            .ok()
            .and_then(|s| s.clone())
            .filter(|s| *s != self.pin)
    }
}

impl rustls::client::danger::ServerCertVerifier for PinVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        let got = spki_pin(end_entity).map_err(rustls::Error::General)?;
        if let Ok(mut s) = self.seen.lock() {
            *s = Some(got.clone());
        }
        if got == self.pin {
            Ok(rustls::client::danger::ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(format!(
                "the server's key {got} is not the pinned key {}",
                self.pin
            )))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// An HTTP client for the agent: pinned to one key when `pin` is given, else the web PKI.
/// Returns the verifier too, to explain a refusal.
///
/// # Errors
/// When the client cannot be built.
pub fn agent_client(
    pin: Option<&str>,
) -> Result<(reqwest::Client, Option<Arc<PinVerifier>>), String> {
    let builder = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .connect_timeout(Duration::from_secs(10));
    let Some(pin) = pin else {
        return builder
            .build()
            .map(|c| (c, None))
            .map_err(|e| format!("HTTP client: {e}"));
    };
    let provider = provider();
    let verifier = Arc::new(PinVerifier {
        pin: pin.to_owned(),
        seen: Mutex::new(None),
        provider: Arc::clone(&provider),
    });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::clone(&verifier) as _)
        .with_no_client_auth();
    builder
        .use_preconfigured_tls(config)
        .build()
        .map(|c| (c, Some(verifier)))
        .map_err(|e| format!("HTTP client: {e}"))
}
