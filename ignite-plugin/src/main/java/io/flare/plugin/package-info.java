/**
 * The Ignite plugin that runs Flare on a node: {@link io.flare.plugin.FlarePluginProvider} (loaded
 * by {@code ServiceLoader}), its configuration bean, and {@link io.flare.plugin.IgniteFlare} for
 * code that already holds an {@code Ignite}.
 */
package io.flare.plugin;
