package dev.podpath.kernel.path;

/** The five netfilter hooks of the IPv4/IPv6 path ({@code NF_INET_*}). */
public enum Hook {
  PREROUTING,
  INPUT,
  FORWARD,
  OUTPUT,
  POSTROUTING
}
