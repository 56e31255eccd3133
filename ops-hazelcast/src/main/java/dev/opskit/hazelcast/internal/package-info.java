/**
 * The implementation of the Hazelcast executor: what travels between members, the Hazelcast configuration opskit
 * makes, and the dispatcher that places steps on members. Not an API: anything here may change in any release.
 */
@NullMarked
package dev.opskit.hazelcast.internal;

import org.jspecify.annotations.NullMarked;
