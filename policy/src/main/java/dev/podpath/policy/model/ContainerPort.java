package dev.podpath.policy.model;

import dev.podpath.net.Protocol;
import java.util.Optional;

/** A container port of a pod, with its optional name. */
public record ContainerPort(Optional<String> name, int port, Protocol protocol) {}
