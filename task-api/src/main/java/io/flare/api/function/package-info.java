/**
 * Remote functions: one serializable functional interface per arity. Pass method references or
 * non-capturing lambdas; Flare identifies the function by its class, name and descriptor.
 */
package io.flare.api.function;
