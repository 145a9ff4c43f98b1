/**
 * NetworkPolicy (networking.k8s.io/v1) as validated values: selectors, peers, ports, rules, pods.
 */
@NullMarked
package dev.podpath.policy.model;

import org.jspecify.annotations.NullMarked;
