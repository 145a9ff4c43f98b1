package dev.podpath.node.cni;

import java.util.Map;

/**
 * The seam between the runtime and plugin binaries: run the binary named {@code type} found on
 * {@code CNI_PATH} with this environment and stdin. {@link EmulatedPlugins} runs podpath's emulated
 * plugins; a test can record calls or run the real binaries.
 */
@FunctionalInterface
public interface CniInvoker {
  ExecResult exec(String type, Map<String, String> env, String stdin);
}
