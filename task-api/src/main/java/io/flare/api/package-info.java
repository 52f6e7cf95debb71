/**
 * Flare's public API: Ray-style tasks, actors and futures ({@link io.flare.api.ObjectRef}) on
 * Apache Ignite. Start with {@link io.flare.api.Flare}.
 */
package io.flare.api;
