/**
 * CoreDNS's kubernetes plugin: the index of services and endpoints, the query-name grammar, and the
 * answers it builds.
 */
@NullMarked
package dev.podpath.dns.records;

import org.jspecify.annotations.NullMarked;
