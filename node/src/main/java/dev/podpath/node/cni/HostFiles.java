package dev.podpath.node.cni;

import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A host's files as plugins see them: host-local keeps one file per reserved address under its data
 * directory. Paths are absolute strings; listing is sorted.
 */
public final class HostFiles {

  private final TreeMap<String, String> files = new TreeMap<>();

  public Optional<String> read(String path) {
    return Optional.ofNullable(files.get(path));
  }

  /** Creates a file only if it does not exist ({@code O_CREAT|O_EXCL}); false if it did. */
  public boolean createExclusive(String path, String content) {
    return files.putIfAbsent(path, content) == null;
  }

  public void write(String path, String content) {
    files.put(path, content);
  }

  public boolean delete(String path) {
    return files.remove(path) != null;
  }

  /** The names of the files directly in {@code dir}, sorted. */
  public List<String> list(String dir) {
    String prefix = dir.endsWith("/") ? dir : dir + "/";
    return files.subMap(prefix, prefix + Character.MAX_VALUE).keySet().stream()
        .map(p -> p.substring(prefix.length()))
        .filter(n -> !n.contains("/"))
        .toList();
  }
}
