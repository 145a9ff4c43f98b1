/**
 * The netfilter rule model as values: tables, chains with policies, rules made of matches and a
 * target, counters. What {@code iptables-restore} builds and {@code iptables-save} prints.
 */
@NullMarked
package dev.podpath.kernel.netfilter.rule;

import org.jspecify.annotations.NullMarked;
