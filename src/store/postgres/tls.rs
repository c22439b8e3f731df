//! Encryption of the connection as libpq's `sslmode` means it: `prefer` (the default) and
//! `require` encrypt without checking who answers, `verify-ca` checks the server's
//! certificate against the trusted roots, `verify-full` also that it names the host. The
//! roots are `sslrootcert`'s file, else `~/.postgresql/root.crt`; `sslrootcert=system` (the
//! machine's roots) goes with `verify-full` only, as in libpq. `sslcert`/`sslkey` give a
//! client certificate (PEM). Through `rustls` (with `ring`): no system library to build
//! against, and no certificate store loaded when nothing is checked (OpenSSL loaded the
//! machine's bundle twice, 65 ms, on every connection).

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio_postgres_rustls::MakeRustlsConnect;

/// libpq's `sslmode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SslMode {
    /// Never encrypted.
    Disable,
    /// Unencrypted first, encrypted when the server refuses that.
    Allow,
    /// Encrypted when the server offers it (libpq's default).
    Prefer,
    /// Always encrypted; the certificate checked only when `sslrootcert` is given.
    Require,
    /// Encrypted, the certificate signed by a trusted root.
    VerifyCa,
    /// Encrypted, the certificate trusted and naming the host.
    VerifyFull,
}

impl SslMode {
    /// The mode a URL or `PGSSLMODE` names.
    pub(crate) fn parse(text: &str) -> Option<SslMode> {
        Some(match text.trim() {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }

    /// The mode as a URL writes it, for messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

/// How one target's connections are encrypted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TlsChoice {
    /// `sslmode`.
    pub(crate) mode: SslMode,
    /// `sslrootcert`: a PEM file of trusted roots, or `system`.
    pub(crate) root_cert: Option<String>,
    /// `sslcert`: the client's certificate (PEM).
    pub(crate) cert: Option<String>,
    /// `sslkey`: the client's key (PEM, PKCS#8).
    pub(crate) key: Option<String>,
}

impl TlsChoice {
    /// The connector for this choice, or a message naming the file that could not be used.
    pub(crate) fn connector(&self) -> Result<MakeRustlsConnect, String> {
        // `ring` builds with a C compiler alone (aws-lc-rs would need more); its want of
        // post-quantum key exchange is why rustls marks it deprecated, and PostgreSQL's
        // OpenSSL 3.0 servers offer none either.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        // As libpq: `require` checks the chain when a root file is there (given or
        // `~/.postgresql/root.crt`), as `verify-ca` does.
        let root_file = self.root_file();
        let verify = matches!(self.mode, SslMode::VerifyCa | SslMode::VerifyFull)
            || (self.mode == SslMode::Require && root_file.is_some());
        let verifier: Arc<dyn ServerCertVerifier> = if verify {
            let (roots, pinned) = self.roots(root_file)?;
            let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .map_err(|e| format!("sslrootcert: {e}"))?;
            if self.mode == SslMode::VerifyFull { webpki } else { Arc::new(ChainOnly { webpki, pinned }) }
        } else {
            Arc::new(Unchecked(provider.clone()))
        };
        let builder = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS cannot be set up: {e}"))?
            .dangerous()
            .with_custom_certificate_verifier(verifier);
        let config = match (&self.cert, &self.key) {
            (Some(cert), Some(key)) => {
                let (cert, key) = (PathBuf::from(cert), PathBuf::from(key));
                let chain = certificates(&cert, "sslcert")?;
                let secret = PrivateKeyDer::from_pem_file(&key)
                    .map_err(|e| format!("sslkey {}: not a PEM private key ({e})", key.display()))?;
                builder
                    .with_client_auth_cert(chain, secret)
                    .map_err(|e| format!("sslcert {} with sslkey {}: {e}", cert.display(), key.display()))?
            }
            (Some(_), None) | (None, Some(_)) => {
                return Err("sslcert and sslkey go together: give both files or neither".into());
            }
            (None, None) => builder.with_no_client_auth(),
        };
        Ok(MakeRustlsConnect::new(config))
    }

    /// The file of trusted roots: `sslrootcert` unless it says `system`, else
    /// `~/.postgresql/root.crt` where it exists.
    fn root_file(&self) -> Option<PathBuf> {
        match self.root_cert.as_deref() {
            Some("system") => None,
            Some(file) => Some(PathBuf::from(file)),
            None => {
                directories::BaseDirs::new().map(|d| d.home_dir().join(".postgresql/root.crt")).filter(|f| f.is_file())
            }
        }
    }

    /// The trusted roots (`root_file`'s, or this machine's for `sslrootcert=system`) and the
    /// file's certificates as they are, so that a server's self-signed certificate given as
    /// its own root passes `verify-ca`. As libpq, a check without either is refused rather
    /// than made against roots nobody chose.
    fn roots(&self, file: Option<PathBuf>) -> Result<(RootCertStore, Vec<CertificateDer<'static>>), String> {
        let mut roots = RootCertStore::empty();
        match file {
            Some(file) => {
                let certs = certificates(&file, "sslrootcert")?;
                for cert in &certs {
                    roots.add(cert.clone()).map_err(|e| format!("sslrootcert {}: {e}", file.display()))?;
                }
                Ok((roots, certs))
            }
            None if self.root_cert.as_deref() == Some("system") => {
                roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
                if roots.is_empty() {
                    return Err("sslrootcert=system: this machine has no trusted roots".into());
                }
                Ok((roots, Vec::new()))
            }
            None => Err(format!(
                "sslmode={} checks the server's certificate against a root certificate: give it with \
                 sslrootcert=FILE or put it in ~/.postgresql/root.crt (sslrootcert=system trusts this \
                 machine's roots, with verify-full)",
                self.mode.name()
            )),
        }
    }
}

/// The certificates of a PEM file, or a message naming the setting and the file.
fn certificates(file: &Path, setting: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{setting} {}: cannot be read ({e})", file.display()))?;
    let certs: Vec<_> = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{setting} {}: not a PEM certificate ({e})", file.display()))?;
    if certs.is_empty() {
        return Err(format!("{setting} {}: holds no certificate (PEM expected)", file.display()));
    }
    Ok(certs)
}

/// `prefer` and `require`: the connection is encrypted, whoever answers (libpq's meaning).
/// The handshake's signatures are still checked, so the key exchange is sound.
#[derive(Debug)]
struct Unchecked(Arc<CryptoProvider>);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
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
        verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the certificate must chain to a trusted root, or be one of the root file's
/// certificates itself (a self-signed server certificate); the name it gives may differ
/// from the host's.
#[derive(Debug)]
struct ChainOnly {
    webpki: Arc<WebPkiServerVerifier>,
    pinned: Vec<CertificateDer<'static>>,
}

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self.webpki.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            Err(_) if self.pinned.iter().any(|p| p.as_ref() == end_entity.as_ref()) => {
                Ok(ServerCertVerified::assertion())
            }
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_are_read_as_libpq_writes_them() {
        for name in ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] {
            assert_eq!(SslMode::parse(name).unwrap().name(), name);
        }
        assert_eq!(SslMode::parse("on"), None);
    }

    #[test]
    fn a_missing_root_file_is_named() {
        let choice = TlsChoice {
            mode: SslMode::VerifyFull,
            root_cert: Some("/nonexistent/root.crt".into()),
            cert: None,
            key: None,
        };
        let err = choice.connector().err().unwrap();
        assert!(err.contains("sslrootcert /nonexistent/root.crt"), "{err}");
    }
}
