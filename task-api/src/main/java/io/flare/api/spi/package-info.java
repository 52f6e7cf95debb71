/**
 * The service-provider interface between the {@link io.flare.api.Flare} facade and the runtime
 * behind it (found with {@link java.util.ServiceLoader}). Not for application code.
 */
package io.flare.api.spi;
