/** IPVS: virtual services, real servers, schedulers, the connection table and IPVS's hooks. */
@NullMarked
package dev.podpath.kernel.ipvs;

import org.jspecify.annotations.NullMarked;
