package dev.podpath.node.cni;

/** The values of {@code CNI_COMMAND}. */
public enum CniCommand {
  ADD,
  DEL,
  CHECK,
  STATUS,
  GC,
  VERSION
}
