/**
 * The service-provider interface that connects the API to a runtime. Hosts never call it; {@code ops-core}
 * implements it and registers itself with {@link java.util.ServiceLoader}.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.spi;

import org.jspecify.annotations.NullMarked;
