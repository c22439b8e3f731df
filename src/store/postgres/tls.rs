//! Encryption of the connection as libpq's `sslmode` means it: `prefer` (the default) and
//! `require` encrypt without checking who answers, `verify-ca` checks the server's
//! certificate against the trusted roots, `verify-full` also that it names the host. The
//! roots are `sslrootcert` (a file, or `system` for the machine's), else
//! `~/.postgresql/root.crt` where it exists, else the machine's. `sslcert`/`sslkey` give a
//! client certificate (PEM, PKCS#8 key). Through `native-tls`, i.e. the system's OpenSSL.

use native_tls::{Certificate, Identity, TlsConnector};
use postgres_native_tls::MakeTlsConnector;
use std::path::PathBuf;

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
    pub(crate) fn connector(&self) -> Result<MakeTlsConnector, String> {
        let mut b = TlsConnector::builder();
        let roots = self.roots();
        let verify = matches!(self.mode, SslMode::VerifyCa | SslMode::VerifyFull)
            || (self.mode == SslMode::Require && self.root_cert.is_some());
        if verify {
            if self.mode != SslMode::VerifyFull {
                b.danger_accept_invalid_hostnames(true);
            }
            if let Some(file) = roots {
                // libpq trusts the file's roots only.
                b.disable_built_in_roots(true);
                for cert in certificates(&read(&file, "sslrootcert")?) {
                    let cert = Certificate::from_pem(&cert)
                        .map_err(|e| format!("sslrootcert {}: not a PEM certificate ({e})", file.display()))?;
                    b.add_root_certificate(cert);
                }
            }
        } else {
            b.danger_accept_invalid_certs(true).danger_accept_invalid_hostnames(true);
        }
        match (&self.cert, &self.key) {
            (Some(cert), Some(key)) => {
                let (cert, key) = (PathBuf::from(cert), PathBuf::from(key));
                let identity = Identity::from_pkcs8(&read(&cert, "sslcert")?, &read(&key, "sslkey")?)
                    .map_err(|e| format!("sslcert {} with sslkey {}: {e}", cert.display(), key.display()))?;
                b.identity(identity);
            }
            (Some(_), None) | (None, Some(_)) => {
                return Err("sslcert and sslkey go together: give both files or neither".into());
            }
            (None, None) => {}
        }
        let connector = b.build().map_err(|e| format!("TLS cannot be set up: {e}"))?;
        Ok(MakeTlsConnector::new(connector))
    }

    /// The file of trusted roots: `sslrootcert` unless it says `system`, else
    /// `~/.postgresql/root.crt` where it exists; `None` for the machine's roots.
    fn roots(&self) -> Option<PathBuf> {
        match self.root_cert.as_deref() {
            Some("system") => None,
            Some(file) => Some(PathBuf::from(file)),
            None => {
                directories::BaseDirs::new().map(|d| d.home_dir().join(".postgresql/root.crt")).filter(|f| f.is_file())
            }
        }
    }
}

/// A file's bytes, or a message naming the setting and the file.
fn read(file: &std::path::Path, setting: &str) -> Result<Vec<u8>, String> {
    std::fs::read(file).map_err(|e| format!("{setting} {}: cannot be read ({e})", file.display()))
}

/// Each certificate of a PEM bundle (`Certificate::from_pem` reads the first only).
fn certificates(pem: &[u8]) -> Vec<Vec<u8>> {
    const END: &str = "-----END CERTIFICATE-----";
    let text = String::from_utf8_lossy(pem);
    let mut out = Vec::new();
    let mut rest = text.as_ref();
    while let Some(at) = rest.find(END) {
        out.push(rest[..at + END.len()].trim().as_bytes().to_vec());
        rest = &rest[at + END.len()..];
    }
    if out.is_empty() {
        out.push(pem.to_vec());
    }
    out
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
    fn a_bundle_splits_into_its_certificates() {
        let pem = b"-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nBBB\n-----END CERTIFICATE-----\n";
        let certs = certificates(pem);
        assert_eq!(certs.len(), 2);
        assert!(String::from_utf8_lossy(&certs[1]).contains("BBB"));
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
