"""Certificates for the security tests, made with `cryptography` (Debian python3-cryptography):
authorities, a server certificate for 127.0.0.1/localhost, and client certificates that are valid,
expired, or issued by an authority Verify does not trust."""

import datetime
import ipaddress
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


class Issued:
    """A certificate with its key, as PEM bytes, written to files on request."""

    def __init__(self, certificate, key):
        self.certificate = certificate
        self.key = key

    @property
    def cert_pem(self):
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self):
        return self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())

    @property
    def der(self):
        return self.certificate.public_bytes(serialization.Encoding.DER)

    def write(self, directory, name):
        """Writes <name>.pem and <name>.key atomically (temp file, then rename, as secret mounts do)."""
        paths = []
        for suffix, data in ((".pem", self.cert_pem), (".key", self.key_pem)):
            path = os.path.join(directory, name + suffix)
            with open(path + ".tmp", "wb") as f:
                f.write(data)
            os.replace(path + ".tmp", path)
            paths.append(path)
        return paths


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def authority(name):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    certificate = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(_now() - datetime.timedelta(days=1)).not_valid_after(_now() + datetime.timedelta(days=30))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                                                key_encipherment=False, data_encipherment=False, key_agreement=False,
                                                encipher_only=False, decipher_only=False), critical=True)
                   .sign(key, hashes.SHA256()))
    return Issued(certificate, key)


def issue(issuer, common_name, server=False, not_before=None, not_after=None):
    key = ec.generate_private_key(ec.SECP256R1())
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
               .issuer_name(issuer.certificate.subject).public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(not_before or _now() - datetime.timedelta(hours=1))
               .not_valid_after(not_after or _now() + datetime.timedelta(days=7))
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH]),
                              critical=False))
    if server:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
    return Issued(builder.sign(issuer.key, hashes.SHA256()), key)


def expired(issuer, common_name):
    return issue(issuer, common_name, not_before=_now() - datetime.timedelta(days=10), not_after=_now() - datetime.timedelta(days=1))
