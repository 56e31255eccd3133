/**
 * Metadata store implementations: in memory, and JDBC on H2 and PostgreSQL with the schema migrator. Internal.
 */
@NullMarked
package dev.opskit.core.internal.metadata;

import org.jspecify.annotations.NullMarked;
