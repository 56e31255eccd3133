package dev.opskit.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {
  @Test
  void aPortIsBelowTheEphemeralRangeAndCanBeBoundOnLoopback() throws Exception {
    for (int i = 0; i < 20; i++) {
      int port = LoopbackPorts.free();
      assertThat(port).isBetween(LoopbackPorts.LOW, LoopbackPorts.HIGH - 1);
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertThat(socket.getLocalPort()).isEqualTo(port);
      }
    }
  }
}
