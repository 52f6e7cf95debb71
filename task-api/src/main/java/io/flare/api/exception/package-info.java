/**
 * The exceptions of Flare's API; all unchecked, all subclasses of {@link
 * io.flare.api.exception.FlareException}.
 */
package io.flare.api.exception;
