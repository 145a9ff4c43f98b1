/**
 * The iptables 1.8.9 (nf_tables) userspace over podpath's netfilter: the {@code iptables} and
 * {@code ip6tables} command lines, {@code iptables-save} and {@code iptables-restore}, with the
 * real tools' parsing, printing and error messages.
 */
@NullMarked
package dev.podpath.shell.iptables;

import org.jspecify.annotations.NullMarked;
