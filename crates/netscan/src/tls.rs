//! TLS facts: the negotiated version, which of TLS 1.2 and 1.3 the server accepts, and the
//! certificate (subject, issuer, self-signed, validity, key). rustls does the handshake with
//! a verifier that accepts any certificate (a scanner must see the bad ones; handshake
//! signatures are still checked, with the certificate's key also for X.509 v1 certificates,
//! which webpki does not read), x509-parser reads the certificate. rustls speaks no
//! TLS 1.0/1.1, so those are not tested.

use std::net::SocketAddr;
use std::sync::Arc;

use praxcheck_model::{FactValue, TlsFacts};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::Instant;
use tokio_rustls::TlsConnector;

use crate::engine::{Conn, Connect, Gate};
use crate::probes::{ProbeOptions, ProbeReport, http_done, http_report, http_request};

#[derive(Debug)]
struct AnyCert(WebPkiSupportedAlgorithms);

impl ServerCertVerifier for AnyCert {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0)
            .or_else(|e| certificate_key_fallback(e, message, cert, dss, &self.0))
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
            .or_else(|e| certificate_key_fallback(e, message, cert, dss, &self.0))
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}

/// The handshake signature checked with the certificate's public key as x509-parser reads
/// it. webpki (behind rustls' own check) reads X.509 v3 certificates only, and embedded web
/// servers of printers and NAS boxes often present a self-signed v1 certificate: without this
/// their TLS facts (self-signed, expired) would be lost. Each algorithm rustls maps the
/// signature scheme to is tried with the key; a key of another type fails to verify.
/// After webpki refused: a signature scheme the handshake must not use stays refused; a
/// certificate webpki could not read gets [`verify_with_certificate_key`].
fn certificate_key_fallback(
    e: rustls::Error,
    message: &[u8],
    cert: &CertificateDer<'_>,
    dss: &DigitallySignedStruct,
    algs: &WebPkiSupportedAlgorithms,
) -> Result<HandshakeSignatureValid, rustls::Error> {
    if matches!(e, rustls::Error::PeerMisbehaved(_)) {
        return Err(e);
    }
    verify_with_certificate_key(message, cert, dss, algs).ok_or(e)
}

fn verify_with_certificate_key(
    message: &[u8],
    cert: &CertificateDer<'_>,
    dss: &DigitallySignedStruct,
    algs: &WebPkiSupportedAlgorithms,
) -> Option<HandshakeSignatureValid> {
    let (_, c) = x509_parser::parse_x509_certificate(cert.as_ref()).ok()?;
    let key = &c.public_key().subject_public_key.data;
    let (_, candidates) = algs.mapping.iter().find(|(s, _)| *s == dss.scheme)?;
    candidates
        .iter()
        .any(|a| a.verify_signature(key, message, dss.signature()).is_ok())
        .then(HandshakeSignatureValid::assertion)
}

fn connector(versions: &[&'static rustls::SupportedProtocolVersion]) -> Option<TlsConnector> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let algs = provider.signature_verification_algorithms;
    let cfg =
        rustls::ClientConfig::builder_with_provider(Arc::clone(&provider) as Arc<CryptoProvider>)
            .with_protocol_versions(versions)
            .ok()?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AnyCert(algs)))
            .with_no_client_auth();
    Some(TlsConnector::from(Arc::new(cfg)))
}

/// A connector offering TLS 1.3 and 1.2 that accepts any certificate (for the active probe).
pub(crate) fn any_cert_connector() -> Option<TlsConnector> {
    connector(&[&rustls::version::TLS13, &rustls::version::TLS12])
}

pub(crate) fn server_name(addr: SocketAddr) -> ServerName<'static> {
    ServerName::IpAddress(addr.ip().into())
}

/// Reads certificate facts from DER. Pure.
#[must_use]
pub fn cert_facts(der: &[u8], now: time::OffsetDateTime) -> Option<TlsFacts> {
    let (_, c) = x509_parser::parse_x509_certificate(der).ok()?;
    let nb = c.validity().not_before.to_datetime();
    let na = c.validity().not_after.to_datetime();
    let fmt = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    };
    let (alg, bits) = match c.public_key().parsed() {
        Ok(x509_parser::public_key::PublicKey::RSA(k)) => ("RSA", k.key_size()),
        Ok(x509_parser::public_key::PublicKey::EC(k)) => ("EC", k.key_size()),
        Ok(_) => ("other", 0),
        Err(_) => ("unknown", 0),
    };
    Some(TlsFacts {
        version: String::new(),
        versions_accepted: Vec::new(),
        subject: c.subject().to_string(),
        issuer: c.issuer().to_string(),
        // Issuer equal to subject (byte for byte): the certificate names itself as its signer.
        self_signed: c.subject().as_raw() == c.issuer().as_raw(),
        not_before: fmt(nb),
        not_after: fmt(na),
        expired: na < now,
        key_algorithm: alg.to_owned(),
        key_bits: u32::try_from(bits).unwrap_or(0),
    })
}

fn version_name(v: rustls::ProtocolVersion) -> String {
    match v {
        rustls::ProtocolVersion::TLSv1_3 => "TLSv1.3".to_owned(),
        rustls::ProtocolVersion::TLSv1_2 => "TLSv1.2".to_owned(),
        other => format!("{other:?}"),
    }
}

/// The HTTPS probe: a handshake offering TLS 1.2 and 1.3 on the open connection (certificate,
/// version, then `GET /` and, when the answer names no other product, `GET /connector.sds`
/// for the TI connector), then one handshake offering only TLS 1.2 on a second connection.
pub async fn https(conn: Conn, addr: SocketAddr, gate: &Gate, o: &ProbeOptions) -> ProbeReport {
    let mut r = ProbeReport::default();
    let deadline = Instant::now() + o.timeout;
    let Some(both) = connector(&[&rustls::version::TLS13, &rustls::version::TLS12]) else {
        return r;
    };
    let (stream, permits) = conn.into_parts();
    let Ok(Ok(mut tls)) =
        tokio::time::timeout_at(deadline, both.connect(server_name(addr), stream)).await
    else {
        return r;
    };
    let (_, session) = tls.get_ref();
    let version = session
        .protocol_version()
        .map(version_name)
        .unwrap_or_default();
    let mut facts = session
        .peer_certificates()
        .and_then(|c| c.first())
        .and_then(|c| cert_facts(c.as_ref(), time::OffsetDateTime::now_utc()))
        .unwrap_or_default();
    facts.version.clone_from(&version);
    facts.versions_accepted.push(version.clone());
    r.identified = Some("tls".to_owned());
    let _ = tokio::time::timeout_at(deadline, tls.write_all(&http_request(addr, "/"))).await;
    let body = read_tls(&mut tls, deadline).await;
    http_report(&mut r, &body, true);
    drop(tls);
    drop(permits);
    // The TI connector's service directory.
    if let Connect::Open(c) = gate.connect(addr).await
        && let Some(text) = get_over_tls(c, addr, "/connector.sds", o).await
        && let Some((product, firmware)) = connector_sds(&text)
    {
        r.fact(
            "ti.connector_product",
            FactValue::Text(product.clone()),
            format!("connector.sds ProductName {product}"),
        );
        r.fact(
            "ti.connector_firmware",
            FactValue::Text(firmware.clone()),
            format!("connector.sds FirmwareVersion {firmware}"),
        );
        r.product = Some(format!("{product} {firmware}"));
        r.identified = Some("ti-connector".to_owned());
    }
    if version == "TLSv1.3"
        && let Connect::Open(c) = gate.connect(addr).await
        && let Some(only12) = connector(&[&rustls::version::TLS12])
    {
        let d = Instant::now() + o.timeout;
        let (stream, _permits) = c.into_parts();
        if let Ok(Ok(_)) =
            tokio::time::timeout_at(d, only12.connect(server_name(addr), stream)).await
        {
            facts.versions_accepted.push("TLSv1.2".to_owned());
        }
    }
    r.tls = Some(facts);
    r
}

async fn read_tls<S: AsyncReadExt + Unpin>(s: &mut S, deadline: Instant) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 2048];
    while buf.len() < crate::MAX_READ_BYTES && !http_done(&buf) {
        match tokio::time::timeout_at(deadline, s.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => {
                buf.extend_from_slice(&chunk[..n.min(crate::MAX_READ_BYTES - buf.len())])
            }
            _ => break,
        }
    }
    buf
}

async fn get_over_tls(c: Conn, addr: SocketAddr, path: &str, o: &ProbeOptions) -> Option<String> {
    let deadline = Instant::now() + o.timeout;
    let conn = connector(&[&rustls::version::TLS13, &rustls::version::TLS12])?;
    let (stream, _permits) = c.into_parts();
    let mut tls = tokio::time::timeout_at(deadline, conn.connect(server_name(addr), stream))
        .await
        .ok()?
        .ok()?;
    tokio::time::timeout_at(deadline, tls.write_all(&http_request(addr, path)))
        .await
        .ok()?
        .ok()?;
    let b = read_tls(&mut tls, deadline).await;
    let text = String::from_utf8_lossy(&b).into_owned();
    (text.starts_with("HTTP/1.1 200") || text.starts_with("HTTP/1.0 200")).then_some(text)
}

/// Product name and firmware version from a TI connector's `connector.sds` (the gematik
/// service directory: `<ProductName>` and `<FWVersion>` (or `<FirmwareVersion>`) inside
/// `<ProductInformation>`).
/// A tag search, not an XML parser: two elements are read, nothing else.
#[must_use]
pub fn connector_sds(text: &str) -> Option<(String, String)> {
    fn tag(text: &str, name: &str) -> Option<String> {
        let open = text
            .find(&format!(":{name}>"))
            .or_else(|| text.find(&format!("<{name}>")))?;
        let start = text[open..].find('>')? + open + 1;
        let end = text[start..].find('<')? + start;
        let mut v: String = text[start..end]
            .trim()
            .chars()
            .filter(|c| !c.is_control())
            .collect();
        v.truncate(80);
        (!v.is_empty()).then_some(v)
    }
    if !text.contains("ServiceInformation") && !text.contains("ConnectorServices") {
        return None;
    }
    // gematik's ProductInformation names the firmware `FWVersion` (inside
    // `ProductVersion/Local`); some directories spell it out.
    let firmware = tag(text, "FirmwareVersion").or_else(|| tag(text, "FWVersion"))?;
    Some((tag(text, "ProductName")?, firmware))
}
