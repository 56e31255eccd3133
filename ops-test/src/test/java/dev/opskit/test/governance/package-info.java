/** Tests of the registry's governance and audit trail on every metadata store. */
@NullMarked
package dev.opskit.test.governance;

import org.jspecify.annotations.NullMarked;
