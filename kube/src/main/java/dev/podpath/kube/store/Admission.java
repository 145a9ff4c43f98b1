package dev.podpath.kube.store;

import io.fabric8.kubernetes.api.model.HasMetadata;
import org.jspecify.annotations.Nullable;

/**
 * A step the API server runs on every write before it is stored: defaulting, validation and
 * allocation (Service ClusterIPs and NodePorts). It may change {@code object} (a private copy) and
 * throws {@link ApiException} to refuse; then nothing is stored.
 */
public interface Admission {

  /** Called for creates ({@code old} null) and updates. */
  void admit(HasMetadata object, @Nullable HasMetadata old, ApiStore store);

  /** Called once an object is gone for good (to release what it held). */
  default void released(HasMetadata object) {}
}
