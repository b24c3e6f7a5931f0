package io.quell.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

/** Where peers are told to reach a member that advertises no address of its own. */
class AdvertisedHostTest {
  @Test void aSpecificHostIsAdvertisedAsBound() {
    assertEquals("127.0.0.1", QuellServer.advertisedHost("127.0.0.1"));
    assertEquals("10.1.2.3", QuellServer.advertisedHost("10.1.2.3"));
    assertEquals("db1.example.com", QuellServer.advertisedHost("db1.example.com"));
  }

  @Test void allInterfacesAdvertiseAResolvableNameNotTheWildcard() throws Exception {
    String advertised = QuellServer.advertisedHost(null);
    assertEquals(advertised, QuellServer.advertisedHost("0.0.0.0"));
    assertEquals(advertised, QuellServer.advertisedHost("::"));
    assertFalse(InetAddress.getByName(advertised).isAnyLocalAddress(), advertised);
  }
}
