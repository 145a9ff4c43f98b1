package dev.podpath.kernel.link;

/** The network namespace a link lives in, as the link sees it. */
public interface LinkContainer {

  String hostName();

  /** The namespace's name (the host's name for its root namespace). */
  String name();
}
