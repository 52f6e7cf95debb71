package io.flare.api.spi;

/** A value (ref, handle) that belongs to one runtime; calls through it go to that runtime. */
public interface RuntimeBound {
  FlareRuntimeSpi runtime();
}
