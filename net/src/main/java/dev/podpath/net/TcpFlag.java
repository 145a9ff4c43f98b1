package dev.podpath.net;

/** TCP header flags, in the order iptables lists them. */
public enum TcpFlag {
  FIN,
  SYN,
  RST,
  PSH,
  ACK,
  URG,
  ECE,
  CWR
}
