/**
 * The node agents below kube-proxy: the kubelet's pod sandboxes and the CNI plugins it calls, as
 * containerd's libcni calls them (spec JSON on stdin, parameters in the environment).
 */
@NullMarked
package dev.podpath.node;

import org.jspecify.annotations.NullMarked;
