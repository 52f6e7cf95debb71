package io.flare.bench;

/**
 * One side (Flare or its peer) of a benchmark: each {@link #run()} is one round and returns the
 * round's figure in the benchmark's unit. Set-up belongs in the trial's constructor, clean-up in
 * {@link #close()}.
 */
@FunctionalInterface
public interface Trial extends AutoCloseable {
  /** Runs one round. */
  double run() throws Exception;

  @Override
  default void close() throws Exception {}
}
