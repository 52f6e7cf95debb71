/**
 * Actors on singleton Ignite services: the registry of actors, the host service that Ignite places
 * and fails over, per-actor mailboxes, and actor handles. INTERNAL API: applications use {@code
 * io.flare.api.ActorHandle}.
 */
package io.flare.actor;
