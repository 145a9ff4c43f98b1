package dev.podpath.proxy.iptables;

import dev.podpath.proxy.Endpoint;
import dev.podpath.proxy.ServicePortName;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The names kube-proxy gives its chains, made in one place. A service port's chains share one hash:
 * the first 16 characters of the standard base32 of SHA-256 over {@code spn + protocol} ({@code
 * ns1/svc1:p80tcp} → {@code XPGD46QRK7WJZT7O}); an endpoint chain hashes {@code spn + protocol +
 * endpoint}. Also the fixed chains.
 */
public final class ChainNames {

  public static final String SERVICES = "KUBE-SERVICES";
  public static final String EXTERNAL_SERVICES = "KUBE-EXTERNAL-SERVICES";
  public static final String NODEPORTS = "KUBE-NODEPORTS";
  public static final String POSTROUTING = "KUBE-POSTROUTING";
  public static final String MARK_MASQ = "KUBE-MARK-MASQ";
  public static final String FORWARD = "KUBE-FORWARD";
  public static final String PROXY_FIREWALL = "KUBE-PROXY-FIREWALL";
  public static final String KUBELET_FIREWALL = "KUBE-FIREWALL";
  public static final String PROXY_CANARY = "KUBE-PROXY-CANARY";

  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  private ChainNames() {}

  /** {@code KUBE-SVC-…}: the Cluster-policy chain of a service port. */
  public static String svc(ServicePortName spn) {
    return "KUBE-SVC-" + portHash(spn);
  }

  /** {@code KUBE-SVL-…}: the Local-policy chain of a service port. */
  public static String svl(ServicePortName spn) {
    return "KUBE-SVL-" + portHash(spn);
  }

  /** {@code KUBE-EXT-…}: where external traffic (node ports, external and LB IPs) goes. */
  public static String ext(ServicePortName spn) {
    return "KUBE-EXT-" + portHash(spn);
  }

  /** {@code KUBE-FW-…}: the load-balancer source-range firewall chain. */
  public static String fw(ServicePortName spn) {
    return "KUBE-FW-" + portHash(spn);
  }

  /** {@code KUBE-SEP-…}: the chain of one endpoint of a service port. */
  public static String sep(ServicePortName spn, Endpoint endpoint) {
    return "KUBE-SEP-" + hash(spn + spn.protocolName() + endpoint);
  }

  /** Whether kube-proxy owns a chain of this name and deletes it when stale. */
  public static boolean isServiceChain(String chain) {
    return chain.startsWith("KUBE-SVC-")
        || chain.startsWith("KUBE-SVL-")
        || chain.startsWith("KUBE-EXT-")
        || chain.startsWith("KUBE-FW-")
        || chain.startsWith("KUBE-SEP-");
  }

  private static String portHash(ServicePortName spn) {
    return hash(spn + spn.protocolName());
  }

  /** First 16 characters of base32(SHA-256(text)). */
  static String hash(String text) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
    char[] out = new char[16];
    long bits = 0;
    int have = 0;
    int in = 0;
    for (int i = 0; i < 16; i++) {
      if (have < 5) {
        bits = (bits << 8) | (digest[in++] & 0xff);
        have += 8;
      }
      out[i] = BASE32[(int) ((bits >>> (have - 5)) & 31)];
      have -= 5;
    }
    return new String(out);
  }
}
