/**
 * kube-proxy's configuration: the KubeProxyConfiguration kind, its defaults and local detectors.
 */
@NullMarked
package dev.podpath.proxy.config;

import org.jspecify.annotations.NullMarked;
