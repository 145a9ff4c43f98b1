/**
 * Netfilter: tables, chains, rules with their matches and targets, counters, atomic table
 * replacement, and the hook functions that run the tables; conntrack and NAT live beside it.
 */
@NullMarked
package dev.podpath.kernel.netfilter;

import org.jspecify.annotations.NullMarked;
