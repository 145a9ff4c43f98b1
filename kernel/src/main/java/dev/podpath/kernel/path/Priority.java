package dev.podpath.kernel.path;

/**
 * Hook priorities of {@code enum nf_ip_hook_priorities} (include/uapi/linux/netfilter_ipv4.h) and
 * of IPVS's hook registrations (net/netfilter/ipvs/ip_vs_core.c). Lower runs first.
 */
public final class Priority {
  public static final int CONNTRACK_DEFRAG = -400;
  public static final int RAW = -300;
  public static final int SELINUX_FIRST = -225;
  public static final int CONNTRACK = -200;
  public static final int MANGLE = -150;
  public static final int NAT_DST = -100;
  public static final int FILTER = 0;
  public static final int SECURITY = 50;
  public static final int NAT_SRC = 100;
  public static final int SELINUX_LAST = 225;
  public static final int CONNTRACK_HELPER = 300;
  public static final int CONNTRACK_CONFIRM = Integer.MAX_VALUE;

  /** {@code ip_vs_reply4} at LOCAL_IN and {@code ip_vs_remote_request4}: NAT_SRC - 2. */
  public static final int IPVS_LOCAL_IN = NAT_SRC - 2;

  /** {@code ip_vs_local_request4} at LOCAL_OUT: NAT_DST + 2. */
  public static final int IPVS_LOCAL_OUT = NAT_DST + 2;

  /** {@code ip_vs_forward_icmp} and {@code ip_vs_reply4} at FORWARD: 99 and 100. */
  public static final int IPVS_FORWARD = 99;

  private Priority() {}
}
