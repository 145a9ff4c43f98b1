/**
 * Enforcement: NetworkPolicy compiled into per-node iptables rules, kept in sync by watch, track,
 * sync.
 */
@NullMarked
package dev.podpath.policy.enforce;

import org.jspecify.annotations.NullMarked;
