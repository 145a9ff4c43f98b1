package dev.podpath.policy.enforce;

import dev.podpath.policy.model.Direction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The names of podpath's policy chains, made in one place the way kube-proxy and kube-router make
 * theirs: a fixed prefix and the first 16 characters of the base32 SHA-256 of what the chain is
 * for, so every name fits iptables' 28-character limit and is stable across syncs.
 */
public final class ChainNames {
  /** Jumped to from the first rule of FORWARD. */
  public static final String FORWARD = "PODPATH-FORWARD";

  /** Jumped to from the first rule of OUTPUT. */
  public static final String OUTPUT = "PODPATH-OUTPUT";

  /** Prefix of the per-pod firewall chains. */
  public static final String POD_PREFIX = "PODPATH-POD-";

  /** Prefix of the per-policy, per-direction chains. */
  public static final String POLICY_PREFIX = "PODPATH-NWP-";

  private ChainNames() {}

  /** {@code PODPATH-POD-<hash of ns/name>}. */
  public static String pod(String namespace, String name) {
    return POD_PREFIX + hash(namespace + "/" + name);
  }

  /** {@code PODPATH-NWP-<hash of ns/name/Direction>}. */
  public static String policy(String namespace, String name, Direction d) {
    return POLICY_PREFIX + hash(namespace + "/" + name + "/" + d.apiName());
  }

  private static String hash(String text) {
    try {
      byte[] sum =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return base32(sum).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  private static String base32(byte[] data) {
    final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    var sb = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        sb.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(alphabet.charAt((buffer << (5 - bits)) & 31));
    }
    return sb.toString();
  }
}
