/**
 * Serialization of Flare values: Kryo for object graphs, a raw bulk-copy format for primitive
 * arrays. The entry point is {@link io.flare.store.serde.FlareSerializer}.
 */
package io.flare.store.serde;
