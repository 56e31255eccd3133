/**
 * Contract suites for the opskit SPIs: abstract JUnit 5 test classes that any implementation must pass. Extend one,
 * say how to create the implementation, and every behaviour the SPI promises runs against it:
 *
 * <pre>{@code
 * class MyBlobStoreTest extends BlobStoreContract {
 *   @Override
 *   protected BlobStore createStore() {
 *     return new MyBlobStore(clock());
 *   }
 * }
 * }</pre>
 *
 * <p>opskit runs the same suites against its own implementations.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.opskit.test.contract;

import org.jspecify.annotations.NullMarked;
