/**
 * The runtime behind the API: the per-node {@code FlareNode}, task submission and scheduling,
 * workers, the transport between nodes, and function resolution. INTERNAL API.
 */
package io.flare.plugin.internal;
