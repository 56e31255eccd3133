/**
 * The registry's hash-chained audit trail: {@link dev.opskit.ml.audit.AuditLog}, its {@link
 * dev.opskit.ml.audit.AuditRecord}s, and the PostgreSQL roles that make it append-only ({@link
 * dev.opskit.ml.audit.PostgresAuditRoles}).
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.ml.audit;

import org.jspecify.annotations.NullMarked;
