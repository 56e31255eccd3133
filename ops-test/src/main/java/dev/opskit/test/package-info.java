/**
 * opskit's test kit for users' own tests: a JUnit 5 extension, fakes, assertions, and the contract suites that
 * third-party implementations of opskit's SPIs run.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.test;

import org.jspecify.annotations.NullMarked;
