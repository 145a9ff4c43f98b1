package dev.podpath.node.cni;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * An emulated CNI plugin binary. The {@link CniDispatcher} does what libcni's {@code skel} does
 * around it (environment, config validation, version checks, error printing); the plugin only
 * implements the commands.
 */
public interface CniPlugin {

  /** The binary's file name ({@code bridge}, {@code host-local}). */
  String type();

  /** The spec versions the plugin answers VERSION with. */
  List<String> supportedVersions();

  /** ADD: the Success result. */
  ObjectNode add(CniRequest request, PluginEnvironment env) throws CniException;

  /** DEL: undo the ADD, idempotently. */
  void del(CniRequest request, PluginEnvironment env) throws CniException;

  /** CHECK: verify the attachment against {@code prevResult}. */
  void check(CniRequest request, PluginEnvironment env) throws CniException;

  /** The versions Debian 12's containernetworking-plugins 1.1.1 answer with (no 1.1.0). */
  List<String> DEBIAN_VERSIONS = List.of("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0");
}
