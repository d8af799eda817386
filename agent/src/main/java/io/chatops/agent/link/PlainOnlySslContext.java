package io.chatops.agent.link;

import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An SSLContext for a hub reached over plain {@code ws://}: the JDK's HTTP client insists on one
 * and would otherwise load the whole TLS stack and the system's trust store, about 5 MB of memory
 * the agent never uses. Any attempt to use it for TLS fails loudly; {@code wss://} gets the real one.
 */
final class PlainOnlySslContext extends SSLContext {
    PlainOnlySslContext() {
        super(new Spi(), null, "none");
    }

    private static final class Spi extends SSLContextSpi {
        @Override
        protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random) {
            // nothing to set up: this context never makes a TLS connection
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw refused();
        }

        private static IllegalStateException refused() {
            return new IllegalStateException("TLS is not set up: the hub URL is ws:// or http://");
        }
    }
}
