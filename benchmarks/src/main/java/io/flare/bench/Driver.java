package io.flare.bench;

import io.flare.plugin.FlareRuntime;
import org.apache.ignite.Ignite;

/**
 * The node a benchmark drives the cluster from, with Flare and the peer both attached to it, so
 * both sides of a row start from the same place.
 *
 * @param side embedded (the server) or client
 * @param ignite the node
 * @param flare Flare on that node
 * @param peer the raw Ignite peer on that node
 */
public record Driver(Side side, Ignite ignite, FlareRuntime flare, Peer peer) {}
