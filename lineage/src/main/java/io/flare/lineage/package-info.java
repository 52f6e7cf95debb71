/**
 * The lineage table: for every live task result kept in the object store, the spec of the task that
 * produces it, so a result lost with its node can be computed again. INTERNAL API.
 */
package io.flare.lineage;
