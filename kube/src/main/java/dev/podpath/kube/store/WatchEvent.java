package dev.podpath.kube.store;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One watch event as the API server streams it: {@code {"type":"MODIFIED","object":{…}}\n}. {@link
 * #bytes()} is the size of that line on the wire.
 */
public record WatchEvent(Type type, HasMetadata object, long resourceVersion, long bytes) {

  /** The event types of {@code watch.EventType}. */
  public enum Type {
    ADDED,
    MODIFIED,
    DELETED
  }

  /** Wire size of an event around an object of {@code objectBytes} bytes. */
  public static long wireSize(Type type, long objectBytes) {
    // {"type":"<TYPE>","object":<OBJECT>}\n
    return "{\"type\":\"\",\"object\":}\n".length() + type.name().length() + objectBytes;
  }

  public ObjectKey key() {
    return ObjectKey.of(object);
  }
}
