/** A host application of opskit, built against the installed snapshot by {@code hosts/run}. */
package example.host.boot;
