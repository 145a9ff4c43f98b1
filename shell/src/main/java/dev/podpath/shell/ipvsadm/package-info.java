/**
 * {@code ipvsadm} (1.31) over a namespace's emulated IPVS: services, real servers, listing, save
 * and restore.
 */
@NullMarked
package dev.podpath.shell.ipvsadm;

import org.jspecify.annotations.NullMarked;
