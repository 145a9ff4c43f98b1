package dev.podpath.kube.validate;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDaemonSet;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateStatefulSetStrategy;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The rolling-update parameters of DaemonSets and StatefulSets, as the API server's apps validation
 * checks them ({@code ValidateRollingUpdateDaemonSet}, {@code validateRollingUpdateStatefulSet}):
 * an int must not be negative, a string must be a percentage of at most 100%; a DaemonSet needs
 * exactly one of maxUnavailable and maxSurge non-zero (after the defaults 1 and 0); a StatefulSet's
 * maxUnavailable must not be 0 and its partition not negative. A bad value is printed as the
 * manifest wrote it ({@code 0}, {@code 110%}).
 */
final class RollingUpdateValidation {

  private static final Pattern PERCENT = Pattern.compile("[0-9]+%");
  private static final String NON_NEGATIVE = "must be greater than or equal to 0";

  private RollingUpdateValidation() {}

  static void daemonSet(Errors e, DaemonSet d) {
    var strategy = d.getSpec() == null ? null : d.getSpec().getUpdateStrategy();
    if (strategy == null || !rolling(strategy.getType()) || strategy.getRollingUpdate() == null) {
      return;
    }
    RollingUpdateDaemonSet ru = strategy.getRollingUpdate();
    String path = "spec.updateStrategy.rollingUpdate";
    // the API server's defaults, applied before validation
    IntOrString unavailable = orDefault(ru.getMaxUnavailable(), 1);
    IntOrString surge = orDefault(ru.getMaxSurge(), 0);
    intOrPercent(e, path + ".maxUnavailable", unavailable);
    intOrPercent(e, path + ".maxSurge", surge);
    notMoreThan100Percent(e, path + ".maxUnavailable", unavailable);
    notMoreThan100Percent(e, path + ".maxSurge", surge);
    boolean hasUnavailable = !isZero(unavailable);
    boolean hasSurge = !isZero(surge);
    if (hasUnavailable && hasSurge) {
      e.add(
          FieldError.invalidText(
              path + ".maxSurge", text(surge), "may not be set when maxUnavailable is non-zero"));
    } else if (!hasUnavailable && !hasSurge) {
      e.add(FieldError.required(path + ".maxUnavailable", "cannot be 0 when maxSurge is 0"));
    }
  }

  static void statefulSet(Errors e, StatefulSet s) {
    var strategy = s.getSpec() == null ? null : s.getSpec().getUpdateStrategy();
    if (strategy == null || !rolling(strategy.getType()) || strategy.getRollingUpdate() == null) {
      return;
    }
    RollingUpdateStatefulSetStrategy ru = strategy.getRollingUpdate();
    String path = "spec.updateStrategy.rollingUpdate";
    if (ru.getPartition() != null && ru.getPartition() < 0) {
      e.add(FieldError.invalid(path + ".partition", ru.getPartition(), NON_NEGATIVE));
    }
    IntOrString max = ru.getMaxUnavailable();
    if (max == null) {
      return;
    }
    intOrPercent(e, path + ".maxUnavailable", max);
    if (isZero(max)) {
      e.add(FieldError.invalidText(path + ".maxUnavailable", text(max), "cannot be 0"));
    }
    notMoreThan100Percent(e, path + ".maxUnavailable", max);
  }

  /**
   * The parameters count for {@code RollingUpdate}, the default type; {@code OnDelete} ignores
   * them.
   */
  private static boolean rolling(@Nullable String type) {
    return type == null || type.isEmpty() || type.equals("RollingUpdate");
  }

  private static IntOrString orDefault(@Nullable IntOrString v, int dflt) {
    return v == null || (v.getIntVal() == null && v.getStrVal() == null)
        ? new IntOrString(dflt)
        : v;
  }

  /** {@code ValidatePositiveIntOrPercent}: a non-negative int or a percentage string. */
  private static void intOrPercent(Errors e, String path, IntOrString v) {
    if (v.getIntVal() != null) {
      if (v.getIntVal() < 0) {
        e.add(FieldError.invalid(path, v.getIntVal(), NON_NEGATIVE));
      }
    } else if (!PERCENT.matcher(v.getStrVal()).matches()) {
      e.add(
          FieldError.invalidText(
              path,
              v.getStrVal(),
              "a valid percent string must be a numeric string followed by an ending '%' (e.g."
                  + " '1%',  or '93%', regex used for validation is '[0-9]+%')"));
    }
  }

  private static void notMoreThan100Percent(Errors e, String path, IntOrString v) {
    percent(v)
        .filter(p -> p.compareTo(BigInteger.valueOf(100)) > 0)
        .ifPresent(
            p -> e.add(FieldError.invalidText(path, text(v), "must not be greater than 100%")));
  }

  private static Optional<BigInteger> percent(IntOrString v) {
    if (v.getStrVal() == null || !PERCENT.matcher(v.getStrVal()).matches()) {
      return Optional.empty();
    }
    return Optional.of(new BigInteger(v.getStrVal().substring(0, v.getStrVal().length() - 1)));
  }

  /**
   * Whether {@code getIntOrPercentValue} is 0: the int, the percentage's number, or a string's int
   * (0 when it is none).
   */
  private static boolean isZero(IntOrString v) {
    if (v.getIntVal() != null) {
      return v.getIntVal() == 0;
    }
    Optional<BigInteger> p = percent(v);
    if (p.isPresent()) {
      return p.get().signum() == 0;
    }
    try {
      return Integer.parseInt(v.getStrVal()) == 0;
    } catch (NumberFormatException ex) {
      return true;
    }
  }

  private static String text(IntOrString v) {
    return v.getIntVal() != null ? v.getIntVal().toString() : v.getStrVal();
  }
}
