/**
 * Runnable sample programs. Each is a {@code main} class run by
 * {@code ./mvnw -q -pl ops-examples -am package -DskipTests -Dexample=<Name>}.
 */
@NullMarked
package dev.opskit.examples;

import org.jspecify.annotations.NullMarked;
