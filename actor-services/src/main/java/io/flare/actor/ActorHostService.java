package io.flare.actor;

import org.apache.ignite.Ignite;
import org.apache.ignite.resources.IgniteInstanceResource;
import org.apache.ignite.services.Service;

/**
 * One actor shard: a cluster-singleton Ignite service whose placement (and re-placement when its
 * node dies) decides where the shard's actors live. The service holds no actor state itself: on
 * {@link #init()} it tells the node's Flare runtime that the shard is here (which then creates or
 * re-creates the shard's actors on Flare's own threads, never on Ignite's deployment thread), and
 * on {@link #cancel()} that it left.
 */
public final class ActorHostService implements Service {
  private static final long serialVersionUID = 1L;

  private final int shard;

  @IgniteInstanceResource private transient Ignite ignite;

  public ActorHostService(int shard) {
    this.shard = shard;
  }

  public int shard() {
    return shard;
  }

  @Override
  public void init() {
    ShardHosts.up(ignite.name(), shard);
  }

  @Override
  public void cancel() {
    ShardHosts.down(ignite.name(), shard);
  }
}
