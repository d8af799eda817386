package io.chatops.hub.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The hub's TLS identity from PEM files, as web servers take them: a certificate chain
 * ({@code fullchain.pem}) and an unencrypted PKCS#8 private key, RSA or EC ({@code privkey.pem} of
 * Let's Encrypt). A file that cannot be used stops the hub at start with a message naming it.
 */
public final class Tls {
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    static final String[] CIPHER_SUITES = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"};

    private Tls() {
    }

    /** Thrown for an unusable certificate or key; the message names the option and the problem. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    public static SslContextFactory.Server context(Path certFile, Path keyFile) throws Invalid {
        Certificate[] chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        if (!belongTogether(key, chain[0])) {
            throw new Invalid("invalid --tls-key " + keyFile + ": it does not belong to the certificate in --tls-cert");
        }
        try {
            char[] password = new char[24];
            SecureRandom random = new SecureRandom();
            for (int i = 0; i < password.length; i++) {
                password[i] = (char) ('a' + random.nextInt(26)); // in memory only, never written
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("hub", key, password, chain);
            SslContextFactory.Server factory = new SslContextFactory.Server();
            // TLS 1.2 and 1.3 only, and for 1.2 only forward-secret AEAD suites (Mozilla's "intermediate" profile).
            factory.setIncludeProtocols(PROTOCOLS);
            factory.setIncludeCipherSuites(CIPHER_SUITES);
            factory.setKeyStore(store);
            factory.setKeyStorePassword(new String(password));
            factory.setKeyManagerPassword(new String(password));
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new Invalid("invalid --tls-key " + keyFile + ": cannot be used with the certificate (" + e.getMessage() + ")");
        }
    }

    /** Whether the key signs what the certificate's public key verifies: the only sure test of a pair. */
    private static boolean belongTogether(PrivateKey key, Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Certificate[] certificates(Path file) throws Invalid {
        try {
            Collection<? extends Certificate> chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)));
            if (chain.isEmpty()) {
                throw new Invalid("invalid --tls-cert " + file + ": no PEM certificate in it");
            }
            return chain.toArray(new Certificate[0]);
        } catch (IOException e) {
            throw new Invalid("cannot read --tls-cert " + file + ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new Invalid("invalid --tls-cert " + file + ": not a PEM certificate chain (" + e.getMessage() + ")");
        }
    }

    private static PrivateKey privateKey(Path file) throws Invalid {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new Invalid("cannot read --tls-key " + file + ": " + e.getMessage());
        }
        if (pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY")) {
            throw new Invalid("invalid --tls-key " + file + ": an old-style key; convert it with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem'");
        }
        if (pem.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            throw new Invalid("invalid --tls-key " + file + ": the key is encrypted; the hub needs it unencrypted (mode 0600)");
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new Invalid("invalid --tls-key " + file + ": no PEM 'PRIVATE KEY' in it");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
        } catch (IllegalArgumentException e) {
            throw new Invalid("invalid --tls-key " + file + ": the PEM body is not base64");
        }
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new Invalid("invalid --tls-key " + file + ": not an RSA, EC or Ed25519 PKCS#8 key");
    }
}
