/**
 * The userspace tools over the emulated kernel, with their real syntax and text formats (ip,
 * iptables, iptables-save/-restore, ipvsadm, bridge, sysctl, conntrack), and the lab-file
 * interpreter.
 */
@NullMarked
package dev.podpath.shell;

import org.jspecify.annotations.NullMarked;
