package dev.podpath.kube.store;

import dev.podpath.kube.io.Json;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.validate.FieldError;
import dev.podpath.kube.validate.Validator;
import dev.podpath.net.VirtualClock;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The API server and its storage, in memory: create, update, delete, get, list and watch, with
 * resourceVersions from one global counter (as etcd's revision), optimistic concurrency (a stale
 * {@code metadata.resourceVersion} is a Conflict), {@code generateName}, {@code
 * metadata.generation} (a uid given on create is kept when free, so that the ownerReferences and
 * targetRefs of a live dump stay consistent), graceful deletion of Pods on the {@link
 * VirtualClock}, finalizers, and a bounded event history so a watch can start from an older
 * resourceVersion.
 *
 * <p>Stored objects are shared, not copied, when read: callers must not mutate what {@link #get}
 * and {@link #list} return or what watch handlers receive (copy first, e.g. with fabric8's
 * builders). Writes copy their argument.
 *
 * <p>Every event is sized once as the JSON the API server would stream; each {@link Watch} adds
 * that size to its counters.
 */
public final class ApiStore {

  /** Default number of events kept for watches that start from an old resourceVersion. */
  public static final int DEFAULT_HISTORY = 100_000;

  private static final String RANDOM_CHARS = "bcdfghjklmnpqrstvwxz2456789";

  private final VirtualClock clock;
  private final Random random;
  private final Map<Kind, TreeMap<ObjectKey, HasMetadata>> objects = new EnumMap<>(Kind.class);
  private final Map<Kind, List<Watch>> watches = new EnumMap<>(Kind.class);
  private final ArrayDeque<WatchEvent> history = new ArrayDeque<>();
  private int historyLimit;
  private final List<Admission> admissions = new ArrayList<>();
  private long revision;
  private long uids;
  private Runnable afterTimer = () -> {};
  private final java.util.Set<String> uidsInUse = new java.util.HashSet<>();
  private final Map<ObjectKey, byte[]> encoded = new java.util.HashMap<>();

  /** The same objects by key, hashed: {@link #get} without walking the sorted map. */
  private final Map<ObjectKey, HasMetadata> byKey = new java.util.HashMap<>();

  private static final Map<Class<?>, Kind> KIND_OF_TYPE = kindsByType();

  public ApiStore(VirtualClock clock) {
    this(clock, 1, DEFAULT_HISTORY);
  }

  /** A store whose generated names and uids come from {@code seed}. */
  public ApiStore(VirtualClock clock, long seed, int historyLimit) {
    this.clock = clock;
    this.random = new Random(seed);
    this.historyLimit = historyLimit;
    for (Kind k : Kind.values()) {
      objects.put(k, new TreeMap<>());
      watches.put(k, new ArrayList<>());
    }
  }

  public VirtualClock clock() {
    return clock;
  }

  /**
   * Keeps at most {@code events} past events for watches that start from an older resourceVersion
   * (dropping the oldest now). Each kept event holds its object, so a large scenario whose watches
   * all start from the current resourceVersion keeps few.
   */
  public void limitHistory(int events) {
    if (events < 0) {
      throw new IllegalArgumentException("limitHistory: events must be >= 0, got " + events);
    }
    historyLimit = events;
    while (history.size() > historyLimit) {
      history.removeFirst();
    }
  }

  /** Runs {@code hook} after each write a timer made (grace periods): the loop settles there. */
  public void afterTimer(Runnable hook) {
    this.afterTimer = hook;
  }

  /** Adds an admission step; steps run in the order added. */
  public void addAdmission(Admission admission) {
    admissions.add(admission);
  }

  /** The current resourceVersion (the last write's). */
  public long resourceVersion() {
    return revision;
  }

  /** The current time in the API's RFC 3339 format (seconds). */
  public String timestamp() {
    return timestamp(clock.now());
  }

  static String timestamp(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  // ---- reads

  public Optional<HasMetadata> get(ObjectKey key) {
    return Optional.ofNullable(byKey.get(key));
  }

  /** The object of {@code type} at namespace/name ({@code ""} namespace for cluster scope). */
  public <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name) {
    return get(ObjectKey.of(kindOf(type), namespace, name)).map(type::cast);
  }

  /** All objects of a type in a namespace ({@code null}: all namespaces), sorted by key. */
  public <T extends HasMetadata> List<T> list(Class<T> type, @Nullable String namespace) {
    return list(type, namespace, Selector.everything(), FieldSelector.everything());
  }

  /** Objects of a type matching label and field selectors, sorted by namespace and name. */
  public <T extends HasMetadata> List<T> list(
      Class<T> type, @Nullable String namespace, Selector labels, FieldSelector fields) {
    Kind kind = kindOf(type);
    Fields.check(kind, fields);
    TreeMap<ObjectKey, HasMetadata> all = objects.get(kind);
    Map<ObjectKey, HasMetadata> range =
        namespace == null || !kind.namespaced()
            ? all
            : all.subMap(
                new ObjectKey(kind, namespace, ""),
                true,
                new ObjectKey(kind, namespace, "\uffff"),
                true);
    List<T> out = new ArrayList<>();
    for (HasMetadata o : range.values()) {
      Map<String, String> l = o.getMetadata().getLabels();
      if (labels.matches(l == null ? Map.of() : l)
          && (fields.terms().isEmpty() || fields.matches(Fields.of(o)))) {
        out.add(type.cast(o));
      }
    }
    return out;
  }

  /** The number of stored objects of a kind. */
  public int count(Kind kind) {
    return objects.get(kind).size();
  }

  // ---- writes

  /**
   * Creates an object: defaults its namespace to {@code default}, fills in name (from
   * generateName), uid, resourceVersion, creationTimestamp and generation, runs admission.
   */
  public <T extends HasMetadata> T create(T object) {
    T copy = Json.copy(object);
    Kind kind = Kind.of(copy);
    ObjectMeta meta = copy.getMetadata() == null ? new ObjectMeta() : copy.getMetadata();
    copy.setMetadata(meta);
    if (kind.namespaced() && (meta.getNamespace() == null || meta.getNamespace().isEmpty())) {
      meta.setNamespace("default");
    }
    if (!kind.namespaced()) {
      meta.setNamespace(null);
    }
    if ((meta.getName() == null || meta.getName().isEmpty())
        && meta.getGenerateName() != null
        && !meta.getGenerateName().isEmpty()) {
      meta.setName(generateName(kind, meta));
    }
    validate(copy);
    if (kind.namespaced()
        && kind != Kind.NAMESPACE
        && get(ObjectKey.of(Kind.NAMESPACE, "", meta.getNamespace())).isEmpty()) {
      throw ApiException.notFound(new ObjectKey(Kind.NAMESPACE, "", meta.getNamespace()));
    }
    ObjectKey key = ObjectKey.of(copy);
    if (objects.get(kind).containsKey(key)) {
      throw ApiException.alreadyExists(key);
    }
    for (Admission a : admissions) {
      a.admit(copy, null, this);
    }
    String given = meta.getUid();
    meta.setUid(
        given != null && !given.isEmpty() && !uidsInUse.contains(given) ? given : nextUid());
    uidsInUse.add(meta.getUid());
    meta.setCreationTimestamp(timestamp());
    meta.setResourceVersion(null);
    meta.setGeneration(hasGeneration(kind) ? 1L : null);
    meta.setDeletionTimestamp(null);
    commit(WatchEvent.Type.ADDED, key, copy, null, encodeWithoutRv(copy));
    return copy;
  }

  /**
   * Replaces an object. A non-empty {@code metadata.resourceVersion} must equal the stored one,
   * else Conflict; uid and creationTimestamp are kept; generation goes up when the spec changes.
   */
  public <T extends HasMetadata> T update(T object) {
    T copy = Json.copy(object);
    Kind kind = Kind.of(copy);
    if (kind.namespaced() && copy.getMetadata().getNamespace() == null) {
      copy.getMetadata().setNamespace("default");
    }
    validate(copy);
    ObjectKey key = ObjectKey.of(copy);
    HasMetadata old = byKey.get(key);
    if (old == null) {
      throw ApiException.notFound(key);
    }
    String rv = copy.getMetadata().getResourceVersion();
    if (rv != null && !rv.isEmpty() && !rv.equals(old.getMetadata().getResourceVersion())) {
      throw ApiException.conflict(key);
    }
    for (Admission a : admissions) {
      a.admit(copy, old, this);
    }
    ObjectMeta meta = copy.getMetadata();
    ObjectMeta was = old.getMetadata();
    meta.setUid(was.getUid());
    meta.setCreationTimestamp(was.getCreationTimestamp());
    meta.setDeletionTimestamp(was.getDeletionTimestamp());
    meta.setDeletionGracePeriodSeconds(was.getDeletionGracePeriodSeconds());
    if (hasGeneration(kind)) {
      long gen = was.getGeneration() == null ? 1 : was.getGeneration();
      meta.setGeneration(specChanged(copy, old) ? gen + 1 : gen);
    }
    byte[] bytes = encodeWithoutRv(copy);
    if (Arrays.equals(bytes, encoded.get(key))) {
      return type(copy, old); // a no-op write is not stored and sends no event
    }
    commit(WatchEvent.Type.MODIFIED, key, copy, old, bytes);
    if (meta.getDeletionTimestamp() != null
        && (meta.getFinalizers() == null || meta.getFinalizers().isEmpty())
        && kind != Kind.POD) {
      remove(key);
    }
    return copy;
  }

  /** Deletes with the object's default grace period (Pods: terminationGracePeriodSeconds). */
  public void delete(ObjectKey key) {
    delete(key, null);
  }

  /**
   * Deletes an object. A scheduled Pod with a grace period gets a deletionTimestamp and stays
   * (Terminating) until the period has passed on the clock, or it is deleted again with grace 0; an
   * object with finalizers stays until they are removed; others go at once.
   */
  public void delete(ObjectKey key, @Nullable Long gracePeriodSeconds) {
    HasMetadata old = objects.get(key.kind()).get(key);
    if (old == null) {
      throw ApiException.notFound(key);
    }
    long grace = gracePeriod(old, gracePeriodSeconds);
    boolean finalizers =
        old.getMetadata().getFinalizers() != null && !old.getMetadata().getFinalizers().isEmpty();
    if (grace == 0 && !finalizers) {
      remove(key);
      return;
    }
    if (old.getMetadata().getDeletionTimestamp() != null) {
      return; // already terminating; a longer grace period does not extend it
    }
    HasMetadata copy = Json.copy(old);
    Instant due = clock.now().plusSeconds(grace);
    copy.getMetadata().setDeletionTimestamp(timestamp(due));
    copy.getMetadata().setDeletionGracePeriodSeconds(grace);
    commit(WatchEvent.Type.MODIFIED, key, copy, old, encodeWithoutRv(copy));
    if (grace > 0 && !finalizers) {
      String uid = old.getMetadata().getUid();
      clock.schedule(Duration.ofSeconds(grace), () -> expire(key, uid));
    }
  }

  private void expire(ObjectKey key, String uid) {
    HasMetadata now = objects.get(key.kind()).get(key);
    if (now != null
        && uid.equals(now.getMetadata().getUid())
        && (now.getMetadata().getFinalizers() == null
            || now.getMetadata().getFinalizers().isEmpty())) {
      remove(key);
      afterTimer.run();
    }
  }

  private long gracePeriod(HasMetadata old, @Nullable Long requested) {
    if (!(old instanceof Pod pod)) {
      return 0;
    }
    if (pod.getSpec() == null
        || pod.getSpec().getNodeName() == null
        || pod.getSpec().getNodeName().isEmpty()) {
      return 0; // never scheduled: nothing runs that must stop
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return 0;
    }
    if (requested != null) {
      return Math.max(0, requested);
    }
    Long spec = pod.getSpec().getTerminationGracePeriodSeconds();
    return spec == null ? 30 : Math.max(0, spec);
  }

  private void remove(ObjectKey key) {
    HasMetadata old = objects.get(key.kind()).remove(key);
    if (old == null) {
      return;
    }
    byKey.remove(key);
    uidsInUse.remove(old.getMetadata().getUid());
    byte[] bytes = encoded.remove(key);
    revision++;
    HasMetadata gone = decode(bytes, old.getClass());
    gone.getMetadata().setResourceVersion(Long.toString(revision));
    publish(WatchEvent.Type.DELETED, gone, old, wireObjectSize(bytes, revision));
    for (Admission a : admissions) {
      a.released(old);
    }
  }

  private void commit(
      WatchEvent.Type type,
      ObjectKey key,
      HasMetadata object,
      @Nullable HasMetadata old,
      byte[] bytesWithoutRv) {
    revision++;
    object.getMetadata().setResourceVersion(Long.toString(revision));
    objects.get(key.kind()).put(key, object);
    byKey.put(key, object);
    encoded.put(key, bytesWithoutRv);
    publish(type, object, old, wireObjectSize(bytesWithoutRv, revision));
  }

  /** The object's JSON without {@code metadata.resourceVersion} (compared for no-op writes). */
  private static byte[] encodeWithoutRv(HasMetadata o) {
    String rv = o.getMetadata().getResourceVersion();
    o.getMetadata().setResourceVersion(null);
    try {
      return Json.MAPPER.writeValueAsBytes(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + o.getKind(), e);
    } finally {
      o.getMetadata().setResourceVersion(rv);
    }
  }

  private static HasMetadata decode(byte[] bytes, Class<? extends HasMetadata> type) {
    try {
      return Json.MAPPER.readValue(bytes, type);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot decode " + type.getSimpleName(), e);
    }
  }

  /**
   * The size of the object's JSON with {@code "resourceVersion":"<rv>"} added to its metadata
   * (metadata always has a name before it, hence the comma).
   */
  private static long wireObjectSize(byte[] bytesWithoutRv, long rv) {
    return bytesWithoutRv.length
        + ",\"resourceVersion\":\"\"".length()
        + Long.toString(rv).length();
  }

  // ---- watch

  /**
   * Opens a watch. With {@code fromResourceVersion} empty, the watcher first gets an ADDED event
   * for every current object (a list), then changes; with a resourceVersion, it gets every change
   * after it from the history (Expired when that is too old).
   */
  public Watch watch(
      String name,
      Kind kind,
      @Nullable String namespace,
      Selector labels,
      FieldSelector fields,
      Optional<Long> fromResourceVersion,
      Consumer<WatchEvent> handler) {
    Fields.check(kind, fields);
    Watch w = new Watch(name, kind, namespace, labels, fields, handler);
    if (fromResourceVersion.isEmpty()) {
      for (HasMetadata o : objects.get(kind).values()) {
        if (w.matches(o)) {
          w.deliver(
              new WatchEvent(
                  WatchEvent.Type.ADDED,
                  o,
                  revision(o),
                  WatchEvent.wireSize(
                      WatchEvent.Type.ADDED,
                      wireObjectSize(encoded.get(ObjectKey.of(o)), revision(o)))));
        }
      }
    } else {
      long from = fromResourceVersion.get();
      long oldest = history.isEmpty() ? revision + 1 : history.peekFirst().resourceVersion();
      if (from + 1 < oldest && from < revision) {
        throw ApiException.gone(from, oldest - 1);
      }
      List<WatchEvent> newer = new ArrayList<>(); // the history is in resourceVersion order
      for (var it = history.descendingIterator(); it.hasNext(); ) {
        WatchEvent e = it.next();
        if (e.resourceVersion() <= from) {
          break;
        }
        newer.add(e);
      }
      for (WatchEvent e : newer.reversed()) {
        if (Kind.of(e.object()) == kind && w.matches(e.object())) {
          w.deliver(e);
        }
      }
    }
    watches.get(kind).add(w);
    return w;
  }

  /** The watches open on a kind. */
  public List<Watch> watches(Kind kind) {
    watches.get(kind).removeIf(w -> !w.isOpen());
    return List.copyOf(watches.get(kind));
  }

  private void publish(
      WatchEvent.Type type, HasMetadata object, @Nullable HasMetadata old, long objectBytes) {
    Kind kind = Kind.of(object);
    WatchEvent event =
        new WatchEvent(type, object, revision, WatchEvent.wireSize(type, objectBytes));
    history.addLast(event);
    while (history.size() > historyLimit) {
      history.removeFirst();
    }
    List<Watch> list = watches.get(kind);
    list.removeIf(w -> !w.isOpen());
    // Watches with equal filters (every node's kube-proxy) see the same events: each filter is
    // evaluated once per write, and each kind of event is made once, whatever the fan-out.
    Map<Watch.Filter, Boolean> nowByFilter = new java.util.HashMap<>();
    Map<Watch.Filter, Boolean> beforeByFilter = new java.util.HashMap<>();
    WatchEvent added = null;
    WatchEvent deleted = null;
    for (Watch w : List.copyOf(list)) {
      boolean now = nowByFilter.computeIfAbsent(w.filter(), f -> f.matches(object));
      boolean before =
          old != null
              && type == WatchEvent.Type.MODIFIED
              && beforeByFilter.computeIfAbsent(w.filter(), f -> f.matches(old));
      if (type == WatchEvent.Type.MODIFIED && now != before) {
        if (now) {
          added = added != null ? added : seenAs(WatchEvent.Type.ADDED, object, objectBytes);
          w.deliver(added);
        } else {
          deleted =
              deleted != null ? deleted : seenAs(WatchEvent.Type.DELETED, object, objectBytes);
          w.deliver(deleted);
        }
      } else if (now) {
        w.deliver(event);
      }
    }
  }

  private WatchEvent seenAs(WatchEvent.Type seen, HasMetadata object, long objectBytes) {
    return new WatchEvent(seen, object, revision, WatchEvent.wireSize(seen, objectBytes));
  }

  // ---- helpers

  private static void validate(HasMetadata object) {
    List<FieldError> errors = Validator.validate(object);
    if (!errors.isEmpty()) {
      String name =
          object.getMetadata() == null ? "" : Objects.toString(object.getMetadata().getName(), "");
      throw ApiException.invalid(Kind.of(object).kind(), name, errors);
    }
  }

  private static long revision(HasMetadata o) {
    return Long.parseLong(o.getMetadata().getResourceVersion());
  }

  private String generateName(Kind kind, ObjectMeta meta) {
    for (int attempt = 0; attempt < 100; attempt++) {
      StringBuilder sb = new StringBuilder(meta.getGenerateName());
      for (int i = 0; i < 5; i++) {
        sb.append(RANDOM_CHARS.charAt(random.nextInt(RANDOM_CHARS.length())));
      }
      String name = sb.toString();
      if (!objects
          .get(kind)
          .containsKey(ObjectKey.of(kind, Objects.toString(meta.getNamespace(), ""), name))) {
        return name;
      }
    }
    throw new IllegalStateException("no free generated name for " + meta.getGenerateName());
  }

  private String nextUid() {
    return UUID.nameUUIDFromBytes(
            ("podpath-uid-" + (++uids)).getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .toString();
  }

  private static boolean hasGeneration(Kind kind) {
    return switch (kind) {
      case DEPLOYMENT, REPLICA_SET, STATEFUL_SET, DAEMON_SET, NETWORK_POLICY, SERVICE -> true;
      default -> false;
    };
  }

  private static boolean specChanged(HasMetadata a, HasMetadata b) {
    var ta = Json.MAPPER.valueToTree(a).path("spec");
    var tb = Json.MAPPER.valueToTree(b).path("spec");
    return !ta.equals(tb);
  }

  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata> T type(T wanted, HasMetadata stored) {
    return (T) stored;
  }

  private static Kind kindOf(Class<? extends HasMetadata> type) {
    Kind k = KIND_OF_TYPE.get(type);
    if (k == null) {
      throw new IllegalArgumentException("not a served kind: " + type.getName());
    }
    return k;
  }

  private static Map<Class<?>, Kind> kindsByType() {
    Map<Class<?>, Kind> m = new java.util.HashMap<>();
    for (Kind k : Kind.values()) {
      m.putIfAbsent(k.type(), k);
    }
    return Map.copyOf(m);
  }
}
