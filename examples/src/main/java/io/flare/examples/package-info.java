/**
 * Runnable programs from the Ray tutorial, ported to Flare: {@link ParallelTasks}, {@link
 * MatrixDag} and {@link Aggregation}; {@link RunAll} runs them in order. Each has a {@code main}
 * that starts and stops Flare, and a {@code run} method that returns its result for tests.
 */
package io.flare.examples;
