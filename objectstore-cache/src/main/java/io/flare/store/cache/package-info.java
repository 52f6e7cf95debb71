/**
 * The object store proper: values too large to travel inline, kept as {@code byte[]} chunks in an
 * off-heap Ignite cache with their primary copy on the node that produced them. INTERNAL API.
 */
package io.flare.store.cache;
