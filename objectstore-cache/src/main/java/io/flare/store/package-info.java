/**
 * Object ids and the {@link io.flare.api.ObjectRef} implementation shared by every Flare node.
 * INTERNAL API: applications use {@code io.flare.api}.
 */
package io.flare.store;
