package io.flare.plugin.internal;

import io.flare.store.cache.StoredLocation;

/** What an object resolves to: bytes held inline, a location in the store, or an error. */
sealed interface Result permits Result.Inline, Result.Stored, Result.Failed {

  /** A serialized value small enough to live in the owner's memory. */
  record Inline(byte[] bytes) implements Result {}

  /** A serialized value in the object store. */
  record Stored(StoredLocation location) implements Result {}

  /** The task failed, was cancelled, or the value is lost. */
  record Failed(ErrorInfo error) implements Result {}
}
