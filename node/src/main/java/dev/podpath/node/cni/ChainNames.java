package dev.podpath.node.cni;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Names the CNI plugins make: iptables chains and host-side veth names. */
public final class ChainNames {

  private ChainNames() {}

  /**
   * {@code utils.FormatChainName}: {@code CNI-} and the first 24 hex digits of the SHA-512 of the
   * network name followed by the container id (28 characters in all, as Debian 12's plugins make
   * it; newer ones keep 25).
   */
  public static String chain(String network, String containerId) {
    return "CNI-" + sha512Hex(network + containerId).substring(0, 24);
  }

  /** The comment the plugins put on their rules: {@code name: "NET" id: "ID"}. */
  public static String comment(String network, String containerId) {
    return "name: \"" + network + "\" id: \"" + containerId + "\"";
  }

  /**
   * The host side of a pod's veth: {@code veth} and 8 hex digits. The real plugin draws them at
   * random; podpath derives them from the attachment so runs are reproducible.
   */
  public static String hostVeth(String containerId, String ifName) {
    return "veth" + sha512Hex("veth/" + containerId + "/" + ifName).substring(0, 8);
  }

  private static String sha512Hex(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-512").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is always available", e);
    }
  }
}
