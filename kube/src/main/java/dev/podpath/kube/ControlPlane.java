package dev.podpath.kube;

import dev.podpath.kube.alloc.ServiceAllocation;
import dev.podpath.kube.endpoints.EndpointSliceController;
import dev.podpath.kube.endpoints.EndpointSlicePlanner;
import dev.podpath.kube.endpoints.EndpointsController;
import dev.podpath.kube.endpoints.EndpointsPlanner;
import dev.podpath.kube.endpoints.MirroringController;
import dev.podpath.kube.endpoints.MirroringPlanner;
import dev.podpath.kube.io.Manifest;
import dev.podpath.kube.io.ManifestException;
import dev.podpath.kube.io.ManifestSet;
import dev.podpath.kube.loop.ControlLoop;
import dev.podpath.kube.model.Kind;
import dev.podpath.kube.nodes.GarbageCollector;
import dev.podpath.kube.nodes.InstantKubelet;
import dev.podpath.kube.nodes.NodeIpam;
import dev.podpath.kube.scheduler.Scheduler;
import dev.podpath.kube.select.FieldSelector;
import dev.podpath.kube.select.Selector;
import dev.podpath.kube.shape.ClusterShape;
import dev.podpath.kube.shape.NodeShape;
import dev.podpath.kube.store.ApiException;
import dev.podpath.kube.store.ApiStore;
import dev.podpath.kube.store.ObjectKey;
import dev.podpath.kube.store.Watch;
import dev.podpath.kube.store.WatchEvent;
import dev.podpath.kube.workload.DaemonSetController;
import dev.podpath.kube.workload.DeploymentController;
import dev.podpath.kube.workload.ReplicaSetController;
import dev.podpath.kube.workload.Rollouts;
import dev.podpath.kube.workload.StatefulSetController;
import dev.podpath.net.VirtualClock;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The Kubernetes control plane of one emulated cluster: the API store, the allocators and every
 * controller on a deterministic loop over one {@link VirtualClock}. This is the API the lab
 * commands ({@code cluster}, {@code kubectl …}, {@code advance}) and {@code podpath get} use.
 *
 * <p>Every write through this facade runs the controllers until nothing is left to do, so the state
 * read back right after {@code apply} is what the control plane derives at that virtual instant
 * (pods scheduled and started, endpoints published). Time-based behaviour (grace periods, retries)
 * needs {@link #advance}.
 */
public final class ControlPlane {

  /** Tunables; {@link #defaults()} is what kube-controller-manager uses. */
  public record Options(
      int maxEndpointsPerSlice,
      boolean endpointsController,
      int endpointsMaxCapacity,
      boolean endpointSliceController,
      boolean instantKubelet,
      long seed) {
    public static Options defaults() {
      return new Options(
          EndpointSlicePlanner.DEFAULT_MAX_ENDPOINTS,
          true,
          EndpointsPlanner.MAX_CAPACITY,
          true,
          true,
          1);
    }

    public Options withMaxEndpointsPerSlice(int max) {
      return new Options(
          max,
          endpointsController,
          endpointsMaxCapacity,
          endpointSliceController,
          instantKubelet,
          seed);
    }

    /** Runs the legacy Endpoints controller (on by default, as in kube-controller-manager). */
    public Options withEndpointsController(boolean on) {
      return new Options(
          maxEndpointsPerSlice,
          on,
          endpointsMaxCapacity,
          endpointSliceController,
          instantKubelet,
          seed);
    }

    /** The Endpoints address cap: 1000 since Kubernetes 1.22, 0 for none (before). */
    public Options withEndpointsMaxCapacity(int cap) {
      return new Options(
          maxEndpointsPerSlice,
          endpointsController,
          cap,
          endpointSliceController,
          instantKubelet,
          seed);
    }

    /** Runs the EndpointSlice controller (on by default). */
    public Options withEndpointSliceController(boolean on) {
      return new Options(
          maxEndpointsPerSlice,
          endpointsController,
          endpointsMaxCapacity,
          on,
          instantKubelet,
          seed);
    }

    /** Adds the {@link InstantKubelet} seam; turn off when a real kubelet runs the pods. */
    public Options withInstantKubelet(boolean on) {
      return new Options(
          maxEndpointsPerSlice,
          endpointsController,
          endpointsMaxCapacity,
          endpointSliceController,
          on,
          seed);
    }
  }

  private final ClusterShape shape;
  private final VirtualClock clock;
  private final ApiStore store;
  private final ControlLoop loop;
  private final Applier applier;
  private final @Nullable EndpointSliceController endpointSlices;

  private ControlPlane(ClusterShape shape, VirtualClock clock, Options options) {
    this.shape = shape;
    this.clock = clock;
    this.store = new ApiStore(clock, options.seed(), ApiStore.DEFAULT_HISTORY);
    ServiceAllocation alloc = new ServiceAllocation(shape.serviceCidrs(), options.seed());
    store.addAdmission(alloc);
    this.loop = new ControlLoop(store);
    store.afterTimer(loop::settle);
    loop.add(new GarbageCollector());
    loop.add(new NodeIpam(shape.clusterCidrs(), shape.nodeCidrMaskSize()));
    loop.add(new Scheduler());
    if (options.instantKubelet()) {
      loop.add(new InstantKubelet());
    }
    loop.add(new ReplicaSetController());
    loop.add(new DeploymentController());
    loop.add(new StatefulSetController());
    loop.add(new DaemonSetController());
    if (options.endpointsController()) {
      loop.add(new EndpointsController(options.endpointsMaxCapacity()));
    }
    if (options.endpointSliceController()) {
      this.endpointSlices = new EndpointSliceController(options.maxEndpointsPerSlice());
      loop.add(endpointSlices);
    } else {
      this.endpointSlices = null;
    }
    loop.add(new MirroringController(MirroringPlanner.DEFAULT_MAX_PER_SUBSET));
    Bootstrap.namespaces(store);
    for (NodeShape n : shape.nodes()) {
      store.create(Bootstrap.node(n));
    }
    Bootstrap.apiServerService(store, shape, alloc.apiServerServiceIp());
    this.applier = new Applier(store);
    loop.settle();
  }

  /** A control plane for {@code shape} with default options and a fresh clock. */
  public static ControlPlane start(ClusterShape shape) {
    return start(shape, new VirtualClock(), Options.defaults());
  }

  /** A control plane on a shared clock (the cluster's). */
  public static ControlPlane start(ClusterShape shape, VirtualClock clock, Options options) {
    return new ControlPlane(shape, clock, options);
  }

  public ClusterShape shape() {
    return shape;
  }

  public VirtualClock clock() {
    return clock;
  }

  /** The API store, for reads and watches beyond this facade. */
  public ApiStore store() {
    return store;
  }

  /**
   * {@code kubectl apply}: creates or updates every object, all or nothing. Returns kubectl's lines
   * ({@code deployment.apps/web created}, {@code service/web configured}, {@code pod/a unchanged}).
   *
   * @throws ManifestException naming the file and line of the first invalid object; then nothing of
   *     this apply is stored
   */
  public List<String> apply(ManifestSet manifests) {
    try {
      return applier.apply(manifests.objects());
    } finally {
      loop.settle();
    }
  }

  /**
   * Validates manifests as the API server would on {@code kubectl apply}, without a control plane
   * (for commands that read objects as given, like {@code podpath rules}).
   *
   * @throws ManifestException at the file:line of the first invalid object, with the API server's
   *     message
   */
  public static void validate(ManifestSet manifests) {
    Applier.validate(manifests.objects());
  }

  /** {@code kubectl delete}: each object, with its kind's default grace period. */
  public List<String> delete(ManifestSet manifests) {
    List<String> out = new java.util.ArrayList<>();
    for (Manifest m : manifests.objects()) {
      ObjectKey key = applier.keyOf(m);
      try {
        store.delete(key);
        out.add(m.kind().qualifiedSingular() + " \"" + key.name() + "\" deleted");
      } catch (ApiException e) {
        throw new ManifestException(m.source(), e.kubectlMessage());
      }
    }
    loop.settle();
    return out;
  }

  /** {@code kubectl delete KIND NAME [--grace-period=N]}. */
  public void delete(Kind kind, String namespace, String name, @Nullable Long gracePeriod) {
    store.delete(ObjectKey.of(kind, namespace, name), gracePeriod);
    loop.settle();
  }

  /** {@code kubectl scale --replicas=N} for Deployments, ReplicaSets and StatefulSets. */
  public void scale(Kind kind, String namespace, String name, int replicas) {
    Applier.scale(store, kind, namespace, name, replicas);
    loop.settle();
  }

  /**
   * {@code kubectl label KIND NAME k=v k2-}: sets and removes labels; an existing different value
   * needs {@code overwrite}.
   */
  public void label(
      Kind kind, String namespace, String name, List<String> changes, boolean overwrite) {
    Applier.label(store, kind, namespace, name, changes, overwrite);
    loop.settle();
  }

  public <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name) {
    return store.get(type, namespace, name);
  }

  /** Objects of a type in a namespace ({@code null}: all) matching label and field selectors. */
  public <T extends HasMetadata> List<T> list(
      Class<T> type, @Nullable String namespace, Selector labels, FieldSelector fields) {
    return store.list(type, namespace, labels, fields);
  }

  /** {@code kubectl rollout status deployment/NAME}: whether the rollout is complete. */
  public boolean rolloutComplete(String namespace, String deployment) {
    return store
        .get(Deployment.class, namespace, deployment)
        .map(DeploymentController::rolloutComplete)
        .orElseThrow(
            () -> ApiException.notFound(ObjectKey.of(Kind.DEPLOYMENT, namespace, deployment)));
  }

  /**
   * {@code kubectl rollout history KIND/NAME [--revision=N]} for Deployments, DaemonSets and
   * StatefulSets: the revision table, or with {@code revision > 0} that revision's pod template.
   *
   * @throws Rollouts.RolloutException what kubectl refuses ({@code unable to find the specified
   *     revision})
   */
  public String rolloutHistory(Kind kind, String namespace, String name, long revision) {
    return Rollouts.history(store, kind, namespace, name, revision);
  }

  /**
   * {@code kubectl rollout undo KIND/NAME [--to-revision=N]}: {@code rolled back} or {@code skipped
   * rollback (…)}; the controllers then roll to the restored template.
   *
   * @throws Rollouts.RolloutException what kubectl refuses (unknown revision, no history, paused)
   */
  public String rolloutUndo(Kind kind, String namespace, String name, long toRevision) {
    try {
      return Rollouts.undo(store, kind, namespace, name, toRevision);
    } finally {
      loop.settle();
    }
  }

  /** Moves virtual time forward, running what falls due (grace periods, retries). */
  public void advance(Duration by) {
    clock.advance(by);
    loop.settle();
  }

  /** Opens a watch (see {@link ApiStore#watch}); empty {@code from} starts with a list. */
  public Watch watch(
      String who,
      Kind kind,
      @Nullable String namespace,
      Selector labels,
      Optional<Long> from,
      Consumer<WatchEvent> handler) {
    return store.watch(who, kind, namespace, labels, FieldSelector.everything(), from, handler);
  }

  /**
   * The events controllers recorded on objects, by when they were last seen (repeats folded), as
   * {@code NAMESPACE/NAME: TYPE REASON MESSAGE} (today the EndpointSlice controller's topology-hint
   * events, e.g. {@code default/web: Warning TopologyAwareHintsDisabled Insufficient number of
   * endpoints (2 endpoints, 3 zones), addressType: IPv4}).
   */
  public List<String> events() {
    return endpointSlices == null ? List.of() : endpointSlices.events();
  }

  /** Controller syncs that failed for good (after their retries). */
  public List<String> errors() {
    return loop.errors();
  }

  /**
   * Adds a controller that runs beside the built-in ones on the same loop (node agents: the
   * kubelets, kube-proxies and policy agents of the cluster's nodes), and settles.
   */
  public void addController(dev.podpath.kube.loop.Controller controller) {
    loop.add(controller);
    loop.settle();
  }

  /** Runs the controllers until idle (after writes made directly on {@link #store()}). */
  public void settle() {
    loop.settle();
  }
}
