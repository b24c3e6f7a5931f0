package io.quell.cluster;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.File;

/**
 * The certificates a TLS member trusts in its peers: a keystore or truststore whose
 * certificates (trusted entries, and the certificate of each key entry) sign or are the peers'
 * certificates. Members that speak TLS reach each other over HTTPS with it and verify the
 * peer's host name against its advertised address.
 */
public record PeerTrust(File truststore, String password) {
  public PeerTrust {
    checkArgument(truststore != null, "a TLS member needs a truststore for its peers");
  }
}
