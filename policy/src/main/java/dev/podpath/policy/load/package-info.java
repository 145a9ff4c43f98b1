/** Reading Kubernetes manifests into the policy model, with validation that names the bad field. */
@NullMarked
package dev.podpath.policy.load;

import org.jspecify.annotations.NullMarked;
