package dev.podpath.kube.validate;

import dev.podpath.net.IpAddress;
import dev.podpath.net.IpPrefix;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** An accumulating list of field errors with the checks objects share. */
final class Errors {

  static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");

  final List<FieldError> list = new ArrayList<>();

  void add(FieldError e) {
    list.add(e);
  }

  void labels(String path, @Nullable Map<String, String> labels) {
    if (labels == null) {
      return;
    }
    for (var e : new TreeMap<>(labels).entrySet()) {
      List<String> keyErrs = Names.labelKey(e.getKey());
      if (!keyErrs.isEmpty()) {
        add(FieldError.invalid(path, e.getKey(), String.join("; ", keyErrs)));
      }
      List<String> valErrs = Names.labelValue(String.valueOf(e.getValue()));
      if (!valErrs.isEmpty()) {
        add(FieldError.invalid(path, e.getValue(), String.join("; ", valErrs)));
      }
    }
  }

  void port(String path, @Nullable Integer port) {
    if (port == null) {
      add(FieldError.required(path, ""));
    } else if (port < 1 || port > 65535) {
      add(FieldError.invalid(path, port, "must be between 1 and 65535, inclusive"));
    }
  }

  void protocol(String path, @Nullable String protocol) {
    if (protocol != null && !PROTOCOLS.contains(protocol)) {
      add(FieldError.notSupported(path, protocol, PROTOCOLS));
    }
  }

  void portName(String path, @Nullable String name) {
    if (name != null && !name.isEmpty()) {
      List<String> errs = Names.portName(name);
      if (!errs.isEmpty()) {
        add(FieldError.invalid(path, name, String.join(", ", errs)));
      }
    }
  }

  void intOrStringPort(String path, @Nullable IntOrString p) {
    if (p == null) {
      return;
    }
    if (p.getIntVal() != null) {
      port(path, p.getIntVal());
    } else if (p.getStrVal() != null) {
      portName(path, p.getStrVal());
    }
  }

  void ip(String path, @Nullable String text) {
    if (text != null && parseIp(text) == null) {
      add(
          FieldError.invalid(
              path, text, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
    }
  }

  void cidr(String path, @Nullable String text) {
    if (text == null) {
      return;
    }
    try {
      IpPrefix.parse(text);
    } catch (RuntimeException e) {
      add(
          FieldError.invalid(
              path, text, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"));
    }
  }

  void name(String path, @Nullable String name, NameRule rule) {
    if (name == null || name.isEmpty()) {
      return;
    }
    List<String> errs =
        switch (rule) {
          case SUBDOMAIN -> Names.dns1123Subdomain(name);
          case DNS1123_LABEL -> Names.dns1123Label(name);
          case DNS1035_LABEL -> Names.dns1035Label(name);
        };
    if (!errs.isEmpty()) {
      add(FieldError.invalid(path, name, String.join(", ", errs)));
    }
  }

  static @Nullable IpAddress parseIp(String text) {
    try {
      return IpAddress.parse(text);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Which syntax an object's name must follow. */
  enum NameRule {
    SUBDOMAIN,
    DNS1123_LABEL,
    DNS1035_LABEL
  }
}
