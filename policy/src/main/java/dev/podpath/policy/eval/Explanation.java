package dev.podpath.policy.eval;

import dev.podpath.policy.model.ConnectionSet;

/** A flow's decision with the verdict of each direction. */
public record Explanation(
    Endpoint source,
    Endpoint destination,
    Verdict egress,
    Verdict ingress,
    ConnectionSet allowed) {}
