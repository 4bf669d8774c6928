//! TLS to the server through rustls (pure Rust: a Windows desk needs nothing installed). The
//! server's certificate is checked against the public roots built in, plus the council's own
//! root certificate when `PGSSLROOTCERT` names its PEM file (most councils sign their own).

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use std::sync::Arc;

pub(super) fn connector() -> Result<tokio_postgres_rustls::MakeRustlsConnect, String> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(file) = std::env::var_os("PGSSLROOTCERT") {
        let shown = std::path::Path::new(&file).display().to_string();
        let certs = CertificateDer::pem_file_iter(&file).map_err(|e| {
            format!("the server's root certificate {shown} (PGSSLROOTCERT) cannot be read: {e}")
        })?;
        for cert in certs {
            let cert = cert.map_err(|e| format!("the root certificate file {shown} is not PEM: {e}"))?;
            roots.add(cert).map_err(|e| format!("the root certificate in {shown} is refused: {e}"))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS cannot be set up: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}
